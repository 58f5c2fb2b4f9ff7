package web

import (
	"net/http"
	"time"

	"backoffice"
	"backoffice/access"
)

type userOut struct {
	ID          backoffice.ID `json:"id"`
	Email       string        `json:"email"`
	Name        string        `json:"name"`
	Disabled    bool          `json:"disabled"`
	TOTPEnabled bool          `json:"totp_enabled"`
	LastLoginAt *time.Time    `json:"last_login_at,omitempty"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

func toUserOut(u access.User) userOut {
	return userOut{ID: u.ID, Email: u.Email, Name: u.Name, Disabled: u.Disabled, TOTPEnabled: u.TOTPEnabled,
		LastLoginAt: u.LastLoginAt, Version: u.Version, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

type userIn struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password,omitempty"` // empty: one is generated and returned once
	Role     string `json:"role"`               // role name in the current company; default clerk
}

type userCreatedOut struct {
	User     userOut `json:"user"`
	Password string  `json:"password"`
}

type userPatchIn struct {
	Name  *string `json:"name,omitempty"`
	Email *string `json:"email,omitempty"`
}

type passwordOut struct {
	Password string `json:"password"`
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := access.UserFilter{CompanyID: company, Query: q.Get("q"), Sort: q.Get("sort"), Page: page}
	if d := q.Get("disabled"); d != "" {
		b := d == "true"
		f.Disabled = &b
	}
	list, err := s.Access.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	out := listOf[userOut]{Items: make([]userOut, 0, len(list.Items)), Next: list.Next}
	for _, u := range list.Items {
		out.Items = append(out.Items, toUserOut(u))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// visibleUser returns user id if it is a member of the caller's company;
// users elsewhere do not exist for the caller.
func (s *Server) visibleUser(r *http.Request, id backoffice.ID) (access.User, error) {
	company, err := requireCompany(r)
	if err != nil {
		return access.User{}, err
	}
	u, err := s.Access.GetUser(r.Context(), id)
	if err != nil {
		return access.User{}, err
	}
	ms, err := s.Access.UserMemberships(r.Context(), id)
	if err != nil {
		return access.User{}, err
	}
	for _, m := range ms {
		if m.CompanyID == company {
			return u, nil
		}
	}
	return access.User{}, backoffice.Errorf(backoffice.ENotFound, "user %d not found", id)
}

func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.visibleUser(r, id)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, u.Version, toUserOut(u))
	return nil
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	var in userIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u, password, err := s.createUser(r, company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+u.ID.String())
	writeVersioned(w, http.StatusCreated, u.Version, userCreatedOut{User: toUserOut(u), Password: password})
	return nil
}

// createUser creates a user as a member of company with the named role.
func (s *Server) createUser(r *http.Request, company backoffice.ID, in userIn) (access.User, string, error) {
	roleName := in.Role
	if roleName == "" {
		roleName = "clerk"
	}
	role, err := s.Access.RoleByName(r.Context(), roleName)
	if err != nil {
		if backoffice.ErrorCode(err) == backoffice.ENotFound {
			return access.User{}, "", &backoffice.Error{Code: backoffice.EInvalid, Message: "user has invalid fields", Fields: map[string]string{"role": "no role is named " + roleName}}
		}
		return access.User{}, "", err
	}
	return s.Access.CreateUser(r.Context(), access.NewUser{Email: in.Email, Name: in.Name, Password: in.Password,
		Memberships: []access.NewMembership{{CompanyID: company, RoleID: role.ID}}})
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.visibleUser(r, id)
	if err != nil {
		return err
	}
	var in userPatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, u.Version)
	if err != nil {
		return err
	}
	u, err = s.Access.UpdateUser(r.Context(), id, version, access.UserPatch{Name: in.Name, Email: in.Email})
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, u.Version, toUserOut(u))
	return nil
}

// apiUserAction runs one of the state changes that take a reason.
func (s *Server) apiUserAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if _, err := s.visibleUser(r, id); err != nil {
			return err
		}
		var in reasonIn
		if r.ContentLength != 0 {
			if err := decodeJSON(r, &in); err != nil {
				return err
			}
		}
		ctx := r.Context()
		switch action {
		case "disable":
			err = s.Access.DisableUser(ctx, id, in.Reason)
		case "enable":
			err = s.Access.EnableUser(ctx, id, in.Reason)
		case "reset-totp":
			err = s.Access.ResetTOTP(ctx, id, in.Reason)
		}
		if err != nil {
			return err
		}
		u, err := s.Access.GetUser(ctx, id)
		if err != nil {
			return err
		}
		writeVersioned(w, http.StatusOK, u.Version, toUserOut(u))
		return nil
	}
}

func (s *Server) apiResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.visibleUser(r, id); err != nil {
		return err
	}
	pw, err := s.Access.ResetPassword(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, passwordOut{Password: pw})
	return nil
}
