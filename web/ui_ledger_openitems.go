package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// agingView is the aged receivables or payables page.
type agingView struct {
	Kind, Title, AsOf, Buckets string
	Report                     agingOut
	PartyURLs                  map[int64]string
	CSVURL                     string
	PDFURL                     string
	Error                      string
}

// ledgerAging shows the aging of receivables or payables at a date; each
// party opens its open items.
func (s *Server) ledgerAging(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := agingView{Kind: q.Get("kind"), AsOf: q.Get("as_of"), Buckets: q.Get("buckets")}
	if v.Kind == "" {
		v.Kind = "receivable"
	}
	v.Title = "Aged receivables"
	if v.Kind == "payable" {
		v.Title = "Aged payables"
	}
	ag, err := s.aging(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_aging", v.Title, v)
	case err != nil:
		return err
	}
	if q.Get("format") == "csv" {
		return agingCSV(w, ag)
	}
	if wantsPDF(r) {
		return s.agingPDF(w, r)
	}
	v.Report, v.AsOf, v.CSVURL, v.PDFURL = ag, ag.AsOf.String(), withQuery(r, "format", "csv"), pdfURL(r)
	v.PartyURLs = map[int64]string{}
	for _, row := range ag.Rows {
		v.PartyURLs[row.PartyID] = fmt.Sprintf("/ledger/open-items?kind=%s&party=%d&as_of=%s", ag.Kind, row.PartyID, ag.AsOf)
	}
	return s.render(w, r, http.StatusOK, "ledger_aging", v.Title+" "+v.AsOf, v)
}

// openItemsView is the open items page: a filter, the items and, for those
// who may post, a form to match the ticked ones.
type openItemsView struct {
	Kind, Party, Account, AsOf string
	Items                      []openItemRow
	NextURL, FirstURL          string
	CanMatch                   bool
	Error                      string
}

type openItemRow struct {
	Key, EntryURL, Number, Reference, Account, Party string
	Date, DueDate                                    backoffice.Date
	Currency                                         backoffice.Currency
	Amount, Residual                                 string
	Overdue                                          bool
}

func (s *Server) ledgerOpenItems(w http.ResponseWriter, r *http.Request) error {
	return s.openItemsPage(w, r, http.StatusOK, "")
}

func (s *Server) openItemsPage(w http.ResponseWriter, r *http.Request, status int, formError string) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := openItemsView{Kind: q.Get("kind"), Party: q.Get("party"), Account: q.Get("account"), AsOf: q.Get("as_of"),
		CanMatch: principal(r).Can("ledger.post") && q.Get("as_of") == "", Error: formError}
	f, err := s.openItemFilter(r, company)
	var list backoffice.List[ledger.OpenItem]
	if err == nil {
		list, err = s.Ledger.OpenItems(r.Context(), company, f)
	}
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid || backoffice.ErrorCode(err) == backoffice.ENotFound:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_open_items", "Open items", v)
	case err != nil:
		return err
	}
	today := s.today()
	if !f.AsOf.IsZero() {
		today = f.AsOf
	}
	names := map[int64]string{}
	for _, it := range list.Items {
		if _, ok := names[it.PartyID]; !ok {
			n, err := s.partyNames(r, company, []ledger.AgingRow{{PartyID: it.PartyID}})
			if err != nil {
				return err
			}
			names[it.PartyID] = n[it.PartyID]
		}
		due := it.DueDate
		if due.IsZero() {
			due = it.Date
		}
		v.Items = append(v.Items, openItemRow{Key: it.EntryID.String() + "/" + strconv.Itoa(it.LineNo), EntryURL: "/ledger/entries/" + it.EntryID.String(),
			Number: it.EntryNumber, Reference: it.Reference, Account: it.AccountCode, Party: names[it.PartyID], Date: it.Date, DueDate: it.DueDate,
			Currency: it.Currency, Amount: decimal(it.Amount, it.Currency), Residual: decimal(it.Residual, it.Currency),
			Overdue: due.Before(today) && it.Residual > 0})
	}
	if list.Next != "" {
		nq := cloneQuery(q)
		nq.Set("after", list.Next)
		nq.Del("flash")
		v.NextURL = r.URL.Path + "?" + nq.Encode()
	}
	if q.Get("after") != "" {
		v.FirstURL = withQuery(r, "after", "")
	}
	return s.render(w, r, status, "ledger_open_items", "Open items", v)
}

// ledgerMatchOpenItems settles the ticked open items against each other.
func (s *Server) ledgerMatchOpenItems(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var refs []ledger.LineRef
	for _, key := range r.PostForm["line"] {
		e, l, ok := strings.Cut(key, "/")
		id, err1 := strconv.ParseInt(e, 10, 64)
		no, err2 := strconv.Atoi(l)
		if !ok || err1 != nil || err2 != nil {
			return backoffice.Errorf(backoffice.EInvalid, "the form named a line %q that is not entry/line", key)
		}
		refs = append(refs, ledger.LineRef{EntryID: backoffice.ID(id), LineNo: no})
	}
	back := "/ledger/open-items?" + r.URL.RawQuery
	rec, err := s.Ledger.MatchLines(r.Context(), company, refs)
	if err != nil {
		if code := backoffice.ErrorCode(err); code == backoffice.EInvalid || code == backoffice.EConflict || code == backoffice.ENotFound {
			return s.openItemsPage(w, r, backoffice.HTTPStatus(code), "Not matched: "+backoffice.ErrorMessage(err))
		}
		return err
	}
	var total int64
	for _, m := range rec.Matches {
		total += m.Amount
	}
	msg := fmt.Sprintf("Matched %d lines: %s settled (reconciliation %d).", len(refs), decimal(total, rec.Matches[0].Currency)+" "+string(rec.Matches[0].Currency), rec.ID)
	return redirectFlash(w, r, back, msg)
}
