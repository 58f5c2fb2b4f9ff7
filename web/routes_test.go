package web

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"backoffice/access"
	"backoffice/sqldb/sqldbtest"
)

// publicRoutes are the only routes anyone may call without signing in.
var publicRoutes = []string{
	"GET /healthz", "GET /readyz", "GET /api/v1/openapi.json", "GET /static/{file...}",
	"GET /login", "POST /login", "GET /login/totp", "POST /login/totp", "POST /logout",
}

func TestRoutes_EveryRouteNamesAKnownPermission(t *testing.T) {
	s := &Server{}
	seen := map[string]bool{}
	for _, rt := range s.Routes() {
		key := rt.Method + " " + rt.Path
		if seen[key] {
			t.Errorf("%s is in the route table twice", key)
		}
		seen[key] = true
		switch rt.Perm {
		case "":
			t.Errorf("%s has no permission: name one, or PermSignedIn, or list it in publicRoutes with PermPublic", key)
		case PermPublic:
			if !slices.Contains(publicRoutes, key) {
				t.Errorf("%s is public but not listed in publicRoutes", key)
			}
		case PermSignedIn:
		default:
			if !access.KnownPermission(rt.Perm) {
				t.Errorf("%s needs %q, which access.Permissions() does not declare", key, rt.Perm)
			}
		}
		if rt.Handle == nil {
			t.Errorf("%s has no handler", key)
		}
		if rt.API != strings.HasPrefix(rt.Path, "/api/") {
			t.Errorf("%s: API flag disagrees with its path", key)
		}
	}
	for _, p := range publicRoutes {
		if !seen[p] {
			t.Errorf("publicRoutes lists %s, which is not a route", p)
		}
	}
}

func TestOpenAPI_DocumentsEveryAPIRoute(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	w := f.request("anonymous", "GET", "/api/v1/openapi.json", "")
	if w.Code != http.StatusOK {
		t.Fatalf("openapi.json: %d", w.Code)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi version %q", doc.OpenAPI)
	}
	n := 0
	for _, rt := range f.srv.RouteTable() {
		if !rt.API {
			continue
		}
		n++
		op, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]
		if !ok {
			t.Errorf("%s %s is missing from openapi.json", rt.Method, rt.Path)
			continue
		}
		if rt.Summary == "" || op["summary"] == "" {
			t.Errorf("%s %s has no summary", rt.Method, rt.Path)
		}
		if rt.Perm != PermPublic && op["x-permission"] != rt.Perm {
			t.Errorf("%s %s documents permission %v, route needs %s", rt.Method, rt.Path, op["x-permission"], rt.Perm)
		}
	}
	if n < 30 {
		t.Errorf("only %d API routes documented", n)
	}
}
