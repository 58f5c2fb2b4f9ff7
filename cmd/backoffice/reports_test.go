package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb/sqldbtest"
)

// reportBooks sets up company BOOKS on dsn from a small hledger journal:
// opening balances in December 2025, rent and a client payment in January
// 2026; in February a coffee paid in cash, an invoice not yet paid and a
// loan. The bank and cash accounts come first from a chart, with the
// subtypes that make them the cash of the cash-flow statement.
func reportBooks(t *testing.T, dsn string) {
	t.Helper()
	journal := filepath.Join(t.TempDir(), "books.journal")
	text := `2025-12-20 Opening balances
    assets:bank:checking    $1,000.00
    equity:opening

2026-01-05 * (101) Rent | January
    expenses:rent           $750.00
    assets:bank:checking

2026-01-20 Client pays
    assets:bank:checking    $1,234.56
    income:consulting

2026-02-21 Coffee
    expenses:food           $3.50
    assets:cash             $-3.50

2026-02-25 Invoice sent
    assets:receivable       $200.00
    income:consulting

2026-02-26 Loan from the owner
    assets:bank:checking    $500.00
    liabilities:loan
`
	chart := filepath.Join(t.TempDir(), "chart.csv")
	accounts := `code,name,type,subtype,parent,currency,reconcilable,placeholder
assets,assets,asset,,,,false,false
assets:bank,bank,asset,,assets,,false,false
assets:bank:checking,checking,asset,bank,assets:bank,USD,true,false
assets:cash,cash,asset,cash,assets,USD,false,false
`
	if err := os.WriteFile(journal, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chart, []byte(accounts), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"migrate", "--db", dsn},
		{"company", "create", "--db", dsn, "--code", "BOOKS", "--name", "Books", "--currency", "USD"},
		{"import", "accounts", "--db", dsn, "--company", "BOOKS", chart},
		{"import", "journal", "--db", dsn, "--company", "BOOKS", "--format", "hledger", "--commodity", "$=USD", journal},
	} {
		if code, out, errOut := cli(t, "", args...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errOut)
		}
	}
}

// eachDialect runs fn on a fresh SQLite file and a fresh PostgreSQL schema.
func eachDialect(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqldbtest.SQLitePath(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, sqldbtest.PostgresDSN(t)) })
}

// reportCSV runs a report command with --format csv and compares its output
// with want line by line.
func reportCSV(t *testing.T, want string, args ...string) {
	t.Helper()
	code, out, errOut := cli(t, "", append(append([]string{"report"}, args...), "--format", "csv")...)
	if got := strings.ReplaceAll(out, "\r\n", "\n"); code != 0 || got != want {
		t.Fatalf("%v: exit %d %s\n%s\nwant:\n%s", args, code, errOut, got, want)
	}
}

func TestReportBalanceSheet_CSVWithComparisonColumnsIsExact(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		reportCSV(t, `section,code,name,level,current,previous_period,last_year
assets,assets,assets,0,2181.06,1484.56,0.00
assets,assets:bank,bank,1,1984.56,1484.56,0.00
assets,assets:bank:checking,checking,2,1984.56,1484.56,0.00
assets,assets:cash,cash,1,-3.50,0.00,0.00
assets,assets:receivable,receivable,1,200.00,0.00,0.00
assets,,Total Assets,0,2181.06,1484.56,0.00
liabilities,liabilities,liabilities,0,500.00,0.00,0.00
liabilities,liabilities:loan,loan,1,500.00,0.00,0.00
liabilities,,Total Liabilities,0,500.00,0.00,0.00
equity,equity,equity,0,1000.00,1000.00,0.00
equity,equity:opening,opening,1,1000.00,1000.00,0.00
equity,,Profit of the current year,0,681.06,484.56,0.00
equity,,Total Equity,0,1681.06,1484.56,0.00
total,,Liabilities and equity,0,2181.06,1484.56,0.00
`, "balance-sheet", "--db", dsn, "--company", "BOOKS", "--date", "2026-02-28", "--compare", "previous_period,last_year")
		code, out, _ := cli(t, "", "report", "balance-sheet", "--db", dsn, "--company", "BOOKS", "--date", "2026-02-28")
		if code != 0 || !strings.Contains(out, "      assets:bank:checking checking     1984.56\n") || !strings.Contains(out, "Balanced: assets equal liabilities plus equity.") {
			t.Fatalf("table: %d\n%s", code, out)
		}
		if code, _, errOut := cli(t, "", "report", "balance-sheet", "--db", dsn, "--company", "BOOKS", "--compare", "budget"); code == 0 || !strings.Contains(errOut, "no budget column") {
			t.Fatalf("budget on a balance sheet: %d %s", code, errOut)
		}
	})
}

func TestReportIncomeStatement_CSVDefaultsToTheFiscalYearToDate(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		reportCSV(t, `section,code,name,level,current,previous_period
income,income,income,0,1434.56,0.00
income,income:consulting,consulting,1,1434.56,0.00
income,,Total Income,0,1434.56,0.00
expenses,expenses,expenses,0,753.50,0.00
expenses,expenses:food,food,1,3.50,0.00
expenses,expenses:rent,rent,1,750.00,0.00
expenses,,Total Expenses,0,753.50,0.00
total,,Net profit,0,681.06,0.00
`, "income-statement", "--db", dsn, "--company", "BOOKS", "--to", "2026-02-28", "--compare", "previous_period")
		reportCSV(t, `section,code,name,level,current
income,income,income,0,200.00
income,income:consulting,consulting,1,200.00
income,,Total Income,0,200.00
expenses,expenses,expenses,0,3.50
expenses,expenses:food,food,1,3.50
expenses,,Total Expenses,0,3.50
total,,Net profit,0,196.50
`, "income-statement", "--db", dsn, "--company", "BOOKS", "--from", "2026-02-01", "--to", "2026-02-28")
	})
}

func TestReportCashFlow_CSVExplainsTheCashMovement(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		reportCSV(t, `section,class,code,name,amount
operating,profit,,Profit for the period,681.06
operating,working_capital,assets:receivable,receivable,-200.00
operating,total,,Total Operating activities,481.06
investing,total,,Total Investing activities,0.00
financing,financing,liabilities:loan,loan,500.00
financing,total,,Total Financing activities,500.00
total,net_change,,Net change in cash,981.06
total,cash_change,,Cash at the end less cash at the start,981.06
`, "cash-flow", "--db", dsn, "--company", "BOOKS", "--from", "2026-01-01", "--to", "2026-02-28")
		code, out, _ := cli(t, "", "report", "cash-flow", "--db", dsn, "--company", "BOOKS", "--to", "2026-02-28", "--format", "json")
		for _, want := range []string{`"cash_opening": "1000.00"`, `"cash_closing": "1981.06"`, `"balanced": true`} {
			if code != 0 || !strings.Contains(out, want) {
				t.Fatalf("JSON lacks %s: %d\n%s", want, code, out)
			}
		}
	})
}

func TestReportGeneralLedger_CSVListsEachAccountsLinesWithRunningBalance(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		reportCSV(t, `account,date,number,reference,narration,amount,balance
assets:bank:checking,2026-01-01,,,Opening balance,,1000.00
assets:bank:checking,2026-01-05,IMP-2026-000001,101,Rent | January,-750.00,250.00
assets:bank:checking,2026-01-20,IMP-2026-000002,,Client pays,1234.56,1484.56
assets:bank:checking,2026-02-26,IMP-2026-000005,,Loan from the owner,500.00,1984.56
liabilities:loan,2026-01-01,,,Opening balance,,0.00
liabilities:loan,2026-02-26,IMP-2026-000005,,Loan from the owner,-500.00,-500.00
`, "general-ledger", "--db", dsn, "--company", "BOOKS", "--from", "2026-01-01", "--to", "2026-02-28", "--account", "assets:bank:checking,liabilities:loan")
		if code, _, errOut := cli(t, "", "report", "general-ledger", "--db", dsn, "--company", "BOOKS", "--account", "nope"); code == 0 || !strings.Contains(errOut, `account "nope" does not exist`) {
			t.Fatalf("unknown account: %d %s", code, errOut)
		}
	})
}

func TestReportGeneralLedger_PagesJoinIntoTheSameReport(t *testing.T) {
	dsn := sqldbtest.SQLitePath(t)
	reportBooks(t, dsn)
	a, c, err := openCompany(t.Context(), dsn, "BOOKS")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	f := ledger.GeneralLedgerFilter{From: backoffice.NewDate(2026, 1, 1), To: backoffice.NewDate(2026, 2, 28)}
	var csv [2]strings.Builder
	for i, size := range []int{1000, 1} {
		gl, err := wholeGeneralLedger(t.Context(), a.ledger, c.ID, f, size)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeGeneralLedger(&csv[i], "csv", gl); err != nil {
			t.Fatal(err)
		}
	}
	if csv[0].String() != csv[1].String() || strings.Count(csv[0].String(), "Opening balance") != 7 {
		t.Fatalf("one page:\n%s\npages of one line:\n%s", csv[0].String(), csv[1].String())
	}
}
