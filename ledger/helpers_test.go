package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// env is a database with one company ("ACME", EUR) whose books are set up
// with the default chart and journals, on a fixed clock (2026-03-02).
type env struct {
	t         *testing.T
	db        *sqldb.DB
	s         *ledger.Service
	ctx       context.Context
	company   backoffice.ID
	accounts  map[string]ledger.Account // by code
	journals  map[string]ledger.Journal // by code
	clockTime time.Time
}

func newEnv(t *testing.T, db *sqldb.DB) *env {
	t.Helper()
	e := &env{t: t, db: db, clockTime: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e.s = &ledger.Service{DB: db, Audit: &audit.Log{Now: e.now}, Now: e.now}
	e.ctx = backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 1, Name: "test"})
	e.company = e.newCompany("ACME", "EUR")
	must(t, e.s.SetUpCompany(e.ctx, e.company))
	e.reload()
	return e
}

func (e *env) now() time.Time { return e.clockTime }

// newCompany inserts a company row directly: the ledger does not depend on access.
func (e *env) newCompany(code, currency string) backoffice.ID {
	e.t.Helper()
	var id backoffice.ID
	now := e.now()
	err := e.db.QueryRowContext(e.ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		code, code+" Ltd", currency, now, now).Scan(&id)
	must(e.t, err)
	return id
}

// reload reads the chart and journals into the maps.
func (e *env) reload() {
	e.t.Helper()
	e.accounts, e.journals = map[string]ledger.Account{}, map[string]ledger.Journal{}
	page := backoffice.Page{Limit: 500}
	list, err := e.s.ListAccounts(e.ctx, e.company, ledger.AccountFilter{Page: page})
	must(e.t, err)
	for _, a := range list.Items {
		e.accounts[a.Code] = a
	}
	js, err := e.s.ListJournals(e.ctx, e.company)
	must(e.t, err)
	for _, j := range js {
		e.journals[j.Code] = j
	}
}

// acct returns the id of an account by code.
func (e *env) acct(code string) backoffice.ID {
	e.t.Helper()
	a, ok := e.accounts[code]
	if !ok {
		e.t.Fatalf("no account %s", code)
	}
	return a.ID
}

// entry builds a balanced two-line entry in GEN: debit dr, credit cr.
func (e *env) entry(date string, dr, cr string, amount int64) ledger.NewEntry {
	return ledger.NewEntry{JournalID: e.journals["GEN"].ID, Date: day(date), Reference: "ref",
		Lines: []ledger.NewLine{{AccountID: e.acct(dr), Amount: amount}, {AccountID: e.acct(cr), Amount: -amount}}}
}

func (e *env) post(in ledger.NewEntry) ledger.Entry {
	e.t.Helper()
	out, err := e.s.Post(e.ctx, e.company, in)
	must(e.t, err)
	return out
}

func (e *env) balance(code string, date string) int64 {
	e.t.Helper()
	b, err := e.s.Balance(e.ctx, e.company, e.acct(code), "", day(date))
	must(e.t, err)
	return b.CompanyBalance
}

// count returns the number of rows of a table.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	must(e.t, e.db.QueryRowContext(e.ctx, "SELECT COUNT(*) FROM "+table).Scan(&n))
	return n
}

func day(s string) backoffice.Date {
	d, err := backoffice.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantError checks an error's code and that it names each field.
func wantError(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	var be *backoffice.Error
	if !errors.As(err, &be) || be.Code != code {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	for _, f := range fields {
		if _, ok := be.Fields[f]; !ok {
			t.Errorf("error %v does not name field %s", err, f)
		}
	}
}

func num(n int) string { return fmt.Sprintf("%06d", n) }
