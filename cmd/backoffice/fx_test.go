package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb/sqldbtest"
)

// TestCLI_ImportRatesThenRevalue imports ECB rates from a file, refuses a
// bad one by line, and revalues a USD bank balance: a dry run, the posting,
// and a second run that posts nothing; on SQLite and PostgreSQL.
func TestCLI_ImportRatesThenRevalue(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			dsn := sqldbtest.SQLitePath(t)
			if dialect == "postgres" {
				dsn = sqldbtest.PostgresDSN(t)
			}
			dir := t.TempDir()
			good, bad := filepath.Join(dir, "eurofxref.csv"), filepath.Join(dir, "bad.csv")
			must(t, os.WriteFile(good, []byte("Date, USD, JPY, \n30 January 2026, 1.2500, 160.00, \n"), 0o600))
			must(t, os.WriteFile(bad, []byte("Date,USD\n2026-01-30,1.25\n2026-01-31,N/A\n2026-02-01,?\n"), 0o600))
			for _, args := range [][]string{
				{"migrate", "--db", dsn},
				{"company", "create", "--db", dsn, "--code", "ACME", "--name", "Acme", "--currency", "EUR"},
			} {
				if code, out, errOut := cli(t, "", args...); code != 0 {
					t.Fatalf("%v: %d %s %s", args, code, out, errOut)
				}
			}
			code, _, errOut := cli(t, "", "import", "rates", "--db", dsn, "--company", "ACME", bad)
			if code != 1 || !strings.Contains(errOut, "line 4, USD: \"?\" is not a positive rate") {
				t.Fatalf("bad file: exit %d, stderr %s", code, errOut)
			}
			code, out, errOut := cli(t, "", "import", "rates", "--db", dsn, "--company", "ACME", good)
			if code != 0 || !strings.Contains(out, "1 day(s) from 2026-01-30 to 2026-01-30, 2 rate(s) in EUR for JPY USD: 2 new or changed") {
				t.Fatalf("import: exit %d\n%s%s", code, out, errOut)
			}
			postUSD(t, dsn)
			code, out, errOut = cli(t, "", "ledger", "revalue", "--db", dsn, "--company", "ACME", "--date", "2026-01-31", "--dry-run")
			// 1,000.00 USD at 1/1.25 = 0.8 is 800.00 EUR; booked at 0.9 = 900.00: a loss of 100.00.
			if code != 0 || !strings.Contains(out, "1000.00") || !strings.Contains(out, "-100.00") || !strings.Contains(out, "dry run: nothing posted") {
				t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
			}
			code, out, errOut = cli(t, "", "ledger", "revalue", "--db", dsn, "--company", "ACME", "--date", "2026-01-31")
			if code != 0 || !strings.Contains(out, "losses 100.00 EUR") || !strings.Contains(out, "posted GEN-2026-000002 on 2026-01-31, reversed by GEN-2026-000003 on 2026-02-01") {
				t.Fatalf("revalue: exit %d\n%s%s", code, out, errOut)
			}
			code, out, _ = cli(t, "", "ledger", "revalue", "--db", dsn, "--company", "ACME", "--date", "2026-01-31")
			if code != 0 || !strings.Contains(out, "already posted as GEN-2026-000002") || !strings.Contains(out, "1130 USD: 1000.00 USD at 0.8 of 2026-01-30: 900.00 EUR booked, 800.00 EUR revalued, difference -100.00 EUR") {
				t.Fatalf("again: exit %d\n%s", code, out)
			}
		})
	}
}

// postUSD books 1,000.00 USD at 0.9 into a new USD bank account of ACME.
func postUSD(t *testing.T, dsn string) {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, c, err := openCompany(ctx, dsn, "ACME")
	must(t, err)
	defer a.Close()
	acct, err := a.ledger.CreateAccount(ctx, c.ID, ledger.NewAccount{Code: "1130", Name: "USD account", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "USD"})
	must(t, err)
	capital, err := a.ledger.AccountByCode(ctx, c.ID, "3010")
	must(t, err)
	gen, err := a.ledger.JournalByCode(ctx, c.ID, "GEN")
	must(t, err)
	_, err = a.ledger.Post(ctx, c.ID, ledger.NewEntry{JournalID: gen.ID, Date: backoffice.NewDate(2026, 1, 10), Lines: []ledger.NewLine{
		{AccountID: acct.ID, Currency: "USD", Amount: 100000, Rate: "0.9"}, {AccountID: capital.ID, Amount: -90000}}})
	must(t, err)
}
