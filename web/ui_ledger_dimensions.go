package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// dimensionsView is the dimensions page (Record nil: the list with the new
// dimension form) or one dimension's page (its form and history).
type dimensionsView struct {
	Builtin   []string
	Items     []ledger.Dimension
	Record    *ledger.Dimension
	In        dimensionForm
	Errors    *formErrors
	CanManage bool
	History   []historyItem
	Report    *dimensionReportView // the balances-by-dimension page
}

// dimensionReportView is the trial balance by dimension: filters on top,
// the table with drill-down to each account's statement.
type dimensionReportView struct {
	From, To, Dimension, Value, Group string
	Names                             []string
	Currency                          backoffice.Currency
	Rows                              []dimensionRowView
	Debit, Credit                     string
	Shown                             bool
	CSVURL, Error                     string
}

type dimensionRowView struct {
	URL, Code, Name, Value string
	Debit, Credit, Balance string
}

// dimensionForm is what the form shows: what was stored or what the user typed.
type dimensionForm struct {
	Code, Name, Values string // values one per line
	Active             bool
	Version            int64
}

func (f dimensionForm) toNew() ledger.NewDimension {
	var values []string
	for v := range strings.SplitSeq(strings.ReplaceAll(f.Values, ",", "\n"), "\n") {
		if v = strings.TrimSpace(v); v != "" {
			values = append(values, v)
		}
	}
	return ledger.NewDimension{Code: f.Code, Name: f.Name, Values: values, Active: f.Active}
}

func readDimensionForm(r *http.Request) dimensionForm {
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	return dimensionForm{Code: strings.TrimSpace(r.PostForm.Get("code")), Name: strings.TrimSpace(r.PostForm.Get("name")),
		Values: r.PostForm.Get("values"), Active: r.PostForm.Get("active") != "", Version: version}
}

func (s *Server) ledgerDimensions(w http.ResponseWriter, r *http.Request) error {
	return s.dimensionsPage(w, r, http.StatusOK, dimensionForm{Active: true}, nil)
}

func (s *Server) dimensionsPage(w http.ResponseWriter, r *http.Request, status int, in dimensionForm, fe *formErrors) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ds, err := s.Ledger.Dimensions(r.Context(), company)
	if err != nil {
		return err
	}
	v := dimensionsView{Builtin: ledger.BuiltinDimensions(), Items: ds, In: in, Errors: fe, CanManage: principal(r).Can("ledger.manage")}
	return s.render(w, r, status, "ledger_dimensions", "Dimensions", v)
}

// ledgerDimensionCreate defines a dimension from the list page's form.
func (s *Server) ledgerDimensionCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	in := readDimensionForm(r)
	d, err := s.Ledger.CreateDimension(r.Context(), company, in.toNew())
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.dimensionsPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), in, fe)
	}
	return redirectFlash(w, r, "/ledger/dimensions", "Dimension "+d.Code+" created: lines may carry it now.")
}

func (s *Server) ledgerDimensionShow(w http.ResponseWriter, r *http.Request) error {
	_, d, err := s.dimension(r)
	if err != nil {
		return err
	}
	in := dimensionForm{Code: d.Code, Name: d.Name, Values: strings.Join(d.Values, "\n"), Active: d.Active, Version: d.Version}
	return s.dimensionPage(w, r, http.StatusOK, d, in, nil)
}

func (s *Server) dimensionPage(w http.ResponseWriter, r *http.Request, status int, d ledger.Dimension, in dimensionForm, fe *formErrors) error {
	recs, err := s.history(r, "dimension", d.ID.String())
	if err != nil {
		return err
	}
	v := dimensionsView{Record: &d, In: in, Errors: fe, CanManage: principal(r).Can("ledger.manage"), History: historyOf(recs)}
	return s.render(w, r, status, "ledger_dimensions", "Dimension "+d.Code, v)
}

func (s *Server) ledgerDimensionUpdate(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.dimension(r)
	if err != nil {
		return err
	}
	in := readDimensionForm(r)
	in.Code = d.Code
	updated, err := s.Ledger.UpdateDimension(r.Context(), company, d.ID, in.Version, in.toNew())
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.dimensionPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), d, in, fe)
	}
	return redirectFlash(w, r, "/ledger/dimensions/"+updated.ID.String(), "Saved.")
}

// ledgerDimensionBalances shows the trial balance of the lines with one
// dimension value, or of all lines grouped by a dimension.
func (s *Server) ledgerDimensionBalances(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rv := &dimensionReportView{From: q.Get("from"), To: q.Get("to"), Dimension: q.Get("dimension"), Value: q.Get("value"), Group: q.Get("group")}
	if rv.Names, err = s.Ledger.DimensionNames(r.Context(), company); err != nil {
		return err
	}
	v := dimensionsView{Report: rv}
	rep, err := s.dimensionBalances(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		rv.Error = backoffice.ErrorMessage(err) + ": " + joinFields(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_dimensions", "Balances by dimension", v)
	case err != nil:
		return err
	}
	if q.Get("format") == "csv" {
		return reportCSV(w, "dimension-balances-"+rep.Filter.To.String()+".csv", rep.WriteCSV)
	}
	c := rep.Currency
	rv.Shown, rv.Currency, rv.To, rv.CSVURL = true, c, rep.Filter.To.String(), withQuery(r, "format", "csv")
	var debit, credit int64
	for _, x := range rep.Rows {
		url := "/ledger/accounts/" + x.AccountID.String() + "?to=" + rv.To + "#statement"
		if rv.From != "" {
			url = "/ledger/accounts/" + x.AccountID.String() + "?from=" + rv.From + "&to=" + rv.To + "#statement"
		}
		rv.Rows = append(rv.Rows, dimensionRowView{URL: url, Code: x.Code, Name: x.Name, Value: x.Value,
			Debit: decimal(x.Debit, c), Credit: decimal(x.Credit, c), Balance: decimal(x.Balance, c)})
		debit, credit = debit+x.Debit, credit+x.Credit
	}
	rv.Debit, rv.Credit = decimal(debit, c), decimal(credit, c)
	return s.render(w, r, http.StatusOK, "ledger_dimensions", "Balances by dimension", v)
}
