package access_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestToken_CannotExceedOwnersPermissions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		beta := e.newCompany("BETA")
		bob := e.user("bob@example.com", access.RoleAccountant, e.company)
		must(t, e.s.AddMember(e.ctx, beta.ID, bob.ID, e.role(access.RoleClerk).ID))
		cases := []struct {
			name    string
			role    string
			company backoffice.ID
			want    string
		}{
			{"admin role over accountant owner", access.RoleAdmin, e.company.ID, backoffice.EForbidden},
			{"same role as owner", access.RoleAccountant, e.company.ID, ""},
			{"smaller role", access.RoleClerk, e.company.ID, ""},
			{"accountant role where owner is clerk", access.RoleAccountant, beta.ID, backoffice.EForbidden},
			{"unscoped role must fit every company", access.RoleAccountant, 0, backoffice.EForbidden},
			{"unscoped smallest role", access.RoleClerk, 0, ""},
			{"company owner does not belong to", access.RoleClerk, e.newCompany("GAMMA").ID, backoffice.ENotFound},
		}
		for _, c := range cases {
			_, _, err := e.s.CreateToken(e.ctx, access.NewToken{Name: c.name, UserID: bob.ID, RoleID: e.role(c.role).ID, CompanyID: c.company})
			if got := backoffice.ErrorCode(err); got != c.want {
				t.Errorf("%s: code %q (%v), want %q", c.name, got, err, c.want)
			}
		}
	})
}

func TestToken_ScopedToOneCompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		beta := e.newCompany("BETA")
		secret, _, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "ci", UserID: e.admin.ID, RoleID: e.role(access.RoleAuditor).ID, CompanyID: e.company.ID})
		must(t, err)
		p, err := e.s.PrincipalForToken(e.ctx, secret, 0)
		must(t, err)
		if p.Company.ID != e.company.ID || !slices.Equal(p.CompanyIDs(), []backoffice.ID{e.company.ID}) {
			t.Fatalf("scoped token sees company %d and %v", p.Company.ID, p.CompanyIDs())
		}
		if !p.Can("audit.read") || p.Can("user.manage") || p.TokenID == 0 {
			t.Fatalf("token principal has the wrong permissions: %+v", p.Role.Permissions)
		}
		_, err = e.s.PrincipalForToken(e.ctx, secret, beta.ID)
		wantCode(t, err, backoffice.ENotFound)
	})
}

func TestToken_UnscopedSeesEveryCompanyOfTheOwner(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		beta := e.newCompany("BETA")
		secret, _, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "all", UserID: e.admin.ID, RoleID: e.role(access.RoleAuditor).ID})
		must(t, err)
		p, err := e.s.PrincipalForToken(e.ctx, secret, beta.ID)
		must(t, err)
		if p.Company.ID != beta.ID || len(p.CompanyIDs()) != 2 {
			t.Fatalf("unscoped token: company %d, companies %v", p.Company.ID, p.CompanyIDs())
		}
	})
}

func TestToken_RevokedIsUnauthorized(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleAccountant, e.company)
		newToken := func(expires time.Time) (string, access.Token) {
			secret, tok, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t", UserID: bob.ID, RoleID: e.role(access.RoleClerk).ID, ExpiresAt: expires})
			must(t, err)
			return secret, tok
		}
		revoked, tok := newToken(time.Time{})
		must(t, e.s.RevokeToken(e.ctx, tok.ID, "leaked"))
		expired, _ := newToken(e.clk.Now().Add(time.Hour))
		ownerDisabled, _ := newToken(time.Time{})
		e.clk.Advance(time.Hour)
		cases := map[string]string{"revoked": revoked, "expired": expired, "unknown": "bo_0000", "empty": ""}
		for name, secret := range cases {
			_, err := e.s.PrincipalForToken(e.ctx, secret, 0)
			if backoffice.ErrorCode(err) != backoffice.EUnauthorized {
				t.Errorf("%s token: %v, want unauthorized", name, err)
			}
		}
		if _, err := e.s.PrincipalForToken(e.ctx, ownerDisabled, 0); err != nil {
			t.Fatalf("valid token refused: %v", err)
		}
		must(t, e.s.DisableUser(e.ctx, bob.ID, "left"))
		_, err := e.s.PrincipalForToken(e.ctx, ownerDisabled, 0)
		wantCode(t, err, backoffice.EUnauthorized)
	})
}

func TestToken_FollowsTheOwnersCurrentPermissions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleAccountant, e.company)
		secret, _, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t", UserID: bob.ID, RoleID: e.role(access.RoleAccountant).ID, CompanyID: e.company.ID})
		must(t, err)
		must(t, e.s.SetMemberRole(e.ctx, e.company.ID, bob.ID, e.role(access.RoleClerk).ID))
		p, err := e.s.PrincipalForToken(e.ctx, secret, 0)
		must(t, err)
		if !slices.Equal(p.Role.Permissions, []string{"company.read", "invoice.manage", "invoice.read", "ledger.read", "payment.manage", "payment.read", "token.read"}) {
			t.Fatalf("token of a demoted owner has %v, want the clerk's permissions", p.Role.Permissions)
		}
		must(t, e.s.RemoveMember(e.ctx, e.company.ID, bob.ID))
		_, err = e.s.PrincipalForToken(e.ctx, secret, e.company.ID)
		wantCode(t, err, backoffice.ENotFound)
		p, err = e.s.PrincipalForToken(e.ctx, secret, 0)
		must(t, err)
		if p.Can("company.read") {
			t.Fatal("token of an owner removed from the company still has permissions")
		}
	})
}

func TestToken_SecretIsStoredOnlyAsHash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		secret, tok, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t", UserID: e.admin.ID, RoleID: e.role(access.RoleClerk).ID})
		must(t, err)
		if !strings.HasPrefix(secret, "bo_") || !strings.HasPrefix(secret, tok.Prefix) || len(tok.Prefix) >= len(secret)/2 {
			t.Fatalf("secret %q, prefix %q", secret, tok.Prefix)
		}
		var n int
		must(t, db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM api_tokens WHERE token_hash = ? OR name = ? OR prefix = ?`, secret, secret, secret).Scan(&n))
		if n != 0 {
			t.Fatal("the token secret is stored in clear")
		}
		if !tok.ExpiresAt.Equal(e.clk.Now().Add(access.TokenDefaultLifetime)) {
			t.Errorf("default expiry %v, want 90 days", tok.ExpiresAt)
		}
	})
}

func TestToken_ExpiryIsAtMostOneYear(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, _, err := e.s.CreateToken(e.ctx, access.NewToken{UserID: e.admin.ID, RoleID: e.role(access.RoleClerk).ID, ExpiresAt: e.clk.Now().AddDate(1, 0, 1)})
		wantCode(t, err, backoffice.EInvalid)
		if f := fields(err); f["expires_at"] == "" || f["name"] == "" {
			t.Fatalf("fields %v must name expires_at and name", f)
		}
	})
}

func TestToken_RecordsLastUseAtMostOncePerMinute(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		secret, tok, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "t", UserID: e.admin.ID, RoleID: e.role(access.RoleClerk).ID})
		must(t, err)
		lastUsed := func() time.Time {
			list, err := e.s.ListTokens(e.ctx, access.TokenFilter{UserID: e.admin.ID})
			must(t, err)
			if len(list) != 1 || list[0].ID != tok.ID || list[0].LastUsedAt == nil {
				t.Fatalf("tokens %+v", list)
			}
			return *list[0].LastUsedAt
		}
		start := e.clk.Now()
		_, err = e.s.PrincipalForToken(e.ctx, secret, 0)
		must(t, err)
		e.clk.Advance(59 * time.Second)
		_, _ = e.s.PrincipalForToken(e.ctx, secret, 0)
		if got := lastUsed(); !got.Equal(start) {
			t.Fatalf("last use %v rewritten within a minute", got)
		}
		e.clk.Advance(time.Second)
		_, _ = e.s.PrincipalForToken(e.ctx, secret, 0)
		if got := lastUsed(); !got.Equal(e.clk.Now()) {
			t.Fatalf("last use %v not refreshed after a minute", got)
		}
	})
}
