package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// fxBooks posts, at 0.9 EUR per USD on 2026-01-10: 1,000.00 USD into a USD
// bank account, a 500.00 USD receivable, a 200.00 USD payable and 100.00
// USD of inventory (non-monetary: never revalued).
func fxBooks(t *testing.T, e *env) {
	t.Helper()
	_, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1130", Name: "USD account", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "USD"})
	must(t, err)
	_, err = e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1330", Name: "Goods bought in USD", Type: ledger.Asset, Subtype: "inventory", Parent: "1000", Currency: "USD"})
	must(t, err)
	e.reload()
	gen := e.journals["GEN"].ID
	usd := func(code string, amount int64) ledger.NewLine {
		return ledger.NewLine{AccountID: e.acct(code), Currency: "USD", Amount: amount, Rate: "0.9"}
	}
	eur := func(code string, amount int64) ledger.NewLine {
		return ledger.NewLine{AccountID: e.acct(code), Amount: amount}
	}
	for _, lines := range [][]ledger.NewLine{
		{usd("1130", 100000), eur("3010", -90000)},
		{usd("1200", 50000), eur("4010", -45000)},
		{usd("2010", -20000), eur("6100", 18000)},
		{usd("1330", 10000), eur("3010", -9000)},
	} {
		e.post(ledger.NewEntry{JournalID: gen, Date: day("2026-01-10"), Lines: lines})
	}
}

func TestRevalue_PostsUnrealisedDifferencesAndReversesThemNextDay(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		fxBooks(t, e)
		e.setRate("USD", "2026-01-30", "0.95")
		rv, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31")})
		must(t, err)
		// 1,000 × 0.95 − 900 = +50; 500 × 0.95 − 450 = +25; −200 × 0.95 − (−180) = −10.
		want := map[string]int64{"1130": 5000, "1200": 2500, "2010": -1000}
		if len(rv.Lines) != len(want) {
			t.Fatalf("lines %+v, want 1130, 1200, 2010 (inventory is not monetary)", rv.Lines)
		}
		for _, l := range rv.Lines {
			if want[l.AccountCode] != l.Difference || l.Rate != "0.95" || l.RateDate != day("2026-01-30") {
				t.Errorf("line %+v, want difference %d at 0.95", l, want[l.AccountCode])
			}
		}
		if !rv.Posted || rv.AlreadyPosted || rv.Gain != 7500 || rv.Loss != 1000 {
			t.Fatalf("revaluation %+v, want posted gain 75.00, loss 10.00", rv)
		}
		for _, c := range []struct {
			code, cur, date string
			want            int64
		}{
			{"1130", "USD", "2026-01-31", 95000}, {"1200", "USD", "2026-01-31", 47500}, {"2010", "USD", "2026-01-31", -19000},
			{"4120", "EUR", "2026-01-31", -7500}, {"7030", "EUR", "2026-01-31", 1000},
			{"1130", "USD", "2026-02-01", 90000}, {"4120", "EUR", "2026-02-01", 0}, {"7030", "EUR", "2026-02-01", 0},
		} {
			b, err := e.s.Balance(e.ctx, e.company, e.acct(c.code), backoffice.Currency(c.cur), day(c.date))
			must(t, err)
			if b.CompanyBalance != c.want {
				t.Errorf("EUR balance of %s (%s) at %s = %d, want %d", c.code, c.cur, c.date, b.CompanyBalance, c.want)
			}
			if c.code == "1130" && b.Balance != 100000 {
				t.Errorf("USD balance moved to %d: a revaluation changes only company currency", b.Balance)
			}
		}
		rev, err := e.s.GetEntry(e.ctx, e.company, rv.ReversalID)
		must(t, err)
		if rev.Date != day("2026-02-01") || rev.ReversesID != rv.EntryID {
			t.Errorf("reversal dated %s reversing %d, want 2026-02-01 reversing %d", rev.Date, rev.ReversesID, rv.EntryID)
		}
	})
}

func TestRevalue_IsIdempotentPerDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		fxBooks(t, e)
		e.setRate("USD", "2026-01-31", "0.95")
		first, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31")})
		must(t, err)
		entries := e.count("ledger_entries")
		e.setRate("USD", "2026-01-31", "0.99") // even a new rate does not post twice
		for _, dry := range []bool{false, true} {
			again, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31"), DryRun: dry})
			must(t, err)
			if !again.AlreadyPosted || again.EntryID != first.EntryID || again.ReversalID != first.ReversalID || again.Gain != first.Gain {
				t.Errorf("again (dry run %v) = %+v, want the first revaluation", dry, again)
			}
			if l := again.Lines[0]; l.AccountName != "USD account" || l.Note != "1000.00 USD at 0.95 of 2026-01-31: 900.00 EUR booked, 950.00 EUR revalued" {
				t.Errorf("read back line %+v, want its name and the computation at posting", l)
			}
		}
		if n := e.count("ledger_entries"); n != entries {
			t.Errorf("entries %d after running again, want %d", n, entries)
		}
		list, err := e.s.Revaluations(e.ctx, e.company)
		must(t, err)
		if len(list) != 1 || list[0].EntryNumber == "" || list[0].Gain != 7500 {
			t.Errorf("revaluations %+v", list)
		}
	})
}

func TestRevalue_DryRunPostsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		fxBooks(t, e)
		e.setRate("USD", "2026-01-31", "0.85")
		entries := e.count("ledger_entries")
		rv, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31"), DryRun: true})
		must(t, err)
		// 1,000 × 0.85 − 900 = −50; 500 × 0.85 − 450 = −25; −200 × 0.85 + 180 = +10.
		if rv.Posted || !rv.DryRun || rv.Gain != 1000 || rv.Loss != 7500 || rv.EntryID != 0 {
			t.Errorf("dry run %+v, want gain 10.00, loss 75.00, nothing posted", rv)
		}
		if e.count("ledger_entries") != entries || e.count("ledger_revaluations") != 0 {
			t.Error("a dry run posted")
		}
	})
}

func TestRevalue_RoundsHalfToEvenPerCurrencyExponent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1140", Name: "JPY account", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "JPY"})
		must(t, err)
		e.reload()
		// 12,345 JPY booked at 0.0061 = 75.3045 -> 75.30 EUR.
		e.post(ledger.NewEntry{JournalID: e.journals["GEN"].ID, Date: day("2026-01-10"), Lines: []ledger.NewLine{
			{AccountID: e.acct("1140"), Currency: "JPY", Amount: 12345, Rate: "0.0061"}, {AccountID: e.acct("3010"), Amount: -7530}}})
		e.setRate("JPY", "2026-01-31", "0.00614") // 12,345 × 0.00614 = 75.7983 -> 75.80
		rv, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31")})
		must(t, err)
		if len(rv.Lines) != 1 || rv.Lines[0].Revalued != 7580 || rv.Lines[0].Difference != 50 || rv.Gain != 50 {
			t.Errorf("revaluation %+v, want 75.80 revalued, 0.50 gain", rv)
		}
	})
}

func TestRevalue_RefusesMissingRatesAndBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		fxBooks(t, e)
		entries := e.count("ledger_entries")
		_, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31")})
		wantError(t, err, backoffice.EInvalid, "rates.USD")
		_, err = e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{})
		wantError(t, err, backoffice.EInvalid, "date")
		if e.count("ledger_entries") != entries {
			t.Error("a refused revaluation posted")
		}
		e.setRate("USD", "2026-01-05", "0.9") // the booked rate: nothing to revalue
		rv, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31")})
		must(t, err)
		if rv.Posted || !rv.NothingToRevalue || e.count("ledger_entries") != entries {
			t.Errorf("revaluation without differences %+v posted", rv)
		}
	})
}

func TestRevalue_ClearsCompanyAmountLeftWhenNoForeignBalanceRemains(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1130", Name: "USD account", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "USD"})
		must(t, err)
		e.reload()
		gen := e.journals["GEN"].ID
		// 100.00 USD in at 0.9 (90.00 EUR) and out at 0.95 (95.00 EUR): no USD left, −5.00 EUR booked.
		e.post(ledger.NewEntry{JournalID: gen, Date: day("2026-01-10"), Lines: []ledger.NewLine{
			{AccountID: e.acct("1130"), Currency: "USD", Amount: 10000, Rate: "0.9"}, {AccountID: e.acct("3010"), Amount: -9000}}})
		e.post(ledger.NewEntry{JournalID: gen, Date: day("2026-01-20"), Lines: []ledger.NewLine{
			{AccountID: e.acct("1130"), Currency: "USD", Amount: -10000, Rate: "0.95"}, {AccountID: e.acct("1110"), Amount: 9500}}})
		rv, err := e.s.Revalue(e.ctx, e.company, ledger.RevalueOptions{Date: day("2026-01-31")}) // no USD rate is needed
		must(t, err)
		if len(rv.Lines) != 1 || rv.Lines[0].Difference != 500 || rv.Gain != 500 || !rv.Posted {
			t.Fatalf("revaluation %+v, want the 5.00 EUR left cleared as a gain", rv)
		}
		b, err := e.s.Balance(e.ctx, e.company, e.acct("1130"), "USD", day("2026-01-31"))
		must(t, err)
		if b.Balance != 0 || b.CompanyBalance != 0 {
			t.Errorf("after revaluation %d USD, %d EUR; want both zero", b.Balance, b.CompanyBalance)
		}
	})
}
