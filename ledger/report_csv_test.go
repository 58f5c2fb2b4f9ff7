package ledger_test

import (
	"strings"
	"testing"

	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestReportCSV_OneAmountColumnPerReportColumnInCurrencyDigits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2026-01-10", "1110", "4010", 1234_56))
		e.post(e.entry("2026-02-10", "1110", "4010", 10_00))
		e.post(e.entry("2026-02-11", "6100", "1110", 71))
		is, err := e.s.IncomeStatement(e.ctx, e.company, day("2026-02-01"), day("2026-02-28"), ledger.Compare{PreviousPeriod: true})
		must(t, err)
		var b strings.Builder
		must(t, is.WriteCSV(&b))
		want := "section,code,name,level,current,previous_period\r\n" +
			"income,4000,Revenue,0,10.00,1234.56\r\n" +
			"income,4010,Sales of goods,1,10.00,1234.56\r\n" +
			"income,,Total Income,0,10.00,1234.56\r\n" +
			"expenses,6000,Operating expenses,0,0.71,0.00\r\n" +
			"expenses,6100,Rent,1,0.71,0.00\r\n" +
			"expenses,,Total Expenses,0,0.71,0.00\r\n" +
			"total,,Net profit,0,9.29,1234.56\r\n"
		if b.String() != want {
			t.Errorf("income statement CSV:\n%s\nwant\n%s", b.String(), want)
		}
		bs, err := e.s.BalanceSheet(e.ctx, e.company, day("2026-02-28"), ledger.Compare{})
		must(t, err)
		b.Reset()
		must(t, bs.WriteCSV(&b))
		if !strings.Contains(b.String(), "equity,,Profit of the current year,0,1243.85\r\n") ||
			!strings.HasSuffix(b.String(), "total,,Liabilities and equity,0,1243.85\r\n") {
			t.Errorf("balance sheet CSV:\n%s", b.String())
		}
	})
}
