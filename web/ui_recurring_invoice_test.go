package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestRecurringInvoicePages_CreateShowAndKeepTypedOnError(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		if status, body := b.get("/recurring-invoices"); status != http.StatusOK || !strings.Contains(body, "No recurring invoices yet") {
			t.Fatalf("empty list: %d\n%s", status, body)
		}
		form := url.Values{"name": {"Rent"}, "party_id": {f.party.ID.String()}, "frequency": {"monthly"}, "day_of_month": {"31"},
			"start_date": {"2026-01-01"}, "mode": {"draft"}, "active": {"on"},
			"line_description": {"Office rent", ""}, "line_quantity": {"1", "1"}, "line_price": {"abc", ""}, "line_tax_code": {"VAT19", "VAT19"}}
		status, body, _ := b.post("/recurring-invoices", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Line 1, unit price") || !strings.Contains(body, `value="Office rent"`) {
			t.Fatalf("bad price: %d\n%s", status, body)
		}
		form.Set("line_price", "1000.00")
		form["line_price"] = []string{"1000.00", ""}
		status, body, hdr := b.post("/recurring-invoices", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/recurring-invoices/") {
			t.Fatalf("create: %d %s\n%s", status, hdr, body)
		}
		status, body = b.get(hdr.Get("Location"))
		if status != http.StatusOK || !strings.Contains(body, "monthly on day 31") || !strings.Contains(body, "1000.00 EUR") || !strings.Contains(body, "2026-01-31") {
			t.Fatalf("record page: %d\n%s", status, body)
		}
		if status, body := b.get("/recurring-invoices"); status != http.StatusOK || !strings.Contains(body, "Rent") || !strings.Contains(body, "Run due now") {
			t.Fatalf("list: %d\n%s", status, body)
		}
	})
}
