package main

import (
	"strings"
	"testing"

	"backoffice/pdf/pdftest"
)

func TestReportPDF_EveryReportCommandWritesAPDFWithItsTotals(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		books := []string{"--db", dsn, "--company", "BOOKS", "--format", "pdf"}
		for _, tc := range []struct {
			args []string
			want []string
		}{
			{[]string{"trial-balance", "--date", "2026-02-28"}, []string{"Trial balance", "At the end of 2026-02-28", "assets:bank:checking", "Total\nUSD\n3,688.06\n3,688.06\n0.00"}},
			{[]string{"balance-sheet", "--date", "2026-02-28", "--compare", "previous_period"}, []string{"Balance sheet", "Total Assets\n2,181.06\n1,484.56",
				"Liabilities and equity\n2,181.06\n1,484.56", "Balanced: assets equal liabilities plus equity"}},
			{[]string{"income-statement", "--from", "2026-01-01", "--to", "2026-02-28"}, []string{"Income statement", "Total Income\n1,434.56",
				"Total Expenses\n753.50", "Net profit\n681.06"}},
			{[]string{"cash-flow", "--from", "2026-01-01", "--to", "2026-02-28"}, []string{"Cash-flow statement", "Profit for the period\nprofit\n681.06",
				"Net change in cash\n981.06", "Cash at the end\n1,981.06"}},
			{[]string{"general-ledger", "--from", "2026-01-01", "--to", "2026-02-28", "--account", "assets:bank:checking"}, []string{"General ledger",
				"Opening balance\n1,000.00", "Rent | January · 101\n750.00\n250.00", "Closing balance\n1,984.56"}},
			{[]string{"account-statement", "--account", "liabilities:loan"}, []string{"Account statement liabilities:loan loan", "All postings",
				"Loan from the owner\n500.00\n-500.00", "Closing balance\n-500.00"}},
			{[]string{"journal", "--journal", "IMP", "--from", "2026-02-01"}, []string{"Journal IMP", "From 2026-02-01", "IMP-2026-000003 · 2026-02-21 · Coffee",
				"expenses:food food\n3.50", "assets:cash cash\n3.50", "Total\n703.50\n703.50"}},
			{[]string{"aging", "--date", "2026-02-28"}, []string{"Aged receivables", "At 2026-02-28", "Nothing is open at this date."}},
			{[]string{"budget-vs-actual", "--from", "2026-01-01", "--to", "2026-02-28"}, []string{"Budget against actual", "No budget covers this period."}},
			{[]string{"consolidated", "--companies", "BOOKS", "--date", "2026-02-28"}, []string{"Consolidated balance sheet", "Total Assets\n2,181.06"}},
			{[]string{"consolidated", "--companies", "BOOKS", "--report", "income-statement", "--from", "2026-01-01", "--to", "2026-02-28"},
				[]string{"Consolidated income statement", "Net profit\n681.06"}},
		} {
			code, out, errOut := cli(t, "", append(append([]string{"report"}, tc.args...), books...)...)
			if code != 0 {
				t.Fatalf("%v: exit %d %s", tc.args, code, errOut)
			}
			text := pdftest.Read(t, []byte(out)).Text()
			for _, want := range append([]string{"Books"}, tc.want...) {
				if !strings.Contains(text, want) {
					t.Errorf("%v: %q is not in the PDF:\n%s", tc.args, want, text)
				}
			}
		}
	})
}

func TestReportAccountStatement_TableAndCSVShowTheRunningBalance(t *testing.T) {
	dsn := t.TempDir() + "/books.db"
	reportBooks(t, dsn)
	reportCSV(t, `date,number,reference,narration,memo,debit,credit,balance
2026-01-05,IMP-2026-000001,101,Rent | January,,,750.00,250.00
2026-01-20,IMP-2026-000002,,Client pays,,1234.56,,1484.56
`, "account-statement", "--db", dsn, "--company", "BOOKS", "--account", "assets:bank:checking", "--from", "2026-01-01", "--to", "2026-01-31")
	code, out, errOut := cli(t, "", "report", "account-statement", "--db", dsn, "--company", "BOOKS", "--account", "assets:bank:checking",
		"--from", "2026-01-01", "--to", "2026-01-31")
	for _, want := range []string{"assets:bank:checking checking\n", "Opening balance                            1000.00\n",
		"Closing balance                            1484.56\n"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("table lacks %q: %d %s\n%s", want, code, errOut, out)
		}
	}
	if code, _, errOut := cli(t, "", "report", "account-statement", "--db", dsn, "--company", "BOOKS", "--account", "nope"); code == 0 || !strings.Contains(errOut, `account "nope" does not exist`) {
		t.Fatalf("unknown account: %d %s", code, errOut)
	}
}
