package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// cashOf recomputes the movement of the cash and bank accounts from the lines.
func cashOf(e *env, entries []ledger.Entry, from, to backoffice.Date) int64 {
	var sum int64
	for _, en := range entries {
		if en.Date.Before(from) || en.Date.After(to) {
			continue
		}
		for _, l := range en.Lines {
			for _, a := range e.accounts {
				if a.ID == l.AccountID && (a.Subtype == "bank" || a.Subtype == "cash") {
					sum += l.CompanyAmount
				}
			}
		}
	}
	return sum
}

func TestCashFlow_NetChangeEqualsCashMovement(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		posted := randomBooks(t, e, 5, 200)
		_, err := e.s.CloseYear(e.ctx, e.company, 2024, "year-end")
		must(t, err)
		e.reload()
		periods := [][2]string{{"2024-01-01", "2024-12-31"}, {"2024-03-15", "2025-02-10"}, {"2025-01-01", "2026-12-31"}, {"2023-01-01", "2027-01-01"}}
		for _, p := range periods {
			cf, err := e.s.CashFlow(e.ctx, e.company, day(p[0]), day(p[1]))
			must(t, err)
			if want := cashOf(e, posted, day(p[0]), day(p[1])); !cf.Balanced || cf.CashChange != want || cf.NetChange != want {
				t.Errorf("%v: net change %d, cash change %d, recomputed from lines %d", p, cf.NetChange, cf.CashChange, want)
			}
		}
	})
}

func TestCashFlow_ClassifiesByAccountSubtype(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2025-12-31", "1110", "3010", 10000_00)) // capital before the period
		e.post(e.entry("2026-01-05", "1200", "4010", 3000_00))  // sale on credit
		e.post(e.entry("2026-01-20", "1110", "1200", 2000_00))  // 2000 collected
		e.post(e.entry("2026-01-25", "6200", "1590", 100_00))   // depreciation
		e.post(e.entry("2026-01-26", "1520", "1110", 4000_00))  // machine bought
		e.post(e.entry("2026-01-27", "1110", "2510", 1500_00))  // loan received
		e.post(e.entry("2026-01-28", "6100", "2010", 700_00))   // rent bill, unpaid
		cf, err := e.s.CashFlow(e.ctx, e.company, day("2026-01-01"), day("2026-01-31"))
		must(t, err)
		got := map[string]int64{}
		for _, sec := range []ledger.CashFlowSection{cf.Operating, cf.Investing, cf.Financing} {
			for _, r := range sec.Rows {
				got[sec.Key+"/"+r.Class+"/"+r.Code] = r.Amount
			}
		}
		want := map[string]int64{
			"operating/profit/":              2200_00,
			"operating/non_cash/1590":        100_00,
			"operating/working_capital/1200": -1000_00,
			"operating/working_capital/2010": 700_00,
			"investing/investing/1520":       -4000_00,
			"financing/financing/2510":       1500_00,
		}
		if len(got) != len(want) {
			t.Errorf("rows = %v, want %v", got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %d, want %d", k, got[k], v)
			}
		}
		if cf.Operating.Total != 2000_00 || cf.NetChange != -500_00 || cf.CashOpening != 10000_00 || cf.CashClosing != 9500_00 || !cf.Balanced {
			t.Errorf("operating %d, net %d, cash %d → %d, balanced %v", cf.Operating.Total, cf.NetChange, cf.CashOpening, cf.CashClosing, cf.Balanced)
		}
	})
}
