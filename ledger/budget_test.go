package ledger_test

import (
	"slices"
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// dimEntry is e.entry with dimensions on the debit line.
func dimEntry(e *env, date, dr, cr string, amount int64, dims map[string]string) ledger.NewEntry {
	in := e.entry(date, dr, cr, amount)
	in.Lines[0].Dimensions = dims
	return in
}

func TestBudget_StopRefusesPostingBeyondBudget(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.SetBudgets(e.ctx, e.company, []ledger.BudgetLine{
			{AccountID: e.acct("6100"), Month: day("2026-03-01"), Amount: 1000_00, Action: ledger.BudgetStop},
			{AccountID: e.acct("6110"), Month: day("2026-03-01"), Amount: 100_00, Action: ledger.BudgetWarn},
			{AccountID: e.acct("6120"), Dimension: "cost_center", Value: "CC1", Month: day("2026-03-01"), Amount: 100_00, Action: ledger.BudgetStop},
			{AccountID: e.acct("6130"), Month: day("2026-03-01"), Amount: 1_00, Action: ledger.BudgetIgnore},
		})
		must(t, err)
		e.post(e.entry("2026-03-05", "6100", "1110", 600_00))
		e.post(e.entry("2026-04-05", "6100", "1110", 600_00)) // another month, no budget
		entries := e.count("ledger_entries")
		_, err = e.s.Post(e.ctx, e.company, e.entry("2026-03-20", "6100", "1110", 400_01))
		wantError(t, err, backoffice.ELimitExceeded, "lines[0].account")
		if !strings.Contains(err.Error(), "6100") {
			t.Errorf("error %q does not name the account", err)
		}
		if n, b := e.count("ledger_entries"), e.balance("6100", "2026-03-31"); n != entries || b != 600_00 {
			t.Errorf("after the refused posting: %d entries (want %d), balance %d (want 60000)", n, entries, b)
		}
		e.post(e.entry("2026-03-20", "6100", "1110", 400_00))       // exactly the budget
		e.post(e.entry("2026-03-21", "1110", "6100", 50_00))        // a refund lowers the actual
		_, err = e.s.PostBatch(e.ctx, e.company, []ledger.NewEntry{ // all or nothing
			e.entry("2026-03-22", "6110", "1110", 1_00), e.entry("2026-03-22", "6100", "1110", 50_01)})
		wantError(t, err, backoffice.ELimitExceeded, "entries[1].lines[0].account")

		warned := e.post(e.entry("2026-03-22", "6110", "1110", 150_00))
		if len(warned.Warnings) != 1 || !strings.Contains(warned.Warnings[0], "6110") {
			t.Errorf("warn budget: warnings %q, want one naming 6110", warned.Warnings)
		}
		if ok := e.post(e.entry("2026-03-22", "6130", "1110", 500_00)); len(ok.Warnings) != 0 {
			t.Errorf("ignore budget: warnings %q, want none", ok.Warnings)
		}

		e.post(dimEntry(e, "2026-03-23", "6120", "1110", 150_00, map[string]string{"cost_center": "CC2"}))
		e.post(dimEntry(e, "2026-03-23", "6120", "1110", 80_00, map[string]string{"cost_center": "CC1", "project": "P1"}))
		_, err = e.s.Post(e.ctx, e.company, dimEntry(e, "2026-03-24", "6120", "1110", 20_01, map[string]string{"cost_center": "CC1"}))
		wantError(t, err, backoffice.ELimitExceeded, "lines[0].account")
	})
}

func TestBudgetVsActual_Variance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.SetBudgets(e.ctx, e.company, []ledger.BudgetLine{
			{AccountID: e.acct("4010"), Month: day("2026-01-01"), Amount: 1000_00, Action: ledger.BudgetIgnore},
			{AccountID: e.acct("4010"), Month: day("2026-02-01"), Amount: 1000_00, Action: ledger.BudgetIgnore},
			{AccountID: e.acct("6100"), Month: day("2026-01-15"), Amount: 300_00, Action: ledger.BudgetWarn},
			{AccountID: e.acct("6120"), Dimension: "project", Value: "P1", Month: day("2026-02-01"), Amount: 50_00, Action: ledger.BudgetIgnore},
		})
		must(t, err)
		e.post(e.entry("2026-01-10", "1110", "4010", 1200_00))
		e.post(e.entry("2026-02-10", "1110", "4010", 700_00))
		e.post(e.entry("2026-03-10", "1110", "4010", 5000_00)) // outside the report
		e.post(e.entry("2026-01-31", "6100", "1110", 250_00))
		e.post(dimEntry(e, "2026-02-02", "6120", "1110", 70_00, map[string]string{"project": "P1"}))
		e.post(dimEntry(e, "2026-02-03", "6120", "1110", 30_00, map[string]string{"project": "P2"}))
		r, err := e.s.BudgetVsActual(e.ctx, e.company, day("2026-01-01"), day("2026-02-28"))
		must(t, err)
		type row struct {
			code, value              string
			budget, actual, variance int64
			months                   int
		}
		var got []row
		for _, x := range r.Rows {
			got = append(got, row{x.Code, x.Value, x.Budget, x.Actual, x.Variance, len(x.Months)})
		}
		want := []row{
			{"4010", "", 2000_00, 1900_00, 100_00, 2},
			{"6100", "", 300_00, 250_00, 50_00, 1},
			{"6120", "P1", 50_00, 70_00, -20_00, 1},
		}
		if !slices.Equal(got, want) {
			t.Errorf("budget vs actual =\n%v\nwant\n%v", got, want)
		}
		if m := r.Rows[0].Months[0]; m.Month != day("2026-01-01") || m.Budget != 1000_00 || m.Actual != 1200_00 {
			t.Errorf("4010 January = %+v, want budget 100000, actual 120000", m)
		}
		// A year's closing entry does not count as actual.
		_, err = e.s.SetBudgets(e.ctx, e.company, []ledger.BudgetLine{{AccountID: e.acct("6100"), Month: day("2025-12-01"), Amount: 100_00, Action: ledger.BudgetStop}})
		must(t, err)
		e.post(e.entry("2025-12-05", "6100", "1110", 80_00))
		_, err = e.s.CloseYear(e.ctx, e.company, 2025, "year-end")
		must(t, err)
		dec, err := e.s.BudgetVsActual(e.ctx, e.company, day("2025-12-01"), day("2025-12-31"))
		must(t, err)
		if len(dec.Rows) != 1 || dec.Rows[0].Actual != 80_00 || dec.Rows[0].Variance != 20_00 {
			t.Errorf("December after closing = %+v, want actual 8000, variance 2000", dec.Rows)
		}
		_, err = e.s.ReopenYear(e.ctx, e.company, 2025, "audit adjustment") // reverses the closing: not refused by the stop budget
		must(t, err)
		budgets, err := e.s.Budgets(e.ctx, e.company, day("2026-01-01"), day("2026-01-31"))
		must(t, err)
		if len(budgets) != 2 || budgets[1].Month != day("2026-01-01") {
			t.Errorf("January budgets = %+v, want two, months as first days", budgets)
		}
		_, err = e.s.SetBudgets(e.ctx, e.company, []ledger.BudgetLine{{AccountID: e.acct("6100"), Month: day("2026-01-01"), Amount: -1, Action: "maybe"}})
		wantError(t, err, backoffice.EInvalid, "budgets[0].amount", "budgets[0].action")
	})
}
