package ledger

import (
	"cmp"
	"context"
	"math/big"
	"slices"

	"backoffice"
)

// BudgetMonth is one month of a budget line against the actual figure,
// both on the account's natural side, the actual clipped to the report's
// period.
type BudgetMonth struct {
	Month  backoffice.Date `json:"month"`
	Budget int64           `json:"budget"`
	Actual int64           `json:"actual"`
}

// BudgetRow compares an account's (or one dimension value's) budget with
// its actual figure over the report's period. Variance is Budget − Actual:
// positive is money left on an expense budget, or income still to earn.
type BudgetRow struct {
	AccountID backoffice.ID `json:"account_id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Type      AccountType   `json:"type"`
	Dimension string        `json:"dimension,omitempty"`
	Value     string        `json:"value,omitempty"`
	Action    BudgetAction  `json:"action"` // of the latest month
	Budget    int64         `json:"budget"`
	Actual    int64         `json:"actual"`
	Variance  int64         `json:"variance"`
	Months    []BudgetMonth `json:"months"` // for a chart, in month order
}

// VariancePercent is the variance as a percentage of the budget with one
// decimal, rounded half away from zero ("12.5", "-3.0"), computed exactly;
// "" when the budget is zero.
func (r BudgetRow) VariancePercent() string {
	if r.Budget == 0 {
		return ""
	}
	q := new(big.Rat).SetFrac(big.NewInt(r.Variance), big.NewInt(r.Budget))
	return q.Mul(q, big.NewRat(100, 1)).FloatString(1)
}

// BudgetReport is the budget-vs-actual report of a period.
type BudgetReport struct {
	CompanyID backoffice.ID       `json:"company_id"`
	Currency  backoffice.Currency `json:"currency"`
	From      backoffice.Date     `json:"from"`
	To        backoffice.Date     `json:"to"`
	Rows      []BudgetRow         `json:"rows"`
}

// BudgetVsActual compares every budget line of the months that [from, to]
// touches with the actual postings, one row per account and dimension
// value, ordered by account code. Whole-account actuals read at most 42
// summary rows per budget month (fewer for whole months: one); dimension
// actuals read that account's lines of the month.
func (s *Service) BudgetVsActual(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date) (BudgetReport, error) {
	if err := checkPeriod(from, to); err != nil {
		return BudgetReport{}, err
	}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return BudgetReport{}, err
	}
	budgets, err := listBudgets(ctx, s.DB, companyID, from, to, "")
	if err != nil {
		return BudgetReport{}, err
	}
	accounts := map[backoffice.ID]Account{}
	type key struct {
		account          backoffice.ID
		dimension, value string
	}
	rows := map[key]*BudgetRow{}
	var order []key
	for _, b := range budgets {
		a, ok := accounts[b.AccountID]
		if !ok {
			if a, err = getAccount(ctx, s.DB, companyID, b.AccountID); err != nil {
				return BudgetReport{}, err
			}
			accounts[a.ID] = a
		}
		lo := later(from, b.Month)
		hi := earlier(to, b.Month.AddMonths(1).AddDays(-1))
		actual, err := budgetActual(ctx, s.DB, b, lo, hi)
		if err != nil {
			return BudgetReport{}, err
		}
		actual = natural(a.Type, actual)
		k := key{b.AccountID, b.Dimension, b.Value}
		r := rows[k]
		if r == nil {
			r = &BudgetRow{AccountID: a.ID, Code: a.Code, Name: a.Name, Type: a.Type, Dimension: b.Dimension, Value: b.Value}
			rows[k] = r
			order = append(order, k)
		}
		r.Action = b.Action
		r.Budget += b.Amount
		r.Actual += actual
		r.Months = append(r.Months, BudgetMonth{Month: b.Month, Budget: b.Amount, Actual: actual})
	}
	out := BudgetReport{CompanyID: companyID, Currency: base, From: from, To: to, Rows: make([]BudgetRow, 0, len(order))}
	for _, k := range order {
		r := rows[k]
		r.Variance = r.Budget - r.Actual
		out.Rows = append(out.Rows, *r)
	}
	sortBudgetRows(out.Rows)
	return out, nil
}

// sortBudgetRows orders rows by account code, dimension and value.
func sortBudgetRows(rows []BudgetRow) {
	slices.SortStableFunc(rows, func(a, b BudgetRow) int {
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Dimension, b.Dimension), cmp.Compare(a.Value, b.Value))
	})
}
