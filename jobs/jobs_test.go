package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"backoffice/jobs"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// noteArgs is a job that reports its note on a channel when worked.
type noteArgs struct {
	Note string `json:"note"`
}

func (noteArgs) Kind() string { return "test.note" }

type noteWorker struct {
	river.WorkerDefaults[noteArgs]
	done chan<- string
}

func (w *noteWorker) Work(ctx context.Context, j *river.Job[noteArgs]) error {
	w.done <- j.Args.Note
	return nil
}

// flakyArgs is a job whose first attempt fails.
type flakyArgs struct{}

func (flakyArgs) Kind() string { return "test.flaky" }

type flakyWorker struct {
	river.WorkerDefaults[flakyArgs]
	attempts chan<- int
}

func (w *flakyWorker) Work(ctx context.Context, j *river.Job[flakyArgs]) error {
	w.attempts <- j.Attempt
	if j.Attempt == 1 {
		return errors.New("first attempt fails on purpose")
	}
	return nil
}

// NextRetry retries at once so the test needs no clock.
func (w *flakyWorker) NextRetry(*river.Job[flakyArgs]) time.Time { return time.Now() }

func startRunner(t *testing.T, db *sqldb.DB, workers *river.Workers) *jobs.Runner {
	t.Helper()
	ctx := context.Background()
	r, err := jobs.New(db, jobs.Config{Workers: workers, PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.Migrate(ctx); err != nil {
		t.Fatalf("second migration: %v", err)
	}
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Stop(stopCtx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return r
}

func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(15 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	panic("unreachable")
}

func TestInsert_JobRunsOnlyIfItsTransactionCommitted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		done := make(chan string, 10)
		workers := river.NewWorkers()
		river.AddWorker(workers, &noteWorker{done: done})
		r := startRunner(t, db, workers)

		rollback := errors.New("business rule failed")
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			if err := r.Insert(ctx, tx, noteArgs{Note: "rolled back"}, nil); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("InTx = %v", err)
		}
		start := time.Now()
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			return r.Insert(ctx, tx, noteArgs{Note: "committed"}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if got := receive(t, done, "the committed job"); got != "committed" {
			t.Fatalf("first job worked: %q, want the committed one", got)
		}
		t.Logf("committed job ran %v after commit", time.Since(start))
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE kind = 'test.note'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("%d test.note jobs stored, want 1: the rolled-back insert must leave no job to run", n)
		}
		select {
		case got := <-done:
			t.Fatalf("unexpected second job %q", got)
		default:
		}
	})
}

func TestWorker_FailingJobIsRetried(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		attempts := make(chan int, 10)
		workers := river.NewWorkers()
		river.AddWorker(workers, &flakyWorker{attempts: attempts})
		r := startRunner(t, db, workers)
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return r.Insert(ctx, tx, flakyArgs{}, nil) }); err != nil {
			t.Fatal(err)
		}
		if a := receive(t, attempts, "first attempt"); a != 1 {
			t.Fatalf("first attempt numbered %d", a)
		}
		if a := receive(t, attempts, "retry"); a != 2 {
			t.Fatalf("retry numbered %d", a)
		}
	})
}

func TestInsertFromWorker_RefusesOutsideAWorker(t *testing.T) {
	db := sqldbtest.SQLite(t)
	err := db.InTx(context.Background(), func(tx *sqldb.Tx) error {
		return jobs.InsertFromWorker(context.Background(), tx, noteArgs{}, nil)
	})
	if err == nil {
		t.Fatal("InsertFromWorker outside a worker succeeded")
	}
}

func TestInsert_JobFromAnotherNodeIsPickedUpByPolling(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		done := make(chan string, 10)
		workers := river.NewWorkers()
		river.AddWorker(workers, &noteWorker{done: done})
		startRunner(t, db, workers)
		enqueuer, err := jobs.New(db, jobs.Config{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			return enqueuer.Insert(ctx, tx, noteArgs{Note: "from the CLI"}, nil)
		}); err != nil {
			t.Fatal(err)
		}
		if got := receive(t, done, "the job inserted by an insert-only runner"); got != "from the CLI" {
			t.Fatalf("worked %q", got)
		}
		t.Logf("job from another runner ran %v after commit", time.Since(start))
	})
}
