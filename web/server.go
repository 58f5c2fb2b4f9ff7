// Package web is the HTTP face of Backoffice: one table of routes for the
// browser UI and the REST API, the middleware every request passes through
// (request id, logging, metrics, cross-origin protection, authentication,
// permission checks, idempotency), and the handlers of each domain.
package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"backoffice/access"
	"backoffice/audit"
	"backoffice/bank"
	"backoffice/events"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
)

// Server holds the dependencies of every handler. Set the fields, then call
// Handler once; the Server is safe for concurrent use afterwards.
type Server struct {
	DB       *sqldb.DB
	Audit    *audit.Log
	Access   *access.Service
	Events   *events.Service
	Ledger   *ledger.Service // the general ledger; its pages and API answer 500 when nil
	Bank     *bank.Service   // bank accounts and statements; their pages and API answer 500 when nil
	Party    *party.Service  // customers and suppliers; their pages and API answer 500 when nil
	Invoice  *invoice.Service
	Logger   *slog.Logger
	Registry *prometheus.Registry // metrics; a fresh registry when nil
	Version  string               // shown in the footer and /healthz
	Secure   bool                 // set the Secure flag on cookies (served behind TLS)
	Now      func() time.Time

	// MetricsPublic serves /metrics to anyone (used when a separate
	// --metrics-addr listener is bound to a private interface).
	MetricsPublic bool
	// MaxBodyBytes limits JSON request bodies; 1 MiB when zero.
	MaxBodyBytes int64
	// MaxUploadBytes limits file uploads (CSV imports); 32 MiB when zero.
	MaxUploadBytes int64

	templates map[string]*template.Template
	metrics   *httpMetrics
	routes    []Route
	poster    *ledger.Poster // group commit for single-entry POST /api/v1/entries
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Handler builds the routing table and the middleware chain.
func (s *Server) Handler() (http.Handler, error) {
	tmpl, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.templates = tmpl
	if s.Registry == nil {
		s.Registry = prometheus.NewRegistry()
	}
	s.metrics = newHTTPMetrics(s.Registry)
	s.poster = &ledger.Poster{Service: s.Ledger}
	s.routes = s.Routes()
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	mux.Handle("/", s.wrap(Route{Method: "GET", Path: "/", Perm: PermPublic, Handle: s.notFound}))
	cop := http.NewCrossOriginProtection()
	var h http.Handler = mux
	h = cop.Handler(h)
	h = s.observe(h)
	return h, nil
}

// Routes returns the route table the Server was built with.
func (s *Server) RouteTable() []Route { return s.routes }

type ctxKey int

const (
	keyRequestID ctxKey = iota
	keyPrincipal
	keySession
)

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(keyRequestID).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// principal returns the signed-in user or token of the request; handlers
// behind a permission always have one.
func principal(r *http.Request) *access.Principal {
	p, _ := r.Context().Value(keyPrincipal).(*access.Principal)
	return p
}

func session(r *http.Request) *access.Session {
	s, _ := r.Context().Value(keySession).(*access.Session)
	return s
}
