package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/access"
)

// Token states as the tokens page shows and filters them.
const (
	tokenActive  = "active"
	tokenExpired = "expired"
	tokenRevoked = "revoked"
)

// tokenRow is one token as the list shows it.
type tokenRow struct {
	Token   access.Token
	Owner   string
	Role    string
	Scope   string
	Status  cell
	Revoke  bool // the caller may revoke it
	Expires string
	Used    string
}

// tokensPage is the data of the API tokens page.
type tokensPage struct {
	Rows      []tokenRow
	Filters   []chip
	Search    string
	Status    string
	ExportURL string
	AllOwners bool // the list shows every token of the company, not only the caller's

	CanCreate  bool
	CreateNote string // why the caller cannot create tokens here
	Roles      []access.Role
	Form       tokenFormValues
	Errors     *formErrors

	Secret  string // the new token's secret, shown once
	Created access.Token
	APIURL  string
}

// tokenFormValues is what the create form holds, typed or default.
type tokenFormValues struct {
	Name, Role, Days string
	AllCompanies     bool
}

// Err is the message of a field of a failed create, or "".
func (p tokensPage) Err(field string) string {
	if p.Errors == nil {
		return ""
	}
	return p.Errors.Fields[field]
}

// tokensList is the API tokens page: the caller's tokens, or all of the
// company's for those who manage users, with the create form.
func (s *Server) tokensList(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	pg := tokensPage{Form: tokenFormValues{Role: p.Role.Name, Days: "90"}}
	return s.renderTokens(w, r, http.StatusOK, pg)
}

// renderTokens fills the list and the form around pg's own fields and renders.
func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, pg tokensPage) error {
	p := principal(r)
	rows, err := s.tokenRows(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	pg.Search, pg.Status = q.Get("q"), q.Get("status")
	query := strings.ToLower(strings.TrimSpace(pg.Search))
	rows = slices.DeleteFunc(rows, func(t tokenRow) bool {
		if pg.Status != "all" && strings.ToLower(t.Status.Text) != statusOr(pg.Status, tokenActive) {
			return true
		}
		return query != "" && !strings.Contains(strings.ToLower(t.Token.Name+" "+t.Token.Prefix+" "+t.Owner), query)
	})
	if q.Get("format") == "csv" {
		out := make([][]string, 0, len(rows))
		for _, t := range rows {
			out = append(out, []string{t.Token.Name, t.Token.Prefix, t.Owner, t.Role, t.Scope, t.Status.Text, t.Used, t.Expires, t.Token.CreatedAt.Format(time.RFC3339)})
		}
		return writeCSV(w, "api-tokens.csv", []string{"name", "prefix", "owner", "role", "scope", "status", "last_used", "expires", "created"}, out)
	}
	pg.Rows, pg.AllOwners, pg.ExportURL = rows, p.Can("user.manage"), withQuery(r, "format", "csv")
	for _, c := range []struct{ label, value string }{{"Active", ""}, {"Expired", tokenExpired}, {"Revoked", tokenRevoked}, {"All", "all"}} {
		pg.Filters = append(pg.Filters, chip{Label: c.label, URL: withQuery(r, "status", c.value), Active: pg.Status == c.value})
	}
	switch {
	case !p.Can("token.manage"):
		pg.CreateNote = "Your role may see API tokens but not create them."
	case p.TokenID != 0:
		pg.CreateNote = "An API token cannot create other tokens; sign in to create one."
	default:
		pg.CanCreate = true
		if pg.Roles, err = s.Access.ListRoles(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "tokens", "API tokens", pg)
}

func statusOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// tokenRows lists the tokens the caller may see, revoked ones included,
// with owner, role and scope named.
func (s *Server) tokenRows(r *http.Request) ([]tokenRow, error) {
	p := principal(r)
	ctx := r.Context()
	f := visibleTokens(p, true)
	tokens, err := s.Access.ListTokens(ctx, f)
	if err != nil {
		return nil, err
	}
	roles, err := s.Access.ListRoles(ctx)
	if err != nil {
		return nil, err
	}
	roleNames := map[backoffice.ID]string{}
	for _, role := range roles {
		roleNames[role.ID] = role.Name
	}
	owners := map[backoffice.ID]string{p.User.ID: p.User.Email}
	if p.Company.ID != 0 && f.CompanyID != 0 {
		ms, err := s.Access.ListMembers(ctx, p.Company.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			owners[m.UserID] = m.UserEmail
		}
	}
	companies := map[backoffice.ID]string{}
	for _, m := range p.Memberships {
		companies[m.CompanyID] = m.CompanyCode
	}
	now := s.now()
	out := make([]tokenRow, 0, len(tokens))
	for _, t := range tokens {
		row := tokenRow{Token: t, Owner: owners[t.UserID], Role: roleNames[t.RoleID], Scope: "All companies of the owner",
			Status: tokenStatus(t, now), Expires: t.ExpiresAt.UTC().Format("2006-01-02"), Used: "never"}
		if row.Owner == "" {
			row.Owner = "user " + t.UserID.String()
		}
		if t.CompanyID != 0 {
			row.Scope = companies[t.CompanyID]
			if row.Scope == "" {
				row.Scope = "company " + t.CompanyID.String()
			}
		}
		if t.LastUsedAt != nil {
			row.Used = t.LastUsedAt.UTC().Format("2006-01-02 15:04")
		}
		row.Revoke = t.RevokedAt == nil && p.Can("token.manage")
		out = append(out, row)
	}
	return out, nil
}

func tokenStatus(t access.Token, now time.Time) cell {
	switch {
	case t.RevokedAt != nil:
		return cell{Text: humanAction(tokenRevoked), Badge: "bad"}
	case !t.ExpiresAt.After(now):
		return cell{Text: humanAction(tokenExpired), Badge: "muted"}
	}
	return cell{Text: humanAction(tokenActive), Badge: "ok"}
}

// tokenCreate makes a token for the caller and shows its secret once.
func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	form := tokenFormValues{Name: r.PostForm.Get("name"), Role: r.PostForm.Get("role"), Days: strings.TrimSpace(r.PostForm.Get("expires_days")),
		AllCompanies: r.PostForm.Get("scope") == "all"}
	in := tokenIn{Name: form.Name, Role: form.Role, AllCompanies: form.AllCompanies}
	days, err := strconv.Atoi(form.Days)
	if err != nil || days < 1 || days > 365 {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "API token has invalid fields",
			Fields: map[string]string{"expires_days": "must be a whole number of days from 1 to 365"}}
	} else {
		at := s.now().Add(time.Duration(days) * 24 * time.Hour)
		in.ExpiresAt = &at
		var secret string
		var t access.Token
		secret, t, err = s.createToken(r, in)
		if err == nil {
			pg := tokensPage{Secret: secret, Created: t, APIURL: s.baseURL(r) + "/api/v1/me",
				Form: tokenFormValues{Role: principal(r).Role.Name, Days: "90"}}
			r.URL.RawQuery = ""
			return s.renderTokens(w, r, http.StatusCreated, pg)
		}
	}
	fe, ferr := formFailure(err)
	if ferr != nil {
		return ferr
	}
	if msg, ok := fe.Fields["expires_at"]; ok {
		fe.Fields["expires_days"] = msg
	}
	if backoffice.ErrorCode(err) == backoffice.EForbidden && len(fe.Fields) == 0 {
		fe.Fields["role"] = "grants more than you hold: pick a smaller role"
	}
	r.URL.RawQuery = ""
	return s.renderTokens(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), tokensPage{Form: form, Errors: fe})
}

// baseURL is the address the browser reached this server at, for examples.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if s.Secure || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// tokenRevoke ends a token the caller may revoke.
func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.revocableToken(r, id); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return backoffice.Errorf(backoffice.EInvalid, "the form could not be read")
	}
	if err := s.Access.RevokeToken(r.Context(), id, strings.TrimSpace(r.PostForm.Get("reason"))); err != nil {
		return err
	}
	return redirectFlash(w, r, "/tokens", "Token revoked. Programs using it are refused from now on.")
}
