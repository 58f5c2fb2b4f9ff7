package access_test

import (
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestTOTP_EnrolmentGivesAnAppURLAndTenRecoveryCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		en, err := e.s.BeginTOTP(e.ctx, bob.ID)
		must(t, err)
		if !strings.HasPrefix(en.URL, "otpauth://totp/") || !strings.Contains(en.URL, "issuer=Backoffice") || en.Secret == "" {
			t.Fatalf("enrolment %+v is not an authenticator URL", en)
		}
		_, err = e.s.ConfirmTOTP(e.ctx, bob.ID, "000000")
		wantCode(t, err, backoffice.EInvalid)
		codes, err := e.s.ConfirmTOTP(e.ctx, bob.ID, code(t, en.Secret, e.clk.Now()))
		must(t, err)
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes, want 10", len(codes))
		}
		if u, _ := e.s.GetUser(e.ctx, bob.ID); !u.TOTPEnabled {
			t.Fatal("TOTP not enabled after confirmation")
		}
	})
}

func TestTOTP_RejectsReusedCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		secret, _ := e.enrolTOTP(bob)
		r := e.signIn("bob@example.com")
		// The code that confirmed the enrolment is spent.
		wantCode(t, e.s.VerifyTOTP(e.ctx, r.Token, code(t, secret, e.clk.Now())), backoffice.EUnauthorized)
		e.clk.Advance(30 * time.Second)
		c := code(t, secret, e.clk.Now())
		must(t, e.s.VerifyTOTP(e.ctx, r.Token, c))
		r2 := e.signIn("bob@example.com")
		wantCode(t, e.s.VerifyTOTP(e.ctx, r2.Token, c), backoffice.EUnauthorized)
		if s, _ := e.s.Session(e.ctx, r2.Token); s.State != access.StateTOTP {
			t.Fatalf("a reused code moved the session to %q", s.State)
		}
	})
}

func TestTOTP_AcceptsOneStepOfClockDrift(t *testing.T) {
	cases := []struct {
		name   string
		offset time.Duration
		ok     bool
	}{
		{"previous step", -30 * time.Second, true},
		{"next step", 30 * time.Second, true},
		{"two steps ahead", 60 * time.Second, false},
		{"two steps behind", -60 * time.Second, false},
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		secret, _ := e.enrolTOTP(bob)
		for _, c := range cases {
			e.clk.Advance(5 * time.Minute) // well past any step used before
			r := e.signIn(bob.Email)
			err := e.s.VerifyTOTP(e.ctx, r.Token, code(t, secret, e.clk.Now().Add(c.offset)))
			if (err == nil) != c.ok {
				t.Errorf("%s: err = %v, want ok=%v", c.name, err, c.ok)
			}
		}
	})
}

func TestTOTP_RecoveryCodeWorksOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		_, codes := e.enrolTOTP(bob)
		r := e.signIn("bob@example.com")
		must(t, e.s.VerifyTOTP(e.ctx, r.Token, strings.ToUpper(codes[3])))
		if s, _ := e.s.Session(e.ctx, r.Token); s.State != access.StateActive {
			t.Fatalf("recovery code left the session %q", s.State)
		}
		r2 := e.signIn("bob@example.com")
		wantCode(t, e.s.VerifyTOTP(e.ctx, r2.Token, codes[3]), backoffice.EUnauthorized)
		must(t, e.s.VerifyTOTP(e.ctx, r2.Token, codes[4]))
	})
}

func TestTOTP_WrongCodesCountAsFailedSignIns(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		secret, _ := e.enrolTOTP(bob)
		r := e.signIn("bob@example.com")
		for range access.MaxFailedLogins {
			wantCode(t, e.s.VerifyTOTP(e.ctx, r.Token, "123456x"), backoffice.EUnauthorized)
		}
		e.clk.Advance(30 * time.Second)
		wantCode(t, e.s.VerifyTOTP(e.ctx, r.Token, code(t, secret, e.clk.Now())), backoffice.ETooManyRequests)
		_, err := e.login("bob@example.com", testPassword, "192.0.2.1")
		wantCode(t, err, backoffice.ETooManyRequests)
	})
}

func TestTOTP_ResetLetsTheUserEnrolAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		_, codes := e.enrolTOTP(bob)
		_, err := e.s.BeginTOTP(e.ctx, bob.ID)
		wantCode(t, err, backoffice.EConflict)
		must(t, e.s.ResetTOTP(e.ctx, bob.ID, "lost phone"))
		if got := e.signIn("bob@example.com").State; got != access.StateActive {
			t.Fatalf("after reset: state %q", got)
		}
		e.clk.Advance(time.Minute)
		e.enrolTOTP(bob)
		r := e.signIn("bob@example.com")
		wantCode(t, e.s.VerifyTOTP(e.ctx, r.Token, codes[0]), backoffice.EUnauthorized)
	})
}

func TestTOTP_PendingSignInExpires(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		secret, _ := e.enrolTOTP(bob)
		r := e.signIn("bob@example.com")
		e.clk.Advance(access.SessionTOTPWait)
		wantCode(t, e.s.VerifyTOTP(e.ctx, r.Token, code(t, secret, e.clk.Now())), backoffice.EUnauthorized)
	})
}
