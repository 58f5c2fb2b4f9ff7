package main

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestMaintenance_PurgesExpiredIdempotencyAnswersOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		insert := func(key string, at time.Time) {
			_, err := db.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, idem_key, method, path, body_hash, status, content_type, response, created_at)
				VALUES ('u', ?, 'POST', '/x', 'h', 201, 'application/json', ?, ?)`, key, []byte("{}"), at.UTC())
			must(t, err)
		}
		insert("old", time.Now().Add(-48*time.Hour))
		insert("new", time.Now())
		w := &maintenanceWorker{db: db, access: &access.Service{DB: db, Audit: &audit.Log{}}, logger: slog.New(slog.DiscardHandler)}
		must(t, w.Work(ctx, nil))
		var keys []string
		rows, err := db.QueryContext(ctx, `SELECT idem_key FROM idempotency_keys ORDER BY idem_key`)
		must(t, err)
		defer rows.Close()
		for rows.Next() {
			var k string
			must(t, rows.Scan(&k))
			keys = append(keys, k)
		}
		if len(keys) != 1 || keys[0] != "new" {
			t.Fatalf("keys after maintenance: %v", keys)
		}
	})
}
