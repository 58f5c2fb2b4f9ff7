package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
)

// usersList is the Users page: members of the current company.
func (s *Server) usersList(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := access.UserFilter{CompanyID: company, Query: q.Get("q"), Sort: q.Get("sort")}
	switch q.Get("status") {
	case "active":
		f.Disabled = new(bool)
	case "disabled":
		t := true
		f.Disabled = &t
	}
	roles, err := s.memberRoles(r, company)
	if err != nil {
		return err
	}
	if q.Get("format") == "csv" {
		return s.usersCSV(w, r, f, roles)
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	f.Page = page
	list, err := s.Access.ListUsers(r.Context(), f)
	if err != nil {
		return err
	}
	p := principal(r)
	v := listView{
		Title: "Users", SearchHint: "Search e-mail or name", ExportURL: withQuery(r, "format", "csv"),
		Help:  "People who can sign in to " + p.Company.Name + ", with their role here. Disabled users cannot sign in; their history stays.",
		Empty: "No users match. Users are the people who sign in; each has one role per company.",
		Columns: sortColumns(r, []column{
			{Key: "email", Label: "E-mail", Sortable: true}, {Key: "name", Label: "Name", Sortable: true},
			{Key: "role", Label: "Role"}, {Key: "status", Label: "Status"}, {Key: "totp", Label: "Two-factor"},
			{Key: "last_login", Label: "Last sign-in"}, {Key: "created", Label: "Created", Sortable: true},
		}, "email"),
		Filters: []chip{
			{Label: "All", URL: withQuery(r, "status", ""), Active: q.Get("status") == ""},
			{Label: "Active", URL: withQuery(r, "status", "active"), Active: q.Get("status") == "active"},
			{Label: "Disabled", URL: withQuery(r, "status", "disabled"), Active: q.Get("status") == "disabled"},
		},
	}
	if p.Can("user.manage") {
		v.NewURL, v.NewLabel = "/users/new", "New user"
		v.ImportURL = "/users/import"
	}
	for _, u := range list.Items {
		v.Rows = append(v.Rows, listRow{URL: "/users/" + u.ID.String(), Cells: userCells(u, roles[u.ID])})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	return s.render(w, r, http.StatusOK, "users", "Users", v)
}

func userCells(u access.User, role string) []cell {
	status := cell{Text: "Active", Badge: "ok"}
	if u.Disabled {
		status = cell{Text: "Disabled", Badge: "muted"}
	}
	totp := cell{Text: "Off", Badge: "muted"}
	if u.TOTPEnabled {
		totp = cell{Text: "On", Badge: "ok"}
	}
	last := "never"
	if u.LastLoginAt != nil {
		last = u.LastLoginAt.UTC().Format("2006-01-02 15:04")
	}
	return []cell{{Text: u.Email}, {Text: u.Name}, {Text: role}, status, totp, {Text: last}, {Text: u.CreatedAt.UTC().Format("2006-01-02")}}
}

// memberRoles maps the company's members to their role names.
func (s *Server) memberRoles(r *http.Request, company backoffice.ID) (map[backoffice.ID]string, error) {
	ms, err := s.Access.ListMembers(r.Context(), company)
	if err != nil {
		return nil, err
	}
	out := make(map[backoffice.ID]string, len(ms))
	for _, m := range ms {
		out[m.UserID] = m.RoleName
	}
	return out, nil
}

// usersCSV exports every user the filters select, not only one page.
func (s *Server) usersCSV(w http.ResponseWriter, r *http.Request, f access.UserFilter, roles map[backoffice.ID]string) error {
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Access.ListUsers(r.Context(), f)
		if err != nil {
			return err
		}
		for _, u := range list.Items {
			cells := userCells(u, roles[u.ID])
			row := make([]string, len(cells))
			for i, c := range cells {
				row[i] = c.Text
			}
			rows = append(rows, row)
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "users.csv", []string{"email", "name", "role", "status", "two_factor", "last_sign_in", "created"}, rows)
}

type userForm struct {
	User     access.User
	Roles    []access.Role
	Role     string
	Password string // a generated password to show once
	Errors   *formErrors
	New      bool
	Actions  []action
	History  []historyItem
	Members  []access.Membership
	CanEdit  bool
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) error {
	roles, err := s.Access.ListRoles(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user", "New user", userForm{New: true, Roles: roles, Role: "clerk", CanEdit: true})
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	in := userIn{Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name"), Role: r.PostForm.Get("role"), Password: r.PostForm.Get("password")}
	u, pw, err := s.createUser(r, company, in)
	if err != nil {
		fe, err := formFailure(err)
		if err != nil {
			return err
		}
		roles, rerr := s.Access.ListRoles(r.Context())
		if rerr != nil {
			return rerr
		}
		form := userForm{New: true, Roles: roles, Role: in.Role, Errors: fe, CanEdit: true,
			User: access.User{Email: in.Email, Name: in.Name}}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "user", "New user", form)
	}
	if in.Password != "" {
		return redirectFlash(w, r, "/users/"+u.ID.String(), "User created.")
	}
	return s.userPage(w, r, u.ID, pw, "User created. Give them this password; it is shown only once.")
}

func (s *Server) userShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.userPage(w, r, id, "", "")
}

// userPage renders a user's record: fields, memberships, actions and history.
func (s *Server) userPage(w http.ResponseWriter, r *http.Request, id backoffice.ID, password, flash string) error {
	u, err := s.visibleUser(r, id)
	if err != nil {
		return err
	}
	ctx := r.Context()
	roles, err := s.Access.ListRoles(ctx)
	if err != nil {
		return err
	}
	ms, err := s.Access.UserMemberships(ctx, id)
	if err != nil {
		return err
	}
	p := principal(r)
	recs, err := s.history(r, "user", id.String())
	if err != nil {
		return err
	}
	// The user's role in this company is part of the user's story too.
	roleRecs, err := s.history(r, "membership", p.Company.ID.String()+":"+id.String())
	if err != nil {
		return err
	}
	recs = append(recs, roleRecs...)
	slices.SortFunc(recs, func(a, b audit.Record) int { return cmp.Compare(a.Seq, b.Seq) })
	form := userForm{User: u, Roles: roles, Password: password, Members: ms, History: historyOf(recs), CanEdit: p.Can("user.manage")}
	for _, m := range ms {
		if m.CompanyID == p.Company.ID {
			form.Role = m.RoleName
		}
	}
	if form.CanEdit && u.ID != p.User.ID {
		base := "/users/" + id.String()
		if u.Disabled {
			form.Actions = append(form.Actions, action{Label: "Enable", URL: base + "/enable", Reason: true})
		} else {
			form.Actions = append(form.Actions, action{Label: "Disable", URL: base + "/disable", Danger: true, Reason: true,
				Confirm: "Disable " + u.Email + "? They are signed out at once and cannot sign in until enabled again."})
		}
		form.Actions = append(form.Actions, action{Label: "Reset password", URL: base + "/reset-password",
			Confirm: "Generate a new password for " + u.Email + "? Their current password stops working and they are signed out."})
		if u.TOTPEnabled {
			form.Actions = append(form.Actions, action{Label: "Reset two-factor", URL: base + "/reset-totp", Reason: true,
				Confirm: "Remove the authenticator of " + u.Email + "? They will have to enrol again."})
		}
	}
	if flash != "" {
		q := r.URL.Query()
		q.Set("flash", flash)
		r.URL.RawQuery = q.Encode()
	}
	return s.render(w, r, http.StatusOK, "user", u.Email, form)
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, err := s.visibleUser(r, id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	version, err := backoffice.ParseID(r.PostForm.Get("version"))
	if err != nil {
		version = backoffice.ID(u.Version)
	}
	name, email := r.PostForm.Get("name"), r.PostForm.Get("email")
	_, err = s.Access.UpdateUser(r.Context(), id, int64(version), access.UserPatch{Name: &name, Email: &email})
	if err == nil {
		if role := r.PostForm.Get("role"); role != "" {
			err = s.setRole(r, id, role)
		}
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		roles, rerr := s.Access.ListRoles(r.Context())
		if rerr != nil {
			return rerr
		}
		u.Name, u.Email = name, email
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "user", u.Email,
			userForm{User: u, Roles: roles, Role: r.PostForm.Get("role"), Errors: fe, CanEdit: true})
	}
	return redirectFlash(w, r, "/users/"+id.String(), "Saved.")
}

// setRole changes the user's role in the current company when it differs.
func (s *Server) setRole(r *http.Request, userID backoffice.ID, roleName string) error {
	p := principal(r)
	ms, err := s.Access.UserMemberships(r.Context(), userID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.CompanyID == p.Company.ID && m.RoleName == roleName {
			return nil
		}
	}
	role, err := s.Access.RoleByName(r.Context(), roleName)
	if err != nil {
		return err
	}
	return s.Access.SetMemberRole(r.Context(), p.Company.ID, userID, role.ID)
}

// userAction runs Disable, Enable, Reset two-factor or Reset password from the record page.
func (s *Server) userAction(name string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		if _, err := s.visibleUser(r, id); err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
		}
		reason := strings.TrimSpace(r.PostForm.Get("reason"))
		ctx := r.Context()
		var msg string
		switch name {
		case "disable":
			err, msg = s.Access.DisableUser(ctx, id, reason), "User disabled."
		case "enable":
			err, msg = s.Access.EnableUser(ctx, id, reason), "User enabled."
		case "reset-totp":
			err, msg = s.Access.ResetTOTP(ctx, id, reason), "Two-factor authentication removed."
		case "reset-password":
			pw, err := s.Access.ResetPassword(ctx, id)
			if err != nil {
				return err
			}
			return s.userPage(w, r, id, pw, "New password generated. Give it to the user; it is shown only once.")
		}
		if err != nil {
			return err
		}
		return redirectFlash(w, r, "/users/"+id.String(), msg)
	}
}
