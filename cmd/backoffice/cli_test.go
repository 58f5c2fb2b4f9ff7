package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// cli runs the command line and returns its exit status and output.
func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelp_EveryCommandHasAnExample(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Runnable() && c.Example == "" {
			t.Errorf("%q has no example in its --help", c.CommandPath())
		}
		if c.Short == "" {
			t.Errorf("%q has no short description", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRoot(nil, nil, nil))
}

// TestCLI_AdministerBackupRestoreAndVerify drives the CLI as an operator
// would: set up a company and a user, back up the SQLite database, restore it
// into PostgreSQL, verify the change log there, then tamper with it and see
// verify fail naming the record.
func TestCLI_AdministerBackupRestoreAndVerify(t *testing.T) {
	src := sqldbtest.SQLitePath(t)
	dst := sqldbtest.PostgresDSN(t)
	steps := []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"migrate", "--db", src}, "applied"},
		{"", []string{"migrate", "--db", src}, "up to date"},
		{"", []string{"company", "create", "--db", src, "--code", "ACME", "--name", "Acme GmbH", "--currency", "EUR"}, "created company"},
		{"a long passphrase\n", []string{"user", "create", "--db", src, "--email", "ann@example.com", "--name", "Ann", "--company", "ACME", "--role", "admin"}, "created user"},
		{"", []string{"token", "create", "--db", src, "--user", "ann@example.com", "--name", "ci", "--role", "auditor", "--company", "ACME"}, "bo_"},
		{"", []string{"export", "users", "--db", src, "--company", "ACME"}, "ann@example.com,Ann,admin"},
		{"", []string{"import", "journal", "--db", src, "--company", "ACME", "--format", "hledger", journalFile(t)}, "2 entries posted"},
		{"", []string{"audit", "verify", "--db", src}, "ok: "},
	}
	for _, s := range steps {
		code, out, errOut := cli(t, s.stdin, s.args...)
		if code != 0 || !strings.Contains(out, s.want) {
			t.Fatalf("%v: exit %d\n%s%s", s.args, code, out, errOut)
		}
	}
	archive := filepath.Join(t.TempDir(), "backup.bak")
	if code, out, errOut := cli(t, "", "backup", "--db", src, "--out", archive); code != 0 {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if code, out, errOut := cli(t, "", "restore", "--db", dst, archive); code != 0 || !strings.Contains(out, "restored") {
		t.Fatalf("restore: %d %s %s", code, out, errOut)
	}
	_, before, _ := cli(t, "", "audit", "verify", "--db", src)
	code, after, errOut := cli(t, "", "audit", "verify", "--db", dst)
	if code != 0 || after != before {
		t.Fatalf("verify after restore: exit %d %q (before %q) %s", code, after, before, errOut)
	}
	if code, out, _ := cli(t, "", "export", "users", "--db", dst, "--company", "ACME"); code != 0 || !strings.Contains(out, "ann@example.com") {
		t.Fatalf("restored database lacks the user: %s", out)
	}
	tb := func(db string) string {
		_, out, _ := cli(t, "", "report", "trial-balance", "--db", db, "--company", "ACME", "--date", "2026-12-31", "--format", "csv")
		return out
	}
	if before, after := tb(src), tb(dst); before != after || !strings.Contains(before, "expenses:rent,750.00,0.00,750.00") {
		t.Fatalf("trial balance before backup:\n%s\nafter restore:\n%s", before, after)
	}
	if code, _, errOut := cli(t, "", "restore", "--db", dst, archive); code == 0 || !strings.Contains(errOut, "not empty") {
		t.Fatalf("restore into a non-empty database: exit %d %s", code, errOut)
	}

	db, err := sqldb.Open(context.Background(), dst)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The database refuses edits of the log; an attacker with the owner's
	// rights drops the trigger first, and verify still catches the edit.
	if _, err := db.ExecContext(context.Background(), `UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2`); err == nil {
		t.Fatal("the database let the change log be edited")
	}
	for _, q := range []string{`DROP TRIGGER audit_log_no_update ON audit_log`, `UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2`} {
		if _, err := db.ExecContext(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errOut = cli(t, "", "audit", "verify", "--db", dst)
	if code != 1 || !strings.Contains(errOut, "record 2 was altered") {
		t.Fatalf("verify of a tampered log: exit %d %q", code, errOut)
	}
}

func TestDemoBooks_AYearThatBalancesAndLoadsOnce(t *testing.T) {
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := openApp(ctx, sqldbtest.SQLitePath(t), true, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: "D", Name: "Demo", Currency: "EUR"})
	must(t, err)
	must(t, a.ledger.SetUpCompany(ctx, c.ID))
	today := backoffice.NewDate(2026, 11, 23)
	n, err := demoBooks(ctx, a.ledger, c.ID, today, 1)
	if err != nil || n < 12*9 {
		t.Fatalf("posted %d entries: %v", n, err)
	}
	rows, err := a.ledger.TrialBalance(ctx, c.ID, today)
	must(t, err)
	var debit, credit, expense int64
	for _, r := range rows {
		debit, credit = debit+r.Debit, credit+r.Credit
		if r.Type == "expense" {
			expense += r.Balance
		}
	}
	if debit != credit || expense <= 0 {
		t.Fatalf("debits %d, credits %d, expense balance %d", debit, credit, expense)
	}
	list, err := a.ledger.ListEntries(ctx, c.ID, ledger.EntryFilter{From: today.AddDays(1), Page: backoffice.Page{Limit: 10}})
	must(t, err)
	if len(list.Items) != 0 {
		t.Fatalf("demo books hold entries after today: %+v", list.Items[0])
	}
	if _, err := demoBooks(ctx, a.ledger, c.ID, today, 1); err != nil { // replays the first load by idempotency keys
		t.Fatal(err)
	}
	rows2, err := a.ledger.TrialBalance(ctx, c.ID, today)
	must(t, err)
	if len(rows2) != len(rows) || rows2[0].Debit != rows[0].Debit {
		t.Fatal("loading the demo books twice changed the balances")
	}
}

func TestDemoInvoices_AgingEqualsReceivablesAndPayablesAtEveryMonthEnd(t *testing.T) {
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := openApp(ctx, sqldbtest.SQLitePath(t), true, nil)
	must(t, err)
	defer a.Close()
	c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: "D", Name: "Demo", Currency: "EUR"})
	must(t, err)
	must(t, a.ledger.SetUpCompany(ctx, c.ID))
	today := backoffice.NewDate(2026, 11, 23)
	_, err = demoBooks(ctx, a.ledger, c.ID, today, 1)
	must(t, err)
	docs, err := demoInvoices(ctx, a, c.ID, today, 1)
	if err != nil || docs < 12*12 {
		t.Fatalf("demo documents: %d, %v", docs, err)
	}
	if again, err := demoInvoices(ctx, a, c.ID, today, 1); err != nil || again != 0 {
		t.Fatalf("a second load made %d documents (%v), want none", again, err)
	}
	for m := 0; m <= 12; m++ {
		end := backoffice.NewDate(2025, 11, 1).AddMonths(m + 1).AddDays(-1)
		if end.After(today) {
			end = today
		}
		for kind, code := range map[string]string{"receivable": "1200", "payable": "2010"} {
			ag, err := a.ledger.Aging(ctx, c.ID, ledger.AgingOptions{Kind: kind, AsOf: end})
			must(t, err)
			acct, err := a.ledger.AccountByCode(ctx, c.ID, code)
			must(t, err)
			b, err := a.ledger.Balance(ctx, c.ID, acct.ID, "", end)
			must(t, err)
			if ag.TotalCompany != b.CompanyBalance {
				t.Errorf("%s aging on %s = %d, account %s balance %d", kind, end, ag.TotalCompany, code, b.CompanyBalance)
			}
		}
	}
	// Most invoices are paid: what stays open at the end is the unpaid fifth.
	ag, err := a.ledger.Aging(ctx, c.ID, ledger.AgingOptions{Kind: "receivable", AsOf: today})
	must(t, err)
	var open int
	for _, r := range ag.Rows {
		open += r.Items
	}
	if open == 0 || open > 60 {
		t.Fatalf("%d receivables open at the end of the demo year, want the unpaid ones only", open)
	}
}

// journalFile writes a small hledger journal in EUR and returns its path.
func journalFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "books.journal")
	text := "2026-01-05 Rent\n    expenses:rent    750.00 EUR\n    assets:bank\n\n2026-01-20 Client\n    assets:bank    1234.56 EUR\n    income:sales\n"
	must(t, os.WriteFile(p, []byte(text), 0o600))
	return p
}
