package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"backoffice"
	"backoffice/access"
)

//go:embed templates static
var assets embed.FS

// parseTemplates parses every page in templates/ together with the shared
// layout and partials, once at start-up.
func parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"datetimep": func(t *time.Time) string {
			if t == nil || t.IsZero() {
				return "never"
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"money": func(m backoffice.Money) string { return m.String() },
		"join":  strings.Join,
	}
	shared := []string{"templates/layout.html", "templates/parts.html"}
	pages, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(assets, append(shared, p)...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// navItem is one entry of the module navigation.
type navItem struct {
	Label, URL string
	Active     bool
}

// navSection groups the navigation by module.
type navSection struct {
	Label string
	Items []navItem
}

// page is what every template receives: the caller, the navigation and the page's own data.
type page struct {
	Title     string
	Principal *access.Principal
	Nav       []navSection
	Flash     string
	Error     string
	Path      string
	Version   string
	Data      any
}

// navigation lists the modules and pages the caller may open.
func navigation(p *access.Principal, current string) []navSection {
	if p == nil {
		return nil
	}
	sections := []struct {
		label string
		items []struct{ label, url, perm string }
	}{
		{"Ledger", []struct{ label, url, perm string }{
			{"Overview", "/ledger/overview", "ledger.read"},
			{"Chart of accounts", "/ledger/accounts", "ledger.read"},
			{"Journal entries", "/ledger/entries", "ledger.read"},
			{"New entry", "/ledger/entries/new", "ledger.post"},
			{"Recurring entries", "/ledger/recurring", "ledger.read"},
			{"Accruals & deferrals", "/ledger/schedules", "ledger.read"},
			{"Trial balance", "/ledger/trial-balance", "ledger.read"},
			{"Balance sheet", "/ledger/reports/balance-sheet", "ledger.read"},
			{"Income statement", "/ledger/reports/income-statement", "ledger.read"},
			{"Cash flow", "/ledger/reports/cash-flow", "ledger.read"},
			{"General ledger", "/ledger/reports/general-ledger", "ledger.read"},
			{"Journal listing", "/ledger/reports/journal", "ledger.read"},
			{"Consolidated reports", "/ledger/reports/consolidated", "ledger.read"},
			{"Budgets", "/ledger/budgets", "ledger.read"},
			{"Dimensions", "/ledger/dimensions", "ledger.read"},
			{"Aged receivables & payables", "/ledger/reports/aging", "ledger.read"},
			{"Open items", "/ledger/open-items", "ledger.read"},
			{"Exchange rates", "/ledger/exchange-rates", "ledger.read"},
			{"Revaluation", "/ledger/revaluations", "ledger.close"},
			{"Lock dates", "/ledger/lock-dates", "ledger.close"},
			{"Year-end close", "/ledger/close", "ledger.close"},
		}},
		{"Bank", []struct{ label, url, perm string }{
			{"Bank accounts", "/bank/accounts", "bank.read"},
			{"Cash position", "/bank/cash", "bank.read"},
			{"Import statements", "/bank/import", "bank.manage"},
		}},
		{"Customers & suppliers", []struct{ label, url, perm string }{
			{"Customers & suppliers", "/parties", "party.read"},
			{"Possible duplicates", "/parties/duplicates", "party.read"},
			{"Import parties", "/parties/import", "party.manage"},
		}},
		{"Sales & purchases", []struct{ label, url, perm string }{
			{"Invoices", "/invoices", "invoice.read"},
			{"Bills", "/bills", "invoice.read"},
			{"New invoice", "/invoices/new", "invoice.manage"},
			{"New bill", "/bills/new", "invoice.manage"},
			{"Import e-invoices", "/bills/import", "invoice.manage"},
			{"Payments", "/payments", "payment.read"},
			{"Register payment", "/payments/new", "payment.manage"},
			{"Apply credits", "/payments/apply", "payment.manage"},
			{"Payment runs", "/payment-runs", "payment.read"},
			{"Direct debit runs", "/debit-runs", "payment.read"},
			{"Payment settings", "/payment-settings", "payment.read"},
			{"Dunning", "/dunning", "invoice.read"},
			{"Recurring invoices", "/recurring-invoices", "invoice.read"},
			{"Tax codes", "/tax-codes", "invoice.read"},
			{"Tax report", "/tax-report", "invoice.read"},
			{"Products", "/products", "invoice.read"},
		}},
		{"Administration", []struct{ label, url, perm string }{
			{"Users", "/users", "user.read"},
			{"Roles", "/roles", "role.read"},
			{"Companies", "/companies", "company.read"},
			{"Company details", "/company/profile", "company.read"},
			{"API tokens", "/tokens", "token.read"},
			{"Webhooks", "/webhooks", "webhook.read"},
		}},
		{"Audit", []struct{ label, url, perm string }{
			{"Change log", "/changes", "audit.read"},
		}},
	}
	// Only the most specific item under which the page lies is marked:
	// /ledger/entries/new is "New entry", not also "Journal entries".
	active := ""
	for _, s := range sections {
		for _, it := range s.items {
			if (current == it.url || strings.HasPrefix(current, it.url+"/")) && len(it.url) > len(active) {
				active = it.url
			}
		}
	}
	var out []navSection
	for _, s := range sections {
		var items []navItem
		for _, it := range s.items {
			if p.Can(it.perm) {
				items = append(items, navItem{Label: it.label, URL: it.url, Active: it.url == active})
			}
		}
		if len(items) > 0 {
			out = append(out, navSection{Label: s.label, Items: items})
		}
	}
	return out
}

// render writes a page template with the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	t, ok := s.templates[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	p := principal(r)
	pg := page{Title: title, Principal: p, Nav: navigation(p, r.URL.Path), Path: r.URL.Path, Version: s.Version, Data: data,
		Flash: r.URL.Query().Get("flash")}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout", pg); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write([]byte(buf.String()))
	return err
}

// errorPage shows an error to a browser user, with the status its code maps to.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, err error) {
	code := backoffice.ErrorCode(err)
	status := backoffice.HTTPStatus(code)
	if code == backoffice.EInternal {
		s.logger().ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()), "path", r.URL.Path)
	}
	data := struct {
		Status    int
		Message   string
		RequestID string
	}{status, backoffice.ErrorMessage(err), requestID(r.Context())}
	if rerr := s.render(w, r, status, "error", http.StatusText(status), data); rerr != nil {
		http.Error(w, backoffice.ErrorMessage(err), status)
	}
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	b, err := assets.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "..") {
		return backoffice.Errorf(backoffice.ENotFound, "no static file %q", name)
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, err = w.Write(b)
	return err
}
