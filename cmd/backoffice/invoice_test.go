package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/sqldb/sqldbtest"
)

// TestInvoiceCommands_TaxCodesCreatePostListCancel runs the real command
// line: default tax codes, a custom code, an invoice created and posted with
// --post, a bill posted later, a refused duplicate bill, the list and a cancel.
func TestInvoiceCommands_TaxCodesCreatePostListCancel(t *testing.T) {
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
	out, _ := run(0, "tax-code", "defaults", "--db", db, "--company", "ACME")
	if !strings.Contains(out, "ACME has 8 tax codes") {
		t.Errorf("defaults: %s", out)
	}
	run(0, "tax-code", "create", "--db", db, "--company", "ACME", "--code", "CH77", "--name", "Swiss 7.7 %", "--rate", "7.7")
	out, _ = run(0, "tax-code", "rounding", "--db", db, "--company", "ACME", "document")
	if !strings.Contains(out, "rounds tax per document") {
		t.Errorf("rounding: %s", out)
	}
	run(1, "tax-code", "rounding", "--db", db, "--company", "ACME", "cent")
	run(0, "tax-code", "rounding", "--db", db, "--company", "ACME", "line")
	_, errOut := run(1, "tax-code", "create", "--db", db, "--company", "ACME", "--code", "EX", "--name", "Exempt", "--category", "E")
	if !strings.Contains(errOut, "exemption_reason") {
		t.Errorf("exempt code without reason: %s", errOut)
	}
	out, _ = run(0, "tax-code", "list", "--db", db, "--company", "ACME")
	if !strings.Contains(out, "CH77") || !strings.Contains(out, "7.7") || !strings.Contains(out, "VATEX-EU-AE") {
		t.Errorf("list: %s", out)
	}
	catalogue := filepath.Join(t.TempDir(), "products.csv")
	must(t, os.WriteFile(catalogue, []byte("code,name,unit,unit_price,tax_code\nBOOK-1,Handbook,C62,29.90,VAT7\nBAD,,x,1,NOPE\n"), 0o644))
	out, errOut = run(1, "import", "products", "--db", db, "--company", "ACME", catalogue)
	if !strings.Contains(out+errOut, "line 3, name") || !strings.Contains(out+errOut, "line 3, tax_code") {
		t.Errorf("bad import does not name line 3's cells: %s%s", out, errOut)
	}
	must(t, os.WriteFile(catalogue, []byte("code,name,unit,unit_price,tax_code\nBOOK-1,Handbook,C62,29.90,VAT7\n"), 0o644))
	run(0, "import", "products", "--db", db, "--company", "ACME", catalogue)
	out, _ = run(0, "export", "products", "--db", db, "--company", "ACME")
	if !strings.Contains(out, "BOOK-1,Handbook,C62,29.90,EUR,VAT7") {
		t.Errorf("export products: %s", out)
	}
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Müller GmbH", "--net-days", "30")
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Paper Mill SA", "--kind", "supplier")
	out, _ = run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-02",
		"--line", "Consulting|2.5|120.00|VAT19", "--line", "Books|3|19.99|VAT7", "--post")
	if !strings.Contains(out, "INV-2026-00001") || !strings.Contains(out, "payable 421.17 EUR") || !strings.Contains(out, "due 2026-04-01") {
		t.Errorf("invoice: %s", out)
	}
	out, _ = run(0, "invoice", "create", "--db", db, "--company", "ACME", "--kind", "bill", "--party", "2", "--date", "2026-03-03",
		"--supplier-ref", "PM-1001", "--line", "Paper|10|4.99|VAT19|6120")
	if !strings.Contains(out, "bill draft") {
		t.Errorf("bill: %s", out)
	}
	_, errOut = run(1, "invoice", "create", "--db", db, "--company", "ACME", "--kind", "bill", "--party", "2", "--date", "2026-03-04",
		"--supplier-ref", "pm 1001", "--line", "Paper|1|1|VAT19")
	if !strings.Contains(errOut, "duplicate") {
		t.Errorf("duplicate bill: %s", errOut)
	}
	out, _ = run(0, "invoice", "post", "--db", db, "--company", "ACME", "2")
	if !strings.Contains(out, "BILL-2026-00001") {
		t.Errorf("post: %s", out)
	}
	out, _ = run(0, "invoice", "list", "--db", db, "--company", "ACME", "--state", "posted")
	if !strings.Contains(out, "INV-2026-00001") || !strings.Contains(out, "BILL-2026-00001") {
		t.Errorf("list: %s", out)
	}
	out, _ = run(0, "invoice", "cancel", "--db", db, "--company", "ACME", "1", "--reason", "wrong customer", "--date", "2026-03-05")
	if !strings.Contains(out, "CN-2026-00001") || !strings.Contains(out, "payable 421.17 EUR") {
		t.Errorf("cancel: %s", out)
	}
	out, _ = run(0, "invoice", "show", "--db", db, "--company", "ACME", "1", "--json")
	if !strings.Contains(out, `"state": "cancelled"`) {
		t.Errorf("show: %s", out)
	}
	run(1, "invoice", "post", "--db", db, "--company", "ACME", "1")
	out, _ = run(0, "invoice", "--help")
	for _, c := range []string{"create", "list", "post", "cancel", "show"} {
		if !strings.Contains(out, c) {
			t.Errorf("help lacks %s", c)
		}
	}
}
