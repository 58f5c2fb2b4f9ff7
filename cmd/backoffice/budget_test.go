package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportBudgets_AllOrNothingThenBudgetVsActual(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		bad := writeFile(t, "bad.csv", "account,month,amount,action\nexpenses:rent,2026-01,700.00,warn\nnope,Jan,7.001,maybe\n")
		code, out, errOut := cli(t, "", "import", "budgets", "--db", dsn, "--company", "BOOKS", bad)
		all := out + errOut
		for _, want := range []string{"line 3, account: no account has the code nope", "line 3, month: must be a month as YYYY-MM", "line 3, amount:"} {
			if code == 0 || !strings.Contains(all, want) {
				t.Fatalf("bad file: exit %d, want an error naming %q\n%s", code, want, all)
			}
		}
		reportCSV(t, "account,name,dimension,value,budget,actual,variance,variance_pct\n",
			"budget-vs-actual", "--db", dsn, "--company", "BOOKS", "--from", "2026-01-01", "--to", "2026-02-28")

		good := writeFile(t, "budgets.csv", "account;month;amount;action\nexpenses:rent;2026-01;700.00;warn\nincome:consulting;2026-02;300;ignore\n")
		if code, out, errOut := cli(t, "", "import", "budgets", "--db", dsn, "--company", "BOOKS", good); code != 0 {
			t.Fatalf("import: %d %s %s", code, out, errOut)
		}
		reportCSV(t, `account,name,dimension,value,budget,actual,variance,variance_pct
expenses:rent,rent,,,700.00,750.00,-50.00,-7.1
income:consulting,consulting,,,300.00,200.00,100.00,33.3
`, "budget-vs-actual", "--db", dsn, "--company", "BOOKS", "--from", "2026-01-01", "--to", "2026-02-28")
		code, out, _ = cli(t, "", "report", "budget-vs-actual", "--db", dsn, "--company", "BOOKS", "--from", "2026-01-01", "--to", "2026-02-28")
		if code != 0 || !strings.Contains(out, "Total") || !strings.Contains(out, "1000.00") || !strings.Contains(out, "950.00") {
			t.Errorf("table: %d\n%s", code, out)
		}
	})
}

func TestReportJournal_ListsEntriesInNumberOrder(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		code, out, errOut := cli(t, "", "report", "journal", "--db", dsn, "--company", "BOOKS", "--journal", "NOPE")
		if code == 0 || !strings.Contains(errOut, `journal "NOPE" does not exist`) {
			t.Fatalf("unknown journal: exit %d %s", code, errOut)
		}
		code, out, errOut = cli(t, "", "report", "journal", "--db", dsn, "--company", "BOOKS", "--journal", "IMP", "--from", "2026-02-01", "--format", "csv")
		lines := strings.Split(strings.TrimSpace(strings.ReplaceAll(out, "\r\n", "\n")), "\n")
		if code != 0 || len(lines) != 7 || lines[0] != "number,date,reference,narration,account,debit,credit,currency,amount,memo" ||
			!strings.Contains(lines[1], ",2026-02-21,") || !strings.Contains(lines[5], "assets:bank:checking,500.00,,USD,500.00") {
			t.Fatalf("journal CSV: exit %d %s\n%s", code, errOut, out)
		}
	})
}

func TestReportConsolidated_NeedsRatesAndMatchesASingleCompany(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		if code, out, errOut := cli(t, "", "company", "create", "--db", dsn, "--code", "EUROPE", "--name", "Europe", "--currency", "EUR"); code != 0 {
			t.Fatalf("company: %d %s %s", code, out, errOut)
		}
		code, _, errOut := cli(t, "", "report", "consolidated", "--db", dsn, "--company", "BOOKS", "--companies", "BOOKS,EUROPE", "--date", "2026-02-28")
		if code == 0 || !strings.Contains(errOut, "--rate EUROPE: give the rate from EUR to USD as a positive decimal") {
			t.Fatalf("missing rate: exit %d %s", code, errOut)
		}
		_, single, _ := cli(t, "", "report", "income-statement", "--db", dsn, "--company", "BOOKS", "--from", "2026-01-01", "--to", "2026-02-28", "--format", "csv")
		reportCSV(t, strings.ReplaceAll(single, "\r\n", "\n"), "consolidated", "--db", dsn, "--company", "BOOKS", "--companies", "BOOKS,EUROPE", "--rate", "EUROPE=1.1",
			"--report", "income-statement", "--from", "2026-01-01", "--to", "2026-02-28")
	})
}
