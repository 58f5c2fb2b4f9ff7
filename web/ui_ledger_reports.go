package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// statementView is an account statement page as the account page shows it.
type statementView struct {
	From, To          string
	Currency          backoffice.Currency
	Opening, Closing  string
	OpeningLabel      string
	Rows              []statementRow
	NextURL, FirstURL string
	PDFURL            string // the whole statement over the range
	Error             string
}

type statementRow struct {
	Date                   backoffice.Date
	EntryURL, Number, Text string
	Debit, Credit, Balance string
}

// statementView reads ?from=&to=&after= for the account page. A bad date is
// shown next to the statement rather than failing the whole page.
func (s *Server) statementView(r *http.Request, company backoffice.ID, a ledger.Account) (*statementView, error) {
	q := r.URL.Query()
	v := &statementView{From: q.Get("from"), To: q.Get("to"), OpeningLabel: "Opening balance"}
	st, err := s.statement(r, company, a.ID)
	if err != nil {
		if backoffice.ErrorCode(err) != backoffice.EInvalid {
			return nil, err
		}
		v.Error = backoffice.ErrorMessage(err)
		return v, nil
	}
	c := st.Currency
	v.Currency, v.Opening, v.Closing, v.PDFURL = c, decimal(st.Opening, c), decimal(st.Closing, c), pdfURL(r)
	if q.Get("after") != "" {
		v.OpeningLabel = "Carried forward"
		v.FirstURL = withQuery(r, "after", "")
	}
	for _, l := range st.Lines {
		text := l.Narration
		for _, extra := range []string{l.Reference, l.Memo} {
			if extra != "" && !strings.Contains(text, extra) {
				text = strings.TrimPrefix(text+" · "+extra, " · ")
			}
		}
		row := statementRow{Date: l.Date, EntryURL: "/ledger/entries/" + l.EntryID.String(), Number: l.Number, Text: text, Balance: decimal(l.Balance, c)}
		row.Debit, row.Credit = sides(l.CompanyAmount, c)
		v.Rows = append(v.Rows, row)
	}
	if st.Next != "" {
		nq := cloneQuery(q)
		nq.Set("after", st.Next)
		nq.Del("flash")
		v.NextURL = r.URL.Path + "?" + nq.Encode() + "#statement"
	}
	return v, nil
}

// trialBalanceView is the trial balance page.
type trialBalanceView struct {
	Date   string
	Rows   []trialBalanceRowView
	Totals []trialBalanceTotal
	CSVURL string
	PDFURL string
	Error  string
}

type trialBalanceRowView struct {
	URL, Code, Name, Type  string
	Currency               backoffice.Currency
	Debit, Credit, Balance string
}

// ledgerTrialBalance shows the trial balance at a date; every account links
// to its statement up to that date.
func (s *Server) ledgerTrialBalance(w http.ResponseWriter, r *http.Request) error {
	date, rows, err := s.trialBalance(r)
	v := trialBalanceView{Date: r.URL.Query().Get("date")}
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_trial_balance", "Trial balance", v)
	case err != nil:
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return trialBalanceCSV(w, date, rows)
	}
	if wantsPDF(r) {
		return s.trialBalancePDF(w, r, date, rows)
	}
	v.Date, v.Totals, v.CSVURL, v.PDFURL = date.String(), trialBalanceTotals(rows), withQuery(r, "format", "csv"), pdfURL(r)
	for _, t := range rows {
		v.Rows = append(v.Rows, trialBalanceRowView{URL: "/ledger/accounts/" + t.AccountID.String() + "?to=" + date.String() + "#statement",
			Code: t.Code, Name: t.Name, Type: string(t.Type), Currency: t.Currency,
			Debit: decimal(t.Debit, t.Currency), Credit: decimal(t.Credit, t.Currency), Balance: decimal(t.Balance, t.Currency)})
	}
	return s.render(w, r, http.StatusOK, "ledger_trial_balance", "Trial balance "+date.String(), v)
}

// lockDatesView is the lock dates page.
type lockDatesView struct {
	Locks    []lockDateRow
	Types    []string
	In       lockForm
	Errors   *formErrors
	CanClose bool
}

// lockForm is what the lock date form shows: what the user typed.
type lockForm struct{ JournalType, Date, Reason string }

type lockDateRow struct {
	Scope, JournalType string
	Date               backoffice.Date
	UpdatedAt          string
}

func (s *Server) ledgerLockDates(w http.ResponseWriter, r *http.Request) error {
	return s.lockDatesPage(w, r, http.StatusOK, lockForm{}, nil)
}

func (s *Server) lockDatesPage(w http.ResponseWriter, r *http.Request, status int, in lockForm, fe *formErrors) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ls, err := s.Ledger.LockDates(r.Context(), company)
	if err != nil {
		return err
	}
	v := lockDatesView{Types: ledger.JournalTypes(), In: in, Errors: fe, CanClose: principal(r).Can("ledger.close")}
	for _, l := range ls {
		scope := "All journals"
		if l.JournalType != "" {
			scope = humanAction(l.JournalType) + " journals"
		}
		v.Locks = append(v.Locks, lockDateRow{Scope: scope, JournalType: l.JournalType, Date: l.Date, UpdatedAt: l.UpdatedAt.UTC().Format("2006-01-02 15:04 UTC")})
	}
	return s.render(w, r, status, "ledger_lock_dates", "Lock dates", v)
}

// ledgerLockDateSet sets or clears a lock date; moving one back needs a
// reason, which the ledger asks for and the form then shows.
func (s *Server) ledgerLockDateSet(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	in := lockForm{JournalType: r.PostForm.Get("journal_type"), Date: strings.TrimSpace(r.PostForm.Get("date")), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
	var date backoffice.Date
	if in.Date != "" {
		date, err = backoffice.ParseDate(in.Date)
	}
	if err != nil {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "the lock date is not a date", Fields: map[string]string{"date": "must be a date as YYYY-MM-DD"}}
	} else {
		err = s.Ledger.SetLockDate(r.Context(), company, in.JournalType, date, in.Reason)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.lockDatesPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), in, fe)
	}
	msg := "Lock date removed."
	if !date.IsZero() {
		msg = "Locked up to and including " + date.String() + "."
	}
	return redirectFlash(w, r, "/ledger/lock-dates", msg)
}
