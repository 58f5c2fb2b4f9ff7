package web

import (
	"math"
	"net/http"
	"slices"
	"strconv"

	"backoffice"
	"backoffice/ledger"
)

// chartData is what static/charts.js draws: one label per month (YYYY-MM)
// and series of values in major units. Floats are for drawing only; every
// figure is also shown exactly in the table beside the chart.
type chartData struct {
	Currency backoffice.Currency `json:"currency"`
	Labels   []string            `json:"labels"`
	Series   []chartSeries       `json:"series"`
}

type chartSeries struct {
	Label  string    `json:"label"`
	Kind   string    `json:"kind"` // bar or line
	Values []float64 `json:"values"`
}

// major converts minor units to major units for a chart axis.
func major(v int64, c backoffice.Currency) float64 {
	return float64(v) / math.Pow10(c.Exponent())
}

// overviewOut is the ledger overview in the API: amounts as decimal strings.
type overviewOut struct {
	From     backoffice.Date     `json:"from"`
	To       backoffice.Date     `json:"to"`
	Currency backoffice.Currency `json:"currency"`
	Months   []overviewMonthOut  `json:"months"`
}

type overviewMonthOut struct {
	Month    string `json:"month"` // YYYY-MM
	Income   string `json:"income"`
	Expenses string `json:"expenses"`
	Profit   string `json:"profit"`
	Cash     string `json:"cash"` // cash and bank at the month's end
}

// overview reads ?to= (today by default) and ?months= (12 by
// default, 1 to 120): the months ending with to's.
func (s *Server) overview(r *http.Request) (ledger.Overview, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.Overview{}, err
	}
	q := r.URL.Query()
	to, err := dateParam(q, "to")
	if err != nil {
		return ledger.Overview{}, err
	}
	if to.IsZero() {
		to = s.today()
	}
	months := 12
	if v := q.Get("months"); v != "" {
		if months, err = strconv.Atoi(v); err != nil || months < 1 || months > 120 {
			return ledger.Overview{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "months must be 1 to 120",
				Fields: map[string]string{"months": "must be a number of months from 1 to 120"}}
		}
	}
	from := backoffice.NewDate(to.Year, to.Month, 1).AddMonths(1 - months)
	return s.Ledger.Overview(r.Context(), company, from, to)
}

func (s *Server) apiOverview(w http.ResponseWriter, r *http.Request) error {
	o, err := s.overview(r)
	if err != nil {
		return err
	}
	c := o.Currency
	out := overviewOut{From: o.From, To: o.To, Currency: c, Months: make([]overviewMonthOut, 0, len(o.Months))}
	for _, m := range o.Months {
		out.Months = append(out.Months, overviewMonthOut{Month: monthText(m.Month), Income: decimal(m.Income, c), Expenses: decimal(m.Expenses, c),
			Profit: decimal(m.Profit, c), Cash: decimal(m.Cash, c)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// overviewView is the ledger dashboard.
type overviewView struct {
	To, Months    string
	MonthChoices  []string
	Currency      backoffice.Currency
	Tiles         []tile
	Rows          []overviewRow
	ProfitChart   chartData
	CashChart     chartData
	BudgetChart   chartData
	HasBudgets    bool
	BudgetURL     string
	IncomeURL     string
	Error         string
	PeriodLabel   string
	CanSetBudgets bool
}

type overviewRow struct {
	Month, URL                     string
	Income, Expenses, Profit, Cash string
}

// ledgerOverview shows the months that matter at a glance: income against
// expenses, the cash and bank balance and the budget against actual, each
// chart with its figures in a table and links to the reports behind them.
func (s *Server) ledgerOverview(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := overviewView{To: q.Get("to"), Months: q.Get("months"), MonthChoices: []string{"6", "12", "24", "36"}, CanSetBudgets: principal(r).Can("ledger.manage")}
	if v.Months == "" {
		v.Months = "12"
	}
	o, err := s.overview(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_overview", "Ledger overview", v)
	case err != nil:
		return err
	}
	c := o.Currency
	v.Currency, v.To = c, o.To.String()
	v.PeriodLabel = monthText(o.From) + " – " + monthText(o.To)
	v.IncomeURL = "/ledger/reports/income-statement?from=" + o.From.String() + "&to=" + o.To.String()
	v.ProfitChart = chartData{Currency: c, Series: []chartSeries{{Label: "Income", Kind: "bar"}, {Label: "Expenses", Kind: "bar"}}}
	v.CashChart = chartData{Currency: c, Series: []chartSeries{{Label: "Cash and bank", Kind: "line"}}}
	var income, expenses int64
	for _, m := range o.Months {
		label := monthText(m.Month)
		end := m.Month.AddMonths(1).AddDays(-1)
		v.Rows = append(v.Rows, overviewRow{Month: label, URL: "/ledger/reports/income-statement?from=" + m.Month.String() + "&to=" + end.String(),
			Income: decimal(m.Income, c), Expenses: decimal(m.Expenses, c), Profit: decimal(m.Profit, c), Cash: decimal(m.Cash, c)})
		for _, x := range []*chartData{&v.ProfitChart, &v.CashChart} {
			x.Labels = append(x.Labels, label)
		}
		v.ProfitChart.Series[0].Values = append(v.ProfitChart.Series[0].Values, major(m.Income, c))
		v.ProfitChart.Series[1].Values = append(v.ProfitChart.Series[1].Values, major(m.Expenses, c))
		v.CashChart.Series[0].Values = append(v.CashChart.Series[0].Values, major(m.Cash, c))
		income, expenses = income+m.Income, expenses+m.Expenses
	}
	cash := int64(0)
	if n := len(o.Months); n > 0 {
		cash = o.Months[n-1].Cash
	}
	v.Tiles = []tile{
		{"cash and bank at " + o.To.String(), backoffice.NewMoney(cash, c).String(), "/ledger/trial-balance?date=" + o.To.String()},
		{"income " + v.PeriodLabel, backoffice.NewMoney(income, c).String(), v.IncomeURL},
		{"expenses " + v.PeriodLabel, backoffice.NewMoney(expenses, c).String(), v.IncomeURL},
		{"profit " + v.PeriodLabel, backoffice.NewMoney(income-expenses, c).String(), v.IncomeURL},
	}
	company, _ := s.books(r)
	rep, err := s.Ledger.BudgetVsActual(r.Context(), company, o.From, o.To)
	if err != nil {
		return err
	}
	v.BudgetChart = budgetChart(rep, ledger.Expense)
	v.HasBudgets = len(v.BudgetChart.Labels) > 0
	v.BudgetURL = "/ledger/budgets?from=" + o.From.String() + "&to=" + o.To.String()
	return s.render(w, r, http.StatusOK, "ledger_overview", "Ledger overview", v)
}

// budgetChart adds the months of the budget rows of the given account
// types into one budget and one actual bar per month of the report's
// period; it has no labels when no row is of those types. Income and
// spending are charted apart: their sum would mean nothing.
func budgetChart(rep ledger.BudgetReport, types ...ledger.AccountType) chartData {
	c := rep.Currency
	out := chartData{Currency: c, Series: []chartSeries{{Label: "Budget", Kind: "bar"}, {Label: "Actual", Kind: "bar"}}}
	var rows []ledger.BudgetRow
	for _, row := range rep.Rows {
		if slices.Contains(types, row.Type) {
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return out
	}
	first := backoffice.NewDate(rep.From.Year, rep.From.Month, 1)
	index := map[backoffice.Date]int{}
	var budget, actual []int64
	for m := first; !m.After(rep.To); m = m.AddMonths(1) {
		index[m] = len(out.Labels)
		out.Labels = append(out.Labels, monthText(m))
		budget, actual = append(budget, 0), append(actual, 0)
	}
	for _, row := range rows {
		for _, m := range row.Months {
			if i, ok := index[m.Month]; ok {
				budget[i] += m.Budget
				actual[i] += m.Actual
			}
		}
	}
	for i := range budget {
		out.Series[0].Values = append(out.Series[0].Values, major(budget[i], c))
		out.Series[1].Values = append(out.Series[1].Values, major(actual[i], c))
	}
	return out
}
