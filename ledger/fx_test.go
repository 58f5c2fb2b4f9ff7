package ledger_test

import (
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// setRate stores one rate (company currency per unit of cur on date).
func (e *env) setRate(cur, date, rate string) {
	e.t.Helper()
	_, err := e.s.SetRates(e.ctx, e.company, []ledger.NewRate{{Currency: backoffice.Currency(cur), Date: day(date), Rate: rate}}, "")
	must(e.t, err)
}

// changes counts the change-log records of an entity.
func (e *env) changes(entity string) int {
	e.t.Helper()
	var n int
	must(e.t, e.db.QueryRowContext(e.ctx, "SELECT COUNT(*) FROM audit_log WHERE entity = ?", entity).Scan(&n))
	return n
}

func TestSetRates_UpsertsAndLogsEachChange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.setRate("usd", "2026-01-31", "0.9100")
		e.setRate("USD", "2026-01-31", "0.91") // the same rate written differently
		if n := e.changes("exchange_rate"); n != 1 {
			t.Fatalf("change records after setting the same rate twice = %d, want 1", n)
		}
		e.setRate("USD", "2026-01-31", "0.92")
		if n := e.changes("exchange_rate"); n != 2 {
			t.Fatalf("change records after a new rate = %d, want 2", n)
		}
		var old, nw string
		must(t, db.QueryRowContext(e.ctx, `SELECT old_values, new_values FROM audit_log WHERE entity = 'exchange_rate' ORDER BY seq DESC LIMIT 1`).Scan(&old, &nw))
		if !strings.Contains(old, `"0.91"`) || !strings.Contains(nw, `"0.92"`) {
			t.Errorf("update change old=%s new=%s, want 0.91 -> 0.92", old, nw)
		}
		r, err := e.s.RateOn(e.ctx, e.company, "USD", day("2026-01-31"))
		must(t, err)
		if r.Rate != "0.92" || r.Source != "manual" || e.count("ledger_exchange_rates") != 1 {
			t.Errorf("stored %+v (%d rows), want one manual rate 0.92", r, e.count("ledger_exchange_rates"))
		}
	})
}

func TestSetRates_RejectsBadInputAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.SetRates(e.ctx, e.company, []ledger.NewRate{
			{Currency: "USD", Date: day("2026-01-31"), Rate: "0.9"},
			{Currency: "EUR", Date: day("2026-01-31"), Rate: "1"},
			{Currency: "XYZ", Date: day("2026-01-31"), Rate: "1"},
			{Currency: "GBP", Rate: "1.1"},
			{Currency: "CHF", Date: day("2026-01-31"), Rate: "-1"},
			{Currency: "JPY", Date: day("2026-01-31"), Rate: "abc"},
			{Currency: "USD", Date: day("2026-01-31"), Rate: "0.95"},
			{Currency: "SEK", Date: day("2026-01-31"), Rate: "0.0000000000001"}, // its inverse would lose every digit
		}, "")
		wantError(t, err, backoffice.EInvalid, "rates[1].currency", "rates[2].currency", "rates[3].date", "rates[4].rate", "rates[5].rate", "rates[6].date", "rates[7].rate")
		if _, ok := err.(*backoffice.Error).Fields["rates[0].currency"]; ok {
			t.Error("the good rate is blamed")
		}
		if n := e.count("ledger_exchange_rates"); n != 0 {
			t.Errorf("%d rates stored from a bad call, want 0", n)
		}
		_, err = e.s.SetRates(e.ctx, e.company, nil, "")
		wantError(t, err, backoffice.EInvalid, "rates")
	})
}

func TestRateOn_TakesLatestRateOnOrBeforeTheDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.setRate("USD", "2026-01-10", "0.90")
		e.setRate("USD", "2026-01-20", "0.95")
		e.setRate("GBP", "2026-01-15", "1.15")
		for _, c := range []struct{ date, want, from string }{
			{"2026-01-10", "0.9", "2026-01-10"},
			{"2026-01-19", "0.9", "2026-01-10"},
			{"2026-01-20", "0.95", "2026-01-20"},
			{"2027-06-01", "0.95", "2026-01-20"},
		} {
			r, err := e.s.RateOn(e.ctx, e.company, "USD", day(c.date))
			must(t, err)
			if r.Rate != c.want || r.Date != day(c.from) {
				t.Errorf("RateOn(USD, %s) = %s of %s, want %s of %s", c.date, r.Rate, r.Date, c.want, c.from)
			}
		}
		_, err := e.s.RateOn(e.ctx, e.company, "USD", day("2026-01-09"))
		wantError(t, err, backoffice.EInvalid, "currency", "date")
		if msg := err.Error(); !strings.Contains(msg, "USD") || !strings.Contains(msg, "2026-01-09") {
			t.Errorf("error %q does not name the currency and date", msg)
		}
		r, err := e.s.RateOn(e.ctx, e.company, "EUR", day("2020-01-01"))
		must(t, err)
		if r.Rate != "1" {
			t.Errorf("company currency rate = %s, want 1", r.Rate)
		}
	})
}

func TestRates_FiltersAndPagesLatestFirst(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for _, d := range []string{"2026-01-01", "2026-01-02", "2026-01-03"} {
			e.setRate("USD", d, "0.9")
			e.setRate("GBP", d, "1.1")
		}
		var got []string
		page := backoffice.Page{Limit: 4}
		for {
			list, err := e.s.Rates(e.ctx, e.company, ledger.RateFilter{Page: page})
			must(t, err)
			for _, r := range list.Items {
				got = append(got, r.Date.String()[8:]+string(r.Currency))
			}
			if list.Next == "" {
				break
			}
			page.After = list.Next
		}
		if want := "03GBP 03USD 02GBP 02USD 01GBP 01USD"; strings.Join(got, " ") != want {
			t.Errorf("pages = %v, want %s", got, want)
		}
		list, err := e.s.Rates(e.ctx, e.company, ledger.RateFilter{Currency: "USD", From: day("2026-01-02"), To: day("2026-01-02")})
		must(t, err)
		if len(list.Items) != 1 || list.Items[0].Currency != "USD" || list.Items[0].Date != day("2026-01-02") {
			t.Errorf("filtered = %+v, want USD of 2026-01-02", list.Items)
		}
		_, err = e.s.Rates(e.ctx, e.company, ledger.RateFilter{Currency: "XX"})
		wantError(t, err, backoffice.EInvalid, "currency")
	})
}

func TestPost_ForeignLineWithoutRateTakesRateOfItsDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.setRate("USD", "2026-01-30", "0.9")
		e.setRate("USD", "2026-02-05", "0.8")
		in := ledger.NewEntry{JournalID: e.journals["GEN"].ID, Date: day("2026-02-03"), Lines: []ledger.NewLine{
			{AccountID: e.acct("1200"), Currency: "USD", Amount: 10001}, // 100.01 USD at 0.9 = 90.009 -> 90.01
			{AccountID: e.acct("4010"), Amount: -9001},
		}}
		out := e.post(in)
		if l := out.Lines[0]; l.Rate != "0.9" || l.CompanyAmount != 9001 {
			t.Errorf("line = rate %q, company amount %d; want the table's 0.9 of 2026-01-30 and 9001", l.Rate, l.CompanyAmount)
		}
	})
}

func TestPost_ForeignLineWithoutAnyRateIsRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.setRate("USD", "2026-02-05", "0.8") // after the entry's date: not usable
		in := ledger.NewEntry{JournalID: e.journals["GEN"].ID, Date: day("2026-02-03"), Lines: []ledger.NewLine{
			{AccountID: e.acct("1200"), Currency: "USD", Amount: 10000},
			{AccountID: e.acct("4010"), Amount: -9000},
		}}
		_, err := e.s.Post(e.ctx, e.company, in)
		wantError(t, err, backoffice.EInvalid, "lines[0].rate")
		if msg := err.(*backoffice.Error).Fields["lines[0].rate"]; !strings.Contains(msg, "USD") || !strings.Contains(msg, "2026-02-03") {
			t.Errorf("message %q does not name the currency and date", msg)
		}
		if n := e.count("ledger_lines"); n != 0 {
			t.Errorf("%d lines stored, want 0", n)
		}
	})
}
