package web

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"backoffice"
	"backoffice/access"
)

type meOut struct {
	User        userOut       `json:"user"`
	TokenID     backoffice.ID `json:"token_id,omitempty"`
	Company     *companyOut   `json:"company,omitempty"`
	Role        string        `json:"role,omitempty"`
	Permissions []string      `json:"permissions"`
	Companies   []memberOut   `json:"companies"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	out := meOut{User: toUserOut(p.User), TokenID: p.TokenID, Permissions: []string{}, Companies: []memberOut{}}
	if p.Company.ID != 0 {
		c := toCompanyOut(p.Company)
		out.Company = &c
		out.Role = p.Role.Name
		for _, perm := range access.Permissions() {
			if p.Can(perm.Name) {
				out.Permissions = append(out.Permissions, perm.Name)
			}
		}
	}
	for _, m := range p.Memberships {
		out.Companies = append(out.Companies, toMemberOut(m))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type permissionOut struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (s *Server) apiPermissions(w http.ResponseWriter, r *http.Request) error {
	out := listOf[permissionOut]{Items: []permissionOut{}}
	for _, p := range access.Permissions() {
		out.Items = append(out.Items, permissionOut{Name: p.Name, Description: p.Description})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

type companyOut struct {
	ID        backoffice.ID       `json:"id"`
	Code      string              `json:"code"`
	Name      string              `json:"name"`
	Currency  backoffice.Currency `json:"currency"`
	Version   int64               `json:"version"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

func toCompanyOut(c access.Company) companyOut {
	return companyOut{ID: c.ID, Code: c.Code, Name: c.Name, Currency: c.Currency, Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

type companyIn struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Currency string `json:"currency"`
}

type companyPatchIn struct {
	Name *string `json:"name,omitempty"`
}

func (s *Server) apiListCompanies(w http.ResponseWriter, r *http.Request) error {
	list, err := s.Access.ListCompanies(r.Context(), principal(r).CompanyIDs())
	if err != nil {
		return err
	}
	out := listOf[companyOut]{Items: []companyOut{}}
	for _, c := range list {
		out.Items = append(out.Items, toCompanyOut(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// visibleCompany returns company id when the caller belongs to it.
func visibleCompany(r *http.Request) (backoffice.ID, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, err
	}
	if !slices.Contains(principal(r).CompanyIDs(), id) {
		return 0, backoffice.Errorf(backoffice.ENotFound, "company %d not found", id)
	}
	return id, nil
}

func (s *Server) apiGetCompany(w http.ResponseWriter, r *http.Request) error {
	id, err := visibleCompany(r)
	if err != nil {
		return err
	}
	c, err := s.Access.GetCompany(r.Context(), id)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, c.Version, toCompanyOut(c))
	return nil
}

func (s *Server) apiCreateCompany(w http.ResponseWriter, r *http.Request) error {
	var in companyIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	c, err := s.createCompany(r, access.NewCompany{Code: in.Code, Name: in.Name, Currency: in.Currency})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/companies/"+c.ID.String())
	writeVersioned(w, http.StatusCreated, c.Version, toCompanyOut(c))
	return nil
}

// createCompany creates a company and sets up its books: the default chart
// of accounts, journals and fiscal year (idempotent, so a failure after the
// company exists is mended by the next set-up).
func (s *Server) createCompany(r *http.Request, in access.NewCompany) (access.Company, error) {
	c, err := s.Access.CreateCompany(r.Context(), in)
	if err != nil {
		return c, err
	}
	if s.Ledger != nil {
		if err := s.Ledger.SetUpCompany(r.Context(), c.ID); err != nil {
			return c, fmt.Errorf("company %s created, but its books could not be set up: %w", c.Code, err)
		}
	}
	if s.Invoice != nil && s.Ledger != nil {
		if err := s.Invoice.SetUpCompany(r.Context(), c.ID); err != nil {
			return c, fmt.Errorf("company %s created, but its tax codes could not be set up: %w", c.Code, err)
		}
	}
	return c, nil
}

func (s *Server) apiUpdateCompany(w http.ResponseWriter, r *http.Request) error {
	id, err := visibleCompany(r)
	if err != nil {
		return err
	}
	c, err := s.Access.GetCompany(r.Context(), id)
	if err != nil {
		return err
	}
	var in companyPatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, c.Version)
	if err != nil {
		return err
	}
	c, err = s.Access.UpdateCompany(r.Context(), id, version, access.CompanyPatch{Name: in.Name})
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, c.Version, toCompanyOut(c))
	return nil
}

type memberOut struct {
	CompanyID   backoffice.ID `json:"company_id"`
	CompanyCode string        `json:"company_code"`
	CompanyName string        `json:"company_name"`
	UserID      backoffice.ID `json:"user_id"`
	UserEmail   string        `json:"user_email,omitempty"`
	Role        string        `json:"role"`
}

func toMemberOut(m access.Membership) memberOut {
	return memberOut{CompanyID: m.CompanyID, CompanyCode: m.CompanyCode, CompanyName: m.CompanyName, UserID: m.UserID, UserEmail: m.UserEmail, Role: m.RoleName}
}

type memberIn struct {
	Role string `json:"role"`
}

func (s *Server) apiListMembers(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	ms, err := s.Access.ListMembers(r.Context(), company)
	if err != nil {
		return err
	}
	out := listOf[memberOut]{Items: []memberOut{}}
	for _, m := range ms {
		out.Items = append(out.Items, toMemberOut(m))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPutMember adds a user (known by id) to the current company with a role,
// or changes the role of an existing member.
func (s *Server) apiPutMember(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	userID, err := pathID(r, "user")
	if err != nil {
		return err
	}
	var in memberIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	role, err := s.Access.RoleByName(r.Context(), in.Role)
	if err != nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "membership has invalid fields", Fields: map[string]string{"role": "no role is named " + in.Role}}
	}
	ms, err := s.Access.UserMemberships(r.Context(), userID)
	if err != nil {
		return err
	}
	member := slices.ContainsFunc(ms, func(m access.Membership) bool { return m.CompanyID == company })
	if member {
		err = s.Access.SetMemberRole(r.Context(), company, userID, role.ID)
	} else {
		err = s.Access.AddMember(r.Context(), company, userID, role.ID)
	}
	if err != nil {
		return err
	}
	ms, err = s.Access.UserMemberships(r.Context(), userID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.CompanyID == company {
			writeJSON(w, http.StatusOK, toMemberOut(m))
			return nil
		}
	}
	return backoffice.Errorf(backoffice.EInternal, "membership of user %d vanished", userID)
}

func (s *Server) apiDeleteMember(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	userID, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.Access.RemoveMember(r.Context(), company, userID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
