package web

import (
	"net/http"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// dimensionOut is a custom dimension of the company.
type dimensionOut struct {
	ID        backoffice.ID `json:"id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Values    []string      `json:"values"` // allowed values; empty: any
	Active    bool          `json:"active"`
	Version   int64         `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// dimensionsOut lists the built-in dimensions every company has and the
// company's custom ones.
type dimensionsOut struct {
	Builtin []string       `json:"builtin"`
	Items   []dimensionOut `json:"items"`
}

// dimensionIn creates a dimension; on PATCH the code is ignored and a
// missing active means active.
type dimensionIn struct {
	Code   string   `json:"code,omitempty"`
	Name   string   `json:"name"`
	Values []string `json:"values,omitempty"`
	Active *bool    `json:"active,omitempty"` // true when omitted
}

func (in dimensionIn) toNew() ledger.NewDimension {
	active := in.Active == nil || *in.Active
	return ledger.NewDimension{Code: in.Code, Name: in.Name, Values: in.Values, Active: active}
}

func toDimensionOut(d ledger.Dimension) dimensionOut {
	return dimensionOut{ID: d.ID, Code: d.Code, Name: d.Name, Values: d.Values, Active: d.Active, Version: d.Version,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func (s *Server) apiListDimensions(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ds, err := s.Ledger.Dimensions(r.Context(), company)
	if err != nil {
		return err
	}
	out := dimensionsOut{Builtin: ledger.BuiltinDimensions(), Items: make([]dimensionOut, 0, len(ds))}
	for _, d := range ds {
		out.Items = append(out.Items, toDimensionOut(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateDimension(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in dimensionIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	d, err := s.Ledger.CreateDimension(r.Context(), company, in.toNew())
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/dimensions/"+d.ID.String())
	writeVersioned(w, http.StatusCreated, d.Version, toDimensionOut(d))
	return nil
}

// dimension reads the {id} dimension of the caller's company.
func (s *Server) dimension(r *http.Request) (backoffice.ID, ledger.Dimension, error) {
	company, err := s.books(r)
	if err != nil {
		return 0, ledger.Dimension{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, ledger.Dimension{}, err
	}
	d, err := s.Ledger.GetDimension(r.Context(), company, id)
	return company, d, err
}

func (s *Server) apiGetDimension(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.dimension(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, toDimensionOut(d))
	return nil
}

func (s *Server) apiUpdateDimension(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.dimension(r)
	if err != nil {
		return err
	}
	var in dimensionIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, d.Version)
	if err != nil {
		return err
	}
	d, err = s.Ledger.UpdateDimension(r.Context(), company, d.ID, version, in.toNew())
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, d.Version, toDimensionOut(d))
	return nil
}

// dimensionExists tells the history route whether {id} is a dimension of the company.
func (s *Server) dimensionExists(r *http.Request) error {
	_, _, err := s.dimension(r)
	return err
}

type dimensionRowOut struct {
	AccountID backoffice.ID      `json:"account_id"`
	Account   string             `json:"account"`
	Name      string             `json:"name"`
	Type      ledger.AccountType `json:"type"`
	Value     string             `json:"value,omitempty"` // of the grouping dimension; absent for lines without it
	Debit     string             `json:"debit"`
	Credit    string             `json:"credit"`
	Balance   string             `json:"balance"`
}

type dimensionBalancesOut struct {
	From      backoffice.Date     `json:"from,omitzero"`
	To        backoffice.Date     `json:"to"`
	Currency  backoffice.Currency `json:"currency"`
	Dimension string              `json:"dimension,omitempty"`
	Value     string              `json:"value,omitempty"`
	Group     string              `json:"group,omitempty"`
	Rows      []dimensionRowOut   `json:"rows"`
	Debit     string              `json:"debit"`
	Credit    string              `json:"credit"`
}

// dimensionBalances reads ?from= (open: from the first posting), ?to=
// (today), ?dimension=&value= (only lines with that value) and ?group=
// (one row per value of that dimension).
func (s *Server) dimensionBalances(r *http.Request) (ledger.DimensionReport, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.DimensionReport{}, err
	}
	q := r.URL.Query()
	from, ferr := dateParam(q, "from")
	to, terr := dateParam(q, "to")
	if ferr != nil || terr != nil {
		return ledger.DimensionReport{}, joinFieldErrors(ferr, terr)
	}
	if to.IsZero() {
		to = s.today()
	}
	f := ledger.DimensionFilter{From: from, To: to, Dimension: strings.TrimSpace(q.Get("dimension")), Value: strings.TrimSpace(q.Get("value")),
		GroupBy: strings.TrimSpace(q.Get("group"))}
	return s.Ledger.DimensionBalances(r.Context(), company, f)
}

func (s *Server) apiDimensionBalances(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.dimensionBalances(r)
	if err != nil {
		return err
	}
	f := rep.Filter
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "dimension-balances-"+f.To.String()+".csv", rep.WriteCSV)
	}
	c := rep.Currency
	out := dimensionBalancesOut{From: f.From, To: f.To, Currency: c, Dimension: f.Dimension, Value: f.Value, Group: f.GroupBy,
		Rows: make([]dimensionRowOut, 0, len(rep.Rows))}
	var debit, credit int64
	for _, x := range rep.Rows {
		out.Rows = append(out.Rows, dimensionRowOut{AccountID: x.AccountID, Account: x.Code, Name: x.Name, Type: x.Type, Value: x.Value,
			Debit: decimal(x.Debit, c), Credit: decimal(x.Credit, c), Balance: decimal(x.Balance, c)})
		debit, credit = debit+x.Debit, credit+x.Credit
	}
	out.Debit, out.Credit = decimal(debit, c), decimal(credit, c)
	writeJSON(w, http.StatusOK, out)
	return nil
}
