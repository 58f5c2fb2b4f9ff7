package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

type journalListingOut struct {
	Journal  journalOut          `json:"journal"`
	From     backoffice.Date     `json:"from,omitzero"`
	To       backoffice.Date     `json:"to,omitzero"`
	Currency backoffice.Currency `json:"currency"`
	Entries  []entryOut          `json:"entries"`
	Debit    string              `json:"debit"` // total debits of this page's entries, company currency
	Next     string              `json:"next,omitempty"`
}

// journalListing reads ?journal=CODE (required), ?from=&to= (open ends by
// default) and ?limit=&after=, and returns one page of the listing.
func (s *Server) journalListing(r *http.Request) (ledger.JournalListing, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.JournalListing{}, err
	}
	q := r.URL.Query()
	code := strings.TrimSpace(q.Get("journal"))
	if code == "" {
		return ledger.JournalListing{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "choose a journal",
			Fields: map[string]string{"journal": "is required: give the journal's code"}}
	}
	j, err := s.Ledger.JournalByCode(r.Context(), company, code)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return ledger.JournalListing{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "no journal has the code " + code,
			Fields: map[string]string{"journal": "no journal has the code " + code}}
	}
	if err != nil {
		return ledger.JournalListing{}, err
	}
	from, ferr := dateParam(q, "from")
	to, terr := dateParam(q, "to")
	if ferr != nil || terr != nil {
		return ledger.JournalListing{}, joinFieldErrors(ferr, terr)
	}
	page, err := pageOf(r)
	if err != nil {
		return ledger.JournalListing{}, err
	}
	return s.Ledger.JournalListing(r.Context(), company, j.ID, from, to, page)
}

// journalCSV answers a page of the listing as CSV; a Link header names the next page.
func journalCSV(w http.ResponseWriter, r *http.Request, jl ledger.JournalListing) error {
	if jl.Next != "" {
		w.Header().Set("Link", "<"+withQuery(r, "after", jl.Next)+`>; rel="next"`)
	}
	return reportCSV(w, "journal-"+jl.Journal.Code+".csv", jl.WriteCSV)
}

func (s *Server) apiJournalListing(w http.ResponseWriter, r *http.Request) error {
	jl, err := s.journalListing(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return journalCSV(w, r, jl)
	}
	if wantsPDF(r) {
		return s.journalListingPDF(w, r, jl)
	}
	base := baseCurrency(r)
	out := journalListingOut{Journal: toJournalOut(jl.Journal), From: jl.From, To: jl.To, Currency: base,
		Entries: make([]entryOut, 0, len(jl.Entries)), Next: jl.Next}
	var debit int64
	for _, e := range jl.Entries {
		out.Entries = append(out.Entries, toEntryOut(e, base, nil))
		debit += e.Amount
	}
	out.Debit = decimal(debit, base)
	writeJSON(w, http.StatusOK, out)
	return nil
}
