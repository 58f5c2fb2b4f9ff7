package events_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/events"
	"backoffice/sqldb"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// newService returns a Service on db with a fake clock at a fixed date and
// private URLs allowed, so httptest servers on 127.0.0.1 can receive.
func newService(db *sqldb.DB) (*events.Service, *clock) {
	c := &clock{now: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	log := &audit.Log{Now: c.Now}
	return &events.Service{DB: db, Audit: log, Now: c.Now, AllowPrivateURLs: true}, c
}

func createCompany(t *testing.T, db *sqldb.DB, code string) backoffice.ID {
	t.Helper()
	var id int64
	now := time.Now().UTC()
	err := db.QueryRowContext(context.Background(), `INSERT INTO companies (code, name, currency, created_at, updated_at)
		VALUES (?, ?, 'EUR', ?, ?) RETURNING id`, code, code+" Ltd", now, now).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return backoffice.ID(id)
}

// appendChanges records n changes of one entity and action in one transaction.
func appendChanges(t *testing.T, db *sqldb.DB, log *audit.Log, companyID backoffice.ID, entity, action string, n int) []audit.Record {
	t.Helper()
	ctx := context.Background()
	changes := make([]audit.Change, n)
	for i := range changes {
		changes[i] = audit.Change{CompanyID: companyID, Entity: entity, EntityID: strconv.Itoa(i + 1), Action: action,
			New: map[string]any{"name": "item " + strconv.Itoa(i+1)}}
	}
	var recs []audit.Record
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		recs, err = log.Append(ctx, tx, changes...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func createWebhook(t *testing.T, svc *events.Service, nw events.NewWebhook) (events.Webhook, string) {
	t.Helper()
	w, secret, err := svc.CreateWebhook(context.Background(), nw)
	if err != nil {
		t.Fatalf("create webhook %+v: %v", nw, err)
	}
	return w, secret
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := backoffice.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}
