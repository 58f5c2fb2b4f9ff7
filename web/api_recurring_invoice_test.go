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

func TestRecurringInvoiceAPI_CreateRunDueTwiceAndDeactivate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := fmt.Sprintf(`{"name":"Rent","frequency":"monthly","day_of_month":31,"start_date":"2026-01-01","mode":"post",
			"invoice":{"party_id":%d,"lines":[{"description":"Rent","quantity":"1","unit_price":50000,"tax_codes":["VAT19"]}]}}`, f.party.ID)
		w := f.request("clerk", "POST", "/api/v1/recurring-invoices", body)
		var tmpl invoice.RecurringInvoice
		decodeInto(t, w.Body.Bytes(), &tmpl)
		if w.Code != http.StatusCreated || !tmpl.Active || tmpl.NextPeriod.String() != "2026-01-31" {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		if w := f.request("clerk", "POST", "/api/v1/recurring-invoices/run-due", `{"up_to":"2026-03-31"}`); w.Code != http.StatusForbidden {
			t.Fatalf("clerk ran due invoices: %d", w.Code)
		}
		for i, want := range []int{3, 0} {
			w = f.request("accountant", "POST", "/api/v1/recurring-invoices/run-due", `{"up_to":"2026-03-31"}`)
			var rep invoice.RecurringReport
			decodeInto(t, w.Body.Bytes(), &rep)
			if w.Code != http.StatusOK || len(rep.Generated) != want {
				t.Fatalf("run %d: %d %s, want %d invoices", i+1, w.Code, w.Body, want)
			}
		}
		path := "/api/v1/recurring-invoices/" + tmpl.ID.String()
		if w := f.request("accountant", "DELETE", path, ""); w.Code != http.StatusConflict {
			t.Fatalf("delete a template that generated invoices: %d, want 409", w.Code)
		}
		w = f.request("accountant", "PATCH", path, `{"active":false}`, "If-Match", `"v1"`)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"active":false`) {
			t.Fatalf("deactivate: %d %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", path+"/history", "")
		if !strings.Contains(w.Body.String(), `"create"`) || !strings.Contains(w.Body.String(), `"update"`) {
			t.Fatalf("history: %s", w.Body)
		}
		w = f.request("accountant", "POST", "/api/v1/recurring-invoices", `{"name":"","frequency":"daily","day_of_month":0,"start_date":"2026-01-01","invoice":{"party_id":1}}`)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "frequency") || !strings.Contains(w.Body.String(), "day_of_month") {
			t.Fatalf("bad template: %d %s", w.Code, w.Body)
		}
	})
}
