package web

import (
	"net/http"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// rateOut is an exchange rate: company currency per 1 unit of currency.
type rateOut struct {
	Currency  backoffice.Currency `json:"currency"`
	Date      backoffice.Date     `json:"date"`
	Rate      string              `json:"rate"`
	Source    string              `json:"source"`
	UpdatedAt time.Time           `json:"updated_at"`
}

// rateImportOut is the report of an ECB import.
type rateImportOut = ledger.RateImport

// ratesIn is the body of PUT /api/v1/exchange-rates: rates to add or replace.
type ratesIn struct {
	Rates  []ledger.NewRate `json:"rates"`
	Source string           `json:"source,omitempty"` // "manual" by default
}

// revaluationIn is the body of POST /api/v1/revaluations. Journal and the
// gain and loss accounts are codes; empty takes the GEN journal and the
// chart's exchange difference accounts.
type revaluationIn struct {
	Date        backoffice.Date `json:"date"`
	DryRun      bool            `json:"dry_run,omitempty"`
	Journal     string          `json:"journal,omitempty"`
	GainAccount string          `json:"gain_account,omitempty"`
	LossAccount string          `json:"loss_account,omitempty"`
}

// revaluationLineOut is one revalued balance; balance is in its currency,
// the other amounts in company currency.
type revaluationLineOut struct {
	AccountID   backoffice.ID       `json:"account_id"`
	AccountCode string              `json:"account_code"`
	AccountName string              `json:"account_name,omitempty"`
	Currency    backoffice.Currency `json:"currency"`
	Balance     string              `json:"balance,omitempty"`
	Rate        string              `json:"rate"`
	RateDate    backoffice.Date     `json:"rate_date,omitzero"`
	Booked      string              `json:"booked,omitempty"`
	Revalued    string              `json:"revalued,omitempty"`
	Difference  string              `json:"difference"`
	Note        string              `json:"note,omitempty"` // of a posted revaluation: the computation its entry line keeps
}

// revaluationOut is a computed or posted revaluation.
type revaluationOut struct {
	Date             backoffice.Date      `json:"date"`
	Currency         backoffice.Currency  `json:"currency"`
	Gain             string               `json:"gain"`
	Loss             string               `json:"loss"`
	Lines            []revaluationLineOut `json:"lines"`
	Posted           bool                 `json:"posted"`
	AlreadyPosted    bool                 `json:"already_posted"`
	DryRun           bool                 `json:"dry_run"`
	NothingToRevalue bool                 `json:"nothing_to_revalue"`
	EntryID          backoffice.ID        `json:"entry_id,omitempty"`
	EntryNumber      string               `json:"entry_number,omitempty"`
	ReversalID       backoffice.ID        `json:"reversal_id,omitempty"`
	ReversalNumber   string               `json:"reversal_number,omitempty"`
	CreatedAt        *time.Time           `json:"created_at,omitempty"`
}

func toRateOut(r ledger.ExchangeRate) rateOut {
	return rateOut{Currency: r.Currency, Date: r.Date, Rate: r.Rate, Source: r.Source, UpdatedAt: r.UpdatedAt}
}

func toRevaluationOut(rv ledger.Revaluation) revaluationOut {
	base := rv.Currency
	out := revaluationOut{Date: rv.Date, Currency: base, Gain: decimal(rv.Gain, base), Loss: decimal(rv.Loss, base), Lines: []revaluationLineOut{},
		Posted: rv.Posted, AlreadyPosted: rv.AlreadyPosted, DryRun: rv.DryRun, NothingToRevalue: rv.NothingToRevalue, EntryID: rv.EntryID,
		EntryNumber: rv.EntryNumber, ReversalID: rv.ReversalID, ReversalNumber: rv.ReversalNumber, CreatedAt: rv.CreatedAt}
	for _, l := range rv.Lines {
		lo := revaluationLineOut{AccountID: l.AccountID, AccountCode: l.AccountCode, AccountName: l.AccountName, Currency: l.Currency,
			Rate: l.Rate, RateDate: l.RateDate, Difference: decimal(l.Difference, base), Note: l.Note}
		if l.Note == "" { // computed now, not read back from a posted entry
			lo.Balance, lo.Booked, lo.Revalued = decimal(l.Balance, l.Currency), decimal(l.Booked, base), decimal(l.Revalued, base)
		}
		out.Lines = append(out.Lines, lo)
	}
	return out
}

// rateFilter reads ?currency=&from=&to= for the API and the rates page.
func rateFilter(r *http.Request) (ledger.RateFilter, error) {
	q := r.URL.Query()
	v := backoffice.Validation{}
	f := ledger.RateFilter{}
	if c := strings.TrimSpace(q.Get("currency")); c != "" {
		cur, err := backoffice.ParseCurrency(c)
		if err != nil {
			v.Add("currency", "must be an ISO 4217 currency code such as USD")
		}
		f.Currency = cur
	}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		addFieldErrors(v, err)
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		addFieldErrors(v, err)
	}
	return f, v.Err("filter")
}

func (s *Server) apiListRates(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f, err := rateFilter(r)
	if err != nil {
		return err
	}
	if f.Page, err = pageOf(r); err != nil {
		return err
	}
	list, err := s.Ledger.Rates(r.Context(), company, f)
	if err != nil {
		return err
	}
	out := listOf[rateOut]{Items: make([]rateOut, 0, len(list.Items)), Next: list.Next}
	for _, x := range list.Items {
		out.Items = append(out.Items, toRateOut(x))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSetRates(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in ratesIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rates, err := s.Ledger.SetRates(r.Context(), company, in.Rates, in.Source)
	if err != nil {
		return err
	}
	out := listOf[rateOut]{Items: make([]rateOut, 0, len(rates))}
	for _, x := range rates {
		out.Items = append(out.Items, toRateOut(x))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiRateOn answers the rate a posting on ?date= in ?currency= would take.
func (s *Server) apiRateOn(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	date, err := dateParam(q, "date")
	if err != nil {
		return err
	}
	if date.IsZero() {
		date = s.today()
	}
	cur, err := backoffice.ParseCurrency(q.Get("currency"))
	if err != nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "currency is required", Fields: map[string]string{"currency": "must be an ISO 4217 currency code such as USD"}}
	}
	rate, err := s.Ledger.RateOn(r.Context(), company, cur, date)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRateOut(rate))
	return nil
}

// apiImportRates imports an ECB reference-rate file sent as the body.
func (s *Server) apiImportRates(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") {
		return backoffice.Errorf(backoffice.EUnsupported, "send the ECB file as text/csv (got %q)", ct)
	}
	rep, err := s.Ledger.ImportECBRates(r.Context(), company, r.Body, r.URL.Query().Get("dry_run") == "true")
	if err != nil && len(rep.Errors) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			ledger.RateImport
			Code   string `json:"code"`
			Detail string `json:"detail"`
		}{rep, backoffice.EInvalid, backoffice.ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// revalueOptions resolves the codes of a revaluation request.
func (s *Server) revalueOptions(r *http.Request, company backoffice.ID, in revaluationIn) (ledger.RevalueOptions, error) {
	opts := ledger.RevalueOptions{Date: in.Date, DryRun: in.DryRun}
	v := backoffice.Validation{}
	if code := strings.TrimSpace(in.Journal); code != "" {
		j, err := s.Ledger.JournalByCode(r.Context(), company, code)
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
			v.Add("journal", "no journal has the code "+code)
		case err != nil:
			return opts, err
		}
		opts.JournalID = j.ID
	}
	for _, c := range []struct {
		field, code string
		id          *backoffice.ID
	}{{"gain_account", in.GainAccount, &opts.GainAccountID}, {"loss_account", in.LossAccount, &opts.LossAccountID}} {
		code := strings.TrimSpace(c.code)
		if code == "" {
			continue
		}
		a, err := s.Ledger.AccountByCode(r.Context(), company, code)
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
			v.Add(c.field, "no account has the code "+code)
		case err != nil:
			return opts, err
		}
		*c.id = a.ID
	}
	return opts, v.Err("revaluation")
}

// apiRevalue revalues foreign-currency balances at a date, or previews it.
func (s *Server) apiRevalue(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in revaluationIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	opts, err := s.revalueOptions(r, company, in)
	if err != nil {
		return err
	}
	rv, err := s.Ledger.Revalue(r.Context(), company, opts)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if rv.Posted && !rv.AlreadyPosted {
		status = http.StatusCreated
	}
	writeJSON(w, status, toRevaluationOut(rv))
	return nil
}

func (s *Server) apiListRevaluations(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	list, err := s.Ledger.Revaluations(r.Context(), company)
	if err != nil {
		return err
	}
	out := listOf[revaluationOut]{Items: make([]revaluationOut, 0, len(list))}
	for _, rv := range list {
		out.Items = append(out.Items, toRevaluationOut(rv))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
