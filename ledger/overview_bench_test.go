package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb/sqldbtest"
)

// BenchmarkOverview_100kLines measures the ledger dashboard's series and
// the budget-vs-actual and dimension reports on the 100,000-line books of
// BenchmarkReports_100kLines: go test ./ledger -run '^$' -bench Overview_100k.
// Target: the 12-month overview ≤ 20 ms (a page under 100 ms). Measured on
// 2 cores under a load of 14, SQLite / PostgreSQL: overview of 12 months
// 3.1 / 8.4 ms, of 36 months 9 / 25 ms; budget against actual of 240 budget lines 7.9 / 69 ms
// (one summary read per line); balances by dimension over a year of 33,000
// lines 101 / 40 ms, a line scan, as the summaries are not per dimension.
func BenchmarkOverview_100kLines(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			db := sqldbtest.SQLite(b)
			if dialect == "postgres" {
				db = sqldbtest.Postgres(b)
			}
			s, ctx, company := reportBooks(b, db)
			accounts, err := s.ListAccounts(ctx, company, ledger.AccountFilter{Type: ledger.Expense, Page: backoffice.Page{Limit: 20}})
			must(b, err)
			var lines []ledger.BudgetLine
			for _, a := range accounts.Items {
				for m := range 12 {
					lines = append(lines, ledger.BudgetLine{AccountID: a.ID, Month: backoffice.NewDate(2026, 1, 1).AddMonths(m), Amount: 1_000_00, Action: ledger.BudgetIgnore})
				}
			}
			_, err = s.SetBudgets(ctx, company, lines)
			must(b, err)
			from, to := backoffice.NewDate(2026, 1, 1), backoffice.NewDate(2026, 12, 31)
			b.Run("overview-12-months", func(b *testing.B) {
				for b.Loop() {
					_, err := s.Overview(ctx, company, from, to)
					must(b, err)
				}
			})
			b.Run("overview-36-months", func(b *testing.B) {
				for b.Loop() {
					_, err := s.Overview(ctx, company, backoffice.NewDate(2024, 1, 1), to)
					must(b, err)
				}
			})
			b.Run("budget-vs-actual-year", func(b *testing.B) {
				for b.Loop() {
					_, err := s.BudgetVsActual(ctx, company, from, to)
					must(b, err)
				}
			})
			b.Run("dimension-balances-year", func(b *testing.B) {
				for b.Loop() {
					_, err := s.DimensionBalances(ctx, company, ledger.DimensionFilter{From: from, To: to, GroupBy: "project"})
					must(b, err)
				}
			})
		})
	}
}
