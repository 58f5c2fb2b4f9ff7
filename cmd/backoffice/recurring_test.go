package main

import (
	"context"
	"strings"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/ledger"
	"backoffice/sqldb/sqldbtest"
)

// TestLedgerRunDue_GeneratesOnceAndReportsFailures sets up a company with a
// monthly rent and a January template in a locked month, runs the command
// twice and checks what it posted, what it said and its exit status.
func TestLedgerRunDue_GeneratesOnceAndReportsFailures(t *testing.T) {
	dsn := sqldbtest.SQLitePath(t)
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := openApp(ctx, dsn, true, nil)
	must(t, err)
	c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: "ACME", Name: "Acme", Currency: "EUR"})
	must(t, err)
	must(t, a.ledger.SetUpCompany(ctx, c.ID))
	gen, err := a.ledger.JournalByCode(ctx, c.ID, "GEN")
	must(t, err)
	rent, err := a.ledger.AccountByCode(ctx, c.ID, "6100")
	must(t, err)
	bank, err := a.ledger.AccountByCode(ctx, c.ID, "1110")
	must(t, err)
	tmpl := func(name, start string) ledger.NewRecurring {
		d, err := backoffice.ParseDate(start)
		must(t, err)
		return ledger.NewRecurring{Name: name, JournalID: gen.ID, Frequency: ledger.Monthly, StartDate: d, Mode: ledger.ModePost,
			Lines: []ledger.NewLine{{AccountID: rent.ID, Amount: 900_00}, {AccountID: bank.ID, Amount: -900_00}}}
	}
	_, err = a.ledger.CreateRecurring(ctx, c.ID, tmpl("Rent", "2026-02-01"))
	must(t, err)
	_, err = a.ledger.CreateRecurring(ctx, c.ID, tmpl("Old lease", "2025-12-15"))
	must(t, err)
	must(t, a.ledger.SetLockDate(ctx, c.ID, "", backoffice.NewDate(2025, 12, 31), "2025 closed"))
	must(t, a.Close())

	code, out, errOut := cli(t, "", "ledger", "run-due", "--db", dsn, "--company", "ACME", "--date", "2026-03-02")
	if code != 1 || !strings.Contains(errOut, `failed: recurring "Old lease" (period 2025-12-15)`) || !strings.Contains(errOut, "period_closed") && !strings.Contains(errOut, "locked") {
		t.Errorf("first run: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"2026-02-01  recurring  Rent  GEN-2026-000001  posted  900.00 EUR", "GEN-2026-000002", "2 entries generated up to 2026-03-02, 1 templates failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("first run output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = cli(t, "", "ledger", "run-due", "--db", dsn, "--company", "ACME", "--date", "2026-03-02")
	if code != 1 || !strings.Contains(out, "0 entries generated") {
		t.Errorf("second run: exit %d\n%s", code, out)
	}
	if code, _, errOut := cli(t, "", "ledger", "run-due", "--db", dsn, "--company", "ACME", "--date", "March"); code == 0 || !strings.Contains(errOut, "YYYY-MM-DD") {
		t.Errorf("bad date: exit %d %s", code, errOut)
	}
}
