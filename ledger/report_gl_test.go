package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestGeneralLedger_RunningBalanceAcrossPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2025-12-15", "1110", "3010", 1000_00)) // opening balances
		for i := range 9 {
			e.post(e.entry(day("2026-01-05").AddDays(i*3).String(), "1110", "4010", int64(100_00+i)))
			if i%2 == 0 {
				e.post(e.entry(day("2026-01-06").AddDays(i*3).String(), "6100", "1110", 30_00))
			}
		}
		e.post(e.entry("2026-02-01", "1110", "4010", 5_00)) // after the period
		f := ledger.GeneralLedgerFilter{From: day("2026-01-01"), To: day("2026-01-31"), Page: backoffice.Page{Limit: 4}}
		type acct struct {
			opening, closing int64
			lines            []ledger.StatementLine
		}
		got := map[string]*acct{}
		var order []string
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatal("the pages do not end")
			}
			gl, err := e.s.GeneralLedger(e.ctx, e.company, f)
			must(t, err)
			for i, a := range gl.Accounts {
				if got[a.Code] == nil {
					got[a.Code] = &acct{opening: a.Opening, closing: a.Closing}
					order = append(order, a.Code)
					if a.Continued {
						t.Errorf("account %s first seen marked continued", a.Code)
					}
				} else if i != 0 || !a.Continued {
					t.Errorf("account %s seen again, not first on its page as a continuation", a.Code)
				}
				got[a.Code].lines = append(got[a.Code].lines, a.Lines...)
			}
			if gl.Next == "" {
				break
			}
			f.Page.After = gl.Next
		}
		if want := []string{"1110", "4010", "6100"}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
			t.Fatalf("accounts = %v, want %v (3010 has no postings in the period)", order, want)
		}
		wantLines := map[string]int{"1110": 14, "4010": 9, "6100": 5}
		for _, code := range order {
			a := got[code]
			if len(a.lines) != wantLines[code] {
				t.Errorf("%s: %d lines, want %d", code, len(a.lines), wantLines[code])
			}
			run := a.opening
			for _, l := range a.lines {
				run += l.CompanyAmount
				if l.Balance != run {
					t.Fatalf("%s: running balance after %s line %d = %d, want %d", code, l.Number, l.LineNo, l.Balance, run)
				}
			}
			if run != a.closing {
				t.Errorf("%s: last running balance %d, closing %d", code, run, a.closing)
			}
			if want := e.balance(code, "2026-01-31"); a.closing != want {
				t.Errorf("%s: closing %d, balance at the period end %d", code, a.closing, want)
			}
		}
		if got["1110"].opening != 1000_00 {
			t.Errorf("1110 opening = %d, want 100000", got["1110"].opening)
		}
		f.Page.After = "bad"
		_, err := e.s.GeneralLedger(e.ctx, e.company, f)
		wantError(t, err, backoffice.EInvalid, "after")
	})
}

func TestJournalListing_EntriesInNumberOrderAcrossPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		// Posted out of date order: the listing follows the numbers.
		for _, d := range []string{"2026-01-20", "2026-01-05", "2026-01-12", "2026-01-02", "2026-01-30"} {
			e.post(e.entry(d, "6100", "1110", 10_00))
		}
		e.post(ledger.NewEntry{JournalID: e.journals["SAL"].ID, Date: day("2026-01-03"), Reference: "other journal",
			Lines: []ledger.NewLine{{AccountID: e.acct("1200"), Amount: 5_00}, {AccountID: e.acct("4010"), Amount: -5_00}}})
		var numbers []string
		page := backoffice.Page{Limit: 2}
		for {
			l, err := e.s.JournalListing(e.ctx, e.company, e.journals["GEN"].ID, day("2026-01-01"), day("2026-01-25"), page)
			must(t, err)
			for _, en := range l.Entries {
				numbers = append(numbers, en.Number)
				if len(en.Lines) != 2 {
					t.Errorf("entry %s listed with %d lines, want 2", en.Number, len(en.Lines))
				}
			}
			if l.Next == "" {
				break
			}
			page.After = l.Next
		}
		want := []string{"GEN-2026-000001", "GEN-2026-000002", "GEN-2026-000003", "GEN-2026-000004"}
		if len(numbers) != len(want) {
			t.Fatalf("numbers = %v, want %v", numbers, want)
		}
		for i := range want {
			if numbers[i] != want[i] {
				t.Errorf("numbers = %v, want %v", numbers, want)
				break
			}
		}
	})
}
