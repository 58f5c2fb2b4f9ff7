package web

import (
	"bytes"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
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

func TestEInvoiceImport_UploadRecordsDraftBillsFileByFile(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"Consulting","quantity":"2","unit":"HUR","unit_price":12000,"tax_codes":["VAT19"]}`))
		var d invoice.Document
		decodeInto(t, w.Body.Bytes(), &d)
		f.request("accountant", "POST", "/api/v1/invoices/"+d.ID.String()+"/post", `{}`)
		xml := f.request("auditor", "GET", "/api/v1/invoices/"+d.ID.String()+"/einvoice", "").Body.String()
		// Company A's own invoice, received by company A as a bill from itself:
		// enough to see a supplier created and a draft recorded.
		body, ctype := multipartFiles(t, map[string]string{"a.xml": xml, "b.xml": "<nope/>"})
		w = f.request("clerk", "POST", "/api/v1/bills/import-einvoices", body, "Content-Type", ctype)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"file_name":"a.xml","imported":`) || !strings.Contains(w.Body.String(), `"file_name":"b.xml","error":`) {
			t.Fatalf("API import: %d %s", w.Code, w.Body)
		}
		if w := f.request("auditor", "POST", "/api/v1/bills/import-einvoices", body, "Content-Type", ctype); w.Code != http.StatusForbidden {
			t.Fatalf("auditor imported: %d", w.Code)
		}
		b := f.browser()
		b.signIn("accountant@example.com")
		if status, page := b.get("/bills/import"); status != 200 || !strings.Contains(page, "Import e-invoices") {
			t.Fatalf("form: %d", status)
		}
		status, page := b.postMultipart("/bills/import", body, ctype)
		if status != 200 || !strings.Contains(page, "0 of 2 file(s) recorded as draft bills") || !strings.Contains(page, "duplicate") {
			t.Fatalf("page import (a.xml again is a duplicate now): %d\n%s", status, page)
		}
	})
}

// multipartFiles is a multipart body with one "file" part per name.
func multipartFiles(t *testing.T, files map[string]string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fw, err := mw.CreateFormFile("file", name)
		must(t, err)
		_, _ = fw.Write([]byte(files[name]))
	}
	must(t, mw.Close())
	return b.String(), mw.FormDataContentType()
}
