package main

import (
	"strings"
	"testing"
)

// TestReportCash_CSVForecastsFromTheCashAccounts: the books of reportBooks
// hold 1,981.06 in bank and cash at the end of February (1,984.56 in
// checking, −3.50 in cash); their receivable account was created by the
// journal import without the receivable subtype, so it opens no items and
// the forecast carries the opening cash through.
func TestReportCash_CSVForecastsFromTheCashAccounts(t *testing.T) {
	eachDialect(t, func(t *testing.T, dsn string) {
		reportBooks(t, dsn)
		reportCSV(t, `week,from,to,opening,receivables,recurring_in,payables,recurring_out,receipts,payments,closing
1,2026-02-28,2026-03-06,1981.06,0.00,0.00,0.00,0.00,0.00,0.00,1981.06
2,2026-03-07,2026-03-13,1981.06,0.00,0.00,0.00,0.00,0.00,0.00,1981.06
`, "cash", "--db", dsn, "--company", "BOOKS", "--date", "2026-02-28", "--weeks", "2")
		code, out, _ := cli(t, "", "report", "cash", "--db", dsn, "--company", "BOOKS", "--date", "2026-02-28")
		if code != 0 || !strings.Contains(out, "Cash forecast from 2026-02-28 (USD), 13 weeks") || !strings.Contains(out, "2026-05-23  1981.06") || !strings.Contains(out, "No active bank accounts") {
			t.Fatalf("table: %d\n%s", code, out)
		}
		if code, _, errOut := cli(t, "", "report", "cash", "--db", dsn, "--company", "BOOKS", "--weeks", "0"); code == 0 || !strings.Contains(errOut, "weeks") {
			t.Fatalf("0 weeks: %d %s, want a refusal naming weeks", code, errOut)
		}
	})
}
