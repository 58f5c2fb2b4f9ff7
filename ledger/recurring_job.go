package ledger

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"backoffice"
)

// RunDueInterval is how often the job generates due recurring entries and
// schedule periods. An hour is plenty for entries dated by the day, and
// the job also runs when a node starts, which covers catching up after the
// server was down.
const RunDueInterval = time.Hour

// RunDueArgs is the periodic job that runs RunDue for every company with
// something due today.
type RunDueArgs struct{}

// Kind names the job for River.
func (RunDueArgs) Kind() string { return "ledger.run_due" }

type runDueWorker struct {
	river.WorkerDefaults[RunDueArgs]
	svc    *Service
	logger *slog.Logger
}

// Work is safe to run twice, or on two nodes at once: RunDue generates each
// period once. A failing template is recorded on the template, not retried
// by River; River retries only database errors.
func (w *runDueWorker) Work(ctx context.Context, _ *river.Job[RunDueArgs]) error {
	ctx = backoffice.WithActor(ctx, backoffice.System("ledger.run_due"))
	today := w.svc.today()
	companies, err := w.svc.DueCompanies(ctx, today)
	if err != nil {
		return err
	}
	for _, c := range companies {
		rep, err := w.svc.RunDue(ctx, c, today)
		if err != nil {
			return fmt.Errorf("run due entries of company %d: %w", c, err)
		}
		if w.logger != nil {
			w.logger.Info("ledger run due", "company_id", c, "generated", len(rep.Generated), "failed", len(rep.Failures))
		}
	}
	return nil
}

// Timeout leaves a long catch-up room: at the measured 270 entries a second
// on PostgreSQL, the default five minutes would stop after about 80,000
// entries. A run stopped anyway loses nothing: the retry goes on from the
// first period not generated.
func (w *runDueWorker) Timeout(*river.Job[RunDueArgs]) time.Duration { return time.Hour }

// RegisterJobs adds the ledger's workers to workers and returns its periodic
// job, hourly and at start, for main to pass to jobs.New with the others.
func RegisterJobs(workers *river.Workers, svc *Service, logger *slog.Logger) []*river.PeriodicJob {
	river.AddWorker(workers, &runDueWorker{svc: svc, logger: logger})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(RunDueInterval),
		func() (river.JobArgs, *river.InsertOpts) { return RunDueArgs{}, &river.InsertOpts{MaxAttempts: 3} },
		&river.PeriodicJobOpts{ID: "ledger.run_due", RunOnStart: true})}
}
