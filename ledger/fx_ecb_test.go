package ledger_test

import (
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// ecbDaily is the layout of eurofxref.csv: ", " separators, a written-out
// date and a trailing ", " on both lines.
const ecbDaily = "Date, USD, JPY, BGN, GBP, \n24 December 2020, 1.2193, 126.38, 1.9558, 0.85955, \n"

// ecbHistory is the layout of eurofxref-hist.csv: ISO dates, N/A for days
// without a rate, a column of a currency ISO 4217 no longer lists (CYP), a
// trailing comma.
const ecbHistory = "Date,USD,JPY,CYP,GBP,\n" +
	"2020-12-24,1.2193,126.38,N/A,0.85955,\n" +
	"2020-12-23,1.2168,126.21,N/A,N/A,\n" +
	"2007-12-31,1.4721,164.93,0.5842,0.7334,\n"

func TestParseECB_ReadsBothLayouts(t *testing.T) {
	for _, c := range []struct {
		name, file string
		days       int
		currencies string
		skipped    string
		first      string // date of the first day
		gbpDays    int
	}{
		{"daily", ecbDaily, 1, "USD JPY BGN GBP", "", "2020-12-24", 1},
		{"history", ecbHistory, 3, "USD JPY GBP", "CYP", "2020-12-24", 2},
		{"BOM and CRLF", "\ufeffDate,USD\r\n2021-06-03,1.2187\r\n", 1, "USD", "", "2021-06-03", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, errs := ledger.ParseECB(strings.NewReader(c.file))
			if len(errs) > 0 {
				t.Fatalf("errors %v", errs)
			}
			var cur []string
			for _, x := range f.Currencies {
				cur = append(cur, string(x))
			}
			gbp := 0
			for _, d := range f.Days {
				if _, ok := d.Rates["GBP"]; ok {
					gbp++
				}
			}
			if len(f.Days) != c.days || strings.Join(cur, " ") != c.currencies || strings.Join(f.Skipped, " ") != c.skipped ||
				f.Days[0].Date.String() != c.first || gbp != c.gbpDays {
				t.Errorf("got %d days from %s, currencies %v, skipped %v, %d GBP days", len(f.Days), f.Days[0].Date, cur, f.Skipped, gbp)
			}
		})
	}
}

func TestParseECB_ReportsEveryBadLine(t *testing.T) {
	for _, c := range []struct {
		name, file string
		want       []string // RowError strings
	}{
		{"bad cells", "Date,USD,JPY\n2020-12-24,1.2193,126.38\n2020-13-01,1.1,120\n2020-12-22,abc,-3\n2020-12-21,1,2,3\n2020-12-24,1,2\n",
			[]string{`line 3, Date: "2020-13-01" is not a date (2020-12-24 or 24 December 2020)`, `line 4, USD: "abc" is not a positive rate`,
				`line 4, JPY: "-3" is not a positive rate`, `line 5: 3 values for 2 currencies in the header`, `line 6, Date: 2020-12-24 repeats line 2`}},
		{"not the ECB header", "Datum;USD\n", []string{`line 1: the first column is "Datum;USD"; an ECB rates file starts with "Date, USD, JPY, ..."`}},
		{"bad header", "Date, USD, US, USD, EUR\n", []string{"line 1, US: is not a currency code", "line 1, USD: appears twice in the header",
			"line 1, EUR: EUR is the base of ECB rates and cannot be a column"}},
		{"empty", "", []string{`line 1: the file is empty; expected the ECB header "Date, USD, JPY, ..."`}},
		{"header only", "Date, USD, \n", []string{"line 2: the file has a header but no day of rates"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errs := ledger.ParseECB(strings.NewReader(c.file))
			var got []string
			for _, e := range errs {
				got = append(got, e.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// rateOf reads a stored rate or fails.
func (e *env) rateOf(cur, date string) string {
	e.t.Helper()
	r, err := e.s.RateOn(e.ctx, e.company, backoffice.Currency(cur), day(date))
	must(e.t, err)
	return r.Rate
}

func TestImportECBRates_EURCompanyStoresInverseRates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		rep, err := e.s.ImportECBRates(e.ctx, e.company, strings.NewReader(ecbDaily), false)
		must(t, err)
		if rep.Days != 1 || rep.Rates != 4 || rep.Changed != 4 || rep.From != day("2020-12-24") || rep.To != day("2020-12-24") {
			t.Errorf("report %+v", rep)
		}
		// 1/1.2193 = 0.82014270483064..., 1/126.38 = 0.0079126444057604..., 1/0.85955 = 1.1633994532022...: 12 significant digits.
		for cur, want := range map[string]string{"USD": "0.820142704831", "JPY": "0.00791264440576", "GBP": "1.1633994532"} {
			if got := e.rateOf(cur, "2020-12-24"); got != want {
				t.Errorf("%s = %s, want %s", cur, got, want)
			}
		}
		// Quoted the other way again, each rate reads as the ECB published it.
		for cur, ecb := range map[string]string{"USD": "1.2193", "JPY": "126.38", "GBP": "0.85955"} {
			if got := ledger.InverseRate(e.rateOf(cur, "2020-12-24")); got != ecb {
				t.Errorf("inverse of %s = %s, want the ECB's %s", cur, got, ecb)
			}
		}
		if n := e.changes("exchange_rates"); n != 1 {
			t.Errorf("%d import change records, want 1", n)
		}
		again, err := e.s.ImportECBRates(e.ctx, e.company, strings.NewReader(ecbDaily), false)
		must(t, err)
		if again.Changed != 0 || e.changes("exchange_rates") != 1 || e.count("ledger_exchange_rates") != 4 {
			t.Errorf("importing again changed %d rates (%d change records)", again.Changed, e.changes("exchange_rates"))
		}
	})
}

func TestImportECBRates_OtherCompanyCurrencyCrossesThroughEUR(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.company = e.newCompany("USCO", "USD")
		rep, err := e.s.ImportECBRates(e.ctx, e.company, strings.NewReader(ecbHistory), false)
		must(t, err)
		// Three days with USD; GBP missing on 2020-12-23; CYP skipped.
		if rep.Days != 3 || rep.SkippedDays != 0 || strings.Join(rep.Skipped, ",") != "CYP" || rep.Rates != 8 {
			t.Errorf("report %+v", rep)
		}
		for _, c := range []struct{ cur, date, want string }{
			{"EUR", "2020-12-24", "1.2193"},
			{"JPY", "2020-12-24", "0.00964788732394"}, // 1.2193/126.38 = 0.0096478873239436...
			{"GBP", "2020-12-24", "1.41853295329"},    // 1.2193/0.85955 = 1.4185329532895...
			{"GBP", "2020-12-23", "2.00722661576"},    // no GBP that day: 2007's 1.4721/0.7334 = 2.0072266157622...
		} {
			if got := e.rateOf(c.cur, c.date); got != c.want {
				t.Errorf("%s on %s = %s, want %s", c.cur, c.date, got, c.want)
			}
		}
	})
}

func TestImportECBRates_BadFileImportsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		rep, err := e.s.ImportECBRates(e.ctx, e.company, strings.NewReader(ecbHistory+"2020-12-22,x,1,N/A,1\n"), false)
		wantError(t, err, backoffice.EInvalid)
		if len(rep.Errors) != 1 || rep.Errors[0].Line != 5 || rep.Errors[0].Column != "USD" {
			t.Errorf("errors %v, want line 5, USD", rep.Errors)
		}
		if n := e.count("ledger_exchange_rates"); n != 0 {
			t.Errorf("%d rates stored from a bad file", n)
		}
		gbp := e.newCompany("GBCO", "GBP")
		e.company = e.newCompany("CHCO", "CHF")
		_, err = e.s.ImportECBRates(e.ctx, e.company, strings.NewReader(ecbHistory), false)
		wantError(t, err, backoffice.EInvalid)
		if !strings.Contains(err.Error(), "CHF") {
			t.Errorf("error %q does not name the company currency", err)
		}
		rep, err = e.s.ImportECBRates(e.ctx, gbp, strings.NewReader(ecbHistory), true)
		must(t, err)
		if !rep.DryRun || rep.Rates == 0 || rep.SkippedDays != 1 || e.count("ledger_exchange_rates") != 0 {
			t.Errorf("dry run %+v stored %d rates", rep, e.count("ledger_exchange_rates"))
		}
	})
}

// FuzzParseECB: any input either fails with errors that name a line, or
// gives days whose rates are positive and convert for a EUR company and for
// a company in the file's first currency.
func FuzzParseECB(f *testing.F) {
	for _, s := range []string{ecbDaily, ecbHistory, "Date,USD\n2026-01-01,N/A\n", "Date\n", "\"Date\",\"USD\"\n\"2026-01-01\",\"1\"\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file, errs := ledger.ParseECB(strings.NewReader(s))
		for _, e := range errs {
			if e.Line < 1 || e.Message == "" {
				t.Fatalf("error without a line or message: %+v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		for _, d := range file.Days {
			if d.Date.IsZero() {
				t.Fatalf("day without a date on line %d", d.Line)
			}
			for c, v := range d.Rates {
				if !v.IsPos() {
					t.Fatalf("rate %s of %s is not positive", v, c)
				}
			}
		}
		bases := []backoffice.Currency{"EUR"}
		if len(file.Currencies) > 0 {
			bases = append(bases, file.Currencies[0])
		}
		for _, base := range bases {
			rates, _, err := file.CompanyRates(base)
			if err != nil {
				continue // a rate too extreme to invert is refused with a message, not a panic
			}
			for _, r := range rates {
				if ledger.InverseRate(r.Rate) == "" {
					t.Fatalf("stored rate %q of %s is not a positive decimal", r.Rate, r.Currency)
				}
			}
		}
	})
}
