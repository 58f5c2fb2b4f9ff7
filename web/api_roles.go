package web

import (
	"net/http"
	"time"

	"backoffice"
	"backoffice/access"
)

type roleOut struct {
	ID          backoffice.ID `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Builtin     bool          `json:"builtin"`
	RequireTOTP bool          `json:"require_totp"`
	Permissions []string      `json:"permissions"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

func toRoleOut(r access.Role) roleOut {
	perms := r.Permissions
	if perms == nil {
		perms = []string{}
	}
	return roleOut{ID: r.ID, Name: r.Name, Description: r.Description, Builtin: r.Builtin, RequireTOTP: r.RequireTOTP,
		Permissions: perms, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

type roleIn struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	RequireTOTP bool     `json:"require_totp"`
	Permissions []string `json:"permissions"`
}

type rolePatchIn struct {
	Name        *string   `json:"name,omitempty"`
	Description *string   `json:"description,omitempty"`
	RequireTOTP *bool     `json:"require_totp,omitempty"`
	Permissions *[]string `json:"permissions,omitempty"`
}

func (s *Server) apiListRoles(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.Access.ListRoles(r.Context())
	if err != nil {
		return err
	}
	out := listOf[roleOut]{Items: []roleOut{}}
	for _, role := range roles {
		out.Items = append(out.Items, toRoleOut(role))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiGetRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role, err := s.Access.GetRole(r.Context(), id)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, role.Version, toRoleOut(role))
	return nil
}

func (s *Server) apiCreateRole(w http.ResponseWriter, r *http.Request) error {
	var in roleIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	role, err := s.Access.CreateRole(r.Context(), access.NewRole{Name: in.Name, Description: in.Description, RequireTOTP: in.RequireTOTP, Permissions: in.Permissions})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/roles/"+role.ID.String())
	writeVersioned(w, http.StatusCreated, role.Version, toRoleOut(role))
	return nil
}

// apiUpdateRole changes a custom role; on a built-in role only require_totp
// may change, which is a policy rather than a permission set.
func (s *Server) apiUpdateRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role, err := s.Access.GetRole(r.Context(), id)
	if err != nil {
		return err
	}
	var in rolePatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, role.Version)
	if err != nil {
		return err
	}
	if role.Builtin && in.Name == nil && in.Description == nil && in.Permissions == nil && in.RequireTOTP != nil {
		role, err = s.Access.SetRoleTOTP(r.Context(), id, *in.RequireTOTP, version)
	} else {
		role, err = s.Access.UpdateRole(r.Context(), id, version, access.RolePatch{Name: in.Name, Description: in.Description, RequireTOTP: in.RequireTOTP, Permissions: in.Permissions})
	}
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, role.Version, toRoleOut(role))
	return nil
}

func (s *Server) apiDeleteRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role, err := s.Access.GetRole(r.Context(), id)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, role.Version)
	if err != nil {
		return err
	}
	if err := s.Access.DeleteRole(r.Context(), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
