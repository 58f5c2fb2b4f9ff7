package access_test

import (
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCreateUser_ReportsEveryBadField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, _, err := e.s.CreateUser(e.ctx, access.NewUser{
			Email: "not an address", Name: " ", Password: "short",
			Memberships: []access.NewMembership{{CompanyID: 424242, RoleID: 434343}},
		})
		wantCode(t, err, backoffice.EInvalid)
		f := fields(err)
		for _, name := range []string{"email", "name", "password", "memberships[0].company_id", "memberships[0].role_id"} {
			if f[name] == "" {
				t.Errorf("no message for %s in %v", name, f)
			}
		}
	})
}

func TestCreateUser_EnforcesPasswordPolicy(t *testing.T) {
	cases := []struct {
		name, password string
		ok             bool
	}{
		{"nine characters", "123456789", false},
		{"ten characters", "1234567890", true},
		{"the e-mail address", "Carl@Example.com", false},
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for _, c := range cases {
			_, _, err := e.s.CreateUser(e.ctx, access.NewUser{Email: "carl@example.com", Name: "Carl", Password: c.password})
			if c.ok {
				must(t, err)
				continue
			}
			wantCode(t, err, backoffice.EInvalid)
			if fields(err)["password"] != "must be at least 10 characters long and differ from the e-mail address" {
				t.Errorf("%s: fields %v", c.name, fields(err))
			}
		}
	})
}

func TestCreateUser_NormalisesEmailAndRejectsDuplicates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		u, _, err := e.s.CreateUser(e.ctx, access.NewUser{Email: "  Dora@Example.COM ", Name: "Dora", Password: testPassword})
		must(t, err)
		if u.Email != "dora@example.com" {
			t.Fatalf("e-mail stored as %q", u.Email)
		}
		_, _, err = e.s.CreateUser(e.ctx, access.NewUser{Email: "DORA@example.com", Name: "Dora 2", Password: testPassword})
		wantCode(t, err, backoffice.EConflict)
		if _, err := e.s.UserByEmail(e.ctx, "DORA@EXAMPLE.COM"); err != nil {
			t.Fatalf("lookup in another case: %v", err)
		}
	})
}

func TestCreateUser_GeneratesAPasswordWhenNoneIsGiven(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, pw, err := e.s.CreateUser(e.ctx, access.NewUser{Email: "eve@example.com", Name: "Eve"})
		must(t, err)
		if len(pw) < access.MinPasswordLength {
			t.Fatalf("generated password %q is too short", pw)
		}
		if _, err := e.login("eve@example.com", pw, "192.0.2.1"); err != nil {
			t.Fatalf("generated password does not sign in: %v", err)
		}
	})
}

func TestUpdateUser_StaleVersionIsPreconditionFailed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		name := "Robert"
		updated, err := e.s.UpdateUser(e.ctx, bob.ID, bob.Version, access.UserPatch{Name: &name})
		must(t, err)
		if updated.Version != bob.Version+1 || updated.Name != name {
			t.Fatalf("after update: %+v", updated)
		}
		_, err = e.s.UpdateUser(e.ctx, bob.ID, bob.Version, access.UserPatch{Name: &name})
		wantCode(t, err, backoffice.EPrecondition)
		taken := e.admin.Email
		_, err = e.s.UpdateUser(e.ctx, bob.ID, updated.Version, access.UserPatch{Email: &taken})
		wantCode(t, err, backoffice.EConflict)
	})
}

func TestDisableUser_EndsSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		r := e.signIn(bob.Email)
		must(t, e.s.DisableUser(e.ctx, bob.ID, "left the company"))
		_, err := e.s.Session(e.ctx, r.Token)
		wantCode(t, err, backoffice.EUnauthorized)
		must(t, e.s.EnableUser(e.ctx, bob.ID, "came back"))
		_, err = e.s.Session(e.ctx, r.Token)
		wantCode(t, err, backoffice.EUnauthorized)
		e.signIn(bob.Email)
	})
}

func TestDisableUser_KeepsTheLastAdminAndSparesYourself(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		wantCode(t, e.s.DisableUser(e.ctx, e.admin.ID, ""), backoffice.EForbidden)
		carol := e.user("carol@example.com", access.RoleAdmin, e.company)
		carolCtx := backoffice.WithActor(e.ctx, backoffice.Actor{UserID: carol.ID, Name: carol.Email})
		must(t, e.s.DisableUser(carolCtx, e.admin.ID, "two admins, one may go"))
		wantCode(t, e.s.DisableUser(e.ctx, carol.ID, ""), backoffice.EConflict)
		wantCode(t, e.s.RemoveMember(e.ctx, e.company.ID, carol.ID), backoffice.EConflict)
		wantCode(t, e.s.SetMemberRole(e.ctx, e.company.ID, carol.ID, e.role(access.RoleClerk).ID), backoffice.EConflict)
	})
}

func TestResetPassword_EndsSessionsAndReplacesThePassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		r := e.signIn(bob.Email)
		pw, err := e.s.ResetPassword(e.ctx, bob.ID)
		must(t, err)
		_, err = e.s.Session(e.ctx, r.Token)
		wantCode(t, err, backoffice.EUnauthorized)
		_, err = e.login(bob.Email, testPassword, "192.0.2.1")
		wantCode(t, err, backoffice.EUnauthorized)
		if _, err := e.login(bob.Email, pw, "192.0.2.1"); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
}

func TestChangePassword_NeedsTheOldPassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		err := e.s.ChangePassword(e.ctx, bob.ID, "wrong password", "short")
		wantCode(t, err, backoffice.EInvalid)
		if f := fields(err); f["old_password"] == "" || f["new_password"] == "" {
			t.Fatalf("fields %v must name both passwords", f)
		}
		must(t, e.s.ChangePassword(e.ctx, bob.ID, testPassword, "a brand new secret"))
		if _, err := e.login(bob.Email, "a brand new secret", "192.0.2.1"); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
}
