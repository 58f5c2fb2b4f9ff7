package ledger_test

import (
	"slices"
	"sync"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// rent is a monthly rent template: Dr 6100 Rent / Cr 1110 Bank, 1,500.00.
func (e *env) rent(start string, dom int) ledger.NewRecurring {
	return ledger.NewRecurring{Name: "Office rent", JournalID: e.journals["GEN"].ID, Reference: "RENT",
		Lines:     []ledger.NewLine{{AccountID: e.acct("6100"), Amount: 1500_00}, {AccountID: e.acct("1110"), Amount: -1500_00}},
		Frequency: ledger.Monthly, DayOfMonth: dom, StartDate: day(start), Mode: ledger.ModePost}
}

func (e *env) createRecurring(in ledger.NewRecurring) ledger.Recurring {
	e.t.Helper()
	r, err := e.s.CreateRecurring(e.ctx, e.company, in)
	must(e.t, err)
	return r
}

func (e *env) runDue(upTo string) ledger.RunReport {
	e.t.Helper()
	rep, err := e.s.RunDue(e.ctx, e.company, day(upTo))
	must(e.t, err)
	return rep
}

// periods lists the periods of generated entries, in the order generated.
func periods(gs []ledger.Generated) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Period.String()
	}
	return out
}

func TestRecurring_MonthlyOn31stFallsOnEachMonthsLastDay(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		common := e.createRecurring(e.rent("2026-01-31", 31))
		leap := e.rent("2027-12-31", 0) // day 0: the start date's day
		leap.Name = "Leap-year rent"
		lr := e.createRecurring(leap)
		if lr.DayOfMonth != 31 || common.NextRun != day("2026-01-31") {
			t.Fatalf("day of month %d, next run %s", lr.DayOfMonth, common.NextRun)
		}
		rep := e.runDue("2028-03-31")
		var got, gotLeap []string
		for _, g := range rep.Generated {
			if g.SourceID == common.ID && len(got) < 5 {
				got = append(got, g.Period.String())
			}
			if g.SourceID == lr.ID {
				gotLeap = append(gotLeap, g.Period.String())
			}
		}
		if want := []string{"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31"}; !slices.Equal(got, want) {
			t.Errorf("2026 periods = %v, want %v", got, want)
		}
		if want := []string{"2027-12-31", "2028-01-31", "2028-02-29", "2028-03-31"}; !slices.Equal(gotLeap, want) {
			t.Errorf("leap-year periods = %v, want %v", gotLeap, want)
		}
		for _, g := range rep.Generated {
			en, err := e.s.GetEntry(e.ctx, e.company, g.EntryID)
			must(t, err)
			if en.Date != g.Period || en.State != ledger.Posted || en.Amount != 1500_00 {
				t.Fatalf("entry %+v for period %s", en, g.Period)
			}
		}
	})
}

func TestRunDue_CatchesUpMissedPeriodsInOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.createRecurring(e.rent("2025-10-15", 0))
		rep := e.runDue("2026-03-02") // the server was down since October
		want := []string{"2025-10-15", "2025-11-15", "2025-12-15", "2026-01-15", "2026-02-15"}
		if got := periods(rep.Generated); !slices.Equal(got, want) {
			t.Fatalf("generated %v, want %v", got, want)
		}
		for i := 1; i < len(rep.Generated); i++ {
			if rep.Generated[i].EntryID <= rep.Generated[i-1].EntryID {
				t.Errorf("period %s was posted before %s", rep.Generated[i].Period, rep.Generated[i-1].Period)
			}
		}
		r, err := e.s.GetRecurring(e.ctx, e.company, r.ID)
		must(t, err)
		if r.RunCount != 5 || r.NextRun != day("2026-03-15") || r.LastRunAt == nil {
			t.Errorf("after catch-up: run count %d, next run %s", r.RunCount, r.NextRun)
		}
		if got := e.balance("6100", "2026-03-02"); got != 5*1500_00 {
			t.Errorf("rent expense = %d, want %d", got, 5*1500_00)
		}
	})
}

func TestRunDue_RepeatedRunsPostEachPeriodOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.createRecurring(e.rent("2026-01-10", 0))
		first := e.runDue("2026-03-02")
		if len(first.Generated) != 2 {
			t.Fatalf("first run generated %v", periods(first.Generated))
		}
		entries := e.count("ledger_entries")
		if again := e.runDue("2026-03-02"); len(again.Generated) != 0 {
			t.Errorf("second run generated %v", periods(again.Generated))
		}
		// A crash after posting but before the template moved on, simulated
		// by moving it back: the idempotency keys return the first entries.
		_, err := db.ExecContext(e.ctx, `UPDATE ledger_recurring SET next_run = ?, run_count = 0 WHERE id = ?`, day("2026-01-10"), int64(r.ID))
		must(t, err)
		replay := e.runDue("2026-03-02")
		for i, g := range replay.Generated {
			if g.EntryID != first.Generated[i].EntryID {
				t.Errorf("replay of %s gave entry %d, first run %d", g.Period, g.EntryID, first.Generated[i].EntryID)
			}
		}
		// Two nodes at once.
		r2 := e.rent("2025-11-05", 0)
		r2.Name = "Parking"
		e.createRecurring(r2)
		var wg sync.WaitGroup
		reps := make([]ledger.RunReport, 2)
		errs := make([]error, 2)
		for i := range reps {
			wg.Go(func() { reps[i], errs[i] = e.s.RunDue(e.ctx, e.company, day("2026-03-02")) })
		}
		wg.Wait()
		must(t, errs[0])
		must(t, errs[1])
		if n := len(reps[0].Generated) + len(reps[1].Generated); n != 4 {
			t.Errorf("two concurrent runs generated %d entries, want 4 (Nov to Feb)", n)
		}
		if got, want := e.count("ledger_entries"), entries+4; got != want {
			t.Errorf("entries = %d, want %d", got, want)
		}
		var keys int
		must(t, db.QueryRowContext(e.ctx, `SELECT COUNT(DISTINCT idempotency_key) FROM ledger_entries WHERE idempotency_key LIKE 'recurring:%'`).Scan(&keys))
		if keys != 6 {
			t.Errorf("distinct recurring keys = %d, want 6", keys)
		}
	})
}

func TestRunDue_DraftModeCreatesDraftsWithTheKey(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.rent("2026-02-01", 0)
		in.Mode = ledger.ModeDraft
		r := e.createRecurring(in)
		rep := e.runDue("2026-03-02")
		if got := periods(rep.Generated); !slices.Equal(got, []string{"2026-02-01", "2026-03-01"}) {
			t.Fatalf("generated %v", got)
		}
		for _, g := range rep.Generated {
			en, err := e.s.GetEntry(e.ctx, e.company, g.EntryID)
			must(t, err)
			if en.State != ledger.Draft || en.IdempotencyKey != "recurring:"+r.ID.String()+":"+g.Period.String() || len(en.Lines) != 2 {
				t.Errorf("entry %+v", en)
			}
		}
		_, err := db.ExecContext(e.ctx, `UPDATE ledger_recurring SET next_run = ?, run_count = 0 WHERE id = ?`, day("2026-02-01"), int64(r.ID))
		must(t, err)
		again := e.runDue("2026-03-02")
		if len(again.Generated) != 2 || again.Generated[0].EntryID != rep.Generated[0].EntryID {
			t.Errorf("replay generated %+v", again.Generated)
		}
		if n := e.count("ledger_entries"); n != 2 {
			t.Errorf("entries = %d, want 2 drafts", n)
		}
		posted, err := e.s.PostDraft(e.ctx, e.company, rep.Generated[0].EntryID, 0)
		must(t, err)
		runs, err := e.s.RecurringRuns(e.ctx, e.company, r.ID, 10)
		must(t, err)
		if len(runs) != 2 || runs[1].EntryNumber != posted.Number || runs[0].EntryState != ledger.Draft {
			t.Errorf("runs = %+v", runs)
		}
	})
}

func TestRecurring_EndsAtCountOrEndDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		counted := e.rent("2025-01-01", 0)
		counted.Frequency, counted.MaxCount = ledger.Quarterly, 3
		c := e.createRecurring(counted)
		ended := e.rent("2025-06-30", 0)
		ended.Name, ended.Frequency, ended.EndDate = "Yearly fee", ledger.Yearly, day("2026-12-31")
		y := e.createRecurring(ended)
		rep := e.runDue("2030-01-01")
		var got []string
		for _, g := range rep.Generated {
			got = append(got, g.Name+" "+g.Period.String())
		}
		want := []string{"Office rent 2025-01-01", "Office rent 2025-04-01", "Office rent 2025-07-01",
			"Yearly fee 2025-06-30", "Yearly fee 2026-06-30"}
		if !slices.Equal(got, want) {
			t.Errorf("generated %v, want %v", got, want)
		}
		for _, id := range []backoffice.ID{c.ID, y.ID} {
			r, err := e.s.GetRecurring(e.ctx, e.company, id)
			must(t, err)
			if !r.NextRun.IsZero() {
				t.Errorf("%s has next run %s after its end", r.Name, r.NextRun)
			}
		}
	})
}

func TestRunDue_FailingTemplateDoesNotBlockTheOthers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		blocked := e.rent("2026-02-05", 0)
		blocked.Name = "A utilities"
		blocked.Lines[0].AccountID = e.acct("6110")
		bad := e.createRecurring(blocked)
		e.createRecurring(e.rent("2026-02-20", 0))
		locked := e.rent("2026-01-25", 0)
		locked.Name, locked.JournalID = "Payroll accrual", e.journals["GEN"].ID
		lk := e.createRecurring(locked)
		_, err := e.s.BlockAccount(e.ctx, e.company, e.acct("6110"), true)
		must(t, err)
		must(t, e.s.SetLockDate(e.ctx, e.company, "", day("2026-01-31"), "January closed"))

		rep := e.runDue("2026-03-02")
		if got := periods(rep.Generated); !slices.Equal(got, []string{"2026-02-20"}) {
			t.Errorf("generated %v, want the rent of 2026-02-20 only", got)
		}
		codes := map[backoffice.ID]string{}
		for _, f := range rep.Failures {
			codes[f.SourceID] = f.Code
		}
		if codes[bad.ID] != backoffice.EInvalid || codes[lk.ID] != backoffice.EPeriodClosed || len(codes) != 2 {
			t.Errorf("failures = %+v", rep.Failures)
		}
		r, err := e.s.GetRecurring(e.ctx, e.company, bad.ID)
		must(t, err)
		if r.LastError == "" || r.LastErrorAt == nil || r.NextRun != day("2026-02-05") {
			t.Errorf("failed template: last error %q, next run %s", r.LastError, r.NextRun)
		}
		// The same failure again adds no history; fixing the cause catches up.
		before := len(changes(t, e, "recurring_entry"))
		e.runDue("2026-03-02")
		if after := len(changes(t, e, "recurring_entry")); after != before {
			t.Errorf("a repeated failure added %d change records", after-before)
		}
		_, err = e.s.BlockAccount(e.ctx, e.company, e.acct("6110"), false)
		must(t, err)
		rep = e.runDue("2026-03-10")
		if got := periods(rep.Generated); !slices.Equal(got, []string{"2026-02-05", "2026-03-05"}) || len(rep.Failures) != 1 {
			t.Errorf("after unblocking: generated %v, failures %+v", got, rep.Failures)
		}
		r, err = e.s.GetRecurring(e.ctx, e.company, bad.ID)
		must(t, err)
		if r.LastError != "" || r.LastErrorAt != nil {
			t.Errorf("last error %q stays after a good run", r.LastError)
		}
	})
}

func TestCreateRecurring_RejectsBadInputNamingEveryField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.rent("2026-01-31", 32)
		in.Name, in.Frequency, in.Mode = " ", "weekly", "maybe"
		in.EndDate = day("2025-12-31")
		in.Lines[1].Amount = -1400_00
		_, err := e.s.CreateRecurring(e.ctx, e.company, in)
		wantError(t, err, backoffice.EInvalid, "name", "frequency", "mode", "day_of_month", "end_date", "lines")
		if n := e.count("ledger_recurring"); n != 0 {
			t.Errorf("a rejected template was stored (%d rows)", n)
		}
	})
}

func TestUpdateRecurring_KeepsGeneratedPeriodsAndLogsTheChange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.createRecurring(e.rent("2026-01-10", 0))
		e.runDue("2026-03-02") // Jan 10, Feb 10
		in := e.rent("2026-01-10", 25)
		_, err := e.s.UpdateRecurring(e.ctx, e.company, r.ID, r.Version+5, in)
		wantError(t, err, backoffice.EPrecondition)
		u, err := e.s.UpdateRecurring(e.ctx, e.company, r.ID, r.Version, in)
		must(t, err)
		// Day 25 from January: the 25th of February comes after the last
		// generated period (Feb 10) and is the next run.
		if u.NextRun != day("2026-02-25") || u.RunCount != 2 || u.Version != 2 {
			t.Errorf("after update: next run %s, run count %d, version %d", u.NextRun, u.RunCount, u.Version)
		}
		recs := changes(t, e, "recurring_entry")
		var actions []string
		for _, rec := range recs {
			actions = append(actions, rec.Action)
		}
		if !slices.Equal(actions[:4], []string{"create", "run", "run", "update"}) {
			t.Errorf("history = %v", actions)
		}
		wantError(t, e.s.DeleteRecurring(e.ctx, e.company, r.ID, 0), backoffice.EConflict)
		unused := e.createRecurring(e.rent("2027-01-01", 0))
		must(t, e.s.DeleteRecurring(e.ctx, e.company, unused.ID, 0))
		if _, err := e.s.GetRecurring(e.ctx, e.company, unused.ID); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Errorf("deleted template reads: %v", err)
		}
	})
}

func TestSetRecurringActive_PausedGeneratesNothingAndResumedCatchesUp(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.createRecurring(e.rent("2026-01-10", 0))
		p, err := e.s.SetRecurringActive(e.ctx, e.company, r.ID, false)
		must(t, err)
		if p.Active || p.Version != 2 {
			t.Fatalf("paused: active %v, version %d", p.Active, p.Version)
		}
		if rep := e.runDue("2026-03-02"); len(rep.Generated) != 0 {
			t.Errorf("a paused template generated %v", periods(rep.Generated))
		}
		_, err = e.s.SetRecurringActive(e.ctx, e.company, r.ID, true)
		must(t, err)
		if got := periods(e.runDue("2026-03-02").Generated); !slices.Equal(got, []string{"2026-01-10", "2026-02-10"}) {
			t.Errorf("resumed: generated %v", got)
		}
		var actions []string
		for _, rec := range changes(t, e, "recurring_entry") {
			actions = append(actions, rec.Action)
		}
		if !slices.Equal(actions, []string{"create", "pause", "resume", "run", "run"}) {
			t.Errorf("history = %v", actions)
		}
		_, err = e.s.SetScheduleActive(e.ctx, e.company, 999, false)
		wantError(t, err, backoffice.ENotFound)
	})
}
