package access

import (
	"context"
	"errors"
	"io"
	"iter"
	"strings"

	"backoffice"
	"backoffice/csvio"
	"backoffice/sqldb"
)

// userCSVColumns are the columns of the users CSV, for import and export alike.
var userCSVColumns = []csvio.Column{
	{Name: "email", Required: true, Help: "sign-in address, unique"},
	{Name: "name", Help: "full name; the part of the e-mail before @ when empty"},
	{Name: "role", Help: "admin, accountant, clerk, auditor or a custom role; clerk when empty"},
	{Name: "password", Help: "at least 10 characters; when empty a random one is set (reset it before the user signs in)"},
}

// UserCSVColumns describes the users CSV format, for help texts and templates.
func UserCSVColumns() []csvio.Column { return append([]csvio.Column(nil), userCSVColumns...) }

// UserCSVColumns describes the users CSV format (see the package function).
func (s *Service) UserCSVColumns() []csvio.Column { return UserCSVColumns() }

type userImport struct {
	user     NewUser
	password string
}

// ImportUsers creates users from CSV as members of company, all or nothing:
// every bad row is reported with its line and column, and nothing is stored
// unless every row is good.
func (s *Service) ImportUsers(ctx context.Context, r io.Reader, companyID backoffice.ID, opts csvio.Options) (csvio.Report, error) {
	if _, err := s.GetCompany(ctx, companyID); err != nil {
		return csvio.Report{}, err
	}
	roles, err := s.ListRoles(ctx)
	if err != nil {
		return csvio.Report{}, err
	}
	byName := map[string]Role{}
	for _, role := range roles {
		byName[strings.ToLower(role.Name)] = role
	}
	schema := csvio.Schema[userImport]{Entity: "user", Columns: userCSVColumns, Parse: func(row csvio.Row) (userImport, error) {
		return parseUserRow(row, companyID, byName)
	}}
	return csvio.Import(ctx, r, schema, opts, func(ctx context.Context, items []userImport, _ []int) error {
		return s.commitUsers(ctx, items)
	})
}

func parseUserRow(row csvio.Row, companyID backoffice.ID, roles map[string]Role) (userImport, error) {
	v := backoffice.Validation{}
	email := normaliseEmail(row.Get("email"))
	v.Check(validEmail(email), "email", "must be an e-mail address such as ann@example.com")
	name := strings.TrimSpace(row.Get("name"))
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	v.Check(validName(name), "name", "must be 1 to 200 characters")
	roleName := strings.ToLower(strings.TrimSpace(row.Get("role")))
	if roleName == "" {
		roleName = "clerk"
	}
	role, ok := roles[roleName]
	v.Check(ok, "role", "no role is named "+roleName)
	password := row.Get("password")
	if password == "" {
		password = generatePassword()
	} else if msg := checkPolicy(password, email); msg != "" {
		v.Add("password", msg)
	}
	if err := v.Err("user"); err != nil {
		return userImport{}, err
	}
	return userImport{password: password, user: NewUser{Email: email, Name: name, Password: password,
		Memberships: []NewMembership{{CompanyID: companyID, RoleID: role.ID}}}}, nil
}

// commitUsers stores all users in one transaction. E-mails that repeat in
// the file or already exist are blamed on their rows before anything is written.
func (s *Service) commitUsers(ctx context.Context, items []userImport) error {
	var problems []error
	seen := map[string]bool{}
	for i, it := range items {
		if seen[it.user.Email] {
			problems = append(problems, &csvio.ItemError{Index: i, Column: "email", Err: errors.New("appears twice in the file")})
		}
		seen[it.user.Email] = true
		if _, err := s.UserByEmail(ctx, it.user.Email); err == nil {
			problems = append(problems, &csvio.ItemError{Index: i, Column: "email", Err: errors.New("a user with this e-mail already exists")})
		} else if backoffice.ErrorCode(err) != backoffice.ENotFound {
			return err
		}
	}
	if len(problems) > 0 {
		return errors.Join(problems...)
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		for i, it := range items {
			if _, err := s.createUser(ctx, tx, it.user, it.password, backoffice.Validation{}); err != nil {
				return &csvio.ItemError{Index: i, Err: err}
			}
		}
		return nil
	})
}

// ExportUsers writes the members of company as CSV in the import format
// (without passwords).
func (s *Service) ExportUsers(ctx context.Context, w io.Writer, companyID backoffice.ID) error {
	members, err := s.ListMembers(ctx, companyID)
	if err != nil {
		return err
	}
	roleOf := map[backoffice.ID]string{}
	for _, m := range members {
		roleOf[m.UserID] = m.RoleName
	}
	var users []User
	f := UserFilter{CompanyID: companyID, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for {
		list, err := s.ListUsers(ctx, f)
		if err != nil {
			return err
		}
		users = append(users, list.Items...)
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	rows := iter.Seq[[]string](func(yield func([]string) bool) {
		for _, u := range users {
			if !yield([]string{u.Email, u.Name, roleOf[u.ID], ""}) {
				return
			}
		}
	})
	return csvio.Export(w, []string{"email", "name", "role", "password"}, rows)
}
