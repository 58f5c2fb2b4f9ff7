package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/sqldb/sqldbtest"
)

// TestPaymentCommands_AllocateRefuseListAndRun runs the real command line:
// a payment allocated with --auto leaving a credit, one refused for
// allocating beyond the open amount, the list, and a supplier payment run
// created, approved and confirmed with an early discount.
func TestPaymentCommands_AllocateRefuseListAndRun(t *testing.T) {
	db := sqldbtest.SQLitePath(t)
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := cli(t, "", args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, errOut)
		}
		return out, errOut
	}
	run(0, "migrate", "--db", db)
	run(0, "company", "create", "--db", db, "--code", "ACME", "--name", "Acme BV", "--currency", "EUR")
	run(0, "tax-code", "defaults", "--db", db, "--company", "ACME")
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Müller GmbH", "--net-days", "30")
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Paper Mill SA", "--kind", "supplier")
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-02", "--line", "Consulting|1|100.00|VAT19", "--post")
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-03", "--line", "Consulting|1|50.00|VAT19", "--post")
	out, _ := run(0, "payment", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-10", "--amount", "200.00", "--auto",
		"--reference", "SEPA 4711")
	if !strings.Contains(out, "RCV-2026-00001") || !strings.Contains(out, "settles INV-2026-00001\t119.00") ||
		!strings.Contains(out, "settles INV-2026-00002\t59.50") || !strings.Contains(out, "unallocated credit\t21.50") {
		t.Errorf("payment: %s", out)
	}
	out, _ = run(0, "payment", "settings", "--db", db, "--company", "ACME", "--write-off-tolerance", "0.10")
	if !strings.Contains(out, "write-off tolerance 0.10 EUR") {
		t.Errorf("settings: %s", out)
	}
	_, errOut := run(1, "payment", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-11", "--amount", "10.00",
		"--alloc", "INV-2026-00001=10.00")
	if !strings.Contains(errOut, "nothing left open") {
		t.Errorf("allocation to a paid invoice: %s", errOut)
	}
	out, _ = run(0, "payment", "list", "--db", db, "--company", "ACME")
	if strings.Count(out, "RCV-2026-") != 1 || !strings.Contains(out, "21.50") {
		t.Errorf("list: %s", out)
	}
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-12", "--line", "Consulting|1|10.00|VAT19", "--post")
	out, _ = run(0, "payment", "apply", "--db", db, "--company", "ACME", "--document", "INV-2026-00003", "--payment", "RCV-2026-00001")
	if !strings.Contains(out, "applied 11.90 EUR of RCV-2026-00001 to INV-2026-00003: 0.00 open, paid") {
		t.Errorf("apply: %s", out)
	}
	out, _ = run(0, "payment", "reverse", "--db", db, "--company", "ACME", "--reason", "returned by the bank", "RCV-2026-00001")
	if !strings.Contains(out, "RCV-2026-00001 reversed by entry") {
		t.Errorf("reverse: %s", out)
	}
	out, _ = run(0, "report", "aging", "--db", db, "--company", "ACME", "--date", "2026-03-31")
	if !strings.Contains(out, "190.40") {
		t.Errorf("aging after the reversal shows the three invoices open again (119.00 + 59.50 + 11.90): %s", out)
	}
	_, errOut = run(1, "payment-run", "create", "--db", db, "--company", "ACME", "--pay-date", "2026-03-10", "--due-by", "2026-03-20")
	if !strings.Contains(errOut, "no open bills") {
		t.Errorf("empty run: %s", errOut)
	}
	// A bill of 119.00 with 2 % within 14 days, not due yet: a run on day 10 takes the discount.
	bill := filepath.Join(t.TempDir(), "bill.json")
	must(t, os.WriteFile(bill, []byte(`{"kind":"bill","party_id":2,"issue_date":"2026-03-01","due_date":"2026-04-30","supplier_reference":"PM-1",
		"early_discount_percent":"2","early_discount_days":14,"lines":[{"description":"Paper","quantity":"1","unit_price":10000,"tax_codes":["VAT19"]}]}`), 0o600))
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--json", bill, "--post")
	out, _ = run(0, "payment-run", "create", "--db", db, "--company", "ACME", "--pay-date", "2026-03-10", "--due-by", "2026-03-20", "--discounts")
	if !strings.Contains(out, "RUN-2026-00001 (id 1)") || !strings.Contains(out, "total 116.62 EUR") || !strings.Contains(out, "BO-1-1-1") {
		t.Fatalf("run: %s", out)
	}
	_, errOut = run(1, "payment-run", "confirm", "--db", db, "--company", "ACME", "1")
	if !strings.Contains(errOut, "only an approved or sent run") {
		t.Errorf("confirm before approval: %s", errOut)
	}
	run(0, "payment-run", "approve", "--db", db, "--company", "ACME", "1")
	out, _ = run(0, "payment-run", "confirm", "--db", db, "--company", "ACME", "1")
	if !strings.Contains(out, "confirmed") || !strings.Contains(out, "payment ") {
		t.Errorf("confirm: %s", out)
	}
	out, _ = run(0, "payment", "list", "--db", db, "--company", "ACME", "--direction", "paid")
	if !strings.Contains(out, "PAY-2026-00001") || !strings.Contains(out, "116.62") || !strings.Contains(out, "BO-1-1-1") {
		t.Errorf("paid list: %s", out)
	}
}
