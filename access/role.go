package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Role is a named set of permissions. Built-in roles are defined in code and
// re-synchronised on every start; custom roles are made by administrators.
type Role struct {
	ID          backoffice.ID `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Builtin     bool          `json:"builtin"`
	RequireTOTP bool          `json:"require_totp"` // members must enrol TOTP before anything else
	Permissions []string      `json:"permissions"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// Has reports whether the role grants perm.
func (r Role) Has(perm string) bool { return slices.Contains(r.Permissions, perm) }

// NewRole is the input of CreateRole.
type NewRole struct {
	Name        string
	Description string
	RequireTOTP bool
	Permissions []string
}

// RolePatch changes the fields that are not nil.
type RolePatch struct {
	Name        *string
	Description *string
	RequireTOTP *bool
	Permissions *[]string
}

func validateRole(r NewRole) error {
	v := backoffice.Validation{}
	n := len([]rune(r.Name))
	v.Check(n >= 1 && n <= 50, "name", "must be 1 to 50 characters")
	v.Check(!isBuiltinName(r.Name), "name", "is the name of a built-in role")
	v.Check(len([]rune(r.Description)) <= 500, "description", "must be at most 500 characters")
	var unknown []string
	for _, p := range r.Permissions {
		if !KnownPermission(p) {
			unknown = append(unknown, p)
		}
	}
	v.Check(len(unknown) == 0, "permissions", "unknown permissions: "+strings.Join(unknown, ", "))
	return v.Err("role")
}

// CreateRole adds a custom role.
func (s *Service) CreateRole(ctx context.Context, in NewRole) (Role, error) {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	in.Permissions = normalisePermissions(in.Permissions)
	if err := validateRole(in); err != nil {
		return Role{}, err
	}
	var out Role
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := insertRole(ctx, tx, in, false, s.now())
		if err != nil {
			return err
		}
		out = r
		return s.logRole(ctx, tx, "create", nil, r, "")
	})
	return out, err
}

// UpdateRole changes a custom role. Built-in roles answer EForbidden.
func (s *Service) UpdateRole(ctx context.Context, id backoffice.ID, version int64, p RolePatch) (Role, error) {
	return s.changeRole(ctx, id, version, func(r *Role) error {
		if r.Builtin {
			return backoffice.Errorf(backoffice.EForbidden, "role %s is built in and cannot be changed; create a custom role instead", r.Name)
		}
		if p.Name != nil {
			r.Name = strings.TrimSpace(*p.Name)
		}
		if p.Description != nil {
			r.Description = strings.TrimSpace(*p.Description)
		}
		if p.RequireTOTP != nil {
			r.RequireTOTP = *p.RequireTOTP
		}
		if p.Permissions != nil {
			r.Permissions = normalisePermissions(*p.Permissions)
		}
		return validateRole(NewRole{Name: r.Name, Description: r.Description, Permissions: r.Permissions})
	})
}

// SetRoleTOTP sets whether members of a role must use TOTP. It works on
// built-in roles too: it is a policy, not a permission set.
func (s *Service) SetRoleTOTP(ctx context.Context, roleID backoffice.ID, require bool, version int64) (Role, error) {
	return s.changeRole(ctx, roleID, version, func(r *Role) error {
		r.RequireTOTP = require
		return nil
	})
}

// changeRole loads a role, applies change, writes it back under version and
// logs the changed fields.
func (s *Service) changeRole(ctx context.Context, id backoffice.ID, version int64, change func(*Role) error) (Role, error) {
	var out Role
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getRole(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return stale("role")
		}
		after := before
		after.Permissions = slices.Clone(before.Permissions)
		if err := change(&after); err != nil {
			return err
		}
		if err := updateRoleRow(ctx, tx, after, version, s.now()); err != nil {
			return err
		}
		if !slices.Equal(before.Permissions, after.Permissions) {
			if err := setPermissions(ctx, tx, id, after.Permissions); err != nil {
				return err
			}
		}
		if out, err = getRole(ctx, tx, id); err != nil {
			return err
		}
		if out.RequireTOTP && !before.RequireTOTP {
			if err := demandEnrolment(ctx, tx); err != nil {
				return err
			}
		}
		return s.logRole(ctx, tx, "update", &before, out, "")
	})
	return out, err
}

// DeleteRole removes a custom role that no membership or token uses.
func (s *Service) DeleteRole(ctx context.Context, id backoffice.ID, version int64) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := getRole(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Builtin {
			return backoffice.Errorf(backoffice.EForbidden, "role %s is built in and cannot be deleted", r.Name)
		}
		if r.Version != version {
			return stale("role")
		}
		used, err := roleInUse(ctx, tx, id)
		if err != nil {
			return err
		}
		if used {
			return backoffice.Errorf(backoffice.EConflict, "role %s is still given to members or API tokens; change those first", r.Name)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM roles WHERE id = ?`, int64(id)); err != nil {
			return fmt.Errorf("delete role: %w", err)
		}
		return s.appendLog(ctx, tx, audit.Change{Entity: "role", EntityID: idText(id), Action: "delete", Old: map[string]any{"name": r.Name, "permissions": r.Permissions}})
	})
}

// GetRole returns one role.
func (s *Service) GetRole(ctx context.Context, id backoffice.ID) (Role, error) {
	return getRole(ctx, s.DB, id)
}

// RoleByName returns the role with that name.
func (s *Service) RoleByName(ctx context.Context, name string) (Role, error) {
	return roleByName(ctx, s.DB, name)
}

// ListRoles returns every role, built-in ones first, then by name.
func (s *Service) ListRoles(ctx context.Context) ([]Role, error) {
	return queryRoles(ctx, s.DB, "ORDER BY builtin DESC, name")
}

func (s *Service) logRole(ctx context.Context, tx *sqldb.Tx, action string, before *Role, after Role, reason string) error {
	c := audit.Change{Entity: "role", EntityID: idText(after.ID), Action: action, Reason: reason}
	var err error
	if before == nil {
		c.New, err = created(after)
	} else {
		var old, new map[string]any
		old, new, err = diff(*before, after)
		if len(new) == 0 && len(old) == 0 {
			return nil
		}
		c.Old, c.New = old, new
	}
	if err != nil {
		return err
	}
	return s.appendLog(ctx, tx, c)
}

// SyncBuiltinRoles creates or corrects the built-in roles from the code's
// definitions. It runs on every start, is idempotent, and writes to the change
// log only when something changed. RequireTOTP is left as administrators set it.
func (s *Service) SyncBuiltinRoles(ctx context.Context) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		for _, def := range builtinRoles() {
			def.Permissions = normalisePermissions(def.Permissions)
			if err := s.syncRole(ctx, tx, def); err != nil {
				return fmt.Errorf("synchronise role %s: %w", def.Name, err)
			}
		}
		return nil
	})
}

func (s *Service) syncRole(ctx context.Context, tx *sqldb.Tx, def NewRole) error {
	now := s.now()
	// ON CONFLICT lets several nodes start at once without failing.
	res, err := tx.ExecContext(ctx, `INSERT INTO roles (name, description, builtin, require_totp, created_at, updated_at, version)
		VALUES (?, ?, TRUE, FALSE, ?, ?, 1) ON CONFLICT (name) DO NOTHING`, def.Name, def.Description, now, now)
	if err != nil {
		return err
	}
	before, err := roleByName(ctx, tx, def.Name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if err := setPermissions(ctx, tx, before.ID, def.Permissions); err != nil {
			return err
		}
		after, err := getRole(ctx, tx, before.ID)
		if err != nil {
			return err
		}
		return s.logRole(ctx, tx, "create", nil, after, "built-in role")
	}
	if before.Builtin && before.Description == def.Description && slices.Equal(before.Permissions, def.Permissions) {
		return nil
	}
	after := before
	after.Builtin, after.Description = true, def.Description
	if err := updateRoleRow(ctx, tx, after, before.Version, now); err != nil {
		return err
	}
	if err := setPermissions(ctx, tx, before.ID, def.Permissions); err != nil {
		return err
	}
	if after, err = getRole(ctx, tx, before.ID); err != nil {
		return err
	}
	return s.logRole(ctx, tx, "update", &before, after, "built-in role definition changed")
}
