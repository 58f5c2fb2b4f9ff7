package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// books2025 posts a year of income and expenses: profit 600.00.
func books2025(e *env) {
	e.post(e.entry("2025-03-10", "1110", "4010", 1000_00))
	e.post(e.entry("2025-06-30", "1200", "4020", 200_00))
	e.post(e.entry("2025-09-01", "6100", "1110", 450_00))
	e.post(e.entry("2025-12-31", "6200", "1590", 150_00))
}

// changes lists the change-log records of an entity.
func changes(t *testing.T, e *env, entity string) []audit.Record {
	t.Helper()
	recs, err := audit.List(e.ctx, e.db, audit.Filter{CompanyIDs: []backoffice.ID{e.company}, Entity: entity, Limit: 100})
	must(t, err)
	return recs
}

func TestCloseYear_MovesProfitToRetainedEarningsAndLocks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		books2025(e)
		c, err := e.s.CloseYear(e.ctx, e.company, 2025, "year-end close")
		must(t, err)
		if c.End != day("2025-12-31") || c.EntryID == 0 {
			t.Fatalf("closing = %+v", c)
		}
		for _, code := range []string{"4010", "4020", "6100", "6200"} {
			if b := e.balance(code, "2025-12-31"); b != 0 {
				t.Errorf("%s balance after closing = %d, want 0", code, b)
			}
		}
		if b := e.balance("3020", "2025-12-31"); b != -600_00 {
			t.Errorf("retained earnings = %d, want -60000 (a credit of the year's profit)", b)
		}
		closing, err := e.s.GetEntry(e.ctx, e.company, c.EntryID)
		must(t, err)
		if closing.Journal != "GEN" || closing.Date != day("2025-12-31") {
			t.Errorf("closing entry %s on %s, want GEN on 2025-12-31", closing.Journal, closing.Date)
		}
		locks, err := e.s.LockDates(e.ctx, e.company)
		must(t, err)
		if len(locks) != 1 || locks[0].JournalType != "" || locks[0].Date != day("2025-12-31") {
			t.Errorf("lock dates = %v, want all journals locked until 2025-12-31", locks)
		}
		_, err = e.s.Post(e.ctx, e.company, e.entry("2025-11-30", "6100", "1110", 1_00))
		wantError(t, err, backoffice.EPeriodClosed, "date")
		// The closed year's reports still show where its profit arose.
		is, err := e.s.IncomeStatement(e.ctx, e.company, day("2025-01-01"), day("2025-12-31"), ledger.Compare{})
		must(t, err)
		if is.NetProfit[0] != 600_00 {
			t.Errorf("income statement of the closed year: net profit %d, want 60000", is.NetProfit[0])
		}
		bs, err := e.s.BalanceSheet(e.ctx, e.company, day("2025-12-31"), ledger.Compare{})
		must(t, err)
		profit := bs.Equity.Rows[len(bs.Equity.Rows)-1]
		if !bs.Balanced || profit.Amounts[0] != 0 || rowOf(t, bs.Equity.Rows, "3020").Amounts[0] != 600_00 {
			t.Errorf("balance sheet after closing: balanced %v, open profit %v, retained earnings %v", bs.Balanced, profit.Amounts,
				rowOf(t, bs.Equity.Rows, "3020").Amounts)
		}
		if recs := changes(t, e, "fiscal_year"); len(recs) != 1 || recs[0].Action != "close" || recs[0].Reason != "year-end close" {
			t.Errorf("change log of the fiscal year = %+v, want one close with its reason", recs)
		}
		_, err = e.s.CloseYear(e.ctx, e.company, 2026, "too early")
		wantError(t, err, backoffice.EInvalid, "fiscal_year")
	})
}

func TestCloseYear_IsIdempotent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		books2025(e)
		first, err := e.s.CloseYear(e.ctx, e.company, 2025, "year-end close")
		must(t, err)
		entries := e.count("ledger_entries")
		again, err := e.s.CloseYear(e.ctx, e.company, 2025, "clicked twice")
		must(t, err)
		if again.ID != first.ID || again.EntryID != first.EntryID {
			t.Errorf("second close = %+v, want the first %+v", again, first)
		}
		if n := e.count("ledger_entries"); n != entries {
			t.Errorf("entries after closing twice = %d, want %d", n, entries)
		}
		if b := e.balance("3020", "2025-12-31"); b != -600_00 {
			t.Errorf("retained earnings after closing twice = %d, want -60000", b)
		}
		if recs := changes(t, e, "fiscal_year"); len(recs) != 1 {
			t.Errorf("change log has %d fiscal year records, want 1", len(recs))
		}
		// A call that posted the closing entry but stopped before recording
		// the closing is completed by the next call, with the same entry.
		_, err = db.ExecContext(e.ctx, `DELETE FROM ledger_year_closings`)
		must(t, err)
		resumed, err := e.s.CloseYear(e.ctx, e.company, 2025, "resumed")
		must(t, err)
		if resumed.EntryID != first.EntryID || e.count("ledger_entries") != entries {
			t.Errorf("resumed close: entry %d (want %d), %d entries (want %d)", resumed.EntryID, first.EntryID, e.count("ledger_entries"), entries)
		}
	})
}

func TestReopenYear_NeedsAReasonAndReverses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		books2025(e)
		_, err := e.s.ReopenYear(e.ctx, e.company, 2025, "late invoice")
		wantError(t, err, backoffice.EConflict)
		closed, err := e.s.CloseYear(e.ctx, e.company, 2025, "year-end close")
		must(t, err)
		_, err = e.s.ReopenYear(e.ctx, e.company, 2025, "")
		wantError(t, err, backoffice.EInvalid, "reason")
		c, err := e.s.ReopenYear(e.ctx, e.company, 2025, "late supplier invoice")
		must(t, err)
		if c.ReversalID == 0 || c.ReopenedAt == nil || c.ReopenReason != "late supplier invoice" {
			t.Fatalf("reopened closing = %+v", c)
		}
		orig, err := e.s.GetEntry(e.ctx, e.company, closed.EntryID)
		must(t, err)
		if orig.ReversedByID != c.ReversalID {
			t.Errorf("closing entry reversed by %d, want %d", orig.ReversedByID, c.ReversalID)
		}
		if b, r := e.balance("4010", "2025-12-31"), e.balance("3020", "2025-12-31"); b != -1000_00 || r != 0 {
			t.Errorf("after reopening: sales %d (want -100000), retained earnings %d (want 0)", b, r)
		}
		locks, err := e.s.LockDates(e.ctx, e.company)
		must(t, err)
		if len(locks) != 1 || locks[0].Date != day("2024-12-31") {
			t.Errorf("lock dates after reopening = %v, want 2024-12-31", locks)
		}
		e.post(e.entry("2025-12-20", "6100", "2010", 100_00)) // the late invoice
		recs := changes(t, e, "fiscal_year")
		if last := recs[len(recs)-1]; last.Action != "reopen" || last.Reason != "late supplier invoice" {
			t.Errorf("last fiscal year change = %s (%q), want reopen with its reason", last.Action, last.Reason)
		}
		again, err := e.s.CloseYear(e.ctx, e.company, 2025, "closing again")
		must(t, err)
		if again.EntryID == closed.EntryID || e.balance("3020", "2025-12-31") != -500_00 {
			t.Errorf("closing again: entry %d (first %d), retained earnings %d, want a new entry and -50000",
				again.EntryID, closed.EntryID, e.balance("3020", "2025-12-31"))
		}
	})
}
