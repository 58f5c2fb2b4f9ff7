package ledger_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb/sqldbtest"
)

// BenchmarkAging_100000OpenItems ages 100,000 open receivables of 500
// parties, as of today and as of a past date (issue 5 target: 200 ms).
func BenchmarkAging_100000OpenItems(b *testing.B) {
	db := sqldbtest.SQLite(b)
	ctx := backoffice.WithActor(context.Background(), backoffice.System("bench"))
	s := &ledger.Service{DB: db, Audit: &audit.Log{}}
	var company backoffice.ID
	if err := db.QueryRowContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES ('B', 'B', 'EUR', ?, ?) RETURNING id`,
		time.Now(), time.Now()).Scan(&company); err != nil {
		b.Fatal(err)
	}
	if err := s.SetUpCompany(ctx, company); err != nil {
		b.Fatal(err)
	}
	id := func(code string) backoffice.ID {
		a, err := s.AccountByCode(ctx, company, code)
		if err != nil {
			b.Fatal(err)
		}
		return a.ID
	}
	js, err := s.ListJournals(ctx, company)
	if err != nil {
		b.Fatal(err)
	}
	var sal backoffice.ID
	for _, j := range js {
		if j.Code == "SAL" {
			sal = j.ID
		}
	}
	receivable, income := id("1200"), id("4010")
	const n = 100_000
	for start := 0; start < n; start += ledger.MaxBatch {
		var batch []ledger.NewEntry
		for i := start; i < min(start+ledger.MaxBatch, n); i++ {
			d := day("2026-01-01").AddDays(i % 365)
			batch = append(batch, ledger.NewEntry{JournalID: sal, Date: d, Reference: fmt.Sprint("INV-", i),
				Lines: []ledger.NewLine{{AccountID: receivable, Amount: int64(1000 + i%5000), PartyID: int64(1 + i%500), DueDate: d.AddDays(30)},
					{AccountID: income, Amount: -int64(1000 + i%5000)}}})
		}
		if _, err := s.PostBatch(ctx, company, batch); err != nil {
			b.Fatal(err)
		}
	}
	for _, asOf := range []string{"", "2026-09-30"} {
		b.Run("as of "+map[string]string{"": "today"}[asOf]+asOf, func(b *testing.B) {
			o := ledger.AgingOptions{Kind: "receivable"}
			if asOf != "" {
				o.AsOf = day(asOf)
			}
			for b.Loop() {
				ag, err := s.Aging(ctx, company, o)
				if err != nil || len(ag.Rows) != 500 {
					b.Fatalf("aging: %d rows, %v", len(ag.Rows), err)
				}
			}
		})
	}
}
