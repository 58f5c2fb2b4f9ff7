package events_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"backoffice/events"
	"backoffice/jobs"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestDispatch_ConcurrentRunsCreateOneDeliveryPerMatchingWebhook(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, _ := newService(db)
		acme, other := createCompany(t, db, "ACME"), createCompany(t, db, "OTHER")
		const url = "https://example.com/hook"
		all, _ := createWebhook(t, svc, events.NewWebhook{CompanyID: acme, URL: url, Events: []string{"user.*"}, Active: true})
		exact, _ := createWebhook(t, svc, events.NewWebhook{CompanyID: acme, URL: url, Events: []string{"user.create"}, Active: true})
		createWebhook(t, svc, events.NewWebhook{CompanyID: acme, URL: url, Events: []string{"invoice.*"}, Active: true})
		createWebhook(t, svc, events.NewWebhook{CompanyID: acme, URL: url, Events: []string{"user.*"}, Active: false})
		createWebhook(t, svc, events.NewWebhook{CompanyID: other, URL: url, Events: []string{"user.*"}, Active: true})
		const changes = 700 // more than one batch
		appendChanges(t, db, svc.Audit, acme, "user", "create", changes)
		appendChanges(t, db, svc.Audit, 0, "user", "create", 3) // installation-wide: no webhook

		var wg sync.WaitGroup
		counts, errs := make([]int, 2), make([]error, 2)
		start := make(chan struct{})
		for i := range 2 {
			wg.Go(func() {
				<-start
				counts[i], errs[i] = svc.Dispatch(ctx)
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("Dispatch errors: %v", errs)
		}
		rest, err := svc.Dispatch(ctx) // whatever a loser left
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("concurrent runs created %d and %d deliveries, a last run %d", counts[0], counts[1], rest)
		if total := counts[0] + counts[1] + rest; total != 2*changes {
			t.Fatalf("Dispatch runs reported %d + %d + %d deliveries, want %d", counts[0], counts[1], rest, 2*changes)
		}
		var rows, distinct, perAll, perExact int
		err = db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT webhook_id * 1000000 + seq),
			SUM(CASE WHEN webhook_id = ? THEN 1 ELSE 0 END), SUM(CASE WHEN webhook_id = ? THEN 1 ELSE 0 END)
			FROM webhook_deliveries`, int64(all.ID), int64(exact.ID)).Scan(&rows, &distinct, &perAll, &perExact)
		if err != nil {
			t.Fatal(err)
		}
		if rows != 2*changes || distinct != rows || perAll != changes || perExact != changes {
			t.Fatalf("%d deliveries (%d distinct), %d to user.*, %d to user.create; want %d each", rows, distinct, perAll, perExact, changes)
		}
		if n, err := svc.Dispatch(ctx); err != nil || n != 0 {
			t.Fatalf("a caught-up Dispatch created %d (%v)", n, err)
		}
	})
}

func TestRegister_JobsDeliverCommittedChanges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, _ := newService(db)
		svc.Now = nil // real time: River schedules by the wall clock
		company := createCompany(t, db, "ACME")
		got := make(chan string, 10)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got <- r.Header.Get("Backoffice-Event")
		}))
		t.Cleanup(srv.Close)
		createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: srv.URL, Events: []string{"user.*"}, Active: true})
		appendChanges(t, db, svc.Audit, company, "user", "delete", 1)

		workers := river.NewWorkers()
		periodic := events.Register(workers, svc)
		runner, err := jobs.New(db, jobs.Config{Workers: workers, PeriodicJobs: periodic, PollInterval: 50 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if err := runner.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := runner.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = runner.Stop(stop)
		})
		select {
		case ev := <-got:
			if ev != "user.delete" {
				t.Fatalf("receiver got %q", ev)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no delivery through the jobs within 20 s")
		}
	})
}
