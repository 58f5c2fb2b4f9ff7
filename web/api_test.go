package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// apiCase is one line of the declarative API test table: who sends what, and
// what must come back.
type apiCase struct {
	name    string
	role    string
	method  string
	path    string
	body    string
	header  []string
	status  int
	want    []string // fragments the body must contain
	notWant []string // fragments it must not contain
}

func runCases(t *testing.T, f *fixture, cases []apiCase) {
	t.Helper()
	for _, c := range cases {
		w := f.request(c.role, c.method, f.fillPath(c.path), c.body, c.header...)
		body := w.Body.String()
		if w.Code != c.status {
			t.Errorf("%s: %s %s as %s: status %d, want %d\n%s", c.name, c.method, c.path, c.role, w.Code, c.status, body)
			continue
		}
		for _, s := range c.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s: body lacks %q\n%s", c.name, s, body)
			}
		}
		for _, s := range c.notWant {
			if strings.Contains(body, s) {
				t.Errorf("%s: body contains %q\n%s", c.name, s, body)
			}
		}
	}
}

func TestAPI_Users(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		runCases(t, f, []apiCase{
			{name: "create", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"New@Example.com","name":"New Person","role":"accountant"}`,
				status: 201, want: []string{`"email":"new@example.com"`, `"password":"`}, notWant: []string{"password_hash", "argon2"}},
			{name: "duplicate e-mail", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"new@example.com","name":"Again"}`,
				status: 409, want: []string{`"code":"conflict"`, `"email"`}},
			{name: "every bad field at once", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"nope","name":"","password":"short"}`,
				status: 422, want: []string{`"code":"invalid"`, `"email":`, `"name":`, `"password":`}},
			{name: "unknown role", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"r@example.com","name":"R","role":"wizard"}`,
				status: 422, want: []string{`"role":"no role is named wizard"`}},
			{name: "malformed JSON", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":`,
				status: 422, want: []string{"malformed JSON"}},
			{name: "wrong type", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":5}`,
				status: 422, want: []string{`"email":"must be a string`}},
			{name: "unknown field", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"x@example.com","is_admin":true}`,
				status: 422, want: []string{`"is_admin":"unknown field"`}},
			{name: "two objects", role: "admin", method: "POST", path: "/api/v1/users", body: `{"email":"x@example.com"}{}`,
				status: 422, want: []string{"one JSON object"}},
			{name: "not JSON", role: "admin", method: "POST", path: "/api/v1/users", body: `{}`, header: []string{"Content-Type", "text/plain"},
				status: 415, want: []string{"application/json"}},
			{name: "clerk cannot create", role: "clerk", method: "POST", path: "/api/v1/users", body: `{"email":"c@example.com","name":"C"}`,
				status: 403, want: []string{`"code":"forbidden"`, "user.manage"}},
			{name: "auditor reads", role: "auditor", method: "GET", path: "/api/v1/users?limit=2", status: 200, want: []string{`"items":[`, `"next":"`}},
			{name: "bad limit", role: "auditor", method: "GET", path: "/api/v1/users?limit=abc", status: 422, want: []string{`"limit"`}},
			{name: "user of another company is not found", role: "outsider", method: "GET", path: "/api/v1/users/{id}", header: []string{"Backoffice-Company", "B"},
				status: 404},
			{name: "no such user", role: "admin", method: "GET", path: "/api/v1/users/987654", status: 404, want: []string{`"code":"not_found"`}},
			{name: "no such company", role: "admin", method: "GET", path: "/api/v1/users", header: []string{"Backoffice-Company", "NOPE"}, status: 404},
			{name: "bad token", role: "anonymous", method: "GET", path: "/api/v1/me", header: []string{"Authorization", "Bearer bo_wrong"}, status: 401},
			{name: "me", role: "clerk", method: "GET", path: "/api/v1/me", status: 200, want: []string{`"role":"clerk"`, `"code":"A"`}},
		})
	})
}

func TestAPI_OversizeBodyIs413AndStoresNothing(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	big := `{"email":"big@example.com","name":"` + strings.Repeat("x", 2<<20) + `"}`
	w := f.request("admin", "POST", "/api/v1/users", big)
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), `"code":"too_large"`) {
		t.Fatalf("status %d: %s", w.Code, w.Body.String())
	}
	if w := f.request("admin", "GET", "/api/v1/users?q=big", ""); strings.Contains(w.Body.String(), "big@example.com") {
		t.Fatal("oversize request stored a user")
	}
}

func TestAPI_IdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"email":"once@example.com","name":"Once"}`
		first := f.request("admin", "POST", "/api/v1/users", body, "Idempotency-Key", "k-1")
		second := f.request("admin", "POST", "/api/v1/users", body, "Idempotency-Key", "k-1")
		if first.Code != 201 || second.Code != 201 || first.Body.String() != second.Body.String() {
			t.Fatalf("retry answered %d %q, first %d %q", second.Code, second.Body.String(), first.Code, first.Body.String())
		}
		if second.Header().Get("Idempotent-Replayed") != "true" {
			t.Error("replay not marked Idempotent-Replayed")
		}
		other := f.request("admin", "POST", "/api/v1/users", `{"email":"twice@example.com","name":"Twice"}`, "Idempotency-Key", "k-1")
		if other.Code != http.StatusConflict {
			t.Fatalf("same key, other body: %d %s", other.Code, other.Body.String())
		}
		// A refusal is an answer too: the same bad request with the same key gets the same 422.
		bad1 := f.request("admin", "POST", "/api/v1/users", `{"email":"bad"}`, "Idempotency-Key", "k-2")
		bad2 := f.request("admin", "POST", "/api/v1/users", `{"email":"bad"}`, "Idempotency-Key", "k-2")
		if bad1.Code != 422 || bad2.Code != 422 {
			t.Fatalf("refusals: %d, %d", bad1.Code, bad2.Code)
		}
		// Keys belong to their caller: another caller's same key runs its own request.
		mine := f.request("accountant", "GET", "/api/v1/users?q=once", "")
		if n := strings.Count(mine.Body.String(), "once@example.com"); n != 1 {
			t.Fatalf("%d users created for one key", n)
		}
	})
}

func TestAPI_IfMatchRefusesStaleUpdates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		get := f.request("admin", "GET", f.fillPath("/api/v1/users/{id}"), "")
		tag := get.Header().Get("ETag")
		if tag == "" {
			t.Fatal("GET returned no ETag")
		}
		ok := f.request("admin", "PATCH", f.fillPath("/api/v1/users/{id}"), `{"name":"Renamed"}`, "If-Match", tag)
		if ok.Code != 200 || ok.Header().Get("ETag") == tag {
			t.Fatalf("update with current ETag: %d, ETag %q", ok.Code, ok.Header().Get("ETag"))
		}
		stale := f.request("admin", "PATCH", f.fillPath("/api/v1/users/{id}"), `{"name":"Lost update"}`, "If-Match", tag)
		if stale.Code != http.StatusPreconditionFailed || !strings.Contains(stale.Body.String(), `"code":"precondition_failed"`) {
			t.Fatalf("update with stale ETag: %d %s", stale.Code, stale.Body.String())
		}
		after := f.request("admin", "GET", f.fillPath("/api/v1/users/{id}"), "")
		if !strings.Contains(after.Body.String(), `"name":"Renamed"`) {
			t.Fatalf("stale update changed the user: %s", after.Body.String())
		}
	})
}

func TestAPI_ChangeStreamPagesAndStaysInTheCallersCompanies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("auditor", "GET", "/api/v1/changes?after=0&limit=3", "")
		var page listOf[changeOut]
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 {
			t.Fatalf("changes: %d %s", w.Code, w.Body.String())
		}
		if len(page.Items) != 3 || page.Next == "" {
			t.Fatalf("first page: %d items, next %q", len(page.Items), page.Next)
		}
		w = f.request("auditor", "GET", "/api/v1/changes?after="+page.Next+"&limit=500", "")
		var rest listOf[changeOut]
		must(t, json.Unmarshal(w.Body.Bytes(), &rest))
		if len(rest.Items) == 0 || rest.Items[0].Seq <= page.Items[2].Seq {
			t.Fatalf("second page does not continue after %s", page.Next)
		}
		for _, c := range append(page.Items, rest.Items...) {
			if c.CompanyID != 0 && c.CompanyID != f.a.ID {
				t.Errorf("auditor of A sees change %d of company %d", c.Seq, c.CompanyID)
			}
		}
		if w := f.request("clerk", "GET", "/api/v1/changes", ""); w.Code != http.StatusForbidden {
			t.Errorf("clerk reads the change log: %d", w.Code)
		}
	})
}

// injections are strings that break naive SQL, HTML or CSV handling.
var injections = []string{
	`'; DROP TABLE users; --`,
	`<script>alert("x")</script>`,
	`" onmouseover="alert(1)`,
	`=HYPERLINK("http://evil.example")`,
	"\x00nul",
	strings.Repeat("ä", 300),
}

// TestAPI_InjectionStringsInEveryTextField sends hostile strings in every
// string field of every documented request body: the answer is a clear 4xx
// or a 2xx that stored the string verbatim; never a 5xx, never a broken table.
func TestAPI_InjectionStringsInEveryTextField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, rt := range f.srv.RouteTable() {
			if rt.In == nil {
				continue
			}
			typ := reflect.TypeOf(rt.In)
			for i := 0; i < typ.NumField(); i++ {
				fld := typ.Field(i)
				name, _, _ := strings.Cut(fld.Tag.Get("json"), ",")
				if !isStringField(fld.Type) {
					continue
				}
				for _, bad := range injections {
					body, _ := json.Marshal(map[string]string{name: bad})
					w := f.request("admin", rt.Method, f.fillPath(rt.Path), string(body))
					if w.Code >= 500 {
						t.Errorf("%s %s field %s = %q: status %d %s", rt.Method, rt.Path, name, bad, w.Code, w.Body.String())
					}
					if w.Code < 300 && strings.Contains(w.Body.String(), "<script>") {
						t.Errorf("%s %s echoed unescaped HTML: %s", rt.Method, rt.Path, w.Body.String())
					}
				}
			}
		}
		if w := f.request("admin", "GET", "/api/v1/users", ""); w.Code != 200 {
			t.Fatalf("users table broken after injections: %d", w.Code)
		}
	})
}

func isStringField(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.String
}

func TestMetrics_ServedToTheMetricsPermissionOnly(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	f.request("clerk", "GET", "/api/v1/me", "")
	w := f.request("admin", "GET", "/metrics", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `backoffice_http_requests_total{code="200",route="GET /api/v1/me"}`) {
		t.Fatalf("admin /metrics: %d\n%.500s", w.Code, w.Body.String())
	}
	if w := f.request("clerk", "GET", "/metrics", ""); w.Code != http.StatusForbidden {
		t.Fatalf("clerk /metrics: %d", w.Code)
	}
	// The separate --metrics-addr listener serves them without sign-in.
	rec := httptest.NewRecorder()
	f.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Fatalf("metrics listener: %d", rec.Code)
	}
}

func TestAPI_NewCompanyGetsItsBooks(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	w := f.request("admin", "POST", "/api/v1/companies", `{"code":"NEWCO","name":"New Co","currency":"CHF"}`)
	if w.Code != http.StatusCreated {
		t.Fatalf("create company: %d %s", w.Code, w.Body.String())
	}
	var c companyOut
	must(t, json.Unmarshal(w.Body.Bytes(), &c))
	// The admin's API token is scoped to company A, so read the new books directly.
	if _, err := f.books.AccountByCode(t.Context(), c.ID, "1000"); err != nil {
		t.Fatalf("the new company has no chart: %v", err)
	}
}
