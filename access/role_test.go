package access_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestRole_BuiltinCannotBeEdited(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		clerk := e.role(access.RoleClerk)
		perms := []string{"company.manage"}
		_, err := e.s.UpdateRole(e.ctx, clerk.ID, clerk.Version, access.RolePatch{Permissions: &perms})
		wantCode(t, err, backoffice.EForbidden)
		wantCode(t, e.s.DeleteRole(e.ctx, clerk.ID, clerk.Version), backoffice.EForbidden)
		// The TOTP policy is not a permission set: it may change.
		got, err := e.s.SetRoleTOTP(e.ctx, clerk.ID, true, clerk.Version)
		must(t, err)
		if !got.RequireTOTP || got.Version != clerk.Version+1 || !slices.Equal(got.Permissions, clerk.Permissions) {
			t.Fatalf("after SetRoleTOTP: %+v", got)
		}
	})
}

func TestRole_BuiltinRolesHaveTheirDefinedPermissions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		var reads []string
		for _, p := range access.Permissions() {
			if strings.HasSuffix(p.Name, ".read") {
				reads = append(reads, p.Name)
			}
		}
		admin, auditor, accountant := e.role(access.RoleAdmin), e.role(access.RoleAuditor), e.role(access.RoleAccountant)
		if len(admin.Permissions) != len(access.Permissions()) {
			t.Errorf("admin has %d permissions, want all %d", len(admin.Permissions), len(access.Permissions()))
		}
		if slices.Sort(reads); !slices.Equal(auditor.Permissions, reads) {
			t.Errorf("auditor has %v, want every *.read", auditor.Permissions)
		}
		if accountant.Has("metrics.read") || !accountant.Has("token.manage") || !accountant.Has("audit.read") || accountant.Has("user.manage") {
			t.Errorf("accountant has %v", accountant.Permissions)
		}
		if !accountant.Has("ledger.post") || !accountant.Has("ledger.manage") || !accountant.Has("ledger.close") {
			t.Errorf("accountant cannot keep the books: %v", accountant.Permissions)
		}
		if clerk := e.role(access.RoleClerk); !slices.Equal(clerk.Permissions, []string{"company.read", "invoice.manage", "invoice.read", "ledger.read", "payment.manage", "payment.read", "token.read"}) {
			t.Errorf("clerk has %v", clerk.Permissions)
		}
	})
}

func TestSyncBuiltinRoles_IsIdempotentAndRepairsDrift(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		head := func() int64 {
			seq, _, err := audit.Head(ctx, db)
			must(t, err)
			return seq
		}
		before := head()
		must(t, e.s.SyncBuiltinRoles(ctx))
		if head() != before {
			t.Fatal("a sync without changes wrote to the change log")
		}
		auditor := e.role(access.RoleAuditor)
		_, err := db.ExecContext(ctx, `INSERT INTO role_permissions (role_id, permission) VALUES (?, 'user.manage')`, int64(auditor.ID))
		must(t, err)
		must(t, e.s.SyncBuiltinRoles(ctx))
		if e.role(access.RoleAuditor).Has("user.manage") {
			t.Fatal("sync left a permission the code does not give")
		}
		if head() != before+1 {
			t.Fatalf("repair logged %d changes, want 1", head()-before)
		}
	})
}

func TestRole_CustomRoleLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateRole(e.ctx, access.NewRole{Name: "admin", Permissions: []string{"no.such"}})
		wantCode(t, err, backoffice.EInvalid)
		if f := fields(err); f["name"] == "" || !strings.Contains(f["permissions"], "no.such") {
			t.Fatalf("fields %v", f)
		}
		r, err := e.s.CreateRole(e.ctx, access.NewRole{Name: "reader", Permissions: []string{"user.read", "company.read", "user.read"}})
		must(t, err)
		if !slices.Equal(r.Permissions, []string{"company.read", "user.read"}) || r.Builtin {
			t.Fatalf("created %+v", r)
		}
		_, err = e.s.CreateRole(e.ctx, access.NewRole{Name: "reader"})
		wantCode(t, err, backoffice.EConflict)
		perms := []string{"audit.read"}
		r2, err := e.s.UpdateRole(e.ctx, r.ID, r.Version, access.RolePatch{Permissions: &perms})
		must(t, err)
		if !slices.Equal(r2.Permissions, perms) {
			t.Fatalf("updated permissions %v", r2.Permissions)
		}
		_, err = e.s.UpdateRole(e.ctx, r.ID, r.Version, access.RolePatch{Permissions: &perms})
		wantCode(t, err, backoffice.EPrecondition)
		bob := e.user("bob@example.com", access.RoleClerk, e.company)
		must(t, e.s.SetMemberRole(e.ctx, e.company.ID, bob.ID, r.ID))
		wantCode(t, e.s.DeleteRole(e.ctx, r.ID, r2.Version), backoffice.EConflict)
		must(t, e.s.SetMemberRole(e.ctx, e.company.ID, bob.ID, e.role(access.RoleClerk).ID))
		must(t, e.s.DeleteRole(e.ctx, r.ID, r2.Version))
		_, err = e.s.GetRole(e.ctx, r.ID)
		wantCode(t, err, backoffice.ENotFound)
	})
}
