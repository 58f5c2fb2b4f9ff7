package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/access"
)

// rolesList is the Roles page: built-in and custom roles with how many
// members of the current company hold each.
func (s *Server) rolesList(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.Access.ListRoles(r.Context())
	if err != nil {
		return err
	}
	counts, err := s.roleMemberCounts(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	roles = filterRoles(roles, q.Get("q"), q.Get("status"))
	sortRoles(roles, q.Get("sort"))
	if q.Get("format") == "csv" {
		rows := make([][]string, 0, len(roles))
		for _, role := range roles {
			rows = append(rows, append(cellTexts(roleCells(role, counts[role.ID])), strings.Join(role.Permissions, " ")))
		}
		return writeCSV(w, "roles.csv", []string{"name", "kind", "two_factor", "permission_count", "members", "permissions"}, rows)
	}
	p := principal(r)
	v := listView{
		Title: "Roles", SearchHint: "Search name or description", ExportURL: withQuery(r, "format", "csv"),
		Help: "A role is a named set of permissions. Each member of a company has one role there; API tokens act with a role too. " +
			"Built-in roles come with Backoffice and cannot be changed, except whether they require two-factor authentication.",
		Empty: "No roles match. Roles decide what members and API tokens may do.",
		Columns: sortColumns(r, []column{
			{Key: "name", Label: "Name", Sortable: true}, {Key: "kind", Label: "Kind"}, {Key: "totp", Label: "Two-factor"},
			{Key: "permissions", Label: "Permissions", Sortable: true, Numeric: true}, {Key: "members", Label: "Members here", Numeric: true},
		}, ""),
		Filters: []chip{
			{Label: "All", URL: withQuery(r, "status", ""), Active: q.Get("status") == ""},
			{Label: "Built-in", URL: withQuery(r, "status", "builtin"), Active: q.Get("status") == "builtin"},
			{Label: "Custom", URL: withQuery(r, "status", "custom"), Active: q.Get("status") == "custom"},
		},
	}
	if p.Can("role.manage") {
		v.NewURL, v.NewLabel = "/roles/new", "New role"
	}
	for _, role := range roles {
		v.Rows = append(v.Rows, listRow{URL: "/roles/" + role.ID.String(), Cells: roleCells(role, counts[role.ID])})
	}
	v.pageLinks(r, "", len(v.Rows))
	return s.render(w, r, http.StatusOK, "roles", "Roles", v)
}

// roleMemberCounts counts the members of the current company per role.
func (s *Server) roleMemberCounts(r *http.Request) (map[backoffice.ID]int, error) {
	out := map[backoffice.ID]int{}
	p := principal(r)
	if p.Company.ID == 0 {
		return out, nil
	}
	ms, err := s.Access.ListMembers(r.Context(), p.Company.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[m.RoleID]++
	}
	return out, nil
}

func filterRoles(roles []access.Role, query, kind string) []access.Role {
	query = strings.ToLower(strings.TrimSpace(query))
	return slices.DeleteFunc(roles, func(role access.Role) bool {
		switch {
		case kind == "builtin" && !role.Builtin, kind == "custom" && role.Builtin:
			return true
		case query == "":
			return false
		}
		return !strings.Contains(strings.ToLower(role.Name+" "+role.Description), query)
	})
}

// sortRoles orders by ?sort=; without one the service's order (built-in first) stays.
func sortRoles(roles []access.Role, key string) {
	desc := strings.HasPrefix(key, "-")
	var cmp func(a, b access.Role) int
	switch strings.TrimPrefix(key, "-") {
	case "name":
		cmp = func(a, b access.Role) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) }
	case "permissions":
		cmp = func(a, b access.Role) int { return len(a.Permissions) - len(b.Permissions) }
	default:
		return
	}
	slices.SortStableFunc(roles, func(a, b access.Role) int {
		if desc {
			return cmp(b, a)
		}
		return cmp(a, b)
	})
}

func roleCells(role access.Role, members int) []cell {
	kind := cell{Text: "Custom"}
	if role.Builtin {
		kind = cell{Text: "Built-in", Badge: "muted"}
	}
	totp := cell{Text: "Optional", Badge: "muted"}
	if role.RequireTOTP {
		totp = cell{Text: "Required", Badge: "ok"}
	}
	return []cell{{Text: role.Name}, kind, totp, {Text: strconv.Itoa(len(role.Permissions)), Numeric: true}, {Text: strconv.Itoa(members), Numeric: true}}
}

// cellTexts is a row's cells as plain text, for CSV.
func cellTexts(cells []cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.Text
	}
	return out
}

// permGroup is one block of the permission checklist: the permissions of one
// domain ("user.read", "user.manage").
type permGroup struct {
	Label string
	Perms []permItem
}

type permItem struct {
	Name, Description string
	Checked           bool
}

// permGroups groups every permission by the part before the dot, in the
// order of access.Permissions, ticking those in selected.
func permGroups(selected []string) []permGroup {
	var out []permGroup
	for _, p := range access.Permissions() {
		domain, _, _ := strings.Cut(p.Name, ".")
		label := humanAction(domain)
		if len(out) == 0 || out[len(out)-1].Label != label {
			out = append(out, permGroup{Label: label})
		}
		g := &out[len(out)-1]
		g.Perms = append(g.Perms, permItem{Name: p.Name, Description: p.Description, Checked: slices.Contains(selected, p.Name)})
	}
	return out
}

// roleForm is the data of the role page, new or existing.
type roleForm struct {
	Role    access.Role
	New     bool
	CanEdit bool // name, description and permissions may change: a custom role and role.manage
	CanTOTP bool // the two-factor switch may change: role.manage
	Groups  []permGroup
	Unknown []string // permissions the role holds that this version does not know
	Members int
	Errors  *formErrors
	Actions []action
	History []historyItem
}

// Err is the message of a field of a failed save, or "".
func (f roleForm) Err(field string) string {
	if f.Errors == nil {
		return ""
	}
	return f.Errors.Fields[field]
}

func (s *Server) roleNew(w http.ResponseWriter, r *http.Request) error {
	form := roleForm{New: true, CanEdit: true, CanTOTP: true, Groups: permGroups(nil)}
	return s.render(w, r, http.StatusOK, "role", "New role", form)
}

// roleFromForm reads the role fields of a posted form.
func roleFromForm(r *http.Request) (access.NewRole, error) {
	if err := r.ParseForm(); err != nil {
		return access.NewRole{}, backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	f := r.PostForm
	return access.NewRole{Name: f.Get("name"), Description: f.Get("description"), RequireTOTP: f.Get("require_totp") != "",
		Permissions: f["permissions"]}, nil
}

func (s *Server) roleCreate(w http.ResponseWriter, r *http.Request) error {
	in, err := roleFromForm(r)
	if err != nil {
		return err
	}
	role, err := s.Access.CreateRole(r.Context(), in)
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		form := roleForm{New: true, CanEdit: true, CanTOTP: true, Errors: fe, Groups: permGroups(in.Permissions),
			Role: access.Role{Name: in.Name, Description: in.Description, RequireTOTP: in.RequireTOTP}}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "role", "New role", form)
	}
	return redirectFlash(w, r, "/roles/"+role.ID.String(), "Role created.")
}

func (s *Server) roleShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role, err := s.Access.GetRole(r.Context(), id)
	if err != nil {
		return err
	}
	form, err := s.roleRecord(r, role)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "role", role.Name, form)
}

// roleRecord fills the record page of a stored role: checklist, actions, history.
func (s *Server) roleRecord(r *http.Request, role access.Role) (roleForm, error) {
	p := principal(r)
	form := roleForm{Role: role, CanTOTP: p.Can("role.manage"), Groups: permGroups(role.Permissions)}
	form.CanEdit = form.CanTOTP && !role.Builtin
	for _, perm := range role.Permissions {
		if !access.KnownPermission(perm) {
			form.Unknown = append(form.Unknown, perm)
		}
	}
	counts, err := s.roleMemberCounts(r)
	if err != nil {
		return form, err
	}
	form.Members = counts[role.ID]
	recs, err := s.history(r, "role", role.ID.String())
	if err != nil {
		return form, err
	}
	form.History = historyOf(recs)
	if form.CanEdit {
		form.Actions = []action{{Label: "Delete role", URL: "/roles/" + role.ID.String() + "/delete", Danger: true,
			Confirm: "Delete the role " + role.Name + "? This cannot be undone. Roles still given to members or API tokens cannot be deleted."}}
	}
	return form, nil
}

// roleUpdate saves the role form. A built-in role takes only the two-factor
// switch: its name, description and permissions in the form are ignored.
func (s *Server) roleUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role, err := s.Access.GetRole(r.Context(), id)
	if err != nil {
		return err
	}
	in, err := roleFromForm(r)
	if err != nil {
		return err
	}
	version, perr := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if perr != nil {
		version = role.Version
	}
	if role.Builtin {
		_, err = s.Access.SetRoleTOTP(r.Context(), id, in.RequireTOTP, version)
	} else {
		_, err = s.Access.UpdateRole(r.Context(), id, version, access.RolePatch{Name: &in.Name, Description: &in.Description,
			RequireTOTP: &in.RequireTOTP, Permissions: &in.Permissions})
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		form, rerr := s.roleRecord(r, role)
		if rerr != nil {
			return rerr
		}
		form.Errors = fe
		form.Role.RequireTOTP = in.RequireTOTP
		if !role.Builtin {
			form.Role.Name, form.Role.Description = in.Name, in.Description
			form.Groups = permGroups(in.Permissions)
		}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "role", role.Name, form)
	}
	return redirectFlash(w, r, "/roles/"+id.String(), "Saved.")
}

func (s *Server) roleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	role, err := s.Access.GetRole(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.Access.DeleteRole(r.Context(), id, role.Version); err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		form, rerr := s.roleRecord(r, role)
		if rerr != nil {
			return rerr
		}
		form.Errors = fe
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "role", role.Name, form)
	}
	return redirectFlash(w, r, "/roles", "Role "+role.Name+" deleted.")
}
