package party_test

import (
	"fmt"
	"strings"
	"testing"

	"backoffice/csvio"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// seed imports n parties with distinct names and IBAN-free rows.
func seed(b *testing.B, db *sqldb.DB, n int) *env {
	b.Helper()
	e := newEnv(b, db)
	var f strings.Builder
	f.WriteString("kind,legal_name,currency,billing_city,billing_country\n")
	for i := range n {
		fmt.Fprintf(&f, "customer,Customer %d Trading GmbH,EUR,Berlin,DE\n", i)
	}
	if _, err := e.s.Import(e.ctx, strings.NewReader(f.String()), e.company, csvio.Options{}); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkCreate_Among10000Parties measures one create with its duplicate
// check against 10,000 parties on SQLite.
func BenchmarkCreate_Among10000Parties(b *testing.B) {
	e := seed(b, sqldbtest.SQLite(b), 10_000)
	i := 0
	for b.Loop() {
		i++
		if _, _, err := e.s.Create(e.ctx, e.company, customer(fmt.Sprintf("Customer %d Trading AG", i))); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDuplicates_10000Parties measures the duplicates report over
// 10,000 parties on SQLite.
func BenchmarkDuplicates_10000Parties(b *testing.B) {
	e := seed(b, sqldbtest.SQLite(b), 10_000)
	for b.Loop() {
		if _, err := e.s.Duplicates(e.ctx, e.company); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport_10000Parties measures a CSV import of 10,000 parties on SQLite.
func BenchmarkImport_10000Parties(b *testing.B) {
	for b.Loop() {
		seed(b, sqldbtest.SQLite(b), 10_000)
	}
}
