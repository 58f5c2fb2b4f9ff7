package bench

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/events"
	"backoffice/sqldb"
	"backoffice/web"
)

// middlewareTarget is the budget of the whole middleware chain per request.
const middlewareTarget = "middleware chain < 50 µs per request"

// middleware measures what a request pays before its handler runs: request
// id, logging, metrics, cross-origin protection, routing, and — for "token"
// — the API token lookup, company and permission check. "bare" is the same
// work without the chain, so the difference is the chain's cost.
func middleware(kind string) func(b *testing.B, db *sqldb.DB) float64 {
	return func(b *testing.B, db *sqldb.DB) float64 {
		h, token := server(b, db)
		path := "/healthz"
		switch kind {
		case "bare":
			h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"status":"ok","version":"bench"}` + "\n"))
			})
		case "token":
			path = "/api/v1/permissions"
		}
		req := httptest.NewRequest("GET", path, nil)
		if kind == "token" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
			}
		}
		return float64(b.Elapsed().Microseconds()) / float64(b.N)
	}
}

// server builds the product's handler over db with one admin and its API token.
func server(b *testing.B, db *sqldb.DB) (http.Handler, string) {
	ctx := backoffice.WithActor(context.Background(), backoffice.System("bench"))
	log := &audit.Log{}
	acc := &access.Service{DB: db, Audit: log, Argon2: access.Argon2Params{Memory: 1024, Time: 1, Threads: 1}}
	check := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	check(acc.SyncBuiltinRoles(ctx))
	c, err := acc.CreateCompany(ctx, access.NewCompany{Code: "BENCH", Name: "Bench", Currency: "EUR"})
	check(err)
	admin, err := acc.RoleByName(ctx, "admin")
	check(err)
	u, _, err := acc.CreateUser(ctx, access.NewUser{Email: "bench@example.com", Name: "Bench", Memberships: []access.NewMembership{{CompanyID: c.ID, RoleID: admin.ID}}})
	check(err)
	token, _, err := acc.CreateToken(ctx, access.NewToken{Name: "bench", UserID: u.ID, RoleID: admin.ID, CompanyID: c.ID})
	check(err)
	srv := &web.Server{DB: db, Audit: log, Access: acc, Events: &events.Service{DB: db, Audit: log},
		Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Version: "bench"}
	h, err := srv.Handler()
	check(err)
	return h, token
}
