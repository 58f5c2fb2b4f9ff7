package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/sqldb/sqldbtest"
)

// requireHledger finds hledger, which CI installs; locally the test skips without it.
func requireHledger(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("hledger")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hledger is not installed; CI must run the journal oracle (apt-get install -y hledger)")
		}
		t.Skip("hledger not installed")
	}
	return p
}

// TestJournal_ImportReportAndExportAgreeWithHledger imports a journal, checks
// the trial balance CSV against `hledger bal`, exports the books as a
// journal and checks that hledger reads the same balances back.
func TestJournal_ImportReportAndExportAgreeWithHledger(t *testing.T) {
	hledger := requireHledger(t)
	journal := filepath.Join(t.TempDir(), "books.journal")
	text := `2026-01-01 Opening balances
    assets:bank:checking    $1,000.00
    equity:opening

2026-01-05 * (101) Rent | January
    expenses:rent           $750.00
    assets:bank:checking

2026-01-20 Client pays
    assets:bank:checking    $1,234.56
    income:consulting

2026-01-21 Coffee
    expenses:food           $3.50  ; cappuccino
    assets:cash             $-3.50
`
	if err := os.WriteFile(journal, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	db := sqldbtest.SQLitePath(t)
	for _, args := range [][]string{
		{"migrate", "--db", db},
		{"company", "create", "--db", db, "--code", "BOOKS", "--name", "Books", "--currency", "USD"},
		{"import", "journal", "--db", db, "--company", "BOOKS", "--format", "hledger", "--commodity", "$=USD", journal},
	} {
		if code, out, errOut := cli(t, "", args...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errOut)
		}
	}
	code, csv, errOut := cli(t, "", "report", "trial-balance", "--db", db, "--company", "BOOKS", "--date", "2026-12-31", "--format", "csv")
	if code != 0 {
		t.Fatalf("trial balance: %s", errOut)
	}
	want := []string{
		"account,debit,credit,balance",
		"assets:bank:checking,2234.56,750.00,1484.56",
		"assets:cash,0.00,3.50,-3.50",
		"equity:opening,0.00,1000.00,-1000.00",
		"expenses:food,3.50,0.00,3.50",
		"expenses:rent,750.00,0.00,750.00",
		"income:consulting,0.00,1234.56,-1234.56",
	}
	if got := strings.Split(strings.TrimSpace(strings.ReplaceAll(csv, "\r\n", "\n")), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("trial balance CSV:\n%s\nwant:\n%s", csv, strings.Join(want, "\n"))
	}
	original := hledgerBalances(t, hledger, journal)
	exported := filepath.Join(t.TempDir(), "export.journal")
	if code, _, errOut := cli(t, "", "export", "journal", "--db", db, "--company", "BOOKS", "--out", exported); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if back := hledgerBalances(t, hledger, exported); back != original {
		t.Fatalf("hledger balances of the export:\n%s\nof the original:\n%s", back, original)
	}
}

// hledgerBalances is hledger's flat balance report without currency signs.
func hledgerBalances(t *testing.T, hledger, file string) string {
	t.Helper()
	out, err := exec.Command(hledger, "-f", file, "bal", "--flat", "-N", "-O", "csv").CombinedOutput()
	if err != nil {
		t.Fatalf("hledger: %v\n%s", err, out)
	}
	// The original writes $, the export USD: compare the numbers.
	s := strings.NewReplacer("$", "", "USD", "", " ", "").Replace(string(out))
	return strings.Join(strings.Fields(s), " ")
}
