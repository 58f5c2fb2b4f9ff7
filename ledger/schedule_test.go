package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"backoffice"
	"backoffice/jobs"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// insurance is a prepaid insurance bill of 1,000.00 released over 12 months
// from January 2026: 1,000.00 / 12 does not divide into cents.
func (e *env) insurance() ledger.NewSchedule {
	return ledger.NewSchedule{Name: "Fire insurance 2026", Kind: ledger.Deferral, JournalID: e.journals["GEN"].ID,
		ExpenseAccountID: e.acct("6150"), BalanceAccountID: e.acct("1410"), Total: 1000_00, Periods: 12,
		StartMonth: day("2026-01-15"), Reference: "POL-77"}
}

func TestSchedule_LastPeriodTakesTheRoundingRemainder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		sch, err := e.s.CreateSchedule(e.ctx, e.company, e.insurance())
		must(t, err)
		if sch.StartMonth != day("2026-01-01") || sch.NextRun != day("2026-01-31") || sch.Currency != "EUR" {
			t.Fatalf("schedule = %+v", sch)
		}
		rep := e.runDue("2026-03-02") // January and February are due
		if len(rep.Generated) != 2 || rep.Generated[1].Period != day("2026-02-28") || rep.Generated[1].Amount != 83_33 {
			t.Fatalf("generated %+v", rep.Generated)
		}
		ps, err := e.s.SchedulePeriods(e.ctx, e.company, sch.ID)
		must(t, err)
		var sum int64
		for _, p := range ps {
			sum += p.Amount
		}
		if sum != 1000_00 || ps[0].Amount != 83_33 || ps[11].Amount != 83_37 || ps[11].Date != day("2026-12-31") {
			t.Errorf("periods sum to %d, first %d, last %d on %s", sum, ps[0].Amount, ps[11].Amount, ps[11].Date)
		}
		if ps[1].Status != ledger.PeriodPosted || ps[1].EntryNumber == "" || ps[2].Status != ledger.PeriodFuture {
			t.Errorf("statuses: %+v %+v", ps[1], ps[2])
		}
		e.runDue("2026-12-31")
		if got := e.balance("6150", "2026-12-31"); got != 1000_00 {
			t.Errorf("insurance expense = %d, want exactly 100000", got)
		}
		if got := e.balance("1410", "2026-12-31"); got != -1000_00 {
			t.Errorf("prepaid released = %d, want -100000", got)
		}
		sch, err = e.s.GetSchedule(e.ctx, e.company, sch.ID)
		must(t, err)
		if sch.PostedCount != 12 || !sch.NextRun.IsZero() {
			t.Errorf("finished schedule: posted %d, next run %s", sch.PostedCount, sch.NextRun)
		}
		if again := e.runDue("2027-12-31"); len(again.Generated) != 0 {
			t.Errorf("a finished schedule generated %v", periods(again.Generated))
		}
	})
}

func TestSchedule_AccrualNeedsALiabilityAndRefusesBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.insurance()
		in.Kind = ledger.Accrual // 1410 is an asset: an accrual builds up a liability
		in.ExpenseAccountID = e.acct("1110")
		in.Total, in.Periods = 5, 12
		_, err := e.s.CreateSchedule(e.ctx, e.company, in)
		wantError(t, err, backoffice.EInvalid, "balance_account_id", "expense_account_id", "total")
		in = e.insurance()
		in.Kind, in.BalanceAccountID = ledger.Accrual, e.acct("2300")
		sch, err := e.s.CreateSchedule(e.ctx, e.company, in)
		must(t, err)
		e.runDue("2026-01-31")
		if got := e.balance("2300", "2026-01-31"); got != -83_33 {
			t.Errorf("accrued liability = %d, want -8333", got)
		}
		in.Total = 2000_00
		_, err = e.s.UpdateSchedule(e.ctx, e.company, sch.ID, 0, in)
		wantError(t, err, backoffice.EConflict, "total")
		in.Total, in.Name = 1000_00, "Audit fee accrual"
		u, err := e.s.UpdateSchedule(e.ctx, e.company, sch.ID, sch.Version, in)
		must(t, err)
		if u.Name != "Audit fee accrual" || u.PostedCount != 1 {
			t.Errorf("renamed schedule = %+v", u)
		}
		wantError(t, e.s.DeleteSchedule(e.ctx, e.company, sch.ID, 0), backoffice.EConflict)
	})
}

func TestRunDueJob_RiverWorkerGeneratesDueEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.createRecurring(e.rent("2026-01-31", 31))
		sch, err := e.s.CreateSchedule(e.ctx, e.company, e.insurance())
		must(t, err)
		workers := river.NewWorkers()
		ledger.RegisterJobs(workers, e.s, nil)
		runner, err := jobs.New(db, jobs.Config{Workers: workers, PollInterval: 50 * time.Millisecond})
		must(t, err)
		ctx := context.Background()
		must(t, runner.Migrate(ctx))
		events, cancel := runner.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		must(t, runner.Start(ctx))
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			must(t, runner.Stop(stopCtx))
		})
		must(t, db.InTx(ctx, func(tx *sqldb.Tx) error { return runner.Insert(ctx, tx, ledger.RunDueArgs{}, nil) }))
		select {
		case ev := <-events:
			if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != "ledger.run_due" {
				t.Fatalf("job event %s for %s: %v", ev.Kind, ev.Job.Kind, ev.Job.Errors)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("the run-due job did not finish")
		}
		// The service clock says 2026-03-02: rent for January and February,
		// insurance for January and February.
		got, err := e.s.GetRecurring(e.ctx, e.company, r.ID)
		must(t, err)
		if got.RunCount != 2 || got.NextRun != day("2026-03-31") {
			t.Errorf("template after the job: run count %d, next run %s", got.RunCount, got.NextRun)
		}
		s2, err := e.s.GetSchedule(e.ctx, e.company, sch.ID)
		must(t, err)
		if s2.PostedCount != 2 {
			t.Errorf("schedule after the job: %d periods posted", s2.PostedCount)
		}
		var actor string
		must(t, db.QueryRowContext(ctx, `SELECT actor_name FROM audit_log WHERE entity = 'recurring_entry' AND action = 'run' ORDER BY seq LIMIT 1`).Scan(&actor))
		if actor != "system:ledger.run_due" {
			t.Errorf("run recorded for actor %q", actor)
		}
	})
}

func TestRunDueJob_PeriodicJobRunsAtStart(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.createRecurring(e.rent("2026-02-01", 0))
		workers := river.NewWorkers()
		periodic := ledger.RegisterJobs(workers, e.s, nil)
		runner, err := jobs.New(db, jobs.Config{Workers: workers, PeriodicJobs: periodic, PollInterval: 50 * time.Millisecond})
		must(t, err)
		ctx := context.Background()
		must(t, runner.Migrate(ctx))
		events, cancel := runner.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		defer cancel()
		start := time.Now()
		must(t, runner.Start(ctx))
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			must(t, runner.Stop(stopCtx))
		})
		select {
		case ev := <-events:
			if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != (ledger.RunDueArgs{}).Kind() {
				t.Fatalf("job event %s for %s: %v", ev.Kind, ev.Job.Kind, ev.Job.Errors)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the periodic run-due job did not run at start")
		}
		t.Logf("the periodic job finished %v after start", time.Since(start))
		got, err := e.s.GetRecurring(e.ctx, e.company, r.ID)
		must(t, err)
		if got.RunCount != 2 || got.NextRun != day("2026-04-01") {
			t.Errorf("template after the job at start: run count %d, next run %s", got.RunCount, got.NextRun)
		}
	})
}
