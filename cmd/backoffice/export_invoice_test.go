package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/einvoice"
	"backoffice/sqldb/sqldbtest"
)

// TestExportInvoice_RefusesAnInvalidEInvoiceThenWritesAValidOne runs the
// command line: an invoice to a customer without address fails the rules
// and writes nothing; with the company's details and the customer's
// address, VAT id and endpoint it exports as UBL and CII.
func TestExportInvoice_RefusesAnInvalidEInvoiceThenWritesAValidOne(t *testing.T) {
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
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Bare Customer", "--net-days", "30")
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Müller GmbH", "--net-days", "14", "--vat", "DE136695976",
		"--street", "Marktplatz 3", "--postal-code", "80331", "--city", "München", "--country", "DE", "--peppol", "9930:DE136695976")
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-02", "--line", "Consulting|2|100.00|VAT19", "--post")
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "2", "--date", "2026-03-03", "--line", "Books|3|19.99|VAT7", "--post")

	out, errOut := run(1, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-00001")
	if out != "" || !strings.Contains(errOut, "BR-") {
		t.Fatalf("invalid e-invoice: wrote %d bytes, said %q; want nothing written and the broken rules named", len(out), errOut)
	}
	_, errOut = run(1, "company", "profile", "--db", db, "--company", "ACME", "--vat-id", "DE123456789")
	if !strings.Contains(errOut, "vat_id") {
		t.Fatalf("bad VAT id: %s", errOut)
	}
	out, _ = run(0, "company", "profile", "--db", db, "--company", "ACME", "--street", "Industriestr. 5", "--postal-code", "20095",
		"--city", "Hamburg", "--country", "DE", "--vat-id", "DE123456788", "--peppol", "9930:DE123456788", "--iban", "DE89370400440532013000",
		"--email", "billing@acme.example", "--phone", "+49 40 123456")
	if !strings.Contains(out, `"vat_id": "DE123456788"`) || !strings.Contains(out, `"legal_name": "Acme GmbH"`) {
		t.Fatalf("profile: %s", out)
	}
	for _, format := range []string{"ubl", "cii"} {
		out, _ = run(0, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-00002", "--format", format)
		rep, err := einvoice.Validate([]byte(out))
		if err != nil || !rep.Valid {
			t.Fatalf("%s export is not valid: %v %+v", format, err, rep.Errors)
		}
	}
	_, errOut = run(1, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-99999")
	if !strings.Contains(errOut, "INV-2026-99999") {
		t.Fatalf("unknown number: %s", errOut)
	}

	// The exported invoice is a supplier's e-invoice for another company.
	xml := filepath.Join(t.TempDir(), "INV-2026-00002.xml")
	run(0, "export", "invoice", "--db", db, "--company", "ACME", "--number", "INV-2026-00002", "--out", xml)
	junk := filepath.Join(t.TempDir(), "junk.xml")
	must(t, os.WriteFile(junk, []byte("<Invoice/>"), 0o600))
	run(0, "company", "create", "--db", db, "--code", "BUY", "--name", "Buyer AG", "--currency", "EUR")
	run(0, "tax-code", "defaults", "--db", db, "--company", "BUY")
	out, errOut = run(1, "import", "einvoice", "--db", db, "--company", "BUY", xml, junk)
	if !strings.Contains(out, "INV-2026-00002.xml: draft bill") || !strings.Contains(out, "Acme GmbH") || !strings.Contains(out, "supplier created") ||
		!strings.Contains(errOut, "junk.xml: not imported") {
		t.Fatalf("import einvoice: %s%s", out, errOut)
	}
}

func TestReportTax_PrintsTheReturnAndSettlesOnce(t *testing.T) {
	db := sqldbtest.SQLitePath(t)
	run := func(want int, args ...string) string {
		t.Helper()
		code, out, errOut := cli(t, "", args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, errOut)
		}
		return out + errOut
	}
	run(0, "migrate", "--db", db)
	run(0, "company", "create", "--db", db, "--code", "ACME", "--name", "Acme GmbH", "--currency", "EUR")
	run(0, "tax-code", "defaults", "--db", db, "--company", "ACME")
	run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Müller GmbH", "--net-days", "30")
	run(0, "invoice", "create", "--db", db, "--company", "ACME", "--party", "1", "--date", "2026-03-02", "--line", "Consulting|2|100.00|VAT19", "--post")
	out := run(0, "report", "tax", "--db", db, "--company", "ACME", "--from", "2026-03-01", "--to", "2026-03-31")
	if !strings.Contains(out, "Output VAT at the standard rate") || !strings.Contains(out, "38.00\n") || !strings.Contains(out, "VAT payable: 38.00 EUR") {
		t.Fatalf("report: %s", out)
	}
	out = run(0, "report", "tax", "--db", db, "--company", "ACME", "--from", "2026-03-01", "--to", "2026-03-31", "--settle")
	if !strings.Contains(out, "Settled by entry") {
		t.Fatalf("settle: %s", out)
	}
	out = run(1, "report", "tax", "--db", db, "--company", "ACME", "--from", "2026-03-01", "--to", "2026-03-31", "--settle")
	if !strings.Contains(out, "already settled") {
		t.Fatalf("second settle: %s", out)
	}
}
