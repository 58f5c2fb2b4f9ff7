package ledger_test

import (
	"slices"
	"testing"

	"backoffice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestOverview_MonthlyProfitAndCashFromSummariesWithoutClosingEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2025-11-03", "1110", "3010", 500_00))  // capital: cash before the period
		e.post(e.entry("2025-12-10", "1110", "4020", 50_00))   // income of December
		e.post(e.entry("2026-01-15", "1110", "4020", 1000_00)) // income of January
		e.post(e.entry("2026-01-20", "1210", "4020", 300_00))  // income on credit: no cash
		e.post(e.entry("2026-02-01", "6100", "1110", 400_00))  // rent paid
		_, err := e.s.CloseYear(e.ctx, e.company, 2025, "year end")
		must(t, err)

		o, err := e.s.Overview(e.ctx, e.company, day("2025-12-01"), day("2026-03-02"))
		must(t, err)
		type m struct{ income, expenses, profit, cash int64 }
		var got []m
		for _, x := range o.Months {
			got = append(got, m{x.Income, x.Expenses, x.Profit, x.Cash})
		}
		want := []m{{50_00, 0, 50_00, 550_00}, {1300_00, 0, 1300_00, 1550_00}, {0, 400_00, -400_00, 1150_00}, {0, 0, 0, 1150_00}}
		if !slices.Equal(got, want) {
			t.Errorf("overview months\n got %v\nwant %v (December keeps its income despite the year's closing entry)", got, want)
		}
		if o.From != day("2025-12-01") || o.To != day("2026-03-31") || o.Currency != "EUR" {
			t.Errorf("overview covers %s to %s in %s, want whole months 2025-12-01 to 2026-03-31 in EUR", o.From, o.To, o.Currency)
		}
		_, err = e.s.Overview(e.ctx, e.company, day("2010-01-01"), day("2026-03-02"))
		wantError(t, err, backoffice.EInvalid, "from")
		_, err = e.s.Overview(e.ctx, e.company, day("2026-03-01"), day("2026-02-01"))
		if backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("a period ending before it starts: %v, want invalid", err)
		}
	})
}
