package access_test

import (
	"testing"
	"time"

	"backoffice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPrune_DeletesEndedSessionsAndOldAttemptsOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		old := e.signIn(e.admin.Email)
		_, _ = e.login(e.admin.Email, "wrong password", "192.0.2.1")
		e.clk.Advance(91 * 24 * time.Hour)
		fresh := e.signIn(e.admin.Email)
		n, err := e.s.Prune(e.ctx)
		must(t, err)
		if n != 3 { // the old session, its sign-in and the failed attempt
			t.Fatalf("pruned %d rows, want 3", n)
		}
		if _, err := e.s.Session(e.ctx, fresh.Token); err != nil {
			t.Fatalf("live session pruned: %v", err)
		}
		_, err = e.s.Session(e.ctx, old.Token)
		wantCode(t, err, backoffice.EUnauthorized)
	})
}
