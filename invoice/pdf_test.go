package invoice_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"backoffice"
	"backoffice/einvoice"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/pdf/pdftest"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// speaking gives the customer a language for its documents.
func (e *env) speaking(lang string) {
	e.t.Helper()
	in := e.customer.Input
	in.Language = lang
	p, err := e.parties.Update(e.ctx, e.company, e.customer.ID, e.customer.Version, in)
	must(e.t, err)
	e.customer = p
}

// printableInvoice posts 2 × 617.28 at 19 % VAT: 1,234.56 net, 234.57 VAT,
// 1,469.13 due.
func (e *env) printableInvoice() invoice.Document {
	e.t.Helper()
	in := e.invoiceInput(line(qty(e.t, "2"), 61728, "VAT19"))
	in.EarlyDiscountPercent, in.EarlyDiscountDays = 20000, 10
	d := e.create(in)
	return e.post(d.ID)
}

func TestPDF_PrintsTotalsInTheCustomersLanguage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		for _, c := range []struct{ lang, title, due, pageOf, net string }{
			{"en", "Invoice", "1,469.13 EUR", "Page 1 of 1", "1,234.56 EUR"},
			{"de", "Rechnung", "1.469,13 EUR", "Seite 1 von 1", "1.234,56 EUR"},
			{"fr", "Facture", "1\u00a0469,13 EUR", "Page 1 sur 1", "1\u00a0234,56 EUR"},
			{"pt", "Invoice", "1,469.13 EUR", "Page 1 of 1", "1,234.56 EUR"}, // no labels: English
		} {
			e.speaking(c.lang)
			d := e.printableInvoice()
			data, err := e.s.PDF(e.ctx, e.company, d.ID)
			must(t, err)
			pages := pdftest.Read(t, data)
			text := pages.Text()
			for _, want := range []string{c.title, d.Number, c.due, c.net, c.pageOf, "DE123456788", "DE136695976"} {
				if !strings.Contains(text, want) {
					t.Errorf("%s: the PDF does not show %q:\n%s", c.lang, want, text)
				}
			}
			if rf := "RF"; !strings.Contains(text, rf) || !strings.Contains(text, "DE89 3704 0044 0532 0130 00") {
				t.Errorf("%s: no payment reference or IBAN:\n%s", c.lang, text)
			}
		}
	})
}

func TestPDF_PostedDocumentIsStoredOnceWithItsHash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		d := e.printableInvoice()
		first, err := e.s.PDF(e.ctx, e.company, d.ID)
		must(t, err)
		// The customer's details change afterwards: the printed copy does not.
		in := e.customer.Input
		in.LegalName = "Renamed AG"
		_, err = e.parties.Update(e.ctx, e.company, e.customer.ID, e.customer.Version, in)
		must(t, err)
		again, err := e.s.PDF(e.ctx, e.company, d.ID)
		must(t, err)
		if !bytes.Equal(first, again) {
			t.Fatal("the second request printed the posted document anew")
		}
		sum := sha256.Sum256(first)
		got, err := e.s.PrintedHash(e.ctx, e.company, d.ID, invoice.FormatPDF)
		must(t, err)
		if got != hex.EncodeToString(sum[:]) {
			t.Fatalf("stored hash %s, want %x", got, sum)
		}
		if n := e.count("invoice_pdfs"); n != 1 {
			t.Fatalf("%d PDFs stored, want 1", n)
		}
		printed := 0
		for _, r := range e.changes(d.ID) {
			if r.Action == "print" {
				printed++
			}
		}
		if printed != 1 {
			t.Fatalf("%d print records in the change log, want 1", printed)
		}
	})
}

func TestPDF_DraftCarriesWatermarkAndIsNotStored(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		e.speaking("de")
		d := e.create(e.invoiceInput(line(qty(t, "1"), 10000, "VAT19")))
		data, err := e.s.PDF(e.ctx, e.company, d.ID)
		must(t, err)
		if text := pdftest.Read(t, data).Text(); !strings.Contains(text, "ENTWURF") || !strings.Contains(text, "119,00 EUR") {
			t.Fatalf("the draft shows no watermark or total:\n%s", text)
		}
		if n := e.count("invoice_pdfs"); n != 0 {
			t.Fatalf("%d PDFs stored for a draft", n)
		}
		_, err = e.s.FacturX(e.ctx, e.company, d.ID)
		wantCode(t, err, backoffice.EConflict, "")
	})
}

func TestPDF_RefusesSupplierBills(t *testing.T) {
	e := newEnv(t, sqldbtest.SQLite(t))
	b := e.create(invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1), SupplierReference: "S-1",
		Lines: []invoice.LineInput{line(qty(t, "1"), 1000, "VAT19")}})
	_, err := e.s.PDF(e.ctx, e.company, b.ID)
	wantCode(t, err, backoffice.EInvalid, "")
}

func TestFacturX_EmbedsTheValidCIIOfTheDocument(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		d := e.printableInvoice()
		fx, err := e.s.FacturX(e.ctx, e.company, d.ID)
		must(t, err)
		plain, err := e.s.PDF(e.ctx, e.company, d.ID)
		must(t, err)
		if !bytes.HasPrefix(fx, plain) {
			t.Fatal("the Factur-X PDF is not the stored PDF with the e-invoice appended")
		}
		xml, err := einvoice.ExtractFacturX(fx)
		must(t, err)
		rep, err := einvoice.Validate(xml)
		must(t, err)
		if !rep.Valid {
			t.Fatalf("the embedded CII is not valid: %+v", rep.Errors)
		}
		doc, err := einvoice.Read(xml)
		must(t, err)
		if doc.Number != d.Number || doc.PayableAmount.String() != "1469.13" {
			t.Fatalf("embedded %s payable %s, want %s 1469.13", doc.Number, doc.PayableAmount, d.Number)
		}
		for _, want := range []string{"/AFRelationship /Data", "/AF [", "/Subtype /text#2Fxml", "<pdfaid:part>3</pdfaid:part>",
			"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>", "/OutputIntents", "/GTS_PDFA1"} {
			if !bytes.Contains(fx, []byte(want)) {
				t.Errorf("the Factur-X PDF lacks %s", want)
			}
		}
		again, err := e.s.FacturX(e.ctx, e.company, d.ID)
		must(t, err)
		if !bytes.Equal(fx, again) {
			t.Fatal("the Factur-X PDF was made anew")
		}
		// Our own Factur-X imports back as a bill of the same amount due.
		other := e.newCompany("BUYER")
		e.company = other
		res, err := e.s.ImportEInvoice(e.ctx, other, fx)
		must(t, err)
		if res.Document.Kind != invoice.KindBill || res.Document.Totals.Payable != d.Totals.Payable {
			t.Fatalf("imported %s of %d, want a bill of %d", res.Document.Kind, res.Document.Totals.Payable, d.Totals.Payable)
		}
	})
}

func TestImportEInvoice_PublishedFacturXPDFBecomesADraftBill(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		data, err := os.ReadFile(schemas + "/cii/factur-x/pdf/invoice_EN16931.pdf")
		if err != nil {
			t.Skip("no Factur-X sample:", err)
		}
		e := newEnv(t, db)
		_, err = e.s.SetRounding(e.ctx, e.company, invoice.RoundPerDocument)
		must(t, err)
		xml, err := einvoice.ExtractFacturX(data)
		must(t, err)
		doc, err := einvoice.Read(xml)
		must(t, err)
		want, ok := amountMinor(doc.PayableAmount, doc.Currency)
		if !ok {
			t.Fatal("the sample has no amount due")
		}
		res, err := e.s.ImportEInvoice(e.ctx, e.company, data)
		must(t, err)
		if res.Document.State != invoice.StateDraft || res.Document.Kind != invoice.KindBill || res.Document.Totals.Payable != want {
			t.Fatalf("imported %s %s of %d, want a draft bill of %d (differences %v)", res.Document.State, res.Document.Kind, res.Document.Totals.Payable, want, res.Differences)
		}
	})
}

func BenchmarkPDF_Invoice(b *testing.B) {
	e := newEnv(b, sqldbtest.SQLite(b))
	_, err := e.parties.SetProfile(e.ctx, e.company, 0, party.ProfileInput{LegalName: "ACME GmbH", IBAN: "DE89370400440532013000",
		Address: party.Address{Lines: "Industriestr. 5", City: "Hamburg", PostalCode: "20095", Country: "DE"}})
	must(b, err)
	var lines []invoice.LineInput
	for range 20 {
		lines = append(lines, line(qty(b, "3"), 12345, "VAT19"))
	}
	d := e.create(e.invoiceInput(lines...)) // a draft is printed anew every time
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.s.PDF(e.ctx, e.company, d.ID); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStatementPDF_ShowsOpenItemsOverdueDaysAndTheMonthsMovements(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		e.speaking("de")
		d := e.printableInvoice() // issued 2026-03-01, due 2026-03-31
		data, err := e.s.StatementPDF(e.ctx, e.company, e.customer.ID, backoffice.NewDate(2026, 3, 20))
		must(t, err)
		text := pdftest.Read(t, data).Text()
		for _, want := range []string{"Kontoauszug", "Offene Posten", d.Number, "1.469,13 EUR", "Bewegungen im März 2026", "DE89 3704 0044 0532 0130 00"} {
			if !strings.Contains(text, want) {
				t.Errorf("the statement of 20 March does not show %q:\n%s", want, text)
			}
		}
		data, err = e.s.StatementPDF(e.ctx, e.company, e.customer.ID, backoffice.NewDate(2026, 4, 15))
		must(t, err)
		pages := pdftest.Read(t, data)
		text = pages.Text()
		if !strings.Contains(text, "Keine Bewegungen in diesem Monat.") || !pages[0].Has("15") {
			t.Errorf("the statement of 15 April shows movements or no 15 days overdue:\n%s", text)
		}
		// Before the invoice there is nothing open.
		data, err = e.s.StatementPDF(e.ctx, e.company, e.customer.ID, backoffice.NewDate(2026, 2, 28))
		must(t, err)
		if text := pdftest.Read(t, data).Text(); !strings.Contains(text, "Es sind keine Posten offen.") || strings.Contains(text, d.Number) {
			t.Errorf("the statement of 28 February shows the March invoice:\n%s", text)
		}
		_, err = e.s.StatementPDF(e.ctx, e.company, 999999, backoffice.Date{})
		wantCode(t, err, backoffice.ENotFound, "")
	})
}

func TestPDF_CreditNoteNamesTheInvoiceItCreditsInFrench(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		e.speaking("fr")
		d := e.printableInvoice()
		cn, err := e.s.Cancel(e.ctx, e.company, d.ID, invoice.CancelInput{Date: backoffice.NewDate(2026, 3, 5), Reason: "wrong customer"})
		must(t, err)
		data, err := e.s.PDF(e.ctx, e.company, cn.ID)
		must(t, err)
		text := pdftest.Read(t, data).Text()
		for _, want := range []string{"Avoir", cn.Number, "Avoir sur facture", d.Number, "Montant crédité", "1\u00a0469,13 EUR", "05/03/2026"} {
			if !strings.Contains(text, want) {
				t.Errorf("the credit note does not show %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, "Merci de virer") {
			t.Errorf("the credit note asks the customer to pay:\n%s", text)
		}
		fx, err := e.s.FacturX(e.ctx, e.company, cn.ID)
		must(t, err)
		xml, err := einvoice.ExtractFacturX(fx)
		must(t, err)
		if doc, err := einvoice.Read(xml); err != nil || doc.TypeCode != "381" {
			t.Fatalf("the credit note's Factur-X: %v %+v", err, doc)
		}
	})
}
