package ledger_test

import (
	"slices"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestRollUp_ParentsSumTheirSubAccountsInTreeOrder(t *testing.T) {
	accounts := []ledger.Account{
		{ID: 1, Code: "1000", Name: "Current assets"},
		{ID: 3, Code: "1200", Name: "Receivables", ParentID: 1},
		{ID: 2, Code: "1100", Name: "Banks", ParentID: 1},
		{ID: 4, Code: "1110", Name: "Main bank", ParentID: 2},
		{ID: 5, Code: "1120", Name: "Savings", ParentID: 2},
		{ID: 6, Code: "1500", Name: "Fixed assets"},
		{ID: 7, Code: "1510", Name: "Buildings", ParentID: 6},
	}
	amounts := map[backoffice.ID][]int64{4: {100, 10}, 5: {50, 0}, 3: {7, 3}, 1: {1, 0}}
	rows := ledger.RollUp(accounts, amounts, 2)
	type row struct {
		code   string
		level  int
		group  bool
		amount []int64
	}
	var got []row
	for _, r := range rows {
		got = append(got, row{r.Code, r.Level, r.Group, r.Amounts})
	}
	want := []row{
		{"1000", 0, true, []int64{158, 13}},
		{"1100", 1, true, []int64{150, 10}},
		{"1110", 2, false, []int64{100, 10}},
		{"1120", 2, false, []int64{50, 0}},
		{"1200", 1, false, []int64{7, 3}},
	}
	if len(got) != len(want) {
		t.Fatalf("rows = %v, want %v (zero branch 1500 left out)", got, want)
	}
	for i := range want {
		if got[i].code != want[i].code || got[i].level != want[i].level || got[i].group != want[i].group || !slices.Equal(got[i].amount, want[i].amount) {
			t.Errorf("row %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// naiveSide sums the company balances of one account type from every line
// up to date, debit − credit.
func naiveSide(e *env, entries []ledger.Entry, t ledger.AccountType, date backoffice.Date) int64 {
	types := map[backoffice.ID]ledger.AccountType{}
	for _, a := range e.accounts {
		types[a.ID] = a.Type
	}
	var sum int64
	for _, en := range entries {
		if en.Date.After(date) {
			continue
		}
		for _, l := range en.Lines {
			if types[l.AccountID] == t {
				sum += l.CompanyAmount
			}
		}
	}
	return sum
}

func TestBalanceSheet_BalancesForRandomPostings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		posted := randomBooks(t, e, 11, 250)
		e.reload()
		dates := []string{"2023-12-31", "2024-01-01", "2024-06-15", "2024-12-31", "2025-02-28", "2025-12-31", "2026-01-31", "2026-12-31"}
		check := func(when string) {
			for _, d := range dates {
				bs, err := e.s.BalanceSheet(e.ctx, e.company, day(d), ledger.Compare{PreviousPeriod: true, LastYear: true})
				must(t, err)
				if !bs.Balanced || len(bs.Columns) != 3 {
					t.Fatalf("%s: balance sheet at %s: balanced %v, assets %v, liabilities and equity %v", when, d, bs.Balanced, bs.Assets.Total, bs.LiabilitiesAndEquity)
				}
				for i, c := range bs.Columns {
					if want := naiveSide(e, posted, ledger.Asset, c.To); bs.Assets.Total[i] != want {
						t.Errorf("%s: assets at %s = %d, recomputed from lines %d", when, c.To, bs.Assets.Total[i], want)
					}
					if want := -naiveSide(e, posted, ledger.Liability, c.To); bs.Liabilities.Total[i] != want {
						t.Errorf("%s: liabilities at %s = %d, recomputed from lines %d", when, c.To, bs.Liabilities.Total[i], want)
					}
				}
			}
		}
		check("open books")
		c, err := e.s.CloseYear(e.ctx, e.company, 2024, "year-end")
		must(t, err)
		closing, err := e.s.GetEntry(e.ctx, e.company, c.EntryID)
		must(t, err)
		posted = append(posted, closing)
		check("after closing 2024")
	})
}

// rowOf finds a report row by account code.
func rowOf(t *testing.T, rows []ledger.ReportRow, code string) ledger.ReportRow {
	t.Helper()
	for _, r := range rows {
		if r.Code == code {
			return r
		}
	}
	t.Fatalf("no row %s in %v", code, rows)
	return ledger.ReportRow{}
}

func TestIncomeStatement_ComparisonColumns(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2024-02-10", "1110", "4010", 200_00))  // same period last year
		e.post(e.entry("2025-01-20", "1110", "4010", 500_00))  // previous period
		e.post(e.entry("2025-02-03", "1110", "4010", 1000_00)) // current
		e.post(e.entry("2025-02-28", "1110", "4020", 50_00))
		e.post(e.entry("2025-02-14", "6100", "1110", 300_00))
		e.post(e.entry("2025-02-15", "6100", "1110", 25_00))
		e.post(e.entry("2025-03-01", "1110", "4010", 999_00)) // after the period
		_, err := e.s.SetBudgets(e.ctx, e.company, []ledger.BudgetLine{
			{AccountID: e.acct("4010"), Month: day("2025-02-01"), Amount: 900_00, Action: ledger.BudgetIgnore},
			{AccountID: e.acct("6100"), Month: day("2025-02-01"), Amount: 250_00, Action: ledger.BudgetIgnore},
			{AccountID: e.acct("6100"), Month: day("2025-03-01"), Amount: 1_00, Action: ledger.BudgetIgnore},
		})
		must(t, err)
		is, err := e.s.IncomeStatement(e.ctx, e.company, day("2025-02-01"), day("2025-02-28"), ledger.Compare{PreviousPeriod: true, LastYear: true, Budget: true})
		must(t, err)
		var keys []string
		for _, c := range is.Columns {
			keys = append(keys, c.Key+" "+c.From.String()+" "+c.To.String())
		}
		wantKeys := []string{"current 2025-02-01 2025-02-28", "previous_period 2025-01-01 2025-01-31", "last_year 2024-02-01 2024-02-29", "budget 2025-02-01 2025-02-28"}
		if !slices.Equal(keys, wantKeys) {
			t.Fatalf("columns = %v, want %v", keys, wantKeys)
		}
		checks := []struct {
			name string
			got  []int64
			want []int64
		}{
			{"4010 sales of goods", rowOf(t, is.Income.Rows, "4010").Amounts, []int64{1000_00, 500_00, 200_00, 900_00}},
			{"4000 revenue group", rowOf(t, is.Income.Rows, "4000").Amounts, []int64{1050_00, 500_00, 200_00, 900_00}},
			{"6100 rent", rowOf(t, is.Expenses.Rows, "6100").Amounts, []int64{325_00, 0, 0, 250_00}},
			{"income total", is.Income.Total, []int64{1050_00, 500_00, 200_00, 900_00}},
			{"net profit", is.NetProfit, []int64{725_00, 500_00, 200_00, 650_00}},
		}
		for _, c := range checks {
			if !slices.Equal(c.got, c.want) {
				t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
			}
		}
		if !rowOf(t, is.Income.Rows, "4000").Group {
			t.Error("4000 is not shown as a group")
		}
		_, err = e.s.IncomeStatement(e.ctx, e.company, day("2025-02-28"), day("2025-02-01"), ledger.Compare{})
		wantError(t, err, backoffice.EInvalid, "to")
	})
}
