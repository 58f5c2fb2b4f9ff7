package main

import (
	"strings"
	"testing"

	"backoffice/einvoice"
	"backoffice/sqldb/sqldbtest"
)

// TestExportPrinted_InvoicePDFFacturXAndStatement runs the command line:
// the printed invoice is the same bytes each time, its Factur-X carries a
// valid CII, and the statement names the open invoice.
func TestExportPrinted_InvoicePDFFacturXAndStatement(t *testing.T) {
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
	run(0, "company", "create", "--db", db, "--code", "ACME", "--name", "Acme GmbH", "--currency", "EUR")
	run(0, "tax-code", "defaults", "--db", db, "--company", "ACME")
	run(0, "company", "profile", "--db", db, "--company", "ACME", "--street", "Industriestr. 5", "--postal-code", "20095",
		"--city", "Hamburg", "--country", "DE", "--vat-id", "DE123456788", "--peppol", "9930:DE123456788", "--iban", "DE89370400440532013000")
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Müller GmbH", "--net-days", "14", "--vat", "DE136695976",
		"--street", "Marktplatz 3", "--postal-code", "80331", "--city", "München", "--country", "DE", "--peppol", "9930:DE136695976")
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-03", "--line", "Books|3|19.99|VAT7", "--post")

	first, _ := run(0, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-00001", "--format", "pdf")
	again, _ := run(0, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-00001", "--format", "pdf")
	if !strings.HasPrefix(first, "%PDF-") || first != again {
		t.Fatalf("the printed invoice is not one stored PDF (%d and %d bytes)", len(first), len(again))
	}
	fx, _ := run(0, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-00001", "--format", "facturx")
	xml, err := einvoice.ExtractFacturX([]byte(fx))
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := einvoice.Validate(xml); err != nil || !rep.Valid {
		t.Fatalf("the embedded CII is not valid: %v %+v", err, rep.Errors)
	}
	st, _ := run(0, "export", "statement", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-31")
	if !strings.HasPrefix(st, "%PDF-") || len(st) < 1000 {
		t.Fatalf("statement: %d bytes", len(st))
	}
	_, errOut := run(1, "export", "statement", "--db", db, "--company", "ACME", "--party", "1", "--date", "31.03.2026")
	if !strings.Contains(errOut, "date") {
		t.Fatalf("bad date: %s", errOut)
	}
}
