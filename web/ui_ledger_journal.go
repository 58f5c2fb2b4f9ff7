package web

import (
	"net/http"

	"backoffice"
	"backoffice/ledger"
)

// journalReportView is one page of the journal listing report.
type journalReportView struct {
	Journal, From, To string
	Journals          []ledger.Journal
	Title             string
	Currency          backoffice.Currency
	Entries           []journalEntryView
	Debit             string
	Shown             bool
	NextURL, FirstURL string
	CSVURL, Error     string
	PDFURL            string
}

type journalEntryView struct {
	URL, Number, Reference, Narration string
	Date                              backoffice.Date
	Lines                             []journalLineView
	Total                             string
}

type journalLineView struct {
	AccountURL, Account, Name, Memo string
	Debit, Credit                   string
	Foreign                         string // the amount in the line's currency when not the company's
}

// ledgerJournalReport lists a journal's posted entries in number order,
// each with its lines, page by page: the journal book an auditor reads.
func (s *Server) ledgerJournalReport(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := journalReportView{Journal: q.Get("journal"), From: q.Get("from"), To: q.Get("to")}
	if v.Journals, err = s.Ledger.ListJournals(r.Context(), company); err != nil {
		return err
	}
	if v.Journal == "" {
		if len(v.Journals) > 0 {
			v.Journal = v.Journals[0].Code
		}
		q.Set("journal", v.Journal)
		r.URL.RawQuery = q.Encode()
	}
	jl, err := s.journalListing(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_journal_report", "Journal listing", v)
	case err != nil:
		return err
	}
	if q.Get("format") == "csv" {
		return journalCSV(w, r, jl)
	}
	if wantsPDF(r) {
		return s.journalListingPDF(w, r, jl)
	}
	base := baseCurrency(r)
	v.Shown, v.Currency, v.Title = true, base, jl.Journal.Code+" · "+jl.Journal.Name
	cq := cloneQuery(q)
	cq.Set("format", "csv")
	cq.Del("flash")
	v.CSVURL = r.URL.Path + "?" + cq.Encode()
	v.PDFURL = pdfURL(r)
	if q.Get("after") != "" {
		v.FirstURL = withQuery(r, "after", "")
	}
	if jl.Next != "" {
		v.NextURL = withQuery(r, "after", jl.Next)
	}
	names, err := s.accountNames(r, company)
	if err != nil {
		return err
	}
	var debit int64
	for _, e := range jl.Entries {
		ev := journalEntryView{URL: "/ledger/entries/" + e.ID.String(), Number: e.Number, Reference: e.Reference, Narration: e.Narration,
			Date: e.Date, Total: decimal(e.Amount, base)}
		for _, l := range e.Lines {
			lv := journalLineView{AccountURL: "/ledger/accounts/" + l.AccountID.String(), Account: l.AccountCode, Name: names[l.AccountID], Memo: l.Memo}
			lv.Debit, lv.Credit = sides(l.CompanyAmount, base)
			if l.Currency != "" && l.Currency != base {
				lv.Foreign = backoffice.NewMoney(l.Amount, l.Currency).String()
			}
			ev.Lines = append(ev.Lines, lv)
		}
		debit += e.Amount
		v.Entries = append(v.Entries, ev)
	}
	v.Debit = decimal(debit, base)
	return s.render(w, r, http.StatusOK, "ledger_journal_report", "Journal listing "+jl.Journal.Code, v)
}

// accountNames maps the company's account ids to their names, for pages
// that show lines by account code; blocked accounts included.
func (s *Server) accountNames(r *http.Request, company backoffice.ID) (map[backoffice.ID]string, error) {
	out := map[backoffice.ID]string{}
	f := ledger.AccountFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for range 20 {
		list, err := s.Ledger.ListAccounts(r.Context(), company, f)
		if err != nil {
			return nil, err
		}
		for _, a := range list.Items {
			out[a.ID] = a.Name
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return out, nil
}
