package access_test

import (
	"testing"
	"time"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestSession_EndsAfterTwelveIdleHours(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.signIn(e.admin.Email)
		e.clk.Advance(access.SessionIdle - time.Second)
		s, err := e.s.Session(e.ctx, r.Token)
		must(t, err)
		if !s.ExpiresAt.Equal(e.clk.Now().Add(access.SessionIdle)) {
			t.Fatalf("use did not extend the idle timeout: expires %v", s.ExpiresAt)
		}
		e.clk.Advance(access.SessionIdle)
		_, err = e.s.Session(e.ctx, r.Token)
		wantCode(t, err, backoffice.EUnauthorized)
	})
}

func TestSession_EndsSevenDaysAfterSignInHoweverBusy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.signIn(e.admin.Email)
		start := e.clk.Now()
		for range 100 {
			e.clk.Advance(6 * time.Hour) // used every six hours: never idle
			if _, err := e.s.Session(e.ctx, r.Token); err != nil {
				wantCode(t, err, backoffice.EUnauthorized)
				break
			}
		}
		if got := e.clk.Now().Sub(start); got != access.SessionMax {
			t.Fatalf("session ended after %v, want %v", got, access.SessionMax)
		}
	})
}

func TestSession_WorksAcrossServerProcesses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.signIn(e.admin.Email)
		// A second node: its own Service on the same database.
		other := &access.Service{DB: db, Audit: &audit.Log{Now: e.clk.Now}, Now: e.clk.Now, Argon2: testArgon2}
		s, err := other.Session(e.ctx, r.Token)
		must(t, err)
		if s.UserID != e.admin.ID || s.ID == r.Token || s.State != access.StateActive {
			t.Fatalf("session on another node: %+v", s)
		}
		must(t, other.Logout(e.ctx, r.Token))
		_, err = e.s.Session(e.ctx, r.Token)
		wantCode(t, err, backoffice.EUnauthorized)
	})
}
