package main

import (
	"os"
	"strings"
	"testing"

	"backoffice/sqldb/sqldbtest"
)

// TestImportStatement_SummarisesEachFileAndFailsAfterTryingAll imports a
// camt.053 and an MT940 sample and a camt.053 for an account the company
// does not have: the good files are imported and summarised, the bad one is
// named, the exit status is 1; importing again skips every line.
func TestImportStatement_SummarisesEachFileAndFailsAfterTryingAll(t *testing.T) {
	dir := "../../../shared/testdata/bank/"
	camt, mt, unknown := dir+"camt053/camt053.v2.multi.statement.xml", dir+"mt940/wolph-jejik/generic.sta", dir+"camt053/camt053.v2.with-account-name.xml"
	for _, f := range []string{camt, mt, unknown} {
		if _, err := os.Stat(f); err != nil {
			t.Skipf("sample %s not present", f)
		}
	}
	db := sqldbtest.SQLitePath(t)
	for _, args := range [][]string{
		{"migrate", "--db", db},
		{"company", "create", "--db", db, "--code", "ACME", "--name", "Acme BV", "--currency", "EUR"},
	} {
		if code, out, errOut := cli(t, "", args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	for _, args := range [][]string{
		{"bank-account", "create", "--db", db, "--company", "ACME", "--name", "Main", "--iban", "NL26 VAYB 8060 4768 90", "--ledger-account", "1110"},
		{"bank-account", "create", "--db", db, "--company", "ACME", "--name", "Old", "--number", "11111111", "--ledger-account", "1120"},
	} {
		if code, out, errOut := cli(t, "", args...); code != 0 || !strings.Contains(out, "created bank account") {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	if code, _, errOut := cli(t, "", "bank-account", "create", "--db", db, "--company", "ACME", "--name", "Typo",
		"--iban", "NL26VAYB8060476891", "--ledger-account", "1110"); code != 1 || !strings.Contains(errOut, "check digits") {
		t.Errorf("wrong IBAN: exit %d, %s", code, errOut)
	}
	code, out, errOut := cli(t, "", "import", "statement", "--db", db, "--company", "ACME", camt, unknown, mt)
	if code != 1 {
		t.Errorf("exit %d, want 1 (one file failed)", code)
	}
	for _, want := range []string{
		camt + ": camt.053, 2 statements, 2 new lines, 0 skipped, balance ok",
		mt + ": mt940, 2 statements, 2 new lines, 0 skipped, balance ok",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, unknown) || !strings.Contains(errOut, "CH2801234000123456789") || !strings.Contains(errOut, "1 of 3 files") {
		t.Errorf("stderr does not name the failed file and its account:\n%s", errOut)
	}
	code, out, _ = cli(t, "", "import", "statement", "--db", db, "--company", "ACME", camt)
	if want := camt + ": camt.053, 2 statements, 0 new lines, 2 skipped, already imported"; code != 0 || !strings.Contains(out, want) {
		t.Errorf("second import: exit %d, output %q, want %q", code, out, want)
	}
}
