package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
)

// companiesList is the Companies page: the companies the user belongs to.
func (s *Server) companiesList(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	list, err := s.Access.ListCompanies(r.Context(), p.CompanyIDs())
	if err != nil {
		return err
	}
	q := r.URL.Query()
	query := strings.ToLower(strings.TrimSpace(q.Get("q")))
	list = slices.DeleteFunc(list, func(c access.Company) bool {
		return query != "" && !strings.Contains(strings.ToLower(c.Code+" "+c.Name), query)
	})
	if q.Get("sort") == "-code" {
		slices.Reverse(list)
	}
	roles := map[backoffice.ID]string{}
	for _, m := range p.Memberships {
		roles[m.CompanyID] = m.RoleName
	}
	if q.Get("format") == "csv" {
		rows := make([][]string, 0, len(list))
		for _, c := range list {
			rows = append(rows, cellTexts(companyCells(c, roles[c.ID], c.ID == p.Company.ID)))
		}
		return writeCSV(w, "companies.csv", []string{"code", "name", "currency", "your_role", "current"}, rows)
	}
	v := listView{
		Title: "Companies", SearchHint: "Search code or name", ExportURL: withQuery(r, "format", "csv"),
		Help:  "The companies you belong to. Each keeps its own books in its base currency; switch between them with the menu at the top.",
		Empty: "No companies match. A company is a legal entity with its own books; you see those you are a member of.",
		Columns: sortColumns(r, []column{
			{Key: "code", Label: "Code", Sortable: true}, {Key: "name", Label: "Name"}, {Key: "currency", Label: "Base currency"},
			{Key: "role", Label: "Your role"}, {Key: "current", Label: "Current"},
		}, "code"),
	}
	if p.Can("company.manage") {
		v.NewURL, v.NewLabel = "/companies/new", "New company"
	}
	for _, c := range list {
		v.Rows = append(v.Rows, listRow{URL: "/companies/" + c.ID.String(), Cells: companyCells(c, roles[c.ID], c.ID == p.Company.ID)})
	}
	v.pageLinks(r, "", len(v.Rows))
	return s.render(w, r, http.StatusOK, "companies", "Companies", v)
}

func companyCells(c access.Company, role string, current bool) []cell {
	cur := cell{}
	if current {
		cur = cell{Text: "Current", Badge: "ok"}
	}
	return []cell{{Text: c.Code}, {Text: c.Name}, {Text: string(c.Currency) + " · " + c.Currency.Name()}, {Text: role}, cur}
}

type currencyOption struct{ Code, Name string }

func currencyOptions() []currencyOption {
	cs := backoffice.Currencies()
	out := make([]currencyOption, len(cs))
	for i, c := range cs {
		out[i] = currencyOption{Code: string(c), Name: c.Name()}
	}
	return out
}

// companyForm is the data of the company page, new or existing.
type companyForm struct {
	Company    access.Company
	New        bool
	CanEdit    bool
	Current    bool // the principal's current company
	Currencies []currencyOption
	Errors     *formErrors

	CanSeeMembers    bool
	CanManageMembers bool // user.manage, and this is the current company
	Members          []access.Membership
	Roles            []access.Role
	MemberErrors     *formErrors
	AddEmail         string
	AddRole          string

	History []historyItem
}

// Err is the message of a company field of a failed save, or "".
func (f companyForm) Err(field string) string {
	if f.Errors == nil {
		return ""
	}
	return f.Errors.Fields[field]
}

// MemberErr is the message of a field of a failed member change, or "".
func (f companyForm) MemberErr(field string) string {
	if f.MemberErrors == nil {
		return ""
	}
	return f.MemberErrors.Fields[field]
}

func (s *Server) companyNew(w http.ResponseWriter, r *http.Request) error {
	cur := string(principal(r).Company.Currency)
	if cur == "" {
		cur = "EUR"
	}
	form := companyForm{New: true, CanEdit: true, Currencies: currencyOptions(), Company: access.Company{Currency: backoffice.Currency(cur)}}
	return s.render(w, r, http.StatusOK, "company", "New company", form)
}

func (s *Server) companyCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	in := access.NewCompany{Code: r.PostForm.Get("code"), Name: r.PostForm.Get("name"), Currency: r.PostForm.Get("currency")}
	c, err := s.createCompany(r, in)
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		if backoffice.ErrorCode(err) == backoffice.EConflict && fe.Fields["code"] == "" {
			fe.Fields["code"] = "is already used by another company"
		}
		form := companyForm{New: true, CanEdit: true, Currencies: currencyOptions(), Errors: fe,
			Company: access.Company{Code: in.Code, Name: in.Name, Currency: backoffice.Currency(in.Currency)}}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "company", "New company", form)
	}
	return redirectFlash(w, r, "/companies/"+c.ID.String(), "Company created. You are its admin; switch to it with the menu at the top.")
}

func (s *Server) companyShow(w http.ResponseWriter, r *http.Request) error {
	form, err := s.companyRecord(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "company", form.Company.Name, form)
}

// companyRecord loads the record page of a company the user belongs to:
// the company, its members when the user may see them, and its history.
func (s *Server) companyRecord(r *http.Request) (companyForm, error) {
	id, err := visibleCompany(r)
	if err != nil {
		return companyForm{}, err
	}
	ctx := r.Context()
	c, err := s.Access.GetCompany(ctx, id)
	if err != nil {
		return companyForm{}, err
	}
	p := principal(r)
	form := companyForm{Company: c, CanEdit: p.Can("company.manage"), Current: id == p.Company.ID, CanSeeMembers: p.Can("user.read")}
	form.CanManageMembers = form.Current && p.Can("user.manage")
	if form.CanSeeMembers {
		if form.Members, err = s.Access.ListMembers(ctx, id); err != nil {
			return form, err
		}
	}
	if form.CanManageMembers {
		if form.Roles, err = s.Access.ListRoles(ctx); err != nil {
			return form, err
		}
		form.AddRole = access.RoleClerk
	}
	form.History, err = s.companyHistory(r, id, form.Members)
	return form, err
}

// companyHistory merges the company's own changes with its membership
// changes, naming each member by e-mail where the member is still known.
func (s *Server) companyHistory(r *http.Request, id backoffice.ID, members []access.Membership) ([]historyItem, error) {
	recs, err := s.history(r, "company", id.String())
	if err != nil {
		return nil, err
	}
	if principal(r).Can("user.read") {
		ms, err := audit.List(r.Context(), s.DB, audit.Filter{CompanyIDs: []backoffice.ID{id}, Entity: "membership", Limit: 1000})
		if err != nil {
			return nil, err
		}
		recs = append(recs, ms...)
		slices.SortFunc(recs, func(a, b audit.Record) int { return int(a.Seq - b.Seq) })
	}
	emails := map[string]string{}
	for _, m := range members {
		emails[m.UserID.String()] = m.UserEmail
	}
	items := historyOf(recs)
	for i := range items {
		rec := recs[len(recs)-1-i]
		if rec.Entity != "membership" {
			continue
		}
		_, user, _ := strings.Cut(rec.EntityID, ":")
		who := emails[user]
		if who == "" {
			who = "user " + user
		}
		action := map[string]string{"create": "Member added", "update": "Role changed", "delete": "Member removed"}[rec.Action]
		if action == "" {
			action = "Membership " + rec.Action
		}
		items[i].Action = action + ": " + who
		items[i].Changes = slices.DeleteFunc(items[i].Changes, func(c fieldChange) bool { return c.Field != "role" })
	}
	return items, nil
}

// companyUpdate renames a company.
func (s *Server) companyUpdate(w http.ResponseWriter, r *http.Request) error {
	form, err := s.companyRecord(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	version, perr := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if perr != nil {
		version = form.Company.Version
	}
	name := r.PostForm.Get("name")
	_, err = s.Access.UpdateCompany(r.Context(), form.Company.ID, version, access.CompanyPatch{Name: &name})
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		form.Errors, form.Company.Name = fe, name
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "company", form.Company.Code, form)
	}
	return redirectFlash(w, r, "/companies/"+form.Company.ID.String(), "Saved.")
}

// memberCompany loads the company page for a member change and refuses any
// company but the current one: membership changes act on the company the
// user is working in, as the API's /members routes do.
func (s *Server) memberCompany(r *http.Request) (companyForm, error) {
	form, err := s.companyRecord(r)
	if err != nil {
		return form, err
	}
	if !form.Current {
		return form, backoffice.Errorf(backoffice.EForbidden, "members can only be managed in the company you are working in: switch to %s with the menu at the top first", form.Company.Code)
	}
	if err := r.ParseForm(); err != nil {
		return form, backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	return form, nil
}

// memberFailure shows the company page again with the member form's
// problem, or returns the error when it is not the user's to fix.
func (s *Server) memberFailure(w http.ResponseWriter, r *http.Request, form companyForm, err error) error {
	fe, ferr := formFailure(err)
	if ferr != nil {
		return ferr
	}
	form.MemberErrors = fe
	return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "company", form.Company.Name, form)
}

// memberAdd adds an existing user, found by e-mail, to the current company.
func (s *Server) memberAdd(w http.ResponseWriter, r *http.Request) error {
	form, err := s.memberCompany(r)
	if err != nil {
		return err
	}
	form.AddEmail, form.AddRole = strings.TrimSpace(r.PostForm.Get("email")), r.PostForm.Get("role")
	ctx := r.Context()
	u, err := s.Access.UserByEmail(ctx, form.AddEmail)
	if err != nil {
		if backoffice.ErrorCode(err) != backoffice.ENotFound {
			return err
		}
		return s.memberFailure(w, r, form, &backoffice.Error{Code: backoffice.EInvalid, Message: "No user has that e-mail address.",
			Fields: map[string]string{"email": "no user has this e-mail address: create the user on the Users page instead"}})
	}
	role, err := s.memberRole(r, form.AddRole)
	if err == nil {
		err = s.Access.AddMember(ctx, form.Company.ID, u.ID, role.ID)
	}
	if err != nil {
		return s.memberFailure(w, r, form, err)
	}
	return redirectFlash(w, r, "/companies/"+form.Company.ID.String(), u.Email+" added as "+role.Name+".")
}

// memberRole finds a role by the name a member form sent.
func (s *Server) memberRole(r *http.Request, name string) (access.Role, error) {
	role, err := s.Access.RoleByName(r.Context(), name)
	if err != nil && backoffice.ErrorCode(err) == backoffice.ENotFound {
		return role, &backoffice.Error{Code: backoffice.EInvalid, Message: "Choose a role.", Fields: map[string]string{"role": "no role is named " + name}}
	}
	return role, err
}

// memberSetRole changes a member's role in the current company.
func (s *Server) memberSetRole(w http.ResponseWriter, r *http.Request) error {
	form, err := s.memberCompany(r)
	if err != nil {
		return err
	}
	userID, err := pathID(r, "user")
	if err != nil {
		return err
	}
	role, err := s.memberRole(r, r.PostForm.Get("role"))
	if err == nil {
		err = s.Access.SetMemberRole(r.Context(), form.Company.ID, userID, role.ID)
	}
	if err != nil {
		return s.memberFailure(w, r, form, err)
	}
	return redirectFlash(w, r, "/companies/"+form.Company.ID.String(), "Role changed to "+role.Name+".")
}

// memberRemove takes a user out of the current company.
func (s *Server) memberRemove(w http.ResponseWriter, r *http.Request) error {
	form, err := s.memberCompany(r)
	if err != nil {
		return err
	}
	userID, err := pathID(r, "user")
	if err != nil {
		return err
	}
	if err := s.Access.RemoveMember(r.Context(), form.Company.ID, userID); err != nil {
		return s.memberFailure(w, r, form, err)
	}
	return redirectFlash(w, r, "/companies/"+form.Company.ID.String(), "Member removed.")
}
