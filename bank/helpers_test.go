package bank_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/bank"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// env is a database with one company ("ACME", EUR) whose books are set up
// with the default chart (1110 "Main bank account", subtype bank).
type env struct {
	t       testing.TB
	db      *sqldb.DB
	s       *bank.Service
	ctx     context.Context
	company backoffice.ID
	ledger  *ledger.Service
}

func newEnv(t testing.TB, db *sqldb.DB) *env {
	t.Helper()
	clock := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }
	log := &audit.Log{Now: clock}
	e := &env{t: t, db: db, ctx: backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 1, Name: "test"})}
	e.ledger = &ledger.Service{DB: db, Audit: log, Now: clock}
	e.s = &bank.Service{DB: db, Audit: log, Ledger: e.ledger, Now: clock}
	now := clock()
	err := db.QueryRowContext(e.ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		"ACME", "ACME Ltd", "EUR", now, now).Scan(&e.company)
	must(t, err)
	must(t, e.ledger.SetUpCompany(e.ctx, e.company))
	return e
}

// ledgerAccount returns the id of a ledger account by code.
func (e *env) ledgerAccount(code string) backoffice.ID {
	e.t.Helper()
	a, err := e.ledger.AccountByCode(e.ctx, e.company, code)
	must(e.t, err)
	return a.ID
}

// account creates a EUR bank account on ledger account 1110.
func (e *env) account(name, iban, number string) bank.Account {
	e.t.Helper()
	a, err := e.s.Create(e.ctx, e.company, bank.NewAccount{Name: name, IBAN: iban, AccountNumber: number, Currency: "EUR",
		LedgerAccountID: e.ledgerAccount("1110")})
	must(e.t, err)
	return a
}

// count runs a COUNT query.
func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	must(e.t, e.db.QueryRowContext(e.ctx, query, args...).Scan(&n))
	return n
}

// sample reads a file from the shared test data, or skips the test.
func sample(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile("../../shared/testdata/bank/" + path)
	if os.IsNotExist(err) {
		t.Skipf("sample %s not present", path)
	}
	must(t, err)
	return data
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// asError is errors.As for *backoffice.Error.
func asError(err error, target **backoffice.Error) bool { return errors.As(err, target) }
