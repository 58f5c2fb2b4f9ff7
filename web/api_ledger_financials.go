package web

import (
	"io"
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// reportRowOut is one row of a balance sheet or income statement: amounts
// as plain decimals in company currency, one per column.
type reportRowOut struct {
	AccountID backoffice.ID `json:"account_id,omitempty"`
	Code      string        `json:"code,omitempty"`
	Name      string        `json:"name"`
	Level     int           `json:"level"`
	Group     bool          `json:"group"` // a subtotal over its sub-accounts
	Amounts   []string      `json:"amounts"`
}

type reportSectionOut struct {
	Key   string         `json:"key"`
	Label string         `json:"label"`
	Rows  []reportRowOut `json:"rows"`
	Total []string       `json:"total"`
}

type balanceSheetOut struct {
	Date                 backoffice.Date     `json:"date"`
	Currency             backoffice.Currency `json:"currency"`
	Columns              []ledger.Column     `json:"columns"`
	Assets               reportSectionOut    `json:"assets"`
	Liabilities          reportSectionOut    `json:"liabilities"`
	Equity               reportSectionOut    `json:"equity"`
	LiabilitiesAndEquity []string            `json:"liabilities_and_equity"`
	Balanced             bool                `json:"balanced"` // assets equal liabilities plus equity in every column
}

type incomeStatementOut struct {
	From      backoffice.Date     `json:"from"`
	To        backoffice.Date     `json:"to"`
	Currency  backoffice.Currency `json:"currency"`
	Columns   []ledger.Column     `json:"columns"`
	Income    reportSectionOut    `json:"income"`
	Expenses  reportSectionOut    `json:"expenses"`
	NetProfit []string            `json:"net_profit"`
}

func amountsOut(v []int64, c backoffice.Currency) []string {
	out := make([]string, len(v))
	for i, a := range v {
		out[i] = decimal(a, c)
	}
	return out
}

func sectionOut(s ledger.Section, c backoffice.Currency) reportSectionOut {
	out := reportSectionOut{Key: s.Key, Label: s.Label, Rows: make([]reportRowOut, 0, len(s.Rows)), Total: amountsOut(s.Total, c)}
	for _, r := range s.Rows {
		out.Rows = append(out.Rows, reportRowOut{AccountID: r.AccountID, Code: r.Code, Name: r.Name, Level: r.Level, Group: r.Group, Amounts: amountsOut(r.Amounts, c)})
	}
	return out
}

// compareParam reads ?compare=previous_period,last_year (a list, or the
// parameter repeated as checkboxes send it); budget only where allowed.
func compareParam(r *http.Request, budget bool) (ledger.Compare, error) {
	var c ledger.Compare
	for _, v := range r.URL.Query()["compare"] {
		for k := range strings.SplitSeq(v, ",") {
			switch strings.TrimSpace(k) {
			case "":
			case "previous_period":
				c.PreviousPeriod = true
			case "last_year":
				c.LastYear = true
			case "budget":
				if !budget {
					return c, compareError("previous_period and last_year")
				}
				c.Budget = true
			default:
				if budget {
					return c, compareError("previous_period, last_year and budget")
				}
				return c, compareError("previous_period and last_year")
			}
		}
	}
	return c, nil
}

func compareError(allowed string) error {
	return &backoffice.Error{Code: backoffice.EInvalid, Message: "compare names an unknown column",
		Fields: map[string]string{"compare": "may list " + allowed + ", separated by commas"}}
}

// balanceSheet reads ?date= (today when absent) and ?compare=.
func (s *Server) balanceSheet(r *http.Request) (ledger.BalanceSheet, backoffice.Date, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.BalanceSheet{}, backoffice.Date{}, err
	}
	date, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return ledger.BalanceSheet{}, date, err
	}
	if date.IsZero() {
		date = s.today()
	}
	cmp, err := compareParam(r, false)
	if err != nil {
		return ledger.BalanceSheet{}, date, err
	}
	bs, err := s.Ledger.BalanceSheet(r.Context(), company, date, cmp)
	return bs, date, err
}

// reportCSV answers a report's own CSV as a download.
func reportCSV(w http.ResponseWriter, filename string, write func(io.Writer) error) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	return write(w)
}

func (s *Server) apiBalanceSheet(w http.ResponseWriter, r *http.Request) error {
	bs, date, err := s.balanceSheet(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "balance-sheet-"+date.String()+".csv", bs.WriteCSV)
	}
	if wantsPDF(r) {
		return s.balanceSheetPDF(w, r, bs, date)
	}
	c := bs.Currency
	writeJSON(w, http.StatusOK, balanceSheetOut{Date: date, Currency: c, Columns: bs.Columns,
		Assets: sectionOut(bs.Assets, c), Liabilities: sectionOut(bs.Liabilities, c), Equity: sectionOut(bs.Equity, c),
		LiabilitiesAndEquity: amountsOut(bs.LiabilitiesAndEquity, c), Balanced: bs.Balanced})
	return nil
}

// period reads ?from=&to=; to defaults to today and from to the start of
// the fiscal year that to falls in (the current fiscal year to date).
func (s *Server) period(r *http.Request, company backoffice.ID) (from, to backoffice.Date, err error) {
	q := r.URL.Query()
	from, ferr := dateParam(q, "from")
	to, terr := dateParam(q, "to")
	if ferr != nil || terr != nil {
		return from, to, joinFieldErrors(ferr, terr)
	}
	if to.IsZero() {
		to = s.today()
	}
	if from.IsZero() {
		from, err = s.fiscalYearStart(r, company, to)
	}
	if err == nil && to.Before(from) {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "the period ends before it starts",
			Fields: map[string]string{"to": "must be on or after " + from.String()}}
	}
	return from, to, err
}

// joinFieldErrors merges the fields of validation errors into one.
func joinFieldErrors(errs ...error) error {
	out := &backoffice.Error{Code: backoffice.EInvalid, Fields: map[string]string{}}
	for _, err := range errs {
		if e, ok := err.(*backoffice.Error); ok {
			out.Message = strings.TrimPrefix(out.Message+"; "+e.Message, "; ")
			for k, v := range e.Fields {
				out.Fields[k] = v
			}
		}
	}
	return out
}

// fiscalYearStart is the first day of the company's fiscal year holding d,
// or 1 January of d's year when the books have no such year.
func (s *Server) fiscalYearStart(r *http.Request, company backoffice.ID, d backoffice.Date) (backoffice.Date, error) {
	years, err := s.Ledger.FiscalYears(r.Context(), company)
	if err != nil {
		return backoffice.Date{}, err
	}
	for _, y := range years {
		if !d.Before(y.Start) && !y.End.Before(d) {
			return y.Start, nil
		}
	}
	return backoffice.NewDate(d.Year, 1, 1), nil
}

// incomeStatement reads ?from=&to=&compare= (budget allowed).
func (s *Server) incomeStatement(r *http.Request) (ledger.IncomeStatement, backoffice.Date, backoffice.Date, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.IncomeStatement{}, backoffice.Date{}, backoffice.Date{}, err
	}
	from, to, err := s.period(r, company)
	if err != nil {
		return ledger.IncomeStatement{}, from, to, err
	}
	cmp, err := compareParam(r, true)
	if err != nil {
		return ledger.IncomeStatement{}, from, to, err
	}
	is, err := s.Ledger.IncomeStatement(r.Context(), company, from, to, cmp)
	return is, from, to, err
}

func (s *Server) apiIncomeStatement(w http.ResponseWriter, r *http.Request) error {
	is, from, to, err := s.incomeStatement(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "income-statement-"+from.String()+"-"+to.String()+".csv", is.WriteCSV)
	}
	if wantsPDF(r) {
		return s.incomeStatementPDF(w, r, is, from, to)
	}
	c := is.Currency
	writeJSON(w, http.StatusOK, incomeStatementOut{From: from, To: to, Currency: c, Columns: is.Columns,
		Income: sectionOut(is.Income, c), Expenses: sectionOut(is.Expenses, c), NetProfit: amountsOut(is.NetProfit, c)})
	return nil
}
