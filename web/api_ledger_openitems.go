package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

type openItemOut struct {
	EntryID         backoffice.ID       `json:"entry_id"`
	LineNo          int                 `json:"line_no"`
	EntryNumber     string              `json:"entry_number"`
	Reference       string              `json:"reference"`
	Account         string              `json:"account"` // code
	PartyID         int64               `json:"party_id,omitempty"`
	Date            backoffice.Date     `json:"date"`
	DueDate         backoffice.Date     `json:"due_date,omitzero"`
	Currency        backoffice.Currency `json:"currency"`
	Amount          string              `json:"amount"`   // signed, debit positive, line currency
	Residual        string              `json:"residual"` // what is still open, line currency
	CompanyCurrency backoffice.Currency `json:"company_currency"`
	CompanyResidual string              `json:"company_residual"`
}

type matchIn struct {
	Lines  []ledger.LineRef `json:"lines"`
	Reason string           `json:"reason,omitempty"`
}

type matchOut struct {
	ID           backoffice.ID       `json:"id"`
	Date         backoffice.Date     `json:"date"`
	Debit        ledger.LineRef      `json:"debit"`
	Credit       ledger.LineRef      `json:"credit"`
	Currency     backoffice.Currency `json:"currency"`
	Amount       string              `json:"amount"`
	FXEntryID    backoffice.ID       `json:"fx_entry_id,omitempty"`
	FXDifference string              `json:"fx_difference,omitempty"` // company currency, debit side minus credit side
}

type reconciliationOut struct {
	ID      backoffice.ID `json:"id"`
	Matches []matchOut    `json:"matches"`
	Items   []openItemOut `json:"items"` // the matched lines as they are afterwards
}

type agingOut struct {
	Kind     string               `json:"kind"`
	AsOf     backoffice.Date      `json:"as_of"`
	Currency backoffice.Currency  `json:"currency"`
	Buckets  []ledger.AgingBucket `json:"buckets"`
	Rows     []agingRowOut        `json:"rows"`
	Total    []string             `json:"total"` // company currency, per bucket
	TotalAll string               `json:"total_all"`
}

type agingRowOut struct {
	PartyID      int64               `json:"party_id,omitempty"`
	Party        string              `json:"party"`
	Currency     backoffice.Currency `json:"currency"`
	Amounts      []string            `json:"amounts"`
	Total        string              `json:"total"`
	TotalCompany string              `json:"total_company"`
	Items        int                 `json:"items"`
}

func toOpenItemOut(it ledger.OpenItem, base backoffice.Currency) openItemOut {
	return openItemOut{EntryID: it.EntryID, LineNo: it.LineNo, EntryNumber: it.EntryNumber, Reference: it.Reference, Account: it.AccountCode,
		PartyID: it.PartyID, Date: it.Date, DueDate: it.DueDate, Currency: it.Currency, Amount: decimal(it.Amount, it.Currency),
		Residual: decimal(it.Residual, it.Currency), CompanyCurrency: base, CompanyResidual: decimal(it.CompanyResidual, base)}
}

// openItemFilter reads ?kind=&account=CODE&party=&as_of= for the caller's company.
func (s *Server) openItemFilter(r *http.Request, company backoffice.ID) (ledger.OpenItemFilter, error) {
	q := r.URL.Query()
	f := ledger.OpenItemFilter{Kind: q.Get("kind")}
	var err error
	if f.AsOf, err = dateParam(q, "as_of"); err != nil {
		return f, err
	}
	if f.PartyID, err = int64Param(q, "party"); err != nil {
		return f, err
	}
	if code := q.Get("account"); code != "" {
		a, err := s.Ledger.AccountByCode(r.Context(), company, code)
		if err != nil {
			return f, err
		}
		f.AccountID = a.ID
	}
	f.Page, err = pageOf(r)
	return f, err
}

// int64Param reads an optional positive whole number.
func int64Param(q url.Values, name string) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, &backoffice.Error{Code: backoffice.EInvalid, Message: name + " must be a positive number", Fields: map[string]string{name: "must be a positive number"}}
	}
	return n, nil
}

func (s *Server) apiOpenItems(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f, err := s.openItemFilter(r, company)
	if err != nil {
		return err
	}
	list, err := s.Ledger.OpenItems(r.Context(), company, f)
	if err != nil {
		return err
	}
	out := listOf[openItemOut]{Items: make([]openItemOut, 0, len(list.Items)), Next: list.Next}
	for _, it := range list.Items {
		out.Items = append(out.Items, toOpenItemOut(it, baseCurrency(r)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func toReconciliationOut(rec ledger.Reconciliation, base backoffice.Currency) reconciliationOut {
	out := reconciliationOut{ID: rec.ID, Matches: make([]matchOut, 0, len(rec.Matches)), Items: make([]openItemOut, 0, len(rec.Items))}
	for _, m := range rec.Matches {
		o := matchOut{ID: m.ID, Date: m.Date, Debit: m.Debit, Credit: m.Credit, Currency: m.Currency, Amount: decimal(m.Amount, m.Currency), FXEntryID: m.FXEntryID}
		if d := m.DebitCompany - m.CreditCompany; d != 0 {
			o.FXDifference = decimal(d, base)
		}
		out.Matches = append(out.Matches, o)
	}
	for _, it := range rec.Items {
		out.Items = append(out.Items, toOpenItemOut(it, base))
	}
	return out
}

func (s *Server) apiMatch(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in matchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rec, err := s.Ledger.MatchLines(r.Context(), company, in.Lines)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toReconciliationOut(rec, baseCurrency(r)))
	return nil
}

func (s *Server) apiUnmatch(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in reasonIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.Ledger.Unmatch(r.Context(), company, id, in.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// agingOptions reads ?kind=&as_of=&buckets=30,60,90&account=&party=.
func (s *Server) agingOptions(r *http.Request, company backoffice.ID) (ledger.AgingOptions, error) {
	q := r.URL.Query()
	o := ledger.AgingOptions{Kind: q.Get("kind")}
	if o.Kind == "" {
		o.Kind = "receivable"
	}
	var err error
	if o.AsOf, err = dateParam(q, "as_of"); err != nil {
		return o, err
	}
	if o.AsOf.IsZero() {
		o.AsOf = s.today()
	}
	if o.PartyID, err = int64Param(q, "party"); err != nil {
		return o, err
	}
	if b := strings.TrimSpace(q.Get("buckets")); b != "" {
		for _, part := range strings.Split(b, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(part))
			if err != nil {
				return o, &backoffice.Error{Code: backoffice.EInvalid, Message: "buckets must be days separated by commas, e.g. 30,60,90",
					Fields: map[string]string{"buckets": "must be days separated by commas"}}
			}
			o.Buckets = append(o.Buckets, n)
		}
	}
	if code := q.Get("account"); code != "" {
		a, err := s.Ledger.AccountByCode(r.Context(), company, code)
		if err != nil {
			return o, err
		}
		o.AccountID = a.ID
	}
	return o, nil
}

// aging computes the aging report and names its parties.
func (s *Server) aging(r *http.Request) (agingOut, error) {
	company, err := s.books(r)
	if err != nil {
		return agingOut{}, err
	}
	o, err := s.agingOptions(r, company)
	if err != nil {
		return agingOut{}, err
	}
	ag, err := s.Ledger.Aging(r.Context(), company, o)
	if err != nil {
		return agingOut{}, err
	}
	names, err := s.partyNames(r, company, ag.Rows)
	if err != nil {
		return agingOut{}, err
	}
	out := agingOut{Kind: ag.Kind, AsOf: ag.AsOf, Currency: ag.Currency, Buckets: ag.Buckets, TotalAll: decimal(ag.TotalCompany, ag.Currency)}
	for _, t := range ag.Total {
		out.Total = append(out.Total, decimal(t, ag.Currency))
	}
	out.Rows = make([]agingRowOut, 0, len(ag.Rows))
	for _, row := range ag.Rows {
		o := agingRowOut{PartyID: row.PartyID, Party: names[row.PartyID], Currency: row.Currency, Total: decimal(row.Total, row.Currency),
			TotalCompany: decimal(row.TotalCompany, ag.Currency), Items: row.Items}
		for _, a := range row.Amounts {
			o.Amounts = append(o.Amounts, decimal(a, row.Currency))
		}
		out.Rows = append(out.Rows, o)
	}
	return out, nil
}

// partyNames names the parties of aging rows; lines without a party are
// "(no party)" and a party that no longer exists shows its number.
func (s *Server) partyNames(r *http.Request, company backoffice.ID, rows []ledger.AgingRow) (map[int64]string, error) {
	names := map[int64]string{0: "(no party)"}
	for _, row := range rows {
		if _, ok := names[row.PartyID]; ok {
			continue
		}
		names[row.PartyID] = "#" + strconv.FormatInt(row.PartyID, 10)
		if s.Party == nil {
			continue
		}
		p, err := s.Party.Get(r.Context(), company, backoffice.ID(row.PartyID))
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
		case err != nil:
			return nil, err
		default:
			names[row.PartyID] = p.Name()
		}
	}
	return names, nil
}

func agingCSV(w http.ResponseWriter, ag agingOut) error {
	header := []string{"party_id", "party", "currency"}
	for _, b := range ag.Buckets {
		header = append(header, b.Label)
	}
	header = append(header, "total", "total_company")
	rows := make([][]string, 0, len(ag.Rows))
	for _, r := range ag.Rows {
		row := []string{strconv.FormatInt(r.PartyID, 10), r.Party, string(r.Currency)}
		row = append(append(row, r.Amounts...), r.Total, r.TotalCompany)
		rows = append(rows, row)
	}
	return writeCSV(w, "aging-"+ag.Kind+"-"+ag.AsOf.String()+".csv", header, rows)
}

func (s *Server) apiAging(w http.ResponseWriter, r *http.Request) error {
	if wantsPDF(r) {
		return s.agingPDF(w, r)
	}
	ag, err := s.aging(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return agingCSV(w, ag)
	}
	writeJSON(w, http.StatusOK, ag)
	return nil
}
