package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/web"
)

// maintenanceArgs is the daily housekeeping job: ended sessions, old sign-in
// attempts and expired idempotency answers are deleted. Nothing of the change
// log is ever deleted.
type maintenanceArgs struct{}

// Kind names the job for River.
func (maintenanceArgs) Kind() string { return "platform.maintenance" }

type maintenanceWorker struct {
	river.WorkerDefaults[maintenanceArgs]
	db     *sqldb.DB
	access *access.Service
	logger *slog.Logger
}

// Work is safe to run twice: each step deletes only what is already expired.
func (w *maintenanceWorker) Work(ctx context.Context, _ *river.Job[maintenanceArgs]) error {
	pruned, err := w.access.Prune(ctx)
	if err != nil {
		return err
	}
	purged, err := web.PurgeIdempotencyKeys(ctx, w.db, time.Now())
	if err != nil {
		return err
	}
	w.logger.Info("maintenance", "sessions_and_attempts_pruned", pruned, "idempotency_keys_purged", purged)
	return nil
}

// registerMaintenance adds the housekeeping worker and its daily schedule.
func registerMaintenance(workers *river.Workers, a *app) []*river.PeriodicJob {
	river.AddWorker(workers, &maintenanceWorker{db: a.db, access: a.access, logger: a.logger})
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return maintenanceArgs{}, nil },
		&river.PeriodicJobOpts{ID: "platform.maintenance", RunOnStart: true})}
}
