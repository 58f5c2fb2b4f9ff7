package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/bank"
	"backoffice/events"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
)

// testPassword signs in every fixture user.
const testPassword = "correct horse battery"

// roles of the permission matrix: the built-in roles in company A, a user who
// belongs only to company B asking for A, and nobody at all.
var matrixRoles = []string{"admin", "accountant", "clerk", "auditor", "outsider", "anonymous"}

// fixture is a server over a fresh database with two companies, one user and
// one API token per built-in role in company A, and an outsider in company B.
type fixture struct {
	t       *testing.T
	db      *sqldb.DB
	srv     *Server
	h       http.Handler
	acc     *access.Service
	a, b    access.Company
	users   map[string]access.User
	tokens  map[string]string // role -> bearer secret
	target  access.User       // a clerk in A that actions are aimed at
	role    access.Role       // a custom role
	webhook events.Webhook
	books   *ledger.Service // company A's books: the default chart and journals
	account ledger.Account  // A's main bank account, with one posting
	entry   ledger.Entry    // a posted entry of A, GEN-2026-000001
	bank    *bank.Service   // company A's bank accounts and statements
	bankAcc bank.Account    // A's bank account NL26VAYB8060476890 on ledger account 1110
	parties *party.Service  // company A's customers and suppliers
	party   party.Party     // A's customer Müller GmbH
	inv     *invoice.Service
}

func newFixture(t *testing.T, db *sqldb.DB) *fixture {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	log := &audit.Log{}
	acc := &access.Service{DB: db, Audit: log, Argon2: access.Argon2Params{Memory: 1024, Time: 1, Threads: 1}}
	evs := &events.Service{DB: db, Audit: log, AllowPrivateURLs: true}
	f := &fixture{t: t, db: db, acc: acc, users: map[string]access.User{}, tokens: map[string]string{}}
	must(t, acc.SyncBuiltinRoles(ctx))
	var err error
	f.a, err = acc.CreateCompany(ctx, access.NewCompany{Code: "A", Name: "Alpha GmbH", Currency: "EUR"})
	must(t, err)
	f.b, err = acc.CreateCompany(ctx, access.NewCompany{Code: "B", Name: "Beta Ltd", Currency: "GBP"})
	must(t, err)
	for _, role := range []string{"admin", "accountant", "clerk", "auditor", "outsider"} {
		company, roleName := f.a, role
		if role == "outsider" {
			company, roleName = f.b, "admin"
		}
		f.users[role], f.tokens[role] = f.member(ctx, role+"@example.com", roleName, company)
	}
	f.target, _ = f.member(ctx, "target@example.com", "clerk", f.a)
	f.role, err = acc.CreateRole(ctx, access.NewRole{Name: "viewer", Description: "reads users", Permissions: []string{"user.read"}})
	must(t, err)
	f.setUpBooks(ctx, log) // before the webhook, which sees only later changes
	f.setUpBank(ctx, log)
	f.setUpParties(ctx, log)
	f.inv = &invoice.Service{DB: db, Audit: log, Ledger: f.books, Party: f.parties}
	must(t, f.inv.SetUpCompany(ctx, f.a.ID))
	f.webhook, _, err = evs.CreateWebhook(ctx, events.NewWebhook{CompanyID: f.a.ID, URL: "http://127.0.0.1:9/hook", Events: []string{"*"}, Active: true})
	must(t, err)
	f.srv = &Server{DB: db, Audit: log, Access: acc, Events: evs, Ledger: f.books, Bank: f.bank, Party: f.parties, Invoice: f.inv, Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Version: "test"}
	f.h, err = f.srv.Handler()
	must(t, err)
	return f
}

// setUpBooks gives company A the default chart and journals and posts one
// entry: 100.00 EUR from sales of services (4020) to the bank (1110).
func (f *fixture) setUpBooks(ctx context.Context, log *audit.Log) {
	f.books = &ledger.Service{DB: f.db, Audit: log}
	must(f.t, f.books.SetUpCompany(ctx, f.a.ID))
	var err error
	f.account, err = f.books.AccountByCode(ctx, f.a.ID, "1110")
	must(f.t, err)
	sales, err := f.books.AccountByCode(ctx, f.a.ID, "4020")
	must(f.t, err)
	gen, err := f.books.JournalByCode(ctx, f.a.ID, "GEN")
	must(f.t, err)
	f.entry, err = f.books.Post(ctx, f.a.ID, ledger.NewEntry{JournalID: gen.ID, Date: backoffice.NewDate(2026, 1, 15), Reference: "INV-1",
		Narration: "Consulting", Lines: []ledger.NewLine{{AccountID: f.account.ID, Amount: 10000}, {AccountID: sales.ID, Amount: -10000}}})
	must(f.t, err)
}

// member creates a user with the role in company and an API token acting
// with that role in that company.
func (f *fixture) member(ctx context.Context, email, roleName string, company access.Company) (access.User, string) {
	role, err := f.acc.RoleByName(ctx, roleName)
	must(f.t, err)
	u, _, err := f.acc.CreateUser(ctx, access.NewUser{Email: email, Name: strings.Split(email, "@")[0], Password: testPassword,
		Memberships: []access.NewMembership{{CompanyID: company.ID, RoleID: role.ID}}})
	must(f.t, err)
	secret, _, err := f.acc.CreateToken(ctx, access.NewToken{Name: "test", UserID: u.ID, RoleID: role.ID, CompanyID: company.ID})
	must(f.t, err)
	return u, secret
}

// request sends one API request as role ("anonymous" sends no token) for company A.
func (f *fixture) request(role, method, path, body string, header ...string) *httptest.ResponseRecorder {
	f.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok, ok := f.tokens[role]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Backoffice-Company", f.a.Code)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	return w
}

// browser is a cookie-keeping client against a real listener, for UI tests.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
}

func (f *fixture) browser() *browser {
	f.t.Helper()
	srv := httptest.NewServer(f.h)
	f.t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: f.t, base: srv.URL, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	must(b.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// post submits a form the way a browser on the same site does.
func (b *browser) post(path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.client.Do(req)
	must(b.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	status, body, hdr := b.post("/login", url.Values{"email": {email}, "password": {testPassword}})
	if status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d\n%s", email, status, body)
	}
	_ = hdr
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
