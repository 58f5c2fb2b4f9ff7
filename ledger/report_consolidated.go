package ledger

import (
	"context"

	"backoffice"
)

// groupChart is the members' charts merged by account code, each code one
// account with a synthetic id; the first member having a code gives its
// name, type and parent. Consolidation assumes the members share account
// codes (the default chart, or one group chart).
type groupChart struct {
	accounts []Account
	byCode   map[string]backoffice.ID
}

func mergeCharts(ms []member) groupChart {
	g := groupChart{byCode: map[string]backoffice.ID{}}
	parentCode := map[string]string{}
	for _, m := range ms {
		codes := map[backoffice.ID]string{}
		for _, a := range m.accounts {
			codes[a.ID] = a.Code
		}
		for _, a := range m.accounts {
			if _, ok := g.byCode[a.Code]; ok {
				continue
			}
			id := backoffice.ID(len(g.accounts) + 1)
			g.byCode[a.Code] = id
			g.accounts = append(g.accounts, Account{ID: id, Code: a.Code, Name: a.Name, Type: a.Type, Subtype: a.Subtype})
			parentCode[a.Code] = codes[a.ParentID]
		}
	}
	for i := range g.accounts {
		g.accounts[i].ParentID = g.byCode[parentCode[g.accounts[i].Code]]
	}
	return g
}

// groupFigures translates each member's debit − credit per account into
// the group currency and adds it to the group account of the same code,
// leaving intercompany accounts out. It returns the figures, the
// translated sum of the intercompany accounts left out and the translated
// sum of everything (zero but for rounding, as every member balances).
func groupFigures(g groupChart, ms []member, group backoffice.Currency, per []map[backoffice.ID]int64) (map[backoffice.ID]int64, int64, int64, error) {
	out := map[backoffice.ID]int64{}
	var eliminated, total int64
	for i, m := range ms {
		for _, a := range m.accounts {
			v := per[i][a.ID]
			if v == 0 {
				continue
			}
			t, err := translate(v, m.base, m.rate, group)
			if err != nil {
				return nil, 0, 0, err
			}
			total += t
			if m.intercompany[a.ID] {
				eliminated += t
				continue
			}
			out[g.byCode[a.Code]] += t
		}
	}
	return out, eliminated, total, nil
}

// ConsolidatedBalanceSheet is the balance sheet of several companies at
// the end of date in the group currency: each member's balances translated
// at its rate, accounts added by code, intercompany accounts left out.
// Equity ends with the profit not yet closed and, when not zero, the
// intercompany balances that did not cancel out and the rounding of the
// translation, so that the sheet balances.
func (s *Service) ConsolidatedBalanceSheet(ctx context.Context, currency backoffice.Currency, date backoffice.Date, members []Member) (BalanceSheet, error) {
	if date.IsZero() {
		return BalanceSheet{}, fieldError("date", "is required")
	}
	ms, err := loadMembers(ctx, s.DB, currency, members)
	if err != nil {
		return BalanceSheet{}, err
	}
	per := make([]map[backoffice.ID]int64, len(ms))
	for i, m := range ms {
		if per[i], err = balancesAt(ctx, s.DB, m.CompanyID, date); err != nil {
			return BalanceSheet{}, err
		}
	}
	g := mergeCharts(ms)
	figures, eliminated, total, err := groupFigures(g, ms, currency, per)
	if err != nil {
		return BalanceSheet{}, err
	}
	var profit int64
	for _, a := range ofTypes(g.accounts, Income, Expense) {
		profit -= figures[a.ID]
	}
	amounts := columns([]map[backoffice.ID]int64{column(g.accounts, figures)})
	bs := BalanceSheet{Currency: currency, Columns: []Column{{Key: "current", Label: date.String(), To: date}}}
	bs.Assets = section("assets", "Assets", ofTypes(g.accounts, Asset), amounts, 1)
	bs.Liabilities = section("liabilities", "Liabilities", ofTypes(g.accounts, Liability), amounts, 1)
	bs.Equity = section("equity", "Equity", ofTypes(g.accounts, Equity), amounts, 1)
	withoutIDs(&bs.Assets, &bs.Liabilities, &bs.Equity)
	extra := []ReportRow{{Name: "Profit not yet closed", Amounts: []int64{profit}}}
	if eliminated != 0 {
		extra = append(extra, ReportRow{Name: "Intercompany balances that do not cancel out", Amounts: []int64{-eliminated}})
	}
	if total != 0 {
		extra = append(extra, ReportRow{Name: "Translation rounding", Amounts: []int64{total}})
	}
	for _, r := range extra {
		bs.Equity.Rows = append(bs.Equity.Rows, r)
		bs.Equity.Total[0] += r.Amounts[0]
	}
	bs.LiabilitiesAndEquity = []int64{bs.Liabilities.Total[0] + bs.Equity.Total[0]}
	bs.Balanced = bs.LiabilitiesAndEquity[0] == bs.Assets.Total[0]
	return bs, nil
}

// ConsolidatedIncomeStatement is the income statement of several companies
// from from to to in the group currency: each member's movements (closing
// entries left out) translated at its rate, accounts added by code,
// intercompany accounts left out.
func (s *Service) ConsolidatedIncomeStatement(ctx context.Context, currency backoffice.Currency, from, to backoffice.Date, members []Member) (IncomeStatement, error) {
	if err := checkPeriod(from, to); err != nil {
		return IncomeStatement{}, err
	}
	ms, err := loadMembers(ctx, s.DB, currency, members)
	if err != nil {
		return IncomeStatement{}, err
	}
	per := make([]map[backoffice.ID]int64, len(ms))
	for i, m := range ms {
		if per[i], err = movements(ctx, s.DB, m.CompanyID, from, to); err != nil {
			return IncomeStatement{}, err
		}
	}
	g := mergeCharts(ms)
	figures, _, _, err := groupFigures(g, ms, currency, per)
	if err != nil {
		return IncomeStatement{}, err
	}
	amounts := columns([]map[backoffice.ID]int64{column(g.accounts, figures)})
	is := IncomeStatement{Currency: currency, Columns: []Column{{Key: "current", Label: from.String() + " – " + to.String(), From: from, To: to}}}
	is.Income = section("income", "Income", ofTypes(g.accounts, Income), amounts, 1)
	is.Expenses = section("expenses", "Expenses", ofTypes(g.accounts, Expense), amounts, 1)
	is.NetProfit = []int64{is.Income.Total[0] - is.Expenses.Total[0]}
	withoutIDs(&is.Income, &is.Expenses)
	return is, nil
}

// withoutIDs clears the synthetic account ids of a group chart's rows: a
// consolidated row stands for an account code in several companies.
func withoutIDs(secs ...*Section) {
	for _, sec := range secs {
		for i := range sec.Rows {
			sec.Rows[i].AccountID = 0
		}
	}
}
