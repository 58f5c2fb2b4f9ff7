package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

// The queries here build a request's principal. Every request pays for them,
// so they read what they need in few round trips: four queries for a token
// request instead of nine (see bench/web_test.go for the figures).

// memberRow is a membership with what a principal needs of its company and role.
type memberRow struct {
	Membership
	company     Company
	requireTOTP bool
}

// principalMembers reads a user's memberships, their companies and their
// roles' TOTP policy in one query.
func principalMembers(ctx context.Context, q sqldb.Querier, userID backoffice.ID) ([]memberRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.company_id, m.user_id, m.role_id, c.code, c.name, r.name, u.email,
		c.currency, c.version, c.created_at, c.updated_at, r.require_totp
		FROM memberships m JOIN companies c ON c.id = m.company_id JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id
		WHERE m.user_id = ? ORDER BY c.code`, int64(userID))
	if err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	defer rows.Close()
	var out []memberRow
	for rows.Next() {
		var m memberRow
		c := &m.company
		if err := rows.Scan(&m.CompanyID, &m.UserID, &m.RoleID, &m.CompanyCode, &m.CompanyName, &m.RoleName, &m.UserEmail,
			&c.Currency, &c.Version, &c.CreatedAt, &c.UpdatedAt, &m.requireTOTP); err != nil {
			return nil, fmt.Errorf("read memberships: %w", err)
		}
		c.ID, c.Code, c.Name = m.CompanyID, m.CompanyCode, m.CompanyName
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// rolesByID reads roles with their permissions. Two queries beat one join
// here: the join repeats each role's timestamps on every permission row, and
// parsing those dominated the request (pprof).
func rolesByID(ctx context.Context, q sqldb.Querier, ids ...backoffice.ID) (map[backoffice.ID]Role, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = int64(id)
	}
	roles, err := queryRoles(ctx, q, "WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	out := make(map[backoffice.ID]Role, len(roles))
	for _, r := range roles {
		out[r.ID] = r
	}
	return out, nil
}

// tokenWithOwner reads an API token by its hash together with its owner.
func tokenWithOwner(ctx context.Context, q sqldb.Querier, hash string) (Token, userRow, error) {
	prefixed := func(alias, cols string) string {
		parts := strings.Split(cols, ", ")
		for i, p := range parts {
			parts[i] = alias + "." + p
		}
		return strings.Join(parts, ", ")
	}
	row := q.QueryRowContext(ctx, "SELECT "+prefixed("t", tokenColumns)+", "+prefixed("u", userColumns)+
		" FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?", hash)
	var t Token
	var company sql.NullInt64
	var revoked, used, last sql.NullTime
	var u userRow
	err := row.Scan(&t.ID, &t.Name, &t.Prefix, &t.UserID, &t.RoleID, &company, &t.ExpiresAt, &revoked, &used, &t.CreatedAt,
		&u.ID, &u.Email, &u.Name, &u.Disabled, &u.TOTPEnabled, &last, &u.Version, &u.CreatedAt, &u.UpdatedAt,
		&u.PasswordHash, &u.TOTPSecret, &u.TOTPPending, &u.TOTPLastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, userRow{}, notFound("API token")
	}
	if err != nil {
		return Token{}, userRow{}, fmt.Errorf("read API token: %w", err)
	}
	t.CompanyID = backoffice.ID(company.Int64)
	t.ExpiresAt, t.CreatedAt = t.ExpiresAt.UTC(), t.CreatedAt.UTC()
	t.RevokedAt, t.LastUsedAt = utcPtr(revoked), utcPtr(used)
	u.LastLoginAt = utcPtr(last)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return t, u, nil
}
