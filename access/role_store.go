package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

const roleColumns = `id, name, description, builtin, require_totp, version, created_at, updated_at`

func scanRole(s interface{ Scan(...any) error }) (Role, error) {
	var r Role
	if err := s.Scan(&r.ID, &r.Name, &r.Description, &r.Builtin, &r.RequireTOTP, &r.Version, &r.CreatedAt, &r.UpdatedAt); err != nil {
		return Role{}, err
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	r.Permissions = []string{}
	return r, nil
}

// queryRoles runs a roles query and fills in each role's permissions.
func queryRoles(ctx context.Context, q sqldb.Querier, where string, args ...any) ([]Role, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+roleColumns+" FROM roles "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	var roles []Role
	index := map[backoffice.ID]int{}
	for rows.Next() {
		r, err := scanRole(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("read roles: %w", err)
		}
		index[r.ID] = len(roles)
		roles = append(roles, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read roles: %w", err)
	}
	if len(roles) == 0 {
		return roles, nil
	}
	ids := make([]any, 0, len(roles))
	for _, r := range roles {
		ids = append(ids, int64(r.ID))
	}
	prows, err := q.QueryContext(ctx, "SELECT role_id, permission FROM role_permissions WHERE role_id IN ("+placeholders(len(ids))+") ORDER BY permission", ids...)
	if err != nil {
		return nil, fmt.Errorf("read role permissions: %w", err)
	}
	defer prows.Close()
	for prows.Next() {
		var id backoffice.ID
		var p string
		if err := prows.Scan(&id, &p); err != nil {
			return nil, fmt.Errorf("read role permissions: %w", err)
		}
		r := &roles[index[id]]
		r.Permissions = append(r.Permissions, p)
	}
	return roles, prows.Err()
}

func getRole(ctx context.Context, q sqldb.Querier, id backoffice.ID) (Role, error) {
	roles, err := queryRoles(ctx, q, "WHERE id = ?", int64(id))
	if err != nil {
		return Role{}, err
	}
	if len(roles) == 0 {
		return Role{}, notFound("role")
	}
	return roles[0], nil
}

func roleByName(ctx context.Context, q sqldb.Querier, name string) (Role, error) {
	roles, err := queryRoles(ctx, q, "WHERE name = ?", strings.TrimSpace(name))
	if err != nil {
		return Role{}, err
	}
	if len(roles) == 0 {
		return Role{}, notFound("role")
	}
	return roles[0], nil
}

func insertRole(ctx context.Context, tx *sqldb.Tx, r NewRole, builtin bool, now time.Time) (Role, error) {
	var id backoffice.ID
	err := tx.QueryRowContext(ctx, `INSERT INTO roles (name, description, builtin, require_totp, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id`, r.Name, r.Description, builtin, r.RequireTOTP, now, now).Scan(&id)
	if sqldb.IsUniqueViolation(err) {
		return Role{}, backoffice.Errorf(backoffice.EConflict, "role name %s is already used", r.Name)
	}
	if err != nil {
		return Role{}, fmt.Errorf("insert role: %w", err)
	}
	if err := setPermissions(ctx, tx, id, r.Permissions); err != nil {
		return Role{}, err
	}
	return getRole(ctx, tx, id)
}

func setPermissions(ctx context.Context, tx *sqldb.Tx, roleID backoffice.ID, perms []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM role_permissions WHERE role_id = ?`, int64(roleID)); err != nil {
		return fmt.Errorf("replace role permissions: %w", err)
	}
	for _, p := range perms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)`, int64(roleID), p); err != nil {
			return fmt.Errorf("replace role permissions: %w", err)
		}
	}
	return nil
}

// updateRoleRow writes a role's fields and bumps its version when version is
// still current; it answers EPrecondition otherwise.
func updateRoleRow(ctx context.Context, tx *sqldb.Tx, r Role, version int64, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE roles SET name = ?, description = ?, require_totp = ?, builtin = ?, updated_at = ?, version = version + 1
		WHERE id = ? AND version = ?`, r.Name, r.Description, r.RequireTOTP, r.Builtin, now, int64(r.ID), version)
	if sqldb.IsUniqueViolation(err) {
		return backoffice.Errorf(backoffice.EConflict, "role name %s is already used", r.Name)
	}
	if err != nil {
		return fmt.Errorf("update role: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return stale("role")
	}
	return nil
}

// roleInUse reports whether a membership or an API token (revoked ones too:
// they stay for the record) refers to the role.
func roleInUse(ctx context.Context, q sqldb.Querier, id backoffice.ID) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM memberships WHERE role_id = ?
		UNION ALL SELECT 1 FROM api_tokens WHERE role_id = ? LIMIT 1`, int64(id), int64(id)).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check role use: %w", err)
	}
	return true, nil
}

// placeholders returns "?,?,…" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
