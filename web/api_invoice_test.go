package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// invoiceBody is a draft invoice to company A's customer.
func (f *fixture) invoiceBody(lines string) string {
	return fmt.Sprintf(`{"kind":"invoice","party_id":%d,"issue_date":"2026-03-02","lines":[%s]}`, f.party.ID, lines)
}

func TestInvoiceAPI_CreatePostAndCancel(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("clerk", "POST", "/api/v1/invoices", f.invoiceBody(
			`{"description":"Consulting","quantity":"2.5","unit":"HUR","unit_price":12000,"tax_codes":["VAT19"]},
			 {"description":"Books","quantity":3,"unit_price":1999,"discount_percent":"10","tax_codes":["VAT7"]}`))
		if w.Code != http.StatusCreated {
			t.Fatalf("create: status %d: %s", w.Code, w.Body)
		}
		var d invoice.Document
		decodeInto(t, w.Body.Bytes(), &d)
		// 2.5 × 120.00 = 300.00 at 19 % = 57.00; 3 × 19.99 − 10 % = 53.97 at 7 % = 3.78
		if d.State != invoice.StateDraft || d.Totals.TaxExclusive != 35397 || d.Totals.Payable != 35397+5700+378 || w.Header().Get("ETag") != `"v1"` {
			t.Fatalf("draft = %+v", d)
		}
		path := "/api/v1/invoices/" + d.ID.String()
		if w := f.request("clerk", "POST", path+"/post", `{}`); w.Code != http.StatusForbidden {
			t.Errorf("clerk posted: status %d", w.Code)
		}
		w = f.request("accountant", "PATCH", path, `{"notes":"Thank you"}`, "If-Match", `"v1"`)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Thank you") {
			t.Fatalf("patch: status %d: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", path+"/post", `{}`, "If-Match", `"v1"`)
		if w.Code != http.StatusPreconditionFailed {
			t.Errorf("stale post: status %d, want 412: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", path+"/post", `{}`)
		if w.Code != http.StatusOK {
			t.Fatalf("post: status %d: %s", w.Code, w.Body)
		}
		decodeInto(t, w.Body.Bytes(), &d)
		if d.Number != "INV-2026-00001" || d.EntryID == 0 || d.Installments[0].EntryLine != 1 {
			t.Errorf("posted = %+v", d)
		}
		if w := f.request("accountant", "DELETE", path, ""); w.Code != http.StatusConflict {
			t.Errorf("delete posted: status %d, want 409", w.Code)
		}
		w = f.request("accountant", "POST", path+"/cancel", `{"reason":"wrong address"}`)
		if w.Code != http.StatusCreated {
			t.Fatalf("cancel: status %d: %s", w.Code, w.Body)
		}
		var cn invoice.Document
		decodeInto(t, w.Body.Bytes(), &cn)
		if cn.Number != "CN-2026-00001" || cn.CreditsID != d.ID || cn.Totals.Payable != d.Totals.Payable {
			t.Errorf("credit note = %+v", cn)
		}
		w = f.request("auditor", "GET", "/api/v1/invoices?kind=credit_note", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "CN-2026-00001") || strings.Contains(w.Body.String(), `"number":"INV-`) {
			t.Errorf("list credit notes: status %d: %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", path+"/history", "")
		for _, action := range []string{`"create"`, `"update"`, `"post"`, `"cancel"`} {
			if !strings.Contains(w.Body.String(), action) {
				t.Errorf("history lacks %s: %s", action, w.Body)
			}
		}
	})
}

func TestInvoiceAPI_BadInputIs422NamingEachField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"x","unit_price":-1,"tax_codes":["NOPE"]}`))
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", w.Code, w.Body)
		}
		var p problem
		decodeInto(t, w.Body.Bytes(), &p)
		if p.Errors["lines[0].unit_price"] == "" || p.Errors["lines[0].tax_codes"] == "" {
			t.Errorf("errors = %v", p.Errors)
		}
		w = f.request("accountant", "GET", "/api/v1/invoices?kind=quote&from=yesterday", "")
		decodeInto(t, w.Body.Bytes(), &p)
		if w.Code != http.StatusUnprocessableEntity || p.Errors["from"] == "" {
			t.Errorf("bad filter: status %d %v", w.Code, p.Errors)
		}
	})
}

func TestInvoiceAPI_DuplicateBillIsAConflictUntilAReasonIsGiven(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("admin", "POST", "/api/v1/parties", `{"kind":"supplier","legal_name":"Paper Mill SA","currency":"EUR"}`)
		if w.Code != http.StatusCreated {
			t.Fatalf("supplier: status %d: %s", w.Code, w.Body)
		}
		var sup struct{ ID int64 }
		decodeInto(t, w.Body.Bytes(), &sup)
		bill := fmt.Sprintf(`{"kind":"bill","party_id":%d,"issue_date":"2026-03-02","supplier_reference":"PM-1001","lines":[{"description":"Paper","unit_price":5000,"tax_codes":["VAT19"]}]%%s}`, sup.ID)
		if w := f.request("accountant", "POST", "/api/v1/invoices", fmt.Sprintf(bill, "")); w.Code != http.StatusCreated {
			t.Fatalf("first bill: status %d: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", "/api/v1/invoices", fmt.Sprintf(bill, ""))
		if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "duplicate") {
			t.Fatalf("second bill: status %d, want 409: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", "/api/v1/invoices", fmt.Sprintf(bill, `,"duplicate_reason":"second delivery, same order number"`))
		if w.Code != http.StatusCreated {
			t.Fatalf("bill with reason: status %d: %s", w.Code, w.Body)
		}
	})
}

func TestInvoiceAPI_TaxCodesAndProducts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("auditor", "GET", "/api/v1/tax-codes", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"rate":"19"`) || !strings.Contains(w.Body.String(), `"VATEX-EU-AE"`) {
			t.Fatalf("tax codes: status %d: %s", w.Code, w.Body)
		}
		if w := f.request("auditor", "POST", "/api/v1/tax-codes", `{}`); w.Code != http.StatusForbidden {
			t.Errorf("auditor created a tax code: status %d", w.Code)
		}
		w = f.request("clerk", "POST", "/api/v1/tax-codes", `{"code":"CH81","name":"Swiss 8.1 %","rate":"8.1","type":"vat","category":"S","collected_account_id":`+f.accountIDOf("2100")+`,"deductible_account_id":`+f.accountIDOf("1400")+`}`)
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"rate":"8.1"`) {
			t.Fatalf("create tax code: status %d: %s", w.Code, w.Body)
		}
		w = f.request("clerk", "POST", "/api/v1/products", `{"code":"PAPER-A4","name":"Paper A4","unit":"C62","unit_price":499,"tax_code":"VAT19"}`)
		if w.Code != http.StatusCreated {
			t.Fatalf("create product: status %d: %s", w.Code, w.Body)
		}
		w = f.request("clerk", "GET", "/api/v1/products?q=paper", "")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "PAPER-A4") {
			t.Errorf("list products: status %d: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "PATCH", "/api/v1/invoice-settings", `{"rounding":"document"}`)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"document"`) {
			t.Errorf("settings: status %d: %s", w.Code, w.Body)
		}
	})
}

// accountIDOf is the id of company A's account with code, as text.
func (f *fixture) accountIDOf(code string) string {
	a, err := f.books.AccountByCode(f.t.Context(), f.a.ID, code)
	must(f.t, err)
	return a.ID.String()
}

func TestInvoiceAPI_PostBatchIsAllOrNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var ids []string
		for _, price := range []string{"1000", "2000", "-5"} {
			w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"x","unit_price":`+price+`,"tax_codes":["VAT19"]}`))
			if w.Code == http.StatusCreated {
				var d invoice.Document
				decodeInto(t, w.Body.Bytes(), &d)
				ids = append(ids, d.ID.String())
			}
		}
		if len(ids) != 2 {
			t.Fatalf("created %d drafts, want 2 (a negative price is refused)", len(ids))
		}
		w := f.request("accountant", "POST", "/api/v1/invoices/post-batch", `{"ids":[`+ids[0]+`,`+ids[1]+`,999999]}`)
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), "documents[2]") {
			t.Fatalf("batch with a missing draft: status %d: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", "/api/v1/invoices/post-batch", `{"ids":[`+strings.Join(ids, ",")+`]}`)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "INV-2026-00001") || !strings.Contains(w.Body.String(), "INV-2026-00002") {
			t.Fatalf("batch: status %d: %s", w.Code, w.Body)
		}
	})
}
