package web

import (
	"net/http"
	"time"

	"backoffice"
	"backoffice/access"
)

type tokenOut struct {
	ID         backoffice.ID `json:"id"`
	Name       string        `json:"name"`
	Prefix     string        `json:"prefix"`
	UserID     backoffice.ID `json:"user_id"`
	RoleID     backoffice.ID `json:"role_id"`
	CompanyID  backoffice.ID `json:"company_id,omitempty"`
	ExpiresAt  time.Time     `json:"expires_at"`
	RevokedAt  *time.Time    `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time    `json:"last_used_at,omitempty"`
	CreatedAt  time.Time     `json:"created_at"`
}

func toTokenOut(t access.Token) tokenOut {
	return tokenOut{ID: t.ID, Name: t.Name, Prefix: t.Prefix, UserID: t.UserID, RoleID: t.RoleID, CompanyID: t.CompanyID,
		ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, LastUsedAt: t.LastUsedAt, CreatedAt: t.CreatedAt}
}

type tokenIn struct {
	Name         string     `json:"name"`
	Role         string     `json:"role"`                 // role name; the token can never do more than its owner
	AllCompanies bool       `json:"all_companies"`        // false: scoped to the current company
	ExpiresAt    *time.Time `json:"expires_at,omitempty"` // default 90 days, at most one year
}

type tokenCreatedOut struct {
	Token  tokenOut `json:"token"`
	Secret string   `json:"secret"`
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := s.Access.ListTokens(r.Context(), visibleTokens(principal(r), false))
	if err != nil {
		return err
	}
	out := listOf[tokenOut]{Items: []tokenOut{}}
	for _, t := range tokens {
		out.Items = append(out.Items, toTokenOut(t))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	secret, t, err := s.createToken(r, in)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, tokenCreatedOut{Token: toTokenOut(t), Secret: secret})
	return nil
}

// createToken makes a token owned by the caller.
func (s *Server) createToken(r *http.Request, in tokenIn) (string, access.Token, error) {
	p := principal(r)
	roleName := in.Role
	if roleName == "" {
		roleName = p.Role.Name
	}
	role, err := s.Access.RoleByName(r.Context(), roleName)
	if err != nil {
		return "", access.Token{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "token has invalid fields", Fields: map[string]string{"role": "no role is named " + roleName}}
	}
	nt := access.NewToken{Name: in.Name, UserID: p.User.ID, RoleID: role.ID, CompanyID: p.Company.ID}
	if in.AllCompanies {
		nt.CompanyID = 0
	}
	if in.ExpiresAt != nil {
		nt.ExpiresAt = *in.ExpiresAt
	}
	return s.Access.CreateToken(r.Context(), nt)
}

// apiRevokeToken revokes one of the caller's tokens, or any token of the
// company for someone who may read users and manage tokens.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.revocableToken(r, id); err != nil {
		return err
	}
	if err := s.Access.RevokeToken(r.Context(), id, r.URL.Query().Get("reason")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) revocableToken(r *http.Request, id backoffice.ID) error {
	tokens, err := s.Access.ListTokens(r.Context(), visibleTokens(principal(r), true))
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if t.ID == id {
			return nil
		}
	}
	return backoffice.Errorf(backoffice.ENotFound, "token %d not found", id)
}

// visibleTokens is the one rule for whose tokens a caller sees and may
// revoke: their own, or every token of the company for those who manage users.
func visibleTokens(p *access.Principal, includeRevoked bool) access.TokenFilter {
	if p.Can("user.manage") {
		return access.TokenFilter{CompanyID: p.Company.ID, IncludeRevoked: includeRevoked}
	}
	return access.TokenFilter{UserID: p.User.ID, IncludeRevoked: includeRevoked}
}
