package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"backoffice/invoice"
	"backoffice/pdf/pdftest"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestInvoicePDFAPI_PostedInvoiceIsStoredAndAnsweredTheSame(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"Consulting","quantity":"2","unit":"HUR","unit_price":12000,"tax_codes":["VAT19"]}`))
		var d invoice.Document
		decodeInto(t, w.Body.Bytes(), &d)
		path := "/api/v1/invoices/" + d.ID.String()
		w = f.request("auditor", "GET", path+"/pdf", "")
		if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" || w.Header().Get("Backoffice-SHA256") != "" {
			t.Fatalf("draft PDF: %d %q sha %q", w.Code, w.Header().Get("Content-Type"), w.Header().Get("Backoffice-SHA256"))
		}
		if text := pdftest.Read(t, w.Body.Bytes()).Text(); !strings.Contains(text, "DRAFT") || !strings.Contains(text, "285.60") {
			t.Fatalf("the draft PDF lacks its watermark or total:\n%s", text)
		}
		if w := f.request("auditor", "GET", path+"/facturx", ""); w.Code != http.StatusConflict {
			t.Fatalf("draft as Factur-X: status %d, want 409", w.Code)
		}
		if w := f.request("accountant", "POST", path+"/post", `{}`); w.Code != 200 {
			t.Fatalf("post: %d %s", w.Code, w.Body)
		}
		first := f.request("auditor", "GET", path+"/pdf", "")
		second := f.request("auditor", "GET", path+"/pdf", "")
		sum := sha256.Sum256(first.Body.Bytes())
		if first.Code != 200 || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) || second.Header().Get("Backoffice-SHA256") != hex.EncodeToString(sum[:]) ||
			!strings.Contains(first.Header().Get("Content-Disposition"), "INV-2026-00001.pdf") {
			t.Fatalf("posted PDF: %d sha %q disposition %q", first.Code, second.Header().Get("Backoffice-SHA256"), first.Header().Get("Content-Disposition"))
		}
		if w := f.request("auditor", "GET", "/api/v1/invoices/999999/pdf", ""); w.Code != http.StatusNotFound {
			t.Fatalf("unknown document: status %d", w.Code)
		}
	})
}

func TestStatementAPI_AnswersThePartysStatementAndRefusesABadDate(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	path := "/api/v1/parties/" + f.party.ID.String() + "/statement.pdf"
	w := f.request("auditor", "GET", path+"?date=2026-03-31", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" || !strings.Contains(w.Header().Get("Content-Disposition"), "2026-03-31") {
		t.Fatalf("statement: %d %q %s", w.Code, w.Header().Get("Content-Disposition"), w.Body)
	}
	if text := pdftest.Read(t, w.Body.Bytes()).Text(); !strings.Contains(text, "Statement of account") {
		t.Fatalf("not a statement:\n%s", text)
	}
	if w := f.request("auditor", "GET", path+"?date=31.03.2026", ""); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad date: status %d", w.Code)
	}
}

func TestInvoicePage_OffersPDFAndFacturXOnlyForSalesDocuments(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"Consulting","quantity":"1","unit_price":10000,"tax_codes":["VAT19"]}`))
	var d invoice.Document
	decodeInto(t, w.Body.Bytes(), &d)
	page := f.request("auditor", "GET", "/invoices/"+d.ID.String(), "").Body.String()
	if !strings.Contains(page, "/api/v1/invoices/"+d.ID.String()+"/pdf") || strings.Contains(page, "/facturx") {
		t.Fatalf("a draft invoice page should offer the PDF and no Factur-X")
	}
	f.request("accountant", "POST", "/api/v1/invoices/"+d.ID.String()+"/post", `{}`)
	page = f.request("auditor", "GET", "/invoices/"+d.ID.String(), "").Body.String()
	if !strings.Contains(page, "/api/v1/invoices/"+d.ID.String()+"/facturx") {
		t.Fatalf("a posted invoice page offers no Factur-X")
	}
	party := f.request("auditor", "GET", "/parties/"+f.party.ID.String(), "").Body.String()
	if !strings.Contains(party, "/api/v1/parties/"+f.party.ID.String()+"/statement.pdf") {
		t.Fatalf("the party page offers no statement")
	}
}
