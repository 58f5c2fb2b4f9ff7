package access_test

import (
	"context"
	"strings"
	"testing"

	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestChanges_AreInTheChangeLog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		name := "Robert"
		bob, err := e.s.UpdateUser(e.ctx, bob.ID, bob.Version, access.UserPatch{Name: &name})
		must(t, err)
		newPassword, err := e.s.ResetPassword(e.ctx, bob.ID)
		must(t, err)
		must(t, e.s.ChangePassword(e.ctx, bob.ID, newPassword, "another fine secret"))
		totpSecret, recovery := e.enrolTOTP(bob)
		must(t, e.s.ResetTOTP(e.ctx, bob.ID, "lost phone"))
		must(t, e.s.DisableUser(e.ctx, bob.ID, "left"))
		must(t, e.s.EnableUser(e.ctx, bob.ID, "back"))
		role, err := e.s.CreateRole(e.ctx, access.NewRole{Name: "reader", Permissions: []string{"user.read"}})
		must(t, err)
		desc := "Reads users"
		_, err = e.s.UpdateRole(e.ctx, role.ID, role.Version, access.RolePatch{Description: &desc})
		must(t, err)
		must(t, e.s.SetMemberRole(e.ctx, e.company.ID, bob.ID, role.ID))
		tokenSecret, tok, err := e.s.CreateToken(e.ctx, access.NewToken{Name: "ci", UserID: e.admin.ID, RoleID: e.role(access.RoleClerk).ID})
		must(t, err)
		must(t, e.s.RevokeToken(e.ctx, tok.ID, "rotated"))

		recs, err := audit.List(context.Background(), db, audit.Filter{AllCompanies: true})
		must(t, err)
		seen := map[string]bool{}
		secrets := append([]string{testPassword, newPassword, "another fine secret", totpSecret, tokenSecret, "argon2id"}, recovery...)
		for _, r := range recs {
			seen[r.Entity+"/"+r.Action] = true
			values := string(r.Old) + string(r.New) + r.Reason
			for _, s := range secrets {
				if strings.Contains(values, s) {
					t.Errorf("change %s/%s %s carries a secret or hash: %s", r.Entity, r.Action, r.EntityID, values)
				}
			}
			if strings.Contains(values, "hash") {
				t.Errorf("change %s/%s names a hash: %s", r.Entity, r.Action, values)
			}
		}
		for _, want := range []string{
			"role/create", "role/update", "company/create", "membership/create", "membership/update",
			"user/create", "user/update", "user/reset_password", "user/change_password", "user/totp_enrol",
			"user/totp_reset", "user/disable", "user/enable", "api_token/create", "api_token/revoke",
		} {
			if !seen[want] {
				t.Errorf("no %s in the change log", want)
			}
		}
		hist, err := audit.History(context.Background(), db, "user", bob.ID.String())
		must(t, err)
		for _, r := range hist {
			if r.Action == "update" && (string(r.Old) != `{"name":"bob@example.com"}` || string(r.New) != `{"name":"Robert"}`) {
				t.Errorf("update logged %s -> %s, want only the changed name", r.Old, r.New)
			}
		}
	})
}
