package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPaymentPages_RegisterPrefilledOldestFirstThenRecordWithHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		first := f.postedInvoice(10000) // 119.00
		second := f.postedInvoice(5000) // 59.50
		b := f.browser()
		b.signIn("clerk@example.com")
		status, body := b.get("/payments")
		if status != 200 || !strings.Contains(body, "No payments match") || !strings.Contains(body, "Register payment") {
			t.Fatalf("empty list: %d %s", status, body)
		}
		status, body = b.get("/payments/new?direction=received&party_id=" + f.party.ID.String() + "&amount=150.00&date=2026-03-10")
		if status != 200 || !strings.Contains(body, first.Number) || !strings.Contains(body, `value="119.00"`) || !strings.Contains(body, `value="31.00"`) {
			t.Fatalf("form with open documents: %d %s", status, body)
		}
		form := url.Values{"direction": {"received"}, "party_id": {f.party.ID.String()}, "date": {"2026-03-10"}, "amount": {"150.00"},
			"account_id": {f.account.ID.String()}, "reference": {"SEPA 1"}, "doc": {first.ID.String(), second.ID.String()},
			"alloc_" + first.ID.String(): {"119.00"}, "alloc_" + second.ID.String(): {"80.00"}}
		status, body, _ = b.post("/payments", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "is more than the open amount") || !strings.Contains(body, `value="80.00"`) {
			t.Fatalf("allocation beyond the open amount: %d %s", status, body)
		}
		form.Set("alloc_"+second.ID.String(), "31.00")
		status, body, hdr := b.post("/payments", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", status, body)
		}
		status, body = b.get(hdr.Get("Location"))
		if status != 200 || !strings.Contains(body, "RCV-2026-00001") || !strings.Contains(body, first.Number) || !strings.Contains(body, "History") ||
			!strings.Contains(body, "Post") || !strings.Contains(body, "Reverse") {
			t.Fatalf("record: %d %s", status, body)
		}
		status, body = b.get("/payments?direction=received&q=sepa")
		if status != 200 || !strings.Contains(body, "RCV-2026-00001") || !strings.Contains(body, "150.00 EUR") {
			t.Errorf("list: %d %s", status, body)
		}
	})
}

func TestPaymentRunPages_DraftReviewApproveConfirm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		supplier, _, err := f.parties.Create(ctx, f.a.ID, party.Input{Kind: party.KindSupplier, LegalName: "Paper Mill SA", Currency: "EUR"})
		must(t, err)
		for i, ref := range []string{"PM-1", "PM-2"} {
			price := int64(10000 * (i + 1))
			d, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: invoice.KindBill, PartyID: supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
				DueDate: backoffice.NewDate(2026, 3, 15), SupplierReference: ref, Lines: []invoice.LineInput{{Description: "Paper", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
			must(t, err)
			_, err = f.inv.Post(ctx, f.a.ID, d.ID, invoice.PostOptions{})
			must(t, err)
		}
		clerk := f.browser()
		clerk.signIn("clerk@example.com")
		status, body := clerk.get("/payment-runs")
		if status != 200 || !strings.Contains(body, "No payment runs yet") {
			t.Fatalf("empty runs: %d %s", status, body)
		}
		status, body, _ = clerk.post("/payment-runs", url.Values{"pay_date": {"2026-03-10"}, "due_by": {"2026-03-01"}, "account_id": {f.account.ID.String()}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "selects no open bill") {
			t.Fatalf("empty selection: %d %s", status, body)
		}
		status, body, hdr := clerk.post("/payment-runs", url.Values{"pay_date": {"2026-03-10"}, "due_by": {"2026-03-20"}, "account_id": {f.account.ID.String()}})
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", status, body)
		}
		run := hdr.Get("Location")
		run = run[:strings.Index(run, "?")]
		status, body = clerk.get(run)
		if status != 200 || !strings.Contains(body, "PM-2") || !strings.Contains(body, "357.00 EUR") || strings.Contains(body, ">Approve<") {
			t.Fatalf("review as clerk: %d %s", status, body)
		}
		status, _, _ = clerk.post(run+"/remove-line", url.Values{"seq": {"2"}})
		if status != http.StatusSeeOther {
			t.Fatalf("leave out a bill: %d", status)
		}
		status, _, _ = clerk.post(run+"/approve", url.Values{})
		if status != http.StatusForbidden {
			t.Errorf("clerk approves: %d, want 403", status)
		}
		acct := f.browser()
		acct.signIn("accountant@example.com")
		for _, step := range []string{"/approve", "/confirm"} {
			if status, body, _ := acct.post(run+step, url.Values{}); status != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", step, status, body)
			}
		}
		status, body = acct.get(run)
		if status != 200 || !strings.Contains(body, "confirmed") || !strings.Contains(body, "119.00 EUR") || !strings.Contains(body, "/payments/") {
			t.Errorf("confirmed run: %d %s", status, body)
		}
	})
}

func TestPaymentPages_RefundPaysOutAnEarlierPaymentsCredit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		advance, err := f.inv.CreatePayment(ctx, f.a.ID, invoice.PaymentInput{Direction: invoice.Received, PartyID: f.party.ID, Date: backoffice.NewDate(2026, 3, 2),
			AccountID: f.account.ID, Amount: 5000})
		must(t, err)
		b := f.browser()
		b.signIn("clerk@example.com")
		status, body := b.get("/payments/new?direction=paid&party_id=" + f.party.ID.String() + "&amount=50.00")
		if status != 200 || !strings.Contains(body, advance.Number) || !strings.Contains(body, `name="credit_`+advance.ID.String()+`" class="amount" inputmode="decimal" value="50.00"`) {
			t.Fatalf("refund form: %d %s", status, body)
		}
		form := url.Values{"direction": {"paid"}, "party_id": {f.party.ID.String()}, "date": {"2026-03-20"}, "amount": {"50.00"},
			"account_id": {f.account.ID.String()}, "credit": {advance.ID.String()}, "credit_" + advance.ID.String(): {"60.00"}}
		status, body, _ = b.post("/payments", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "more than the open amount") {
			t.Fatalf("refund beyond the credit: %d %s", status, body)
		}
		form.Set("credit_"+advance.ID.String(), "50.00")
		status, body, hdr := b.post("/payments", form)
		if status != http.StatusSeeOther {
			t.Fatalf("refund: %d %s", status, body)
		}
		status, body = b.get(hdr.Get("Location"))
		if status != 200 || !strings.Contains(body, "PAY-2026-00001") || !strings.Contains(body, "Credit of "+advance.Number) {
			t.Errorf("refund record: %d %s", status, body)
		}
	})
}

func TestPaymentPages_ApplyCreditNoteToInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		inv := f.postedInvoice(10000)
		price := int64(2000)
		cn, err := f.inv.Create(ctx, f.a.ID, invoice.Input{Kind: invoice.KindCreditNote, PartyID: f.party.ID, IssueDate: backoffice.NewDate(2026, 3, 5), CreditsID: inv.ID,
			Lines: []invoice.LineInput{{Description: "Discount", Quantity: 10000, UnitPrice: &price, TaxCodes: []string{"VAT19"}}}})
		must(t, err)
		cn, err = f.inv.Post(ctx, f.a.ID, cn.ID, invoice.PostOptions{})
		must(t, err)
		b := f.browser()
		b.signIn("clerk@example.com")
		status, body := b.get("/payments/apply?party_id=" + f.party.ID.String())
		if status != 200 || !strings.Contains(body, inv.Number) || !strings.Contains(body, cn.Number+" · open 23.80 EUR") {
			t.Fatalf("apply page: %d %s", status, body)
		}
		status, body, _ = b.post("/payments/apply", url.Values{"party_id": {f.party.ID.String()}, "document_id": {inv.ID.String()}, "credit": {"cn:" + cn.ID.String()}})
		if status != http.StatusSeeOther {
			t.Fatalf("apply: %d %s", status, body)
		}
		bal, err := f.inv.Balance(ctx, f.a.ID, inv)
		must(t, err)
		if bal.Open != 11900-2380 || bal.Status != invoice.PartlyPaid {
			t.Errorf("invoice balance = %+v", bal)
		}
		status, body, _ = b.post("/payments/apply", url.Values{"party_id": {f.party.ID.String()}, "document_id": {inv.ID.String()}, "credit": {"cn:" + cn.ID.String()}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("applying a used credit again: %d %s", status, body)
		}
	})
}

func TestPaymentSettingsPage_AccountantSetsToleranceClerkOnlyReads(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		acct := f.browser()
		acct.signIn("accountant@example.com")
		status, body, _ := acct.post("/payment-settings", url.Values{"write_off_tolerance": {"abc"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "must be an amount") || !strings.Contains(body, `value="abc"`) {
			t.Fatalf("bad tolerance: %d %s", status, body)
		}
		if status, body, _ := acct.post("/payment-settings", url.Values{"write_off_tolerance": {"2.50"}}); status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", status, body)
		}
		st, err := f.inv.PaymentSettings(t.Context(), f.a.ID)
		must(t, err)
		if st.WriteOffTolerance != 250 {
			t.Errorf("tolerance = %d, want 250", st.WriteOffTolerance)
		}
		clerk := f.browser()
		clerk.signIn("clerk@example.com")
		status, body = clerk.get("/payment-settings")
		if status != 200 || !strings.Contains(body, `value="2.50" readonly`) || !strings.Contains(body, "<del>1.00</del> → <ins>2.50</ins>") {
			t.Errorf("clerk view: %d %s", status, body)
		}
		if status, _, _ := clerk.post("/payment-settings", url.Values{"write_off_tolerance": {"9.00"}}); status != http.StatusForbidden {
			t.Errorf("clerk saves: %d, want 403", status)
		}
	})
}
