package access_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func countAttempts(t *testing.T, db *sqldb.DB, outcome string) int {
	t.Helper()
	var n int
	must(t, db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM login_attempts WHERE outcome = ?`, outcome).Scan(&n))
	return n
}

func TestLogin_ThrottlesAfterFiveFailuresPerAccount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk, e.company)
		for i := range access.MaxFailedLogins {
			e.clk.Advance(time.Minute)
			_, err := e.login("bob@example.com", "wrong password", "198.51.100."+string(rune('1'+i)))
			wantCode(t, err, backoffice.EUnauthorized)
		}
		// Fifth failure at minute 5; the lock lifts at minute 16 (first failure + 15).
		_, err := e.login("BOB@example.com", testPassword, "203.0.113.9")
		wantCode(t, err, backoffice.ETooManyRequests)
		if !strings.Contains(err.Error(), "try again in 11 minutes") {
			t.Errorf("message %q does not say when to try again", err)
		}
		if n := countAttempts(t, db, access.OutcomeThrottled); n != 1 {
			t.Errorf("%d throttled attempts recorded, want 1", n)
		}
		e.clk.Advance(11 * time.Minute)
		if _, err := e.login("bob@example.com", testPassword, "203.0.113.9"); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

func TestLogin_ThrottlesAfterFiveFailuresPerIP(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk, e.company)
		for i := range access.MaxFailedLogins {
			_, err := e.login("nobody"+string(rune('a'+i))+"@example.com", "whatever", "198.51.100.7")
			wantCode(t, err, backoffice.EUnauthorized)
		}
		_, err := e.login("bob@example.com", testPassword, "198.51.100.7")
		wantCode(t, err, backoffice.ETooManyRequests)
		if _, err := e.login("bob@example.com", testPassword, "198.51.100.8"); err != nil {
			t.Fatalf("another IP is throttled too: %v", err)
		}
	})
}

func TestLogin_FourFailuresDoNotThrottle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk, e.company)
		for range access.MaxFailedLogins - 1 {
			_, err := e.login("bob@example.com", "wrong password", "198.51.100.1")
			wantCode(t, err, backoffice.EUnauthorized)
		}
		if _, err := e.login("bob@example.com", testPassword, "198.51.100.1"); err != nil {
			t.Fatalf("fifth attempt with the right password: %v", err)
		}
	})
}

func TestLogin_SameErrorForUnknownEmailAndWrongPassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk, e.company)
		_, unknown := e.login("nobody@example.com", testPassword, "198.51.100.1")
		_, wrong := e.login("bob@example.com", "wrong password", "198.51.100.2")
		wantCode(t, unknown, backoffice.EUnauthorized)
		wantCode(t, wrong, backoffice.EUnauthorized)
		if unknown.Error() != wrong.Error() {
			t.Errorf("unknown e-mail says %q, wrong password says %q", unknown, wrong)
		}
		if countAttempts(t, db, access.OutcomeUnknownEmail) != 1 || countAttempts(t, db, access.OutcomeWrongPassword) != 1 {
			t.Error("both attempts must be recorded with their outcome")
		}
	})
}

func TestLogin_DisabledUserIsUnauthorized(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		must(t, e.s.DisableUser(e.ctx, bob.ID, "left"))
		_, err := e.login("bob@example.com", testPassword, "198.51.100.1")
		wantCode(t, err, backoffice.EUnauthorized)
	})
}

func TestLogin_StateFollowsTheTOTPPolicy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk, e.company)
		if got := e.signIn("bob@example.com").State; got != access.StateActive {
			t.Fatalf("no TOTP policy: state %q", got)
		}
		clerk := e.role(access.RoleClerk)
		_, err := e.s.SetRoleTOTP(e.ctx, clerk.ID, true, clerk.Version)
		must(t, err)
		r := e.signIn("bob@example.com")
		if r.State != access.StateEnrol {
			t.Fatalf("role requires TOTP: state %q, want enrol", r.State)
		}
		sess, err := e.s.Session(e.ctx, r.Token)
		must(t, err)
		p, err := e.s.PrincipalForSession(e.ctx, sess, 0)
		must(t, err)
		if p.Can("company.read") || !p.MustEnrolTOTP {
			t.Fatal("a user who must enrol TOTP has permissions")
		}
		bob, _ := e.s.UserByEmail(e.ctx, "bob@example.com")
		e.enrolTOTP(bob)
		if sess, _ = e.s.Session(e.ctx, r.Token); sess.State != access.StateActive {
			t.Fatalf("after enrolment the session is %q, want active", sess.State)
		}
		if got := e.signIn("bob@example.com").State; got != access.StateTOTP {
			t.Fatalf("TOTP enabled: state %q, want totp", got)
		}
	})
}

func TestLogin_UpgradesHashParametersAtSignIn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk, e.company)
		hash := func() string {
			var h string
			must(t, db.QueryRowContext(context.Background(), `SELECT password_hash FROM users WHERE email = 'bob@example.com'`).Scan(&h))
			return h
		}
		if !strings.HasPrefix(hash(), "$argon2id$v=19$m=1024,t=1,p=1$") {
			t.Fatalf("hash %q is not a PHC argon2id string with the service's parameters", hash())
		}
		e.s.Argon2 = access.Argon2Params{Memory: 2048, Time: 2, Threads: 1}
		e.signIn("bob@example.com")
		if !strings.HasPrefix(hash(), "$argon2id$v=19$m=2048,t=2,p=1$") {
			t.Fatalf("hash %q was not upgraded to the new parameters", hash())
		}
		e.signIn("bob@example.com") // the upgraded hash still verifies
	})
}

func TestLogin_PolicyChangeSendsActiveSessionsToEnrolment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		r := e.signIn(bob.Email)
		auditor := e.role(access.RoleAuditor)
		_, err := e.s.SetRoleTOTP(e.ctx, auditor.ID, true, auditor.Version)
		must(t, err)
		state := func() string {
			s, err := e.s.Session(e.ctx, r.Token)
			must(t, err)
			return s.State
		}
		if got := state(); got != access.StateActive {
			t.Fatalf("a policy on another role changed the session to %q", got)
		}
		must(t, e.s.SetMemberRole(e.ctx, e.company.ID, bob.ID, auditor.ID))
		if got := state(); got != access.StateEnrol {
			t.Fatalf("after moving to a role that requires TOTP the session is %q, want enrol", got)
		}
		e.enrolTOTP(bob)
		if got := state(); got != access.StateActive {
			t.Fatalf("after enrolment the session is %q", got)
		}
		must(t, e.s.ResetTOTP(e.ctx, bob.ID, "lost phone"))
		if got := state(); got != access.StateEnrol {
			t.Fatalf("after a TOTP reset the session is %q, want enrol", got)
		}
	})
}
