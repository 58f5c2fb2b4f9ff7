package party_test

import (
	"context"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
)

// env is a database with one company ("ACME", EUR) whose books are set up
// with the default chart.
type env struct {
	t       testing.TB
	db      *sqldb.DB
	s       *party.Service
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
	e.s = &party.Service{DB: db, Audit: log, Ledger: e.ledger, Now: clock}
	e.company = e.newCompany("ACME")
	return e
}

// newCompany adds a company with the default chart of accounts.
func (e *env) newCompany(code string) backoffice.ID {
	e.t.Helper()
	var id backoffice.ID
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	err := e.db.QueryRowContext(e.ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		code, code+" Ltd", "EUR", now, now).Scan(&id)
	must(e.t, err)
	must(e.t, e.ledger.SetUpCompany(e.ctx, id))
	return id
}

// create creates a party and fails the test on error.
func (e *env) create(in party.Input) (party.Party, []party.Duplicate) {
	e.t.Helper()
	p, dups, err := e.s.Create(e.ctx, e.company, in)
	must(e.t, err)
	return p, dups
}

// customer is a valid German customer input.
func customer(name string) party.Input {
	return party.Input{Kind: party.KindCustomer, LegalName: name, Currency: "EUR",
		Billing: party.Address{Lines: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "DE"}}
}

// changes returns the change-log actions recorded for a party.
func (e *env) changes(id backoffice.ID) []audit.Record {
	e.t.Helper()
	recs, err := audit.List(e.ctx, e.db, audit.Filter{CompanyIDs: []backoffice.ID{e.company}, Entity: "party", EntityID: id.String()})
	must(e.t, err)
	return recs
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
