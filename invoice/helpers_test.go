package invoice_test

import (
	"context"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
)

// env is a database with one company ("ACME", EUR) whose books and tax
// codes are set up, a customer and a supplier.
type env struct {
	t        testing.TB
	db       *sqldb.DB
	s        *invoice.Service
	ledger   *ledger.Service
	parties  *party.Service
	ctx      context.Context
	company  backoffice.ID
	customer party.Party
	supplier party.Party
}

var testClock = func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }

func newEnv(t testing.TB, db *sqldb.DB) *env {
	t.Helper()
	log := &audit.Log{Now: testClock}
	e := &env{t: t, db: db, ctx: backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 1, Name: "test"})}
	e.ledger = &ledger.Service{DB: db, Audit: log, Now: testClock}
	e.parties = &party.Service{DB: db, Audit: log, Ledger: e.ledger, Now: testClock}
	e.s = &invoice.Service{DB: db, Audit: log, Ledger: e.ledger, Party: e.parties, Now: testClock}
	e.company = e.newCompany("ACME")
	e.customer = e.newParty(e.company, party.KindCustomer, "Müller GmbH", party.Terms{NetDays: 30})
	e.supplier = e.newParty(e.company, party.KindSupplier, "Office Supplies Ltd", party.Terms{NetDays: 14})
	return e
}

// newCompany adds a company with the default chart and tax codes.
func (e *env) newCompany(code string) backoffice.ID {
	e.t.Helper()
	var id backoffice.ID
	now := testClock()
	err := e.db.QueryRowContext(e.ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		code, code+" Ltd", "EUR", now, now).Scan(&id)
	must(e.t, err)
	must(e.t, e.ledger.SetUpCompany(e.ctx, id))
	must(e.t, e.s.SetUpCompany(e.ctx, id))
	return id
}

func (e *env) newParty(company backoffice.ID, kind party.Kind, name string, terms party.Terms) party.Party {
	e.t.Helper()
	p, _, err := e.parties.Create(e.ctx, company, party.Input{Kind: kind, LegalName: name, Currency: "EUR", Terms: terms,
		Billing: party.Address{Lines: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "DE"}})
	must(e.t, err)
	return p
}

// price is a unit price in minor units.
func price(minor int64) *int64 { return &minor }

// qty is a quantity from its decimal form.
func qty(t testing.TB, s string) invoice.Quantity {
	q, err := invoice.ParseQuantity(s)
	must(t, err)
	return q
}

// invoiceInput is an invoice to the customer of lines at VAT19.
func (e *env) invoiceInput(lines ...invoice.LineInput) invoice.Input {
	return invoice.Input{Kind: invoice.KindInvoice, PartyID: e.customer.ID, IssueDate: backoffice.NewDate(2026, 3, 1), Lines: lines}
}

// line is a free-text line of quantity × price at tax code.
func line(q invoice.Quantity, minor int64, code string) invoice.LineInput {
	return invoice.LineInput{Description: "Consulting", Quantity: q, UnitPrice: price(minor), TaxCodes: []string{code}}
}

func (e *env) create(in invoice.Input) invoice.Document {
	e.t.Helper()
	d, err := e.s.Create(e.ctx, e.company, in)
	must(e.t, err)
	return d
}

func (e *env) post(id backoffice.ID) invoice.Document {
	e.t.Helper()
	d, err := e.s.Post(e.ctx, e.company, id, invoice.PostOptions{})
	must(e.t, err)
	return d
}

// count returns the number of rows of a table, to prove nothing was stored.
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	must(e.t, e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM `+table).Scan(&n))
	return n
}

// changes returns the change-log records of a document.
func (e *env) changes(id backoffice.ID) []audit.Record {
	e.t.Helper()
	recs, err := audit.List(e.ctx, e.db, audit.Filter{CompanyIDs: []backoffice.ID{e.company}, Entity: "invoice_document", EntityID: id.String()})
	must(e.t, err)
	return recs
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode fails unless err has the code and, when field is given, names it.
func wantCode(t testing.TB, err error, code, field string) {
	t.Helper()
	if backoffice.ErrorCode(err) != code {
		t.Fatalf("error = %v (code %q), want code %q", err, backoffice.ErrorCode(err), code)
	}
	if field == "" {
		return
	}
	var be *backoffice.Error
	if e, ok := err.(*backoffice.Error); ok {
		be = e
	}
	if be == nil || be.Fields[field] == "" {
		t.Fatalf("error %v does not name field %q", err, field)
	}
}
