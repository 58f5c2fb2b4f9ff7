package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// postedInvoice posts an invoice to the fixture's customer of net minor
// units at 19 % VAT.
func (f *fixture) postedInvoice(net int64) invoice.Document {
	f.t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	price := net
	d, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: invoice.KindInvoice, PartyID: f.party.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
		Lines: []invoice.LineInput{{Description: "Consulting", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
	must(f.t, err)
	d, err = f.inv.Post(ctx, f.a.ID, d.ID, invoice.PostOptions{})
	must(f.t, err)
	return d
}

func TestPaymentAPI_PostsAllocatesAndReverses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		inv := f.postedInvoice(10000) // 119.00
		body := fmt.Sprintf(`{"direction":"received","party_id":%d,"date":"2026-03-10","account_id":%d,"amount":15000,"reference":"SEPA 1",
			"allocations":[{"document_id":%d,"amount":11900}]}`, f.party.ID, f.account.ID, inv.ID)
		w := f.request("clerk", "POST", "/api/v1/payments", body)
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		var p invoice.Payment
		decodeInto(t, w.Body.Bytes(), &p)
		if p.Number != "RCV-2026-00001" || p.Unallocated != 3100 || len(p.Allocations) != 1 {
			t.Fatalf("payment = %+v", p)
		}
		w = f.request("auditor", "GET", "/api/v1/invoices/"+inv.ID.String()+"/balance", "")
		var b invoice.Balance
		decodeInto(t, w.Body.Bytes(), &b)
		if w.Code != 200 || b.Status != invoice.FullyPaid || b.Open != 0 {
			t.Errorf("balance: %d %+v", w.Code, b)
		}
		w = f.request("auditor", "GET", "/api/v1/payments?direction=received&q=sepa", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), p.Number) {
			t.Errorf("list: %d %s", w.Code, w.Body)
		}
		second := f.postedInvoice(1000) // 11.90
		w = f.request("clerk", "POST", "/api/v1/payments/"+p.ID.String()+"/apply", fmt.Sprintf(`{"document_id":%d}`, second.ID))
		var app invoice.CreditApplication
		decodeInto(t, w.Body.Bytes(), &app)
		if w.Code != 200 || app.Amount != 1190 || app.Balance.Status != invoice.FullyPaid {
			t.Errorf("apply: %d %s", w.Code, w.Body)
		}
		w = f.request("clerk", "POST", "/api/v1/payments/"+p.ID.String()+"/reverse", `{"reason":"bounced"}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"reversed"`) {
			t.Fatalf("reverse: %d %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", "/api/v1/payments/"+p.ID.String()+"/history", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"reverse"`) {
			t.Errorf("history: %d %s", w.Code, w.Body)
		}
	})
}

func TestPaymentAPI_AllocationBeyondOpenAmountIs422AndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		inv := f.postedInvoice(10000)
		body := fmt.Sprintf(`{"direction":"received","party_id":%d,"date":"2026-03-10","account_id":%d,"amount":20000,
			"allocations":[{"document_id":%d,"amount":20000}]}`, f.party.ID, f.account.ID, inv.ID)
		w := f.request("accountant", "POST", "/api/v1/payments", body)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422: %s", w.Code, w.Body)
		}
		var pr problem
		decodeInto(t, w.Body.Bytes(), &pr)
		if !strings.Contains(pr.Errors["allocations[0].amount"], "119.00") {
			t.Errorf("errors = %v, want the open amount named", pr.Errors)
		}
		var n int
		must(t, db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM payments`).Scan(&n))
		if n != 0 {
			t.Errorf("%d payments stored", n)
		}
	})
}

func TestPaymentRunAPI_ClerkDraftsAccountantApprovesAndConfirms(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		supplier, _, err := f.parties.Create(ctx, f.a.ID, party.Input{Kind: party.KindSupplier, LegalName: "Paper Mill SA", Currency: "EUR"})
		must(t, err)
		price := int64(10000)
		d, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: invoice.KindBill, PartyID: supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
			DueDate: backoffice.NewDate(2026, 4, 30), EarlyDiscountPercent: 30000, EarlyDiscountDays: 10, SupplierReference: "PM-1",
			Lines: []invoice.LineInput{{Description: "Paper", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
		must(t, err)
		_, err = f.inv.Post(ctx, f.a.ID, d.ID, invoice.PostOptions{})
		must(t, err)
		w := f.request("clerk", "POST", "/api/v1/payment-runs", fmt.Sprintf(`{"pay_date":"2026-03-05","due_by":"2026-03-31","take_discounts":true,"account_id":%d}`, f.account.ID))
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		var run invoice.Run
		decodeInto(t, w.Body.Bytes(), &run)
		if len(run.Lines) != 1 || run.Lines[0].Discount != 357 || run.Total != 11543 || !strings.HasPrefix(run.Lines[0].EndToEndID, "BO-") {
			t.Fatalf("run = %+v, want 119.00 less 3 %%", run)
		}
		base := "/api/v1/payment-runs/" + run.ID.String()
		if w := f.request("clerk", "POST", base+"/approve", "{}"); w.Code != http.StatusForbidden {
			t.Errorf("clerk approve: %d, want 403", w.Code)
		}
		for _, step := range []string{"/approve", "/send", "/confirm"} {
			if w := f.request("accountant", "POST", base+step, "{}"); w.Code != 200 {
				t.Fatalf("%s: %d %s", step, w.Code, w.Body)
			}
		}
		w = f.request("auditor", "GET", "/api/v1/payments?run="+run.ID.String(), "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), run.Lines[0].EndToEndID) || !strings.Contains(w.Body.String(), `"amount":11543`) {
			t.Errorf("run payments: %d %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", base+"/history", "")
		if w.Code != 200 || strings.Count(w.Body.String(), `"action"`) != 4 {
			t.Errorf("history: %d %s", w.Code, w.Body)
		}
	})
}
