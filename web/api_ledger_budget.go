package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// budgetOut is one budget line: an account (optionally one dimension value)
// in one month, the amount on the account's natural side in company currency.
type budgetOut struct {
	ID        backoffice.ID       `json:"id"`
	AccountID backoffice.ID       `json:"account_id"`
	Account   string              `json:"account"` // code
	Dimension string              `json:"dimension,omitempty"`
	Value     string              `json:"value,omitempty"`
	Month     string              `json:"month"` // YYYY-MM
	Currency  backoffice.Currency `json:"currency"`
	Amount    string              `json:"amount"`
	Action    ledger.BudgetAction `json:"action"`
	Version   int64               `json:"version"`
	UpdatedAt time.Time           `json:"updated_at"`
}

// budgetsIn sets budget lines, all or nothing: a line for an account,
// dimension value and month that exists is replaced.
type budgetsIn struct {
	Budgets []budgetLineIn `json:"budgets"`
}

// budgetLineIn names the account by code (account) or id (account_id), the
// month as YYYY-MM or any day of it, and the amount as a decimal string.
type budgetLineIn struct {
	Account   string              `json:"account,omitempty"`
	AccountID backoffice.ID       `json:"account_id,omitempty"`
	Dimension string              `json:"dimension,omitempty"`
	Value     string              `json:"value,omitempty"`
	Month     string              `json:"month"`
	Amount    string              `json:"amount"`
	Action    ledger.BudgetAction `json:"action,omitempty"` // warn when omitted
}

type budgetMonthOut struct {
	Month  string `json:"month"` // YYYY-MM
	Budget string `json:"budget"`
	Actual string `json:"actual"`
}

type budgetRowOut struct {
	AccountID  backoffice.ID       `json:"account_id"`
	Account    string              `json:"account"`
	Name       string              `json:"name"`
	Type       ledger.AccountType  `json:"type"`
	Dimension  string              `json:"dimension,omitempty"`
	Value      string              `json:"value,omitempty"`
	Action     ledger.BudgetAction `json:"action"`
	Budget     string              `json:"budget"`
	Actual     string              `json:"actual"`
	Variance   string              `json:"variance"`               // budget − actual
	VariancePc string              `json:"variance_pct,omitempty"` // of the budget, one decimal; absent for a zero budget
	Months     []budgetMonthOut    `json:"months"`
}

type budgetReportOut struct {
	From     backoffice.Date     `json:"from"`
	To       backoffice.Date     `json:"to"`
	Currency backoffice.Currency `json:"currency"`
	Rows     []budgetRowOut      `json:"rows"`
	Budget   string              `json:"budget"` // totals of the rows
	Actual   string              `json:"actual"`
	Variance string              `json:"variance"`
}

// monthText is a budget month as YYYY-MM.
func monthText(d backoffice.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// parseMonth reads YYYY-MM or a full date.
func parseMonth(s string) (backoffice.Date, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 7 {
		s += "-01"
	}
	d, err := backoffice.ParseDate(s)
	return d, err == nil
}

func toBudgetOut(b ledger.Budget, c backoffice.Currency) budgetOut {
	return budgetOut{ID: b.ID, AccountID: b.AccountID, Account: b.AccountCode, Dimension: b.Dimension, Value: b.Value,
		Month: monthText(b.Month), Currency: c, Amount: decimal(b.Amount, c), Action: b.Action, Version: b.Version, UpdatedAt: b.UpdatedAt}
}

// apiListBudgets lists the budget lines of the months ?from= to ?to= touch
// (either open).
func (s *Server) apiListBudgets(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	from, ferr := dateParam(q, "from")
	to, terr := dateParam(q, "to")
	if ferr != nil || terr != nil {
		return joinFieldErrors(ferr, terr)
	}
	bs, err := s.Ledger.Budgets(r.Context(), company, from, to)
	if err != nil {
		return err
	}
	c := baseCurrency(r)
	out := listOf[budgetOut]{Items: make([]budgetOut, 0, len(bs))}
	for _, b := range bs {
		out.Items = append(out.Items, toBudgetOut(b, c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// readBudgetLines converts the API's budget lines, naming every bad field
// as budgets[i].field.
func (s *Server) readBudgetLines(r *http.Request, company backoffice.ID, in []budgetLineIn) ([]ledger.BudgetLine, error) {
	er := s.newEntryReader(r, company)
	v := backoffice.Validation{}
	v.Check(len(in) > 0, "budgets", "give at least one budget line")
	out := make([]ledger.BudgetLine, 0, len(in))
	for i, b := range in {
		f := fmt.Sprintf("budgets[%d].", i)
		line := ledger.BudgetLine{AccountID: b.AccountID, Dimension: strings.TrimSpace(b.Dimension), Value: strings.TrimSpace(b.Value), Action: b.Action}
		if line.Action == "" {
			line.Action = ledger.BudgetWarn
		}
		if code := strings.TrimSpace(b.Account); code != "" {
			id, err := er.account(code)
			if err != nil {
				return nil, err
			}
			v.Check(id != 0, f+"account", "no account has the code "+code)
			line.AccountID = id
		} else if b.AccountID == 0 {
			v.Add(f+"account", "is required: give the account's code or account_id")
		}
		month, ok := parseMonth(b.Month)
		v.Check(ok, f+"month", "must be a month as YYYY-MM")
		line.Month = month
		n, err := parseAmount(b.Amount, er.base, f+"amount")
		addFieldErrors(v, err)
		line.Amount = n
		out = append(out, line)
	}
	return out, v.Err("budget")
}

func (s *Server) apiSetBudgets(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in budgetsIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	lines, err := s.readBudgetLines(r, company, in.Budgets)
	if err != nil {
		return err
	}
	saved, err := s.Ledger.SetBudgets(r.Context(), company, lines)
	if err != nil {
		return err
	}
	c := baseCurrency(r)
	out := listOf[budgetOut]{Items: make([]budgetOut, 0, len(saved))}
	for _, b := range saved {
		out.Items = append(out.Items, toBudgetOut(b, c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiDeleteBudget(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.Ledger.DeleteBudget(r.Context(), company, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// budgetReport reads ?from=&to= (the fiscal year to date by default) and
// compares the budgets of those months with the actual postings.
func (s *Server) budgetReport(r *http.Request) (ledger.BudgetReport, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.BudgetReport{}, err
	}
	from, to, err := s.period(r, company)
	if err != nil {
		return ledger.BudgetReport{}, err
	}
	return s.Ledger.BudgetVsActual(r.Context(), company, from, to)
}

func toBudgetReportOut(rep ledger.BudgetReport) budgetReportOut {
	c := rep.Currency
	out := budgetReportOut{From: rep.From, To: rep.To, Currency: c, Rows: make([]budgetRowOut, 0, len(rep.Rows))}
	var budget, actual int64
	for _, x := range rep.Rows {
		row := budgetRowOut{AccountID: x.AccountID, Account: x.Code, Name: x.Name, Type: x.Type, Dimension: x.Dimension, Value: x.Value,
			Action: x.Action, Budget: decimal(x.Budget, c), Actual: decimal(x.Actual, c), Variance: decimal(x.Variance, c),
			VariancePc: x.VariancePercent(), Months: make([]budgetMonthOut, 0, len(x.Months))}
		for _, m := range x.Months {
			row.Months = append(row.Months, budgetMonthOut{Month: monthText(m.Month), Budget: decimal(m.Budget, c), Actual: decimal(m.Actual, c)})
		}
		budget, actual = budget+x.Budget, actual+x.Actual
		out.Rows = append(out.Rows, row)
	}
	out.Budget, out.Actual, out.Variance = decimal(budget, c), decimal(actual, c), decimal(budget-actual, c)
	return out
}

func (s *Server) apiBudgetVsActual(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.budgetReport(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "budget-vs-actual-"+rep.From.String()+"-"+rep.To.String()+".csv", rep.WriteCSV)
	}
	if wantsPDF(r) {
		return s.budgetPDF(w, r, rep)
	}
	writeJSON(w, http.StatusOK, toBudgetReportOut(rep))
	return nil
}
