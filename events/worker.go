package events

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"backoffice"
	"backoffice/jobs"
	"backoffice/sqldb"
)

// DispatchInterval is how often the fan-out job runs: the longest a committed
// change waits before its webhook deliveries are created and sent.
const DispatchInterval = 5 * time.Second

// claimLease is how long a claimed delivery stays claimed: longer than an
// attempt can take (10 s HTTP timeout), so only a crashed worker's delivery
// comes due again.
const claimLease = 5 * time.Minute

// DispatchArgs is the periodic job that fans the change log out to webhook
// deliveries and enqueues a DeliverArgs job for each delivery that is due.
type DispatchArgs struct{}

// Kind names the job for River.
func (DispatchArgs) Kind() string { return "events.dispatch" }

// DeliverArgs is the job that makes one attempt at one delivery.
type DeliverArgs struct {
	DeliveryID backoffice.ID `json:"delivery_id"`
}

// Kind names the job for River.
func (DeliverArgs) Kind() string { return "events.deliver" }

type dispatchWorker struct {
	river.WorkerDefaults[DispatchArgs]
	svc *Service
}

func (w *dispatchWorker) Work(ctx context.Context, _ *river.Job[DispatchArgs]) error {
	if _, err := w.svc.Dispatch(ctx); err != nil {
		return err
	}
	_, err := w.svc.ClaimDue(ctx, 200, claimLease, func(tx *sqldb.Tx, id backoffice.ID) error {
		return jobs.InsertFromWorker(ctx, tx, DeliverArgs{DeliveryID: id}, &river.InsertOpts{MaxAttempts: 3})
	})
	return err
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	svc *Service
}

// Work makes the attempt. A failed HTTP attempt is recorded and scheduled by
// the Service, not retried by River; River retries only when the attempt
// could not be recorded, and the claim lease covers even that.
func (w *deliverWorker) Work(ctx context.Context, j *river.Job[DeliverArgs]) error {
	_, err := w.svc.Deliver(ctx, j.Args.DeliveryID)
	switch backoffice.ErrorCode(err) {
	case backoffice.ENotFound, backoffice.EConflict: // webhook deleted meanwhile; another worker raced
		return nil
	}
	return err
}

// Timeout leaves room for the HTTP timeout and the database writes.
func (w *deliverWorker) Timeout(*river.Job[DeliverArgs]) time.Duration { return time.Minute }

// Register adds the webhook workers to workers and returns the periodic job
// that drives them; main passes both to jobs.New:
//
//	workers := river.NewWorkers()
//	periodic := events.Register(workers, eventsSvc)
//	runner, err := jobs.New(db, jobs.Config{Workers: workers, PeriodicJobs: periodic})
func Register(workers *river.Workers, svc *Service) []*river.PeriodicJob {
	river.AddWorker(workers, &dispatchWorker{svc: svc})
	river.AddWorker(workers, &deliverWorker{svc: svc})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(DispatchInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			// One try: the next run comes DispatchInterval later anyway.
			return DispatchArgs{}, &river.InsertOpts{MaxAttempts: 1}
		}, &river.PeriodicJobOpts{ID: "events.dispatch", RunOnStart: true})}
}
