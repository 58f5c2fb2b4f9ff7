package web

import (
	"net/http"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestPermissionMatrix calls every API route as every built-in role, as a
// member of another company only, and anonymously, and checks the answer the
// route table promises: 401 without credentials, 404 for a company the caller
// does not belong to, 403 without the route's permission, and no refusal
// with it. It is the permission matrix of the product, derived from the one
// route table so a new route is covered the day it is added.
func TestPermissionMatrix(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		perms := map[string]map[string]bool{}
		for _, role := range matrixRoles[:4] {
			r, err := f.acc.RoleByName(t.Context(), role)
			must(t, err)
			perms[role] = map[string]bool{}
			for _, p := range r.Permissions {
				perms[role][p] = true
			}
		}
		routes := f.srv.RouteTable()
		checked := 0
		for _, role := range matrixRoles {
			for _, rt := range routes {
				if !rt.API || rt.Method == "DELETE" && role == "admin" {
					continue // admin deletes run last, below, so they do not remove other rows' targets
				}
				checked++
				checkRoute(t, f, role, rt, perms)
			}
		}
		for _, rt := range routes {
			if rt.API && rt.Method == "DELETE" {
				checkRoute(t, f, "admin", rt, perms)
			}
		}
		t.Logf("%d route × role cases checked", checked)
	})
}

func checkRoute(t *testing.T, f *fixture, role string, rt Route, perms map[string]map[string]bool) {
	t.Helper()
	path := f.fillPath(rt.Path)
	body := ""
	if rt.Method == "POST" || rt.Method == "PATCH" || rt.Method == "PUT" {
		body = "{}"
	}
	w := f.request(role, rt.Method, path, body)
	got := w.Code
	var want string
	switch {
	case rt.Perm == PermPublic:
		want = "any but 401/403"
		if got == 401 || got == 403 {
			break
		}
		return
	case role == "anonymous":
		want = "401"
		if got == http.StatusUnauthorized {
			return
		}
	case role == "outsider":
		want = "404"
		if got == http.StatusNotFound {
			return
		}
	case rt.SessionOnly:
		want = "403 (API tokens may not)"
		if got == http.StatusForbidden {
			return
		}
	case rt.Perm == PermSignedIn || perms[role][rt.Perm]:
		want = "allowed (not 401/403)"
		if got != 401 && got != 403 {
			return
		}
	default:
		want = "403"
		if got == http.StatusForbidden {
			return
		}
	}
	t.Errorf("%s %s as %s (needs %s): status %d, want %s\n%s", rt.Method, path, role, rt.Perm, got, want, strings.TrimSpace(w.Body.String()))
}

// fillPath puts fixture ids into a route pattern.
func (f *fixture) fillPath(p string) string {
	id := f.target.ID.String()
	switch {
	case strings.HasPrefix(p, "/api/v1/roles/"):
		id = f.role.ID.String()
	case strings.HasPrefix(p, "/api/v1/companies/"):
		id = f.a.ID.String()
	case strings.HasPrefix(p, "/api/v1/webhooks/"):
		id = f.webhook.ID.String()
	case strings.HasPrefix(p, "/api/v1/accounts/"):
		id = f.account.ID.String() // a real account of A: allowed calls reach the handler's own checks
	case strings.HasPrefix(p, "/api/v1/bank-accounts/"):
		id = f.bankAcc.ID.String()
	case strings.HasPrefix(p, "/api/v1/parties/"):
		id = f.party.ID.String()
	case strings.HasPrefix(p, "/api/v1/entries/"):
		id = f.entry.ID.String()
	case strings.HasPrefix(p, "/api/v1/webhook-deliveries/"), strings.HasPrefix(p, "/api/v1/tokens/"):
		id = "999999"
	}
	return strings.NewReplacer("{id}", id, "{user}", f.target.ID.String()).Replace(p)
}
