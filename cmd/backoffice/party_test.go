package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/sqldb/sqldbtest"
)

// TestPartyCommands_CreateWarnListExportImport runs the real command line:
// create two parties (the second warned as a duplicate), refuse a bad VAT id,
// list, export, and import the export into a second company, after a dry run
// and a file with bad rows that imports nothing.
func TestPartyCommands_CreateWarnListExportImport(t *testing.T) {
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
	run(0, "company", "create", "--db", db, "--code", "COPY", "--name", "Copy BV", "--currency", "EUR")
	out, _ := run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Müller GmbH", "--vat", "DE136695976",
		"--city", "Berlin", "--country", "DE", "--iban", "DE89 3704 0044 0532 0130 00", "--peppol", "9930:DE136695976")
	if !strings.Contains(out, "created party") {
		t.Errorf("create: %s", out)
	}
	_, errOut := run(0, "party", "create", "--db", db, "--company", "ACME", "--name", "Mueller Gmbh.", "--kind", "supplier")
	if !strings.Contains(errOut, "warning: may be the same as party") || !strings.Contains(errOut, "similar name") {
		t.Errorf("no duplicate warning: %s", errOut)
	}
	_, errOut = run(1, "party", "create", "--db", db, "--company", "ACME", "--name", "Typo AG", "--vat", "DE136695977", "--country", "XX", "--city", "Bonn")
	if !strings.Contains(errOut, "vat_id") || !strings.Contains(errOut, "billing.country") {
		t.Errorf("bad create does not name both fields: %s", errOut)
	}
	out, _ = run(0, "party", "list", "--db", db, "--company", "ACME", "--kind", "supplier")
	if !strings.Contains(out, "Mueller Gmbh.") || strings.Contains(out, "Müller GmbH") {
		t.Errorf("list of suppliers: %s", out)
	}
	out, _ = run(0, "party", "duplicates", "--db", db, "--company", "ACME")
	if !strings.Contains(out, "group 1") {
		t.Errorf("duplicates: %s", out)
	}
	file := filepath.Join(t.TempDir(), "parties.csv")
	run(0, "export", "parties", "--db", db, "--company", "ACME", "--out", file)
	out, _ = run(0, "import", "parties", "--db", db, "--company", "COPY", "--dry-run", file)
	if !strings.Contains(out, "2 rows checked") {
		t.Errorf("dry run: %s", out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("kind,legal_name,currency\ncustomer,Fine,EUR\nfriend,,EUR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ = run(1, "import", "parties", "--db", db, "--company", "COPY", bad)
	if !strings.Contains(out, "line 3, kind") || !strings.Contains(out, "line 3, legal_name") {
		t.Errorf("bad file report: %s", out)
	}
	out, _ = run(0, "import", "parties", "--db", db, "--company", "COPY", file)
	if !strings.Contains(out, "imported 2 rows") {
		t.Errorf("import: %s", out)
	}
	out, _ = run(0, "party", "list", "--db", db, "--company", "COPY")
	if strings.Count(out, "\n") != 2 || strings.Contains(out, "Fine") {
		t.Errorf("the copy holds:\n%s", out)
	}
	out, _ = run(0, "import", "parties", "--help")
	if !strings.Contains(out, "discount_percent") || !strings.Contains(out, "Example") && !strings.Contains(out, "Examples") {
		t.Errorf("help lacks the columns or examples: %s", out)
	}
}
