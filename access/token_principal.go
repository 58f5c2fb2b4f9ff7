package access

import (
	"context"
	"fmt"
	"slices"

	"backoffice"
)

func badToken() error {
	return backoffice.Errorf(backoffice.EUnauthorized, "the API token is unknown, expired or revoked")
}

// PrincipalForToken builds the principal of an API token for companyID (0:
// the token's company, or the owner's first). Its permissions are the token
// role's permissions that the owner still holds in that company, so taking
// the owner out of a company takes the token out too. A token scoped to one
// company asked for another answers "not found".
func (s *Service) PrincipalForToken(ctx context.Context, bearer string, companyID backoffice.ID) (*Principal, error) {
	hash := sha256Hex(bearer)
	gen, err := accessGeneration(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	key := cacheKey(hash, companyID)
	if e, ok := s.principals().get(key, gen); ok {
		return s.cachedTokenPrincipal(ctx, key, e)
	}
	t, owner, err := tokenWithOwner(ctx, s.DB, hash)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return nil, badToken()
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if t.RevokedAt != nil || !now.Before(t.ExpiresAt) || owner.Disabled {
		return nil, badToken()
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= tokenTouch {
		if _, err := s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, int64(t.ID)); err != nil {
			return nil, fmt.Errorf("record API token use: %w", err)
		}
		t.LastUsedAt = &now
	}
	ms, err := principalMembers(ctx, s.DB, owner.ID)
	if err != nil {
		return nil, err
	}
	if t.CompanyID != 0 {
		if companyID != 0 && companyID != t.CompanyID {
			return nil, notFound("company")
		}
		ms = slices.DeleteFunc(ms, func(m memberRow) bool { return m.CompanyID != t.CompanyID })
	}
	p, roles, err := s.principal(ctx, owner.User, ms, companyID, t.RoleID)
	if err != nil {
		return nil, err
	}
	p.TokenID = t.ID
	tokenRole, ok := roles[t.RoleID]
	if !ok {
		return nil, notFound("role")
	}
	p.Role = Role{ID: tokenRole.ID, Name: tokenRole.Name, Description: tokenRole.Description, Builtin: tokenRole.Builtin,
		Permissions: intersect(tokenRole.Permissions, p.Role.Permissions), Version: tokenRole.Version,
		CreatedAt: tokenRole.CreatedAt, UpdatedAt: tokenRole.UpdatedAt}
	s.principals().put(key, cachedPrincipal{gen: gen, p: *p, token: t})
	return p, nil
}

// cachedTokenPrincipal answers from the cache while the generation holds:
// only expiry, which passes without any change, is checked again.
func (s *Service) cachedTokenPrincipal(ctx context.Context, key string, e cachedPrincipal) (*Principal, error) {
	now := s.now()
	if !now.Before(e.token.ExpiresAt) {
		return nil, badToken()
	}
	if e.token.LastUsedAt == nil || now.Sub(*e.token.LastUsedAt) >= tokenTouch {
		if _, err := s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, now, int64(e.token.ID)); err != nil {
			return nil, fmt.Errorf("record API token use: %w", err)
		}
		s.principals().setLastUsed(key, now)
	}
	p := e.p
	return &p, nil
}

func intersect(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
