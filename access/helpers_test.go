package access_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
)

// testArgon2 keeps hashing to about a millisecond so the suite stays fast;
// production uses access.DefaultArgon2().
var testArgon2 = access.Argon2Params{Memory: 1024, Time: 1, Threads: 1}

const testPassword = "correct horse battery"

type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// env is a database with the built-in roles, an admin user and one company
// ("ACME") the admin created.
type env struct {
	t       *testing.T
	db      *sqldb.DB
	s       *access.Service
	clk     *clock
	ctx     context.Context // acting as the admin
	admin   access.User
	company access.Company
}

func newEnv(t *testing.T, db *sqldb.DB) *env {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e := &env{t: t, db: db, clk: clk}
	e.s = &access.Service{DB: db, Audit: &audit.Log{Now: clk.Now}, Now: clk.Now, Argon2: testArgon2}
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	must(t, e.s.SyncBuiltinRoles(ctx))
	admin, _, err := e.s.CreateUser(ctx, access.NewUser{Email: "admin@example.com", Name: "Ada Admin", Password: testPassword})
	must(t, err)
	e.admin = admin
	e.ctx = backoffice.WithActor(context.Background(), backoffice.Actor{UserID: admin.ID, Name: admin.Email})
	e.company = e.newCompany("ACME")
	return e
}

func (e *env) newCompany(code string) access.Company {
	e.t.Helper()
	c, err := e.s.CreateCompany(e.ctx, access.NewCompany{Code: code, Name: code + " Ltd", Currency: "EUR"})
	must(e.t, err)
	return c
}

func (e *env) role(name string) access.Role {
	e.t.Helper()
	r, err := e.s.RoleByName(e.ctx, name)
	must(e.t, err)
	return r
}

// user creates a user with testPassword and the role in each company.
func (e *env) user(email, role string, companies ...access.Company) access.User {
	e.t.Helper()
	var ms []access.NewMembership
	for _, c := range companies {
		ms = append(ms, access.NewMembership{CompanyID: c.ID, RoleID: e.role(role).ID})
	}
	u, _, err := e.s.CreateUser(e.ctx, access.NewUser{Email: email, Name: email, Password: testPassword, Memberships: ms})
	must(e.t, err)
	return u
}

func (e *env) login(email, password, ip string) (access.LoginResult, error) {
	return e.s.Login(context.Background(), access.LoginRequest{Email: email, Password: password, IP: ip, UserAgent: "test"})
}

// signIn logs in with testPassword and fails the test unless it works.
func (e *env) signIn(email string) access.LoginResult {
	e.t.Helper()
	r, err := e.login(email, testPassword, "192.0.2.1")
	must(e.t, err)
	return r
}

// enrolTOTP turns TOTP on for u and returns the secret and recovery codes.
func (e *env) enrolTOTP(u access.User) (string, []string) {
	e.t.Helper()
	en, err := e.s.BeginTOTP(e.ctx, u.ID)
	must(e.t, err)
	codes, err := e.s.ConfirmTOTP(e.ctx, u.ID, code(e.t, en.Secret, e.clk.Now()))
	must(e.t, err)
	return en.Secret, codes
}

// code is the TOTP code an authenticator app shows at t.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	must(t, err)
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err is a *backoffice.Error with the code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := backoffice.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
}

func fields(err error) map[string]string {
	var e *backoffice.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
