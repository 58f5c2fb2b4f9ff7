package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestTaxReport_APIAndPageShowBoxesDrillDownAndSettleOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/invoices", f.invoiceBody(`{"description":"Consulting","quantity":"2","unit":"HUR","unit_price":10000,"tax_codes":["VAT19"]}`))
		var d invoice.Document
		decodeInto(t, w.Body.Bytes(), &d)
		if w := f.request("accountant", "POST", "/api/v1/invoices/"+d.ID.String()+"/post", `{}`); w.Code != http.StatusOK {
			t.Fatalf("post: %d %s", w.Code, w.Body)
		}
		period := "from=2026-03-01&to=2026-03-31"
		runCases(t, f, []apiCase{
			{name: "boxes", role: "auditor", method: "GET", path: "/api/v1/tax-report?" + period, status: 200,
				want: []string{`"code":"1","name":"Sales at the standard rate, without VAT","amount":"200.00"`, `"code":"2","name":"Output VAT at the standard rate","amount":"38.00"`, `"payable":"38.00"`}},
			{name: "drill down", role: "auditor", method: "GET", path: "/api/v1/tax-report/documents?" + period + "&tax_code=VAT19&side=sales", status: 200,
				want: []string{`"number":"INV-2026-00001"`, `"base":"200.00","tax":"38.00"`}},
			{name: "bad side", role: "auditor", method: "GET", path: "/api/v1/tax-report/documents?" + period + "&side=both", status: 422},
			{name: "clerk may not settle", role: "clerk", method: "POST", path: "/api/v1/tax-report/settlements", body: `{"from":"2026-03-01","to":"2026-03-31"}`, status: 403},
		})
		b := f.browser()
		b.signIn("accountant@example.com")
		status, page := b.get("/tax-report?" + period)
		if status != 200 || !strings.Contains(page, "Post the VAT settlement (38.00 EUR)") || !strings.Contains(page, "tax_code=VAT19") {
			t.Fatalf("page: %d\n%s", status, page)
		}
		status, page = b.get("/tax-report/documents?" + period + "&tax_code=VAT19&side=sales")
		if status != 200 || !strings.Contains(page, "INV-2026-00001") {
			t.Fatalf("documents page: %d", status)
		}
		status, _, hdr := b.post("/tax-report/settle", url.Values{"from": {"2026-03-01"}, "to": {"2026-03-31"}})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "VAT+settled") {
			t.Fatalf("settle: %d %v", status, hdr)
		}
		status, page, _ = b.post("/tax-report/settle", url.Values{"from": {"2026-03-01"}, "to": {"2026-03-31"}})
		if status != http.StatusConflict || !strings.Contains(page, "already settled") {
			t.Fatalf("settling twice: %d", status)
		}
		runCases(t, f, []apiCase{
			{name: "the report shows its settlement", role: "auditor", method: "GET", path: "/api/v1/tax-report?" + period, status: 200, want: []string{`"settlement":{"id":`}},
			{name: "boxes can be replaced", role: "accountant", method: "PUT", path: "/api/v1/tax-report/boxes",
				body: `{"items":[{"code":"81","name":"Sales 19 %","terms":[{"tax_code":"VAT19","amount":"base","side":"sales","sign":1}]}]}`, status: 200, want: []string{`"code":"81"`}},
			{name: "an unknown tax code is named", role: "accountant", method: "PUT", path: "/api/v1/tax-report/boxes",
				body: `{"items":[{"code":"X","name":"X","terms":[{"tax_code":"NOPE","amount":"base","side":"sales","sign":1}]}]}`, status: 422, want: []string{`"boxes[0].terms[0].tax_code"`}},
		})
	})
}
