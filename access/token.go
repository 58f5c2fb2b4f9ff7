package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// API token lifetimes.
const (
	TokenDefaultLifetime = 90 * 24 * time.Hour
	TokenMaxLifetime     = 365 * 24 * time.Hour
	tokenTouch           = time.Minute
	tokenPrefixLength    = 11 // "bo_" and 8 characters, enough to recognise a token
)

// Token is an API token for programs. It acts for its owner with at most its
// role's permissions, never more than the owner has.
type Token struct {
	ID         backoffice.ID `json:"id"`
	Name       string        `json:"name"`
	Prefix     string        `json:"prefix"`
	UserID     backoffice.ID `json:"user_id"`
	RoleID     backoffice.ID `json:"role_id"`
	CompanyID  backoffice.ID `json:"company_id,omitempty"` // 0 = every company the owner belongs to
	ExpiresAt  time.Time     `json:"expires_at"`
	RevokedAt  *time.Time    `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time    `json:"last_used_at,omitempty"`
	CreatedAt  time.Time     `json:"created_at"`
}

// NewToken is the input of CreateToken.
type NewToken struct {
	Name      string
	UserID    backoffice.ID
	RoleID    backoffice.ID
	CompanyID backoffice.ID
	ExpiresAt time.Time // zero = TokenDefaultLifetime from now; at most TokenMaxLifetime
}

// TokenFilter narrows ListTokens. Zero fields do not filter.
type TokenFilter struct {
	UserID         backoffice.ID
	CompanyID      backoffice.ID // tokens scoped to it, and unscoped tokens of its members
	IncludeRevoked bool
}

const tokenColumns = `id, name, prefix, user_id, role_id, company_id, expires_at, revoked_at, last_used_at, created_at`

func scanToken(s interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var company sql.NullInt64
	var revoked, used sql.NullTime
	if err := s.Scan(&t.ID, &t.Name, &t.Prefix, &t.UserID, &t.RoleID, &company, &t.ExpiresAt, &revoked, &used, &t.CreatedAt); err != nil {
		return Token{}, err
	}
	t.CompanyID = backoffice.ID(company.Int64)
	t.ExpiresAt, t.CreatedAt = t.ExpiresAt.UTC(), t.CreatedAt.UTC()
	t.RevokedAt, t.LastUsedAt = utcPtr(revoked), utcPtr(used)
	return t, nil
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func getToken(ctx context.Context, q sqldb.Querier, where string, arg any) (Token, error) {
	t, err := scanToken(q.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, notFound("API token")
	}
	if err != nil {
		return Token{}, fmt.Errorf("read API token: %w", err)
	}
	return t, nil
}

// CreateToken makes an API token and returns its secret ("bo_…"), shown only
// this once; the database keeps its SHA-256. The role may not grant more than
// the owner holds in the scoped company, or in each of the owner's companies
// when the token is not scoped.
func (s *Service) CreateToken(ctx context.Context, in NewToken) (string, Token, error) {
	now := s.now()
	in.Name = strings.TrimSpace(in.Name)
	if in.ExpiresAt.IsZero() {
		in.ExpiresAt = now.Add(TokenDefaultLifetime)
	}
	in.ExpiresAt = in.ExpiresAt.UTC().Truncate(time.Microsecond)
	v := backoffice.Validation{}
	v.Check(len([]rune(in.Name)) >= 1 && len([]rune(in.Name)) <= 100, "name", "must be 1 to 100 characters")
	v.Check(in.ExpiresAt.After(now), "expires_at", "must be in the future")
	v.Check(!in.ExpiresAt.After(now.Add(TokenMaxLifetime)), "expires_at", "must be at most one year from now")
	if err := v.Err("API token"); err != nil {
		return "", Token{}, err
	}
	secret := "bo_" + randomHex(24)
	var out Token
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := checkTokenGrant(ctx, tx, in); err != nil {
			return err
		}
		var id backoffice.ID
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (name, prefix, token_hash, user_id, role_id, company_id, expires_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Name, secret[:tokenPrefixLength], sha256Hex(secret),
			int64(in.UserID), int64(in.RoleID), nullID(in.CompanyID), in.ExpiresAt, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert API token: %w", err)
		}
		if out, err = getToken(ctx, tx, "id = ?", int64(id)); err != nil {
			return err
		}
		fields, err := created(out)
		if err != nil {
			return err
		}
		return s.appendLog(ctx, tx, audit.Change{CompanyID: in.CompanyID, Entity: "api_token", EntityID: idText(id), Action: "create", New: fields})
	})
	if err != nil {
		return "", Token{}, err
	}
	return secret, out, nil
}

// checkTokenGrant makes sure the owner may hold a token with the role.
func checkTokenGrant(ctx context.Context, q sqldb.Querier, in NewToken) error {
	owner, err := getUser(ctx, q, "id = ?", int64(in.UserID))
	if err != nil {
		return err
	}
	if owner.Disabled {
		return backoffice.Errorf(backoffice.EForbidden, "user %s is disabled and cannot own API tokens", owner.Email)
	}
	role, err := getRole(ctx, q, in.RoleID)
	if err != nil {
		return err
	}
	ms, err := userMemberships(ctx, q, in.UserID)
	if err != nil {
		return err
	}
	if in.CompanyID != 0 {
		i := slices.IndexFunc(ms, func(m Membership) bool { return m.CompanyID == in.CompanyID })
		if i < 0 {
			return notFound("company")
		}
		ms = ms[i : i+1]
	}
	for _, m := range ms {
		ownerRole, err := getRole(ctx, q, m.RoleID)
		if err != nil {
			return err
		}
		var excess []string
		for _, p := range role.Permissions {
			if !ownerRole.Has(p) {
				excess = append(excess, p)
			}
		}
		if len(excess) > 0 {
			return backoffice.Errorf(backoffice.EForbidden, "role %s grants %s, which %s does not hold in company %s; pick a smaller role or scope the token to another company",
				role.Name, strings.Join(excess, ", "), owner.Email, m.CompanyCode)
		}
	}
	return nil
}

// ListTokens returns tokens, newest first.
func (s *Service) ListTokens(ctx context.Context, f TokenFilter) ([]Token, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.UserID != 0 {
		where = append(where, "user_id = ?")
		args = append(args, int64(f.UserID))
	}
	if f.CompanyID != 0 {
		where = append(where, "(company_id = ? OR (company_id IS NULL AND user_id IN (SELECT user_id FROM memberships WHERE company_id = ?)))")
		args = append(args, int64(f.CompanyID), int64(f.CompanyID))
	}
	if !f.IncludeRevoked {
		where = append(where, "revoked_at IS NULL")
	}
	rows, err := s.DB.QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE "+strings.Join(where, " AND ")+" ORDER BY created_at DESC, id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("list API tokens: %w", err)
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list API tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken ends an API token at once. Revoking twice is not an error.
func (s *Service) RevokeToken(ctx context.Context, id backoffice.ID, reason string) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		t, err := getToken(ctx, tx, "id = ?", int64(id))
		if err != nil || t.RevokedAt != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ?`, now, int64(id)); err != nil {
			return fmt.Errorf("revoke API token: %w", err)
		}
		return s.appendLog(ctx, tx, audit.Change{CompanyID: t.CompanyID, Entity: "api_token", EntityID: idText(id), Action: "revoke",
			Old: map[string]any{"revoked_at": nil}, New: map[string]any{"revoked_at": now}, Reason: reason})
	})
}
