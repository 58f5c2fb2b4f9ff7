package ledger_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// reportBooks posts 50,000 two-line entries (100,000 lines) over three
// years on the default chart through PostBatch.
func reportBooks(b *testing.B, db *sqldb.DB) (*ledger.Service, context.Context, backoffice.ID) {
	b.Helper()
	clock := func() time.Time { return time.Date(2026, 12, 31, 9, 0, 0, 0, time.UTC) }
	s := &ledger.Service{DB: db, Audit: &audit.Log{Now: clock}, Now: clock}
	ctx := backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 1, Name: "bench"})
	var company backoffice.ID
	must(b, db.QueryRowContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES ('B', 'B Ltd', 'EUR', ?, ?) RETURNING id`,
		clock(), clock()).Scan(&company))
	must(b, s.SetUpCompany(ctx, company))
	list, err := s.ListAccounts(ctx, company, ledger.AccountFilter{Page: backoffice.Page{Limit: 500}})
	must(b, err)
	var ids []backoffice.ID
	for _, a := range list.Items {
		ids = append(ids, a.ID)
	}
	gen, err := s.JournalByCode(ctx, company, "GEN")
	must(b, err)
	rng := rand.New(rand.NewPCG(1, 2))
	batch := make([]ledger.NewEntry, 0, ledger.MaxBatch)
	for i := range 50_000 {
		amt := 1 + rng.Int64N(1_000_00)
		batch = append(batch, ledger.NewEntry{JournalID: gen.ID, Date: backoffice.NewDate(2024, 1, 1).AddDays(rng.IntN(3 * 365)), Reference: fmt.Sprint(i),
			Lines: []ledger.NewLine{{AccountID: ids[rng.IntN(len(ids))], Amount: amt}, {AccountID: ids[rng.IntN(len(ids))], Amount: -amt}}})
		if len(batch) == cap(batch) || i == 49_999 {
			_, err := s.PostBatch(ctx, company, batch)
			must(b, err)
			batch = batch[:0]
		}
	}
	return s, ctx, company
}

// BenchmarkReports_100kLines measures the reports on a company with
// 100,000 posted lines: go test ./ledger -run '^$' -bench Reports_100k.
// Target: a balance sheet with both comparison columns ≤ 50 ms.
func BenchmarkReports_100kLines(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			db := sqldbtest.SQLite(b)
			if dialect == "postgres" {
				db = sqldbtest.Postgres(b)
			}
			s, ctx, company := reportBooks(b, db)
			all := ledger.Compare{PreviousPeriod: true, LastYear: true, Budget: true}
			reports := []struct {
				name string
				run  func() error
			}{
				{"balance_sheet", func() error {
					bs, err := s.BalanceSheet(ctx, company, backoffice.NewDate(2026, 6, 17), all)
					if err == nil && !bs.Balanced {
						err = fmt.Errorf("balance sheet does not balance")
					}
					return err
				}},
				{"income_statement", func() error {
					_, err := s.IncomeStatement(ctx, company, backoffice.NewDate(2025, 3, 1), backoffice.NewDate(2026, 2, 28), all)
					return err
				}},
				{"cash_flow", func() error {
					_, err := s.CashFlow(ctx, company, backoffice.NewDate(2025, 1, 1), backoffice.NewDate(2025, 12, 31))
					return err
				}},
				{"general_ledger_page", func() error {
					_, err := s.GeneralLedger(ctx, company, ledger.GeneralLedgerFilter{From: backoffice.NewDate(2025, 1, 1), To: backoffice.NewDate(2025, 12, 31)})
					return err
				}},
			}
			for _, r := range reports {
				b.Run(r.name, func(b *testing.B) {
					for b.Loop() {
						must(b, r.run())
					}
				})
			}
		})
	}
}
