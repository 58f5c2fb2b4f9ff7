package access

import (
	"context"
	"slices"

	"backoffice"
)

// Principal is who is asking, in which company, with which permissions. The
// web layer builds one per request and checks Can before calling a use case.
type Principal struct {
	User        User
	TokenID     backoffice.ID // set when the request used an API token
	Company     Company       // the current company; zero when the user belongs to none
	Role        Role          // the role in Company; for tokens, the token's role cut to the owner's
	Memberships []Membership  // the companies this principal may switch to

	// MustEnrolTOTP is set while a role requires TOTP that the user has not
	// set up: until then the principal has no permissions.
	MustEnrolTOTP bool
}

// Can reports whether the principal holds perm in the current company.
func (p *Principal) Can(perm string) bool {
	if p == nil || p.MustEnrolTOTP || p.Company.ID == 0 {
		return false
	}
	return p.Role.Has(perm)
}

// CompanyIDs lists the companies the principal may see.
func (p *Principal) CompanyIDs() []backoffice.ID {
	ids := make([]backoffice.ID, 0, len(p.Memberships))
	for _, m := range p.Memberships {
		ids = append(ids, m.CompanyID)
	}
	return ids
}

// Actor is the principal as the change log records it.
func (p *Principal) Actor(ip string) backoffice.Actor {
	return backoffice.Actor{UserID: p.User.ID, TokenID: p.TokenID, Name: p.User.Email, IP: ip}
}

// PrincipalForSession builds the principal of a session (from Session) for
// companyID: 0 means the session's company, or else the user's first. A
// company the user is not a member of is "not found", so its existence does
// not leak. Sessions still waiting for a TOTP code answer EUnauthorized.
func (s *Service) PrincipalForSession(ctx context.Context, sess Session, companyID backoffice.ID) (*Principal, error) {
	if sess.State == StateTOTP {
		return nil, backoffice.Errorf(backoffice.EUnauthorized, "enter the code from your authenticator app to finish signing in")
	}
	u, err := getUser(ctx, s.DB, "id = ?", int64(sess.UserID))
	if err != nil || u.Disabled {
		return nil, sessionEnded()
	}
	ms, err := principalMembers(ctx, s.DB, u.ID)
	if err != nil {
		return nil, err
	}
	if companyID == 0 {
		companyID = sess.CompanyID
		if !slices.ContainsFunc(ms, func(m memberRow) bool { return m.CompanyID == companyID }) {
			companyID = 0
		}
	}
	p, _, err := s.principal(ctx, u.User, ms, companyID, 0)
	if err != nil {
		return nil, err
	}
	p.MustEnrolTOTP = p.MustEnrolTOTP || sess.State == StateEnrol
	return p, nil
}

// principal picks the current company among ms (companyID 0: the first) and
// loads its role, and the role extraRole too when it is not 0 (a token's
// role), in one query; it returns the roles it read.
func (s *Service) principal(ctx context.Context, u User, ms []memberRow, companyID, extraRole backoffice.ID) (*Principal, map[backoffice.ID]Role, error) {
	p := &Principal{User: u, Memberships: make([]Membership, len(ms))}
	must := false
	for i, m := range ms {
		p.Memberships[i] = m.Membership
		must = must || m.requireTOTP
	}
	p.MustEnrolTOTP = must && !u.TOTPEnabled
	var ids []backoffice.ID
	if extraRole != 0 {
		ids = append(ids, extraRole)
	}
	i := -1
	if len(ms) > 0 || companyID != 0 {
		i = 0
		if companyID != 0 {
			i = slices.IndexFunc(ms, func(m memberRow) bool { return m.CompanyID == companyID })
			if i < 0 {
				return nil, nil, notFound("company")
			}
		}
		ids = append(ids, ms[i].RoleID)
	}
	if len(ids) == 0 {
		return p, nil, nil
	}
	roles, err := rolesByID(ctx, s.DB, ids...)
	if err != nil {
		return nil, nil, err
	}
	if i >= 0 {
		p.Company = ms[i].company
		role, ok := roles[ms[i].RoleID]
		if !ok {
			return nil, nil, notFound("role")
		}
		p.Role = role
	}
	return p, roles, nil
}
