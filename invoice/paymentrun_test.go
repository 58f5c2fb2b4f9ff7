package invoice_test

import (
	"strings"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// bill posts a bill of supplier (net at 19 % VAT) issued on 1 March, due
// on due, with an early discount of pct (1/10000 %) within days.
func (e *env) bill(supplier party.Party, net int64, due backoffice.Date, pct invoice.Percent, days int, ref string) invoice.Document {
	e.t.Helper()
	return e.post(e.create(invoice.Input{Kind: invoice.KindBill, PartyID: supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1), DueDate: due,
		SupplierReference: ref, EarlyDiscountPercent: pct, EarlyDiscountDays: days, Lines: []invoice.LineInput{line(qty(e.t, "1"), net, "VAT19")}}).ID)
}

func (e *env) runInput() invoice.RunInput {
	return invoice.RunInput{PayDate: mar10, DueBy: backoffice.NewDate(2026, 3, 20), TakeDiscounts: true, AccountID: e.acct("1110")}
}

func TestPaymentRun_PaysDueBillsOnePaymentPerSupplierWithEarlyDiscount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newParty(e.company, party.KindSupplier, "Acme Parts", party.Terms{NetDays: 30})
		due := e.bill(e.supplier, 10000, backoffice.NewDate(2026, 3, 15), 0, 0, "O-1")        // 119.00, due in the run
		early := e.bill(e.supplier, 20000, backoffice.NewDate(2026, 4, 30), 20000, 14, "O-2") // 238.00 less 2 % = 233.24
		notYet := e.bill(e.supplier, 5000, backoffice.NewDate(2026, 4, 30), 0, 0, "O-3")      // not due, no discount
		theirs := e.bill(other, 1000, backoffice.NewDate(2026, 3, 12), 0, 0, "A-1")           // 11.90
		r, err := e.s.CreateRun(e.ctx, e.company, e.runInput())
		must(t, err)
		if r.State != invoice.RunDraft || len(r.Lines) != 3 || r.Total != 11900+23324+1190 || r.Discounts != 476 {
			t.Fatalf("run = %+v, want the due bills and the discounted one", r)
		}
		for _, l := range r.Lines {
			if l.DocumentID == notYet.ID {
				t.Errorf("bill not due and without discount selected: %+v", l)
			}
		}
		transfers := r.Transfers()
		if len(transfers) != 2 || transfers[0].PartyName != "Acme Parts" || transfers[0].EndToEndID == transfers[1].EndToEndID ||
			transfers[1].EndToEndID != "BO-"+e.company.String()+"-"+r.ID.String()+"-2" {
			t.Fatalf("transfers = %+v", transfers)
		}
		_, err = e.s.ConfirmRun(e.ctx, e.company, r.ID)
		wantCode(t, err, backoffice.EConflict, "")
		_, err = e.s.ApproveRun(e.ctx, e.company, r.ID)
		must(t, err)
		_, err = e.s.MarkRunSent(e.ctx, e.company, r.ID)
		must(t, err)
		r, err = e.s.ConfirmRun(e.ctx, e.company, r.ID)
		must(t, err)
		if r.State != invoice.RunConfirmed || r.ConfirmedAt == nil {
			t.Fatalf("confirmed run = %+v", r)
		}
		for _, d := range []invoice.Document{due, early, theirs} {
			e.wantBalance(d, 0, invoice.FullyPaid)
		}
		e.wantBalance(notYet, 5950, invoice.Unpaid)
		pays, err := e.s.ListPayments(e.ctx, e.company, invoice.PaymentFilter{RunID: r.ID})
		must(t, err)
		if len(pays.Items) != 2 {
			t.Fatalf("payments of the run = %+v", pays.Items)
		}
		for _, p := range pays.Items {
			if p.EndToEndID == "" || p.Direction != invoice.Paid || p.Reference != r.Number {
				t.Errorf("payment = %+v", p)
			}
			if p.PartyID == e.supplier.ID {
				_, got := e.postings(p.EntryID)
				if got["1110"] != -(11900+23324) || got["2010"] != 11900+23800 || got["5020"] != -476 {
					t.Errorf("supplier payment entry = %v", got)
				}
			}
		}
	})
}

func TestPaymentRun_ConfirmPostsNothingWhenABillWasPaidMeanwhile(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.bill(e.supplier, 10000, backoffice.NewDate(2026, 3, 15), 0, 0, "X-1")
		e.bill(e.supplier, 2000, backoffice.NewDate(2026, 3, 16), 0, 0, "X-2")
		r, err := e.s.CreateRun(e.ctx, e.company, e.runInput())
		must(t, err)
		_, err = e.s.ApproveRun(e.ctx, e.company, r.ID)
		must(t, err)
		e.pay(invoice.PaymentInput{Direction: invoice.Paid, PartyID: e.supplier.ID, Date: mar10, AccountID: e.acct("1110"), Amount: 11900,
			Allocations: []invoice.AllocationInput{{DocumentID: a.ID, Amount: 11900}}})
		entries := e.count("ledger_entries")
		_, err = e.s.ConfirmRun(e.ctx, e.company, r.ID)
		e.refused(err, backoffice.EInvalid, "allocations[0].amount", 1, entries)
		again, err := e.s.GetRun(e.ctx, e.company, r.ID)
		must(t, err)
		if again.State != invoice.RunApproved {
			t.Errorf("run state = %s after a failed confirmation", again.State)
		}
	})
}

func TestPaymentRun_LeavesOutBillsOfOpenRunsAndRefusesEmptySelection(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.bill(e.supplier, 10000, backoffice.NewDate(2026, 3, 15), 0, 0, "Y-1")
		first, err := e.s.CreateRun(e.ctx, e.company, e.runInput())
		must(t, err)
		_, err = e.s.CreateRun(e.ctx, e.company, e.runInput())
		wantCode(t, err, backoffice.EInvalid, "due_by")
		if n := e.count("payment_runs"); n != 1 {
			t.Errorf("%d runs stored", n)
		}
		_, err = e.s.CancelRun(e.ctx, e.company, first.ID, "wrong date")
		must(t, err)
		second, err := e.s.CreateRun(e.ctx, e.company, e.runInput())
		must(t, err)
		if len(second.Lines) != 1 || second.Number == first.Number {
			t.Errorf("second run = %+v", second)
		}
		list, err := e.s.ListRuns(e.ctx, e.company, invoice.RunFilter{})
		must(t, err)
		if len(list.Items) != 2 || list.Items[0].ID != second.ID || list.Items[0].Total != 11900 {
			t.Errorf("runs = %+v", list.Items)
		}
		found, err := e.s.ListRuns(e.ctx, e.company, invoice.RunFilter{Query: strings.ToLower(first.Number)})
		must(t, err)
		if len(found.Items) != 1 || found.Items[0].ID != first.ID || found.Items[0].State != invoice.RunCancelled {
			t.Errorf("search by number = %+v", found.Items)
		}
	})
}

func TestPaymentRun_ReviewRemovesALineOfADraftOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.bill(e.supplier, 10000, backoffice.NewDate(2026, 3, 15), 0, 0, "Z-1")
		e.bill(e.supplier, 3000, backoffice.NewDate(2026, 3, 16), 0, 0, "Z-2")
		r, err := e.s.CreateRun(e.ctx, e.company, e.runInput())
		must(t, err)
		r, err = e.s.RemoveRunLine(e.ctx, e.company, r.ID, 2)
		must(t, err)
		if len(r.Lines) != 1 || r.Total != 11900 {
			t.Fatalf("run after review = %+v", r)
		}
		_, err = e.s.ApproveRun(e.ctx, e.company, r.ID)
		must(t, err)
		_, err = e.s.RemoveRunLine(e.ctx, e.company, r.ID, 1)
		wantCode(t, err, backoffice.EConflict, "")
	})
}
