package access_test

import (
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func sessionOf(t *testing.T, e *env, email string) (access.Session, string) {
	t.Helper()
	r := e.signIn(email)
	s, err := e.s.Session(e.ctx, r.Token)
	must(t, err)
	return s, r.Token
}

func TestPrincipal_UnknownCompanyIsNotFound(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newCompany("OTHER")
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		sess, token := sessionOf(t, e, bob.Email)
		_, notMember := e.s.PrincipalForSession(e.ctx, sess, other.ID)
		_, missing := e.s.PrincipalForSession(e.ctx, sess, 999999)
		wantCode(t, notMember, backoffice.ENotFound)
		wantCode(t, missing, backoffice.ENotFound)
		if notMember.Error() != missing.Error() {
			t.Errorf("an existing company answers %q, a missing one %q", notMember, missing)
		}
		wantCode(t, e.s.SetSessionCompany(e.ctx, token, other.ID), backoffice.ENotFound)
	})
}

func TestPrincipal_PermissionsComeFromTheRoleInTheCurrentCompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		beta := e.newCompany("BETA")
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		must(t, e.s.AddMember(e.ctx, beta.ID, bob.ID, e.role(access.RoleAccountant).ID))
		sess, token := sessionOf(t, e, bob.Email)
		p, err := e.s.PrincipalForSession(e.ctx, sess, 0)
		must(t, err)
		if p.Company.ID != e.company.ID || p.Can("audit.read") || !p.Can("company.read") {
			t.Fatalf("first company (ACME, clerk): got %s as %s", p.Company.Code, p.Role.Name)
		}
		must(t, e.s.SetSessionCompany(e.ctx, token, beta.ID))
		sess, _ = e.s.Session(e.ctx, token)
		p, err = e.s.PrincipalForSession(e.ctx, sess, 0)
		must(t, err)
		if p.Company.ID != beta.ID || !p.Can("audit.read") || p.Can("user.manage") {
			t.Fatalf("session company BETA (accountant): got %s as %s", p.Company.Code, p.Role.Name)
		}
		if a := p.Actor("192.0.2.1"); a.UserID != bob.ID || a.Name != bob.Email || a.IP != "192.0.2.1" || a.TokenID != 0 {
			t.Fatalf("actor %+v", a)
		}
	})
}

func TestPrincipal_UserWithoutMembershipHasNoPermissions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.user("bob@example.com", access.RoleClerk)
		sess, _ := sessionOf(t, e, "bob@example.com")
		p, err := e.s.PrincipalForSession(e.ctx, sess, 0)
		must(t, err)
		if p.Company.ID != 0 || len(p.CompanyIDs()) != 0 || p.Can("company.read") {
			t.Fatalf("principal without membership: %+v", p)
		}
	})
}

func TestPrincipal_SessionWaitingForCodeIsUnauthorized(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		e.enrolTOTP(bob)
		sess, _ := sessionOf(t, e, bob.Email)
		_, err := e.s.PrincipalForSession(e.ctx, sess, 0)
		wantCode(t, err, backoffice.EUnauthorized)
	})
}
