package web

import (
	"net/http"

	"backoffice"
	"backoffice/ledger"
)

// entryFilter reads the list filters shared by the API and the entries page:
// ?journal=CODE&state=&from=&to=&q=.
func (s *Server) entryFilter(r *http.Request, company backoffice.ID) (ledger.EntryFilter, error) {
	q := r.URL.Query()
	f := ledger.EntryFilter{Query: q.Get("q"), State: ledger.EntryState(q.Get("state"))}
	v := backoffice.Validation{}
	switch f.State {
	case "", ledger.Draft, ledger.Posted, ledger.Pending, ledger.Voided:
	default:
		v.Add("state", "must be draft, posted, pending or voided")
	}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		addFieldErrors(v, err)
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		addFieldErrors(v, err)
	}
	if code := q.Get("journal"); code != "" {
		j, err := s.Ledger.JournalByCode(r.Context(), company, code)
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
			v.Add("journal", "no journal has the code "+code)
		case err != nil:
			return f, err
		}
		f.JournalID = j.ID
	}
	return f, v.Err("filter")
}

func (s *Server) apiListEntries(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f, err := s.entryFilter(r, company)
	if err != nil {
		return err
	}
	if f.Page, err = pageOf(r); err != nil {
		return err
	}
	list, err := s.Ledger.ListEntries(r.Context(), company, f)
	if err != nil {
		return err
	}
	out := listOf[entryOut]{Items: make([]entryOut, 0, len(list.Items)), Next: list.Next}
	for _, e := range list.Items {
		out.Items = append(out.Items, toEntryOut(e, baseCurrency(r), nil))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// entryExists checks that the {id} entry is the caller's company's.
func (s *Server) entryExists(r *http.Request) error {
	_, _, err := s.entry(r)
	return err
}

// accountExists checks that the {id} account is the caller's company's.
func (s *Server) accountExists(r *http.Request) error {
	_, _, err := s.account(r)
	return err
}
