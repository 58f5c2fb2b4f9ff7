package access_test

import (
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestPrincipalCache_EveryAccessChangeReachesEveryNode builds a token's
// principal on two services over one database (two server processes), then
// changes access through one and checks that the other sees it at once.
func TestPrincipalCache_EveryAccessChangeReachesEveryNode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := &access.Service{DB: db, Audit: &audit.Log{Now: e.clk.Now}, Now: e.clk.Now, Argon2: testArgon2}
		u := e.user("ann@example.com", access.RoleAccountant, e.company)
		secret, tok, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t", UserID: u.ID, RoleID: e.role(access.RoleAccountant).ID, CompanyID: e.company.ID})
		must(t, err)
		use := func() (*access.Principal, error) { return other.PrincipalForToken(e.ctx, secret, 0) }
		for i := 0; i < 2; i++ { // the second call answers from the cache
			p, err := use()
			must(t, err)
			if !p.Can("audit.read") {
				t.Fatalf("call %d: accountant token lacks audit.read", i)
			}
		}
		must(t, e.s.SetMemberRole(e.ctx, e.company.ID, u.ID, e.role(access.RoleClerk).ID))
		p, err := use()
		must(t, err)
		if p.Can("audit.read") {
			t.Fatal("the other node still grants the old role's permission")
		}
		must(t, e.s.RevokeToken(e.ctx, tok.ID, "leaked"))
		if _, err := use(); backoffice.ErrorCode(err) != backoffice.EUnauthorized {
			t.Fatalf("revoked token on the other node: %v", err)
		}
	})
}

func TestPrincipalCache_DisabledOwnerAndExpiryEndTheToken(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		u := e.user("bob@example.com", access.RoleAuditor, e.company)
		secret, _, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t", UserID: u.ID, RoleID: e.role(access.RoleAuditor).ID,
			ExpiresAt: e.clk.Now().Add(48 * 3600e9)})
		must(t, err)
		_, err = e.s.PrincipalForToken(e.ctx, secret, 0)
		must(t, err)
		e.clk.Advance(49 * 3600e9)
		if _, err := e.s.PrincipalForToken(e.ctx, secret, 0); backoffice.ErrorCode(err) != backoffice.EUnauthorized {
			t.Fatalf("expired cached token: %v", err)
		}
		secret2, _, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t2", UserID: u.ID, RoleID: e.role(access.RoleAuditor).ID})
		must(t, err)
		_, err = e.s.PrincipalForToken(e.ctx, secret2, 0)
		must(t, err)
		must(t, e.s.DisableUser(e.ctx, u.ID, "left"))
		if _, err := e.s.PrincipalForToken(e.ctx, secret2, 0); backoffice.ErrorCode(err) != backoffice.EUnauthorized {
			t.Fatalf("token of a disabled owner: %v", err)
		}
	})
}
