package web

import (
	"net/http"
	"strings"
	"testing"

	"backoffice/einvoice"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestEInvoiceAPI_PostedInvoiceAsUBLAndCIIWithItsValidation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"Consulting","quantity":"2","unit":"HUR","unit_price":12000,"tax_codes":["VAT19"]}`))
		var d invoice.Document
		decodeInto(t, w.Body.Bytes(), &d)
		path := "/api/v1/invoices/" + d.ID.String() + "/einvoice"
		if w := f.request("auditor", "GET", path, ""); w.Code != http.StatusConflict {
			t.Fatalf("draft as e-invoice: status %d, want 409: %s", w.Code, w.Body)
		}
		if w := f.request("accountant", "POST", "/api/v1/invoices/"+d.ID.String()+"/post", `{}`); w.Code != http.StatusOK {
			t.Fatalf("post: %d %s", w.Code, w.Body)
		}
		// The fixture's company has no legal details yet: the e-invoice is
		// written but says it is not valid, and why.
		w = f.request("auditor", "GET", path, "")
		if w.Code != 200 || w.Header().Get("Backoffice-EInvoice-Valid") != "false" || !strings.Contains(w.Header().Get("Backoffice-EInvoice-Findings"), "BR-") {
			t.Fatalf("without company details: %d valid=%q findings=%q", w.Code, w.Header().Get("Backoffice-EInvoice-Valid"), w.Header().Get("Backoffice-EInvoice-Findings"))
		}
		for _, format := range []string{"ubl", "cii"} {
			w = f.request("auditor", "GET", path+"?format="+format, "")
			doc, err := einvoice.Read(w.Body.Bytes())
			if w.Code != 200 || err != nil || doc.Number != "INV-2026-00001" || !strings.Contains(w.Header().Get("Content-Disposition"), "INV-2026-00001-"+format+".xml") {
				t.Fatalf("%s: %d %v %q", format, w.Code, err, w.Header().Get("Content-Disposition"))
			}
		}
		if w := f.request("auditor", "GET", path+"?format=pdf", ""); w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("unknown format: status %d", w.Code)
		}
	})
}
