package invoice

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"backoffice"
)

// RecurringInterval is how often the job generates due recurring invoices;
// it also runs when a node starts, which catches up after downtime.
const RecurringInterval = time.Hour

// RunDueRecurringArgs is the periodic job that runs RunDue up to today for
// every company with an active recurring invoice.
type RunDueRecurringArgs struct{}

// Kind names the job for River.
func (RunDueRecurringArgs) Kind() string { return "invoice.run_due_recurring" }

type recurringWorker struct {
	river.WorkerDefaults[RunDueRecurringArgs]
	svc    *Service
	logger *slog.Logger
}

// Work is safe to run twice or on two nodes at once: each period is
// claimed once. A template that fails is reported and tried again next
// time; River retries only database errors.
func (w *recurringWorker) Work(ctx context.Context, _ *river.Job[RunDueRecurringArgs]) error {
	ctx = backoffice.WithActor(ctx, backoffice.System("invoice.run_due_recurring"))
	today := backoffice.DateOf(w.svc.now())
	companies, err := w.svc.RecurringDueCompanies(ctx, today)
	if err != nil {
		return err
	}
	for _, c := range companies {
		rep, err := w.svc.RunDue(ctx, c, today)
		if err != nil {
			return fmt.Errorf("run due recurring invoices of company %d: %w", c, err)
		}
		if w.logger != nil && (len(rep.Generated) > 0 || len(rep.Failures) > 0) {
			w.logger.Info("recurring invoices", "company_id", c, "generated", len(rep.Generated), "failed", len(rep.Failures))
		}
	}
	return nil
}

// Timeout leaves room for a long catch-up; a run stopped anyway loses
// nothing, the retry goes on from the first period not generated.
func (w *recurringWorker) Timeout(*river.Job[RunDueRecurringArgs]) time.Duration { return time.Hour }

// RegisterJobs adds the invoicing workers to workers and returns their
// periodic job, hourly and at start, for main to pass to jobs.New.
func RegisterJobs(workers *river.Workers, svc *Service, logger *slog.Logger) []*river.PeriodicJob {
	river.AddWorker(workers, &recurringWorker{svc: svc, logger: logger})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(RecurringInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			return RunDueRecurringArgs{}, &river.InsertOpts{MaxAttempts: 3}
		},
		&river.PeriodicJobOpts{ID: "invoice.run_due_recurring", RunOnStart: true})}
}
