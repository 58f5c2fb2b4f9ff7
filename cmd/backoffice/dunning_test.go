package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb/sqldbtest"
)

// invoicingCompany opens a SQLite database with company ACME, its books and
// tax codes, and a German customer; it returns the path and the customer.
func invoicingCompany(t *testing.T) (string, *app, access.Company, party.Party) {
	t.Helper()
	dsn := sqldbtest.SQLitePath(t)
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := openApp(ctx, dsn, true, nil)
	must(t, err)
	c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: "ACME", Name: "Acme", Currency: "EUR"})
	must(t, err)
	must(t, a.ledger.SetUpCompany(ctx, c.ID))
	must(t, a.inv.SetUpCompany(ctx, c.ID))
	p, _, err := a.party.Create(ctx, c.ID, party.Input{Kind: party.KindCustomer, LegalName: "Schmidt KG", Currency: "EUR", Language: "de",
		Terms: party.Terms{NetDays: 14}, Billing: party.Address{Lines: "Ringstr. 2", City: "Köln", PostalCode: "50667", Country: "DE"}})
	must(t, err)
	return dsn, a, c, p
}

func TestDunningRun_PostsLevelsAndWritesLetters(t *testing.T) {
	dsn, a, c, p := invoicingCompany(t)
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	price := int64(10000)
	d, err := a.inv.Create(ctx, c.ID, invoice.Input{Kind: invoice.KindInvoice, PartyID: p.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
		Lines: []invoice.LineInput{{Description: "Beratung", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
	must(t, err)
	d, err = a.inv.Post(ctx, c.ID, d.ID, invoice.PostOptions{})
	must(t, err)
	must(t, a.Close())

	code, out, errOut := cli(t, "", "dunning", "preview", "--db", dsn, "--company", "ACME", "--date", "2026-04-01")
	if code != 0 || !strings.Contains(out, d.Number) || !strings.Contains(out, "0 → 1") {
		t.Fatalf("preview: exit %d\n%s\n%s", code, out, errOut)
	}
	dir := t.TempDir()
	code, out, errOut = cli(t, "", "dunning", "run", "--db", dsn, "--company", "ACME", "--date", "2026-04-01", "--letters", dir)
	if code != 0 || !strings.Contains(out, "1 invoices, 1 letters") || !strings.Contains(out, "letter to Schmidt KG (de)") {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) != 1 {
		t.Fatalf("letters written: %v", files)
	}
	if b, _ := os.ReadFile(files[0]); !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("%s is not a PDF", files[0])
	}
	code, out, _ = cli(t, "", "dunning", "preview", "--db", dsn, "--company", "ACME", "--date", "2026-04-06")
	if code != 0 || !strings.Contains(out, "no invoice to dun") || !strings.Contains(out, "level 2 not before") {
		t.Fatalf("preview five days later: exit %d\n%s", code, out)
	}
}

func TestInvoiceRunDue_GeneratesEachPeriodOnce(t *testing.T) {
	dsn, a, c, p := invoicingCompany(t)
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	price := int64(50000)
	_, err := a.inv.CreateRecurring(ctx, c.ID, invoice.RecurringInput{Name: "Miete", Frequency: ledger.Monthly, DayOfMonth: 31,
		StartDate: backoffice.NewDate(2026, 1, 1), Mode: invoice.RecurringPost, Active: true,
		Invoice: invoice.Input{PartyID: p.ID, Lines: []invoice.LineInput{{Description: "Miete", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}}})
	must(t, err)
	must(t, a.Close())
	code, out, errOut := cli(t, "", "invoice", "run-due", "--db", dsn, "--company", "ACME", "--up-to", "2026-03-31")
	if code != 0 || !strings.Contains(out, "period 2026-02-28: posted INV-2026-") || !strings.Contains(out, "3 invoices generated up to 2026-03-31") {
		t.Fatalf("first run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = cli(t, "", "invoice", "run-due", "--db", dsn, "--company", "ACME", "--up-to", "2026-03-31")
	if code != 0 || !strings.Contains(out, "0 invoices generated") {
		t.Fatalf("second run: exit %d\n%s", code, out)
	}
}
