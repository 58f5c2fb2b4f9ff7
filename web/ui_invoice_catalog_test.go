package web

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestInvoiceUI_TaxCodeFormNamesEachBadFieldThenSavesAnExactRate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		form := url.Values{"code": {"RC2"}, "name": {""}, "rate": {"abc"}, "type": {"vat"}, "category": {"AE"}, "collected_account_id": {"2100"},
			"deductible_account_id": {"9999"}, "active": {"1"}}
		status, body, _ := b.post("/tax-codes", form)
		if status != 422 || !strings.Contains(body, "nothing was saved") {
			t.Fatalf("status %d, want 422\n%s", status, body)
		}
		for _, field := range []string{"name", "rate", "deductible_account_id", "exemption_reason"} {
			if !strings.Contains(body, `id="`+field+`-err"`) {
				t.Errorf("no message beside %s", field)
			}
		}
		if !strings.Contains(body, `value="abc"`) || !strings.Contains(body, `<option value="AE" selected>`) {
			t.Error("the form lost what was typed")
		}

		form = url.Values{"code": {"vat55"}, "name": {"Reduced 5.5 %"}, "rate": {"5,5"}, "type": {"vat"}, "category": {"S"},
			"collected_account_id": {"2100"}, "deductible_account_id": {"1400"}, "active": {"1"}}
		status, body, hdr := b.post("/tax-codes", form)
		if status != 303 {
			t.Fatalf("create: %d\n%s", status, body)
		}
		status, body = b.get(strings.Split(hdr.Get("Location"), "?")[0])
		if status != 200 || !strings.Contains(body, `value="5.5"`) || !strings.Contains(body, `value="VAT55"`) || !strings.Contains(body, "History") {
			t.Fatalf("tax code page: %d\n%s", status, body)
		}
		if !strings.Contains(body, "<dt>collected account id</dt><dd><ins>2100</ins></dd>") || strings.Contains(body, "<dt>created at</dt>") {
			t.Errorf("the history shows account ids or bookkeeping fields:\n%s", body)
		}
		status, body = b.get("/tax-codes?q=vat55")
		if status != 200 || !strings.Contains(body, "5.5 %") || strings.Contains(body, "VAT19") {
			t.Errorf("search of tax codes: %d\n%s", status, body)
		}
	})
}

func TestInvoiceUI_RoundingIsSetOnTheTaxCodesPageOnlyByManagers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		auditor := f.browser()
		auditor.signIn("auditor@example.com")
		if status, _, _ := auditor.post("/tax-codes/rounding", url.Values{"rounding": {"document"}}); status != 403 {
			t.Errorf("auditor set the rounding: %d", status)
		}
		if _, body := auditor.get("/tax-codes"); strings.Contains(body, "Save rounding") || strings.Contains(body, "New tax code") {
			t.Error("the auditor is offered changes")
		}
		b := f.browser()
		b.signIn("accountant@example.com")
		if status, body, _ := b.post("/tax-codes/rounding", url.Values{"rounding": {"document"}}); status != 303 {
			t.Fatalf("set rounding: %d\n%s", status, body)
		}
		if _, body := b.get("/tax-codes"); !strings.Contains(body, `<option value="document" selected>`) {
			t.Error("the rounding shown is not the one set")
		}
		if status, _, _ := b.post("/tax-codes/rounding", url.Values{"rounding": {"sometimes"}}); status != 422 {
			t.Errorf("an unknown rounding answered %d, want 422", status)
		}
	})
}

func TestInvoiceUI_ProductFillsTheLinesThatNameIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		bad := url.Values{"code": {"BOOK-1"}, "name": {"Handbook"}, "unit": {"C62"}, "unit_price": {"19.999"}, "tax_code": {"VAT7"},
			"income_account_id": {"9999"}, "active": {"1"}}
		status, body, _ := b.post("/products", bad)
		if status != 422 || !strings.Contains(body, `id="unit_price-err"`) || !strings.Contains(body, `id="income_account_id-err"`) {
			t.Fatalf("bad product: %d\n%s", status, body)
		}
		good := url.Values{"code": {"BOOK-1"}, "name": {"Handbook"}, "unit": {"C62"}, "unit_price": {"19.90"}, "tax_code": {"VAT7"},
			"income_account_id": {"4010"}, "active": {"1"}}
		if status, body, _ = b.post("/products", good); status != 303 {
			t.Fatalf("create product: %d\n%s", status, body)
		}
		status, body = b.get("/products?q=hand")
		if status != 200 || !strings.Contains(body, "BOOK-1") || !strings.Contains(body, "19.90 EUR") {
			t.Fatalf("products list: %d\n%s", status, body)
		}
		if status, csv := b.get("/products?format=csv"); status != 200 || !strings.Contains(csv, "BOOK-1,Handbook,C62,19.90,EUR,VAT7,true") {
			t.Errorf("products CSV: %d\n%s", status, csv)
		}

		// The form offers the product to invoice.js, and a line that names only
		// its code takes its name, price and tax code: 2 × 19.90 + 7 % = 42.59.
		_, body = b.get("/invoices/new")
		if !strings.Contains(html.UnescapeString(body), `"BOOK-1":{"name":"Handbook","unit":"C62","price":"19.90","currency":"EUR","tax":"VAT7","account":"4010"}`) {
			t.Errorf("the form does not describe the product for filling lines:\n%s", body)
		}
		form := url.Values{"kind": {"invoice"}, "party_id": {f.party.ID.String()}, "issue_date": {"2026-03-02"},
			"line_product": {"BOOK-1"}, "line_description": {""}, "line_quantity": {"2"}, "line_price": {""}, "line_tax": {""}, "line_account": {""}}
		status, body, _ = b.post("/invoices/preview", form)
		if status != 200 || !strings.Contains(body, "42.59 EUR") || !strings.Contains(body, "2.79 EUR") {
			t.Errorf("preview of a product line: %d\n%s", status, body)
		}
	})
}
