package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// budgetsView is the budgets page: budget against actual for a period with
// its chart, the budget lines of the period and the form that sets one.
type budgetsView struct {
	From, To   string
	Currency   backoffice.Currency
	Rows       []budgetRowView
	Total      budgetRowView
	Charts     []budgetChartView
	Lines      []budgetLineView
	CSVURL     string
	PDFURL     string
	Error      string
	CanManage  bool
	Accounts   []ledger.Account
	Dimensions []string
	Actions    []ledger.BudgetAction
	In         budgetForm
	Errors     *formErrors
}

// budgetChartView is one chart of the page: spending, or income.
type budgetChartView struct {
	ID, Caption string
	Data        chartData
}

type budgetRowView struct {
	URL, Code, Name, Scope, Action string
	Budget, Actual, Variance, Pct  string
	Badge, Tone                    string // "over budget" (bad) for costs, "above plan" (ok) for income
}

type budgetLineView struct {
	ID                                 backoffice.ID
	Month, Account, Scope, Amount, Act string
}

// budgetForm is what the set-budget form shows: what the user typed.
type budgetForm struct {
	Account, Dimension, Value, Month, Through, Amount, Action string
}

func (s *Server) ledgerBudgets(w http.ResponseWriter, r *http.Request) error {
	return s.budgetsPage(w, r, http.StatusOK, budgetForm{Action: string(ledger.BudgetWarn)}, nil)
}

func (s *Server) budgetsPage(w http.ResponseWriter, r *http.Request, status int, in budgetForm, fe *formErrors) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := budgetsView{From: q.Get("from"), To: q.Get("to"), CanManage: principal(r).Can("ledger.manage"), In: in, Errors: fe,
		Actions: []ledger.BudgetAction{ledger.BudgetWarn, ledger.BudgetStop, ledger.BudgetIgnore}}
	if v.CanManage {
		if v.Accounts, err = s.postableAccounts(r, company); err != nil {
			return err
		}
		if v.Dimensions, err = s.Ledger.DimensionNames(r.Context(), company); err != nil {
			return err
		}
	}
	rep, err := s.budgetReport(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_budgets", "Budgets", v)
	case err != nil:
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "budget-vs-actual-"+rep.From.String()+"-"+rep.To.String()+".csv", rep.WriteCSV)
	}
	if wantsPDF(r) {
		return s.budgetPDF(w, r, rep)
	}
	c := rep.Currency
	v.From, v.To, v.Currency, v.CSVURL, v.PDFURL = rep.From.String(), rep.To.String(), c, withQuery(r, "format", "csv"), pdfURL(r)
	var budget, actual int64
	for _, x := range rep.Rows {
		row := budgetRowView{URL: "/ledger/accounts/" + x.AccountID.String() + "?from=" + v.From + "&to=" + v.To + "#statement",
			Code: x.Code, Name: x.Name, Scope: scopeOf(x.Dimension, x.Value), Action: string(x.Action), Budget: decimal(x.Budget, c),
			Actual: decimal(x.Actual, c), Variance: decimal(x.Variance, c), Pct: x.VariancePercent()}
		if x.Variance < 0 {
			row.Badge, row.Tone = "over budget", "bad"
			if x.Type == ledger.Income {
				row.Badge, row.Tone = "above plan", "ok"
			}
		}
		v.Rows = append(v.Rows, row)
		budget, actual = budget+x.Budget, actual+x.Actual
	}
	v.Total = budgetRowView{Budget: decimal(budget, c), Actual: decimal(actual, c), Variance: decimal(budget-actual, c),
		Pct: ledger.BudgetRow{Budget: budget, Variance: budget - actual}.VariancePercent()}
	for _, ch := range []budgetChartView{
		{ID: "chart-spending", Caption: "Spending: budget and actual per month", Data: budgetChart(rep, ledger.Expense, ledger.Asset)},
		{ID: "chart-income", Caption: "Income: budget and actual per month", Data: budgetChart(rep, ledger.Income)},
	} {
		if len(ch.Data.Labels) > 0 {
			ch.Caption += " (" + string(c) + ")"
			v.Charts = append(v.Charts, ch)
		}
	}
	lines, err := s.Ledger.Budgets(r.Context(), company, rep.From, rep.To)
	if err != nil {
		return err
	}
	for _, b := range lines {
		v.Lines = append(v.Lines, budgetLineView{ID: b.ID, Month: monthText(b.Month), Account: b.AccountCode, Scope: scopeOf(b.Dimension, b.Value),
			Amount: decimal(b.Amount, c), Act: string(b.Action)})
	}
	return s.render(w, r, status, "ledger_budgets", "Budgets "+v.From+" – "+v.To, v)
}

// scopeOf names what a budget line covers: the whole account or one dimension value.
func scopeOf(dimension, value string) string {
	if dimension == "" {
		return "whole account"
	}
	return dimension + " = " + value
}

// maxFormMonths bounds the months one form post sets: ten years.
const maxFormMonths = 120

// budgetMonths lists the months from the form's month through its optional
// last month, as budget lines of the same amount, all set or none.
func budgetMonths(in budgetForm) ([]budgetLineIn, error) {
	line := budgetLineIn{Account: in.Account, Dimension: in.Dimension, Value: in.Value, Month: in.Month, Amount: in.Amount, Action: ledger.BudgetAction(in.Action)}
	first, ok := parseMonth(in.Month)
	if in.Through == "" || !ok {
		return []budgetLineIn{line}, nil
	}
	last, ok := parseMonth(in.Through)
	n := (last.Year-first.Year)*12 + int(last.Month) - int(first.Month) + 1
	if !ok || n < 1 || n > maxFormMonths {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "the last month is not a month on or after the first, within ten years",
			Fields: map[string]string{"through": "must be a month as YYYY-MM on or after the first month, at most 120 months on"}}
	}
	out := make([]budgetLineIn, n)
	for i := range out {
		out[i] = line
		out[i].Month = monthText(backoffice.NewDate(first.Year, first.Month, 1).AddMonths(i))
	}
	return out, nil
}

// ledgerBudgetSet sets a budget line, or the same amount for each month of
// a range, from the page's form.
func (s *Server) ledgerBudgetSet(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := budgetForm{Account: strings.TrimSpace(f.Get("account")), Dimension: f.Get("dimension"), Value: strings.TrimSpace(f.Get("value")),
		Month: strings.TrimSpace(f.Get("month")), Through: strings.TrimSpace(f.Get("through")), Amount: strings.TrimSpace(f.Get("amount")), Action: f.Get("action")}
	months, err := budgetMonths(in)
	var lines []ledger.BudgetLine
	if err == nil {
		lines, err = s.readBudgetLines(r, company, months)
	}
	if err == nil {
		_, err = s.Ledger.SetBudgets(r.Context(), company, lines)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		fields := map[string]string{}
		for k, m := range fe.Fields {
			if i := strings.Index(k, "]."); strings.HasPrefix(k, "budgets[") && i > 0 {
				k = k[i+2:] // every month shares the form's one field
			}
			fields[k] = m
		}
		fe.Fields = fields
		return s.budgetsPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), in, fe)
	}
	month, _ := parseMonth(in.Month)
	to := month.AddMonths(1).AddDays(-1)
	back := "/ledger/budgets"
	if q := r.URL.Query(); q.Get("from") != "" || q.Get("to") != "" {
		back += "?" + q.Encode()
	} else if to.After(s.today()) {
		back += "?from=" + backoffice.NewDate(month.Year, 1, 1).String() + "&to=" + backoffice.NewDate(month.Year, 12, 31).String()
	}
	what := monthText(month)
	if len(lines) > 1 {
		what = what + " through " + months[len(months)-1].Month + " (" + strconv.Itoa(len(lines)) + " months)"
	}
	return redirectFlash(w, r, back, "Budget of "+in.Account+" for "+what+" set to "+in.Amount+".")
}

// ledgerBudgetDelete removes one budget line.
func (s *Server) ledgerBudgetDelete(w http.ResponseWriter, r *http.Request) error {
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
	back := "/ledger/budgets"
	if q := r.URL.Query(); len(q) > 0 {
		back += "?" + q.Encode()
	}
	return redirectFlash(w, r, back, "Budget line removed.")
}
