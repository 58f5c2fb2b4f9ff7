package invoice_test

import (
	"errors"
	"strings"
	"testing"

	"backoffice"
	"backoffice/audit"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// acct is the id of a chart account by code.
func (e *env) acct(code string) backoffice.ID {
	e.t.Helper()
	a, err := e.ledger.AccountByCode(e.ctx, e.company, code)
	must(e.t, err)
	return a.ID
}

// postedInvoice posts an invoice to the customer of one line of net minor
// units at 19 % VAT (payable net × 1.19), issued on date.
func (e *env) postedInvoice(net int64, date backoffice.Date) invoice.Document {
	e.t.Helper()
	in := e.invoiceInput(line(qty(e.t, "1"), net, "VAT19"))
	in.IssueDate = date
	return e.post(e.create(in).ID)
}

// postedBill posts a bill of the supplier of one line at 19 % VAT.
func (e *env) postedBill(net int64, date backoffice.Date, ref string) invoice.Document {
	e.t.Helper()
	in := invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: date, SupplierReference: ref,
		Lines: []invoice.LineInput{line(qty(e.t, "1"), net, "VAT19")}}
	return e.post(e.create(in).ID)
}

// received is a payment from the customer into the main bank account.
func (e *env) received(amount int64, date backoffice.Date, allocs ...invoice.AllocationInput) invoice.PaymentInput {
	return invoice.PaymentInput{Direction: invoice.Received, PartyID: e.customer.ID, Date: date, AccountID: e.acct("1110"),
		Amount: amount, Reference: "transfer", Allocations: allocs}
}

func alloc(d invoice.Document, amount int64) invoice.AllocationInput {
	return invoice.AllocationInput{DocumentID: d.ID, Amount: amount}
}

func (e *env) pay(in invoice.PaymentInput) invoice.Payment {
	e.t.Helper()
	p, err := e.s.CreatePayment(e.ctx, e.company, in)
	must(e.t, err)
	return p
}

// balance reads a document's payment status from the ledger.
func (e *env) balance(d invoice.Document) invoice.Balance {
	e.t.Helper()
	b, err := e.s.Balance(e.ctx, e.company, d)
	must(e.t, err)
	return b
}

func (e *env) wantBalance(d invoice.Document, open int64, status invoice.PaymentStatus) {
	e.t.Helper()
	if b := e.balance(d); b.Open != open || b.Status != status || b.Paid != d.Totals.Payable-open {
		e.t.Errorf("%s balance = %+v, want open %d status %s", d.Number, b, open, status)
	}
}

// refused checks err has code and field and that nothing was stored.
func (e *env) refused(err error, code, field string, payments, entries int) {
	e.t.Helper()
	wantCode(e.t, err, code, field)
	if n := e.count("payments"); n != payments {
		e.t.Errorf("payments = %d, want %d", n, payments)
	}
	if n := e.count("ledger_entries"); n != entries {
		e.t.Errorf("ledger entries = %d, want %d: a refused payment posted something", n, entries)
	}
}

var (
	mar10 = backoffice.NewDate(2026, 3, 10)
	mar20 = backoffice.NewDate(2026, 3, 20)
)

func TestCreatePayment_PartialPaymentLeavesInvoicePartlyOpen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1)) // 119.00
		p := e.pay(e.received(5000, mar10, alloc(inv, 5000)))
		if p.Number != "RCV-2026-00001" || p.State != invoice.PaymentPosted || p.Unallocated != 0 || len(p.Allocations) != 1 || p.Allocations[0].ReconciliationID == 0 {
			t.Fatalf("payment = %+v", p)
		}
		e.wantBalance(inv, 6900, invoice.PartlyPaid)
		_, got := e.postings(p.EntryID)
		if got["1110"] != 5000 || got["1200"] != -5000 || len(got) != 2 {
			t.Errorf("payment entry = %v, want bank 50.00 against receivable", got)
		}
		e.pay(e.received(6900, mar20, alloc(inv, 6900)))
		e.wantBalance(inv, 0, invoice.FullyPaid)
		recs := e.paymentChanges(p.ID)
		if len(recs) != 1 || recs[0].Action != "post" {
			t.Errorf("change log of the payment = %+v, want one post record", recs)
		}
	})
}

func TestCreatePayment_OnePaymentSettlesThreeInvoices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.postedInvoice(10000, backoffice.NewDate(2026, 1, 5))
		b := e.postedInvoice(20000, backoffice.NewDate(2026, 2, 5))
		c := e.postedInvoice(30000, backoffice.NewDate(2026, 3, 1))
		p := e.pay(e.received(71400, mar10, alloc(a, 11900), alloc(b, 23800), alloc(c, 35700)))
		for _, d := range []invoice.Document{a, b, c} {
			e.wantBalance(d, 0, invoice.FullyPaid)
		}
		entry, got := e.postings(p.EntryID)
		if len(entry.Lines) != 4 || got["1110"] != 71400 || got["1200"] != -71400 {
			t.Errorf("entry = %v (%d lines), want the bank line and one receivable line per invoice", got, len(entry.Lines))
		}
		for i, l := range entry.Lines[1:] {
			if l.PartyID != int64(e.customer.ID) || l.LineNo != p.Allocations[i].EntryLine {
				t.Errorf("line %d = %+v, allocation %+v", i, l, p.Allocations[i])
			}
		}
		byDoc, err := e.s.ListPayments(e.ctx, e.company, invoice.PaymentFilter{Document: b.ID})
		must(t, err)
		if len(byDoc.Items) != 1 || byDoc.Items[0].ID != p.ID {
			t.Errorf("payments of %s = %+v", b.Number, byDoc.Items)
		}
		got2, err := e.s.GetPayment(e.ctx, e.company, p.ID)
		must(t, err)
		if len(got2.Allocations) != 3 || got2.Allocations[2].DocumentNumber != c.Number || got2.Allocations[1].Amount != 23800 {
			t.Errorf("stored allocations = %+v", got2.Allocations)
		}
	})
}

func TestCreatePayment_OverpaymentKeptAsCreditAndAppliedLater(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		first := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		p := e.pay(e.received(15000, mar10, alloc(first, 11900)))
		if p.Unallocated != 3100 || p.UnallocatedLine != 3 {
			t.Fatalf("payment = %+v, want 31.00 unallocated on line 3", p)
		}
		items, err := e.ledger.OpenItems(e.ctx, e.company, ledger.OpenItemFilter{PartyID: int64(e.customer.ID)})
		must(t, err)
		if len(items.Items) != 1 || items.Items[0].Residual != -3100 {
			t.Fatalf("open items = %+v, want the customer's credit of 31.00", items.Items)
		}
		second := e.postedInvoice(5000, mar20) // 59.50
		app, err := e.s.ApplyCredit(e.ctx, e.company, second.ID, invoice.ApplyCreditInput{PaymentID: p.ID})
		must(t, err)
		if app.Amount != 3100 || app.Balance.Open != 2850 || app.Balance.Status != invoice.PartlyPaid || app.Credit != p.Number {
			t.Errorf("application = %+v, want 31.00 applied and 28.50 open", app)
		}
		if recs := e.changes(second.ID); recs[len(recs)-1].Action != "apply_credit" {
			t.Errorf("last change of the invoice = %+v", recs[len(recs)-1])
		}
		_, err = e.s.ApplyCredit(e.ctx, e.company, second.ID, invoice.ApplyCreditInput{PaymentID: p.ID})
		wantCode(t, err, backoffice.EInvalid, "")
	})
}

func TestCreatePayment_WriteOffWithinTolerance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		in := e.received(11850, mar10, alloc(inv, 11900)) // 0.50 short
		in.WriteOff = &invoice.WriteOffInput{AccountID: e.acct("6210"), Reason: "bank charges deducted by the customer"}
		p := e.pay(in)
		if p.WriteOff != 50 || p.Unallocated != 0 || p.WriteOffAccountID != e.acct("6210") {
			t.Fatalf("payment = %+v, want 0.50 written off", p)
		}
		e.wantBalance(inv, 0, invoice.FullyPaid)
		_, got := e.postings(p.EntryID)
		if got["6210"] != 50 || got["1110"] != 11850 || got["1200"] != -11900 {
			t.Errorf("entry = %v", got)
		}
		if recs := e.paymentChanges(p.ID); recs[0].Reason != in.WriteOff.Reason {
			t.Errorf("change reason = %q, want the write-off reason", recs[0].Reason)
		}
	})
}

func TestCreatePayment_RejectsWriteOffAboveTolerance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		entries := e.count("ledger_entries")
		in := e.received(11700, mar10, alloc(inv, 11900)) // 2.00 short, tolerance 1.00
		in.WriteOff = &invoice.WriteOffInput{AccountID: e.acct("6210"), Reason: "customer short-paid"}
		_, err := e.s.CreatePayment(e.ctx, e.company, in)
		e.refused(err, backoffice.EInvalid, "write_off", 0, entries)
		_, err = e.s.SetWriteOffTolerance(e.ctx, e.company, 250)
		must(t, err)
		p := e.pay(in)
		if p.WriteOff != 200 {
			t.Errorf("write-off = %d after raising the tolerance to 2.50", p.WriteOff)
		}
	})
}

func TestCreatePayment_RejectsAllocationBeyondOpenAmount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		e.pay(e.received(10000, mar10, alloc(inv, 10000)))
		entries := e.count("ledger_entries")
		_, err := e.s.CreatePayment(e.ctx, e.company, e.received(5000, mar20, alloc(inv, 5000))) // 19.00 open
		e.refused(err, backoffice.EInvalid, "allocations[0].amount", 1, entries)
		if !strings.Contains(err.Error(), "19.00") {
			t.Errorf("error %q does not say what is open", err)
		}
		// Allocations above the money received are refused too.
		_, err = e.s.CreatePayment(e.ctx, e.company, e.received(1000, mar20, alloc(inv, 1900)))
		e.refused(err, backoffice.EInvalid, "allocations", 1, entries)
		e.wantBalance(inv, 1900, invoice.PartlyPaid)
	})
}

func TestCreatePayment_RejectsDocumentsItMayNotSettle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newParty(e.company, party.KindCustomer, "Other AG", party.Terms{NetDays: 30})
		theirs := e.post(e.create(invoice.Input{Kind: invoice.KindInvoice, PartyID: other.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
			Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}}).ID)
		draft := e.create(e.invoiceInput(line(qty(t, "1"), 10000, "VAT19")))
		elsewhere := e.newCompany("BETA")
		foreign, err := e.s.Create(e.ctx, elsewhere, invoice.Input{Kind: invoice.KindInvoice, PartyID: e.newParty(elsewhere, party.KindCustomer, "Beta client", party.Terms{}).ID,
			IssueDate: backoffice.NewDate(2026, 3, 1), Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}})
		must(t, err)
		entries := e.count("ledger_entries")
		for name, doc := range map[string]invoice.Document{"another party": theirs, "a draft": draft} {
			_, err := e.s.CreatePayment(e.ctx, e.company, e.received(100, mar10, alloc(doc, 100)))
			e.refused(err, backoffice.EInvalid, "allocations[0].document_id", 0, entries)
			if name == "another party" && !strings.Contains(err.Error(), "invalid fields") {
				t.Errorf("%s: %v", name, err)
			}
		}
		_, err = e.s.CreatePayment(e.ctx, e.company, e.received(100, mar10, invoice.AllocationInput{DocumentID: foreign.ID, Amount: 100}))
		e.refused(err, backoffice.EInvalid, "allocations[0].document_id", 0, entries)
	})
}

func TestCreatePayment_RejectsBadInputNamingEveryField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreatePayment(e.ctx, e.company, invoice.PaymentInput{Direction: "sideways", AccountID: e.acct("6210"), Amount: -5})
		var be *backoffice.Error
		if !asError(err, &be) || be.Code != backoffice.EInvalid {
			t.Fatalf("error = %v", err)
		}
		for _, f := range []string{"direction", "party_id", "date", "amount", "account_id"} {
			if be.Fields[f] == "" {
				t.Errorf("field %s not named in %v", f, be.Fields)
			}
		}
		e.refused(err, backoffice.EInvalid, "", 0, e.count("ledger_entries"))
	})
}

func TestCreatePayment_RejectsCurrencyMismatchAndMissingRate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1)) // EUR
		entries := e.count("ledger_entries")
		in := e.received(11900, mar10, alloc(inv, 11900))
		in.Currency = "USD"
		_, err := e.s.CreatePayment(e.ctx, e.company, in)
		e.refused(err, backoffice.EInvalid, "rate", 0, entries)
		in.Rate = "0.92"
		_, err = e.s.CreatePayment(e.ctx, e.company, in)
		e.refused(err, backoffice.EInvalid, "allocations[0].document_id", 0, entries)
	})
}

func TestCreatePayment_RejectsClosedPeriod(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		must(t, e.ledger.SetLockDate(e.ctx, e.company, "", backoffice.NewDate(2026, 3, 15), "March closed"))
		entries := e.count("ledger_entries")
		_, err := e.s.CreatePayment(e.ctx, e.company, e.received(11900, mar10, alloc(inv, 11900)))
		e.refused(err, backoffice.EPeriodClosed, "", 0, entries)
		e.wantBalance(inv, 11900, invoice.Unpaid)
		e.pay(e.received(11900, mar20, alloc(inv, 11900)))
	})
}

func TestCreatePayment_ForeignCurrencyPostsRealisedDifference(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.invoiceInput(line(qty(t, "1"), 10000, "VAT0"))
		in.Currency, in.Rate = "USD", "0.90"
		inv := e.post(e.create(in).ID) // 100.00 USD = 90.00 EUR
		pin := e.received(10000, mar10, alloc(inv, 10000))
		pin.Currency, pin.Rate = "USD", "0.92" // 92.00 EUR received
		p := e.pay(pin)
		e.wantBalance(inv, 0, invoice.FullyPaid)
		entry, _ := e.postings(p.EntryID)
		if entry.Lines[0].CompanyAmount != 9200 || entry.Lines[1].CompanyAmount != -9200 {
			t.Errorf("payment lines = %+v, want 92.00 EUR", entry.Lines)
		}
		gain, err := e.ledger.Balance(e.ctx, e.company, e.acct("4120"), "", backoffice.NewDate(2026, 12, 31))
		must(t, err)
		if gain.CompanyBalance != -200 {
			t.Errorf("exchange gains = %+v, want 2.00 EUR credited", gain)
		}
		items, err := e.ledger.OpenItems(e.ctx, e.company, ledger.OpenItemFilter{PartyID: int64(e.customer.ID)})
		must(t, err)
		if len(items.Items) != 0 {
			t.Errorf("open items left = %+v", items.Items)
		}
	})
}

func TestApplyCredit_CreditNoteSettlesInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		cn := e.create(invoice.Input{Kind: invoice.KindCreditNote, PartyID: e.customer.ID, IssueDate: mar10, CreditsID: inv.ID,
			Lines: []invoice.LineInput{line(qty(t, "1"), 2000, "VAT19")}})
		cn = e.post(cn.ID) // 23.80
		app, err := e.s.ApplyCredit(e.ctx, e.company, inv.ID, invoice.ApplyCreditInput{CreditNoteID: cn.ID})
		must(t, err)
		if app.Amount != 2380 || app.Balance.Open != 9520 {
			t.Errorf("application = %+v", app)
		}
		e.wantBalance(cn, 0, invoice.FullyPaid)
		bill := e.postedBill(1000, mar10, "B-1")
		_, err = e.s.ApplyCredit(e.ctx, e.company, inv.ID, invoice.ApplyCreditInput{CreditNoteID: bill.ID})
		wantCode(t, err, backoffice.EInvalid, "credit_note_id")
	})
}

func TestRefund_PaysOutCustomerCredit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		over := e.pay(e.received(5000, mar10)) // an advance, nothing allocated
		if over.Unallocated != 5000 {
			t.Fatalf("advance = %+v", over)
		}
		refund := e.pay(invoice.PaymentInput{Direction: invoice.Paid, PartyID: e.customer.ID, Date: mar20, AccountID: e.acct("1110"), Amount: 5000,
			Allocations: []invoice.AllocationInput{{PaymentID: over.ID, Amount: 5000}}})
		if refund.Number != "PAY-2026-00001" || refund.Unallocated != 0 {
			t.Errorf("refund = %+v", refund)
		}
		_, got := e.postings(refund.EntryID)
		if got["1110"] != -5000 || got["1200"] != 5000 {
			t.Errorf("refund entry = %v", got)
		}
		items, err := e.ledger.OpenItems(e.ctx, e.company, ledger.OpenItemFilter{PartyID: int64(e.customer.ID)})
		must(t, err)
		if len(items.Items) != 0 {
			t.Errorf("open items after the refund = %+v", items.Items)
		}
	})
}

func TestReversePayment_ReopensWhatItPaid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		p := e.pay(e.received(15000, mar10, alloc(inv, 11900)))
		later := e.postedInvoice(1000, mar20)
		_, err := e.s.ApplyCredit(e.ctx, e.company, later.ID, invoice.ApplyCreditInput{PaymentID: p.ID})
		must(t, err)
		r, err := e.s.ReversePayment(e.ctx, e.company, p.ID, invoice.ReversePaymentInput{Reason: "cheque bounced"})
		must(t, err)
		if r.State != invoice.PaymentReversed || r.ReversalEntryID == 0 {
			t.Fatalf("reversed = %+v", r)
		}
		e.wantBalance(inv, 11900, invoice.Unpaid)
		e.wantBalance(later, 1190, invoice.Unpaid)
		items, err := e.ledger.OpenItems(e.ctx, e.company, ledger.OpenItemFilter{PartyID: int64(e.customer.ID)})
		must(t, err)
		if len(items.Items) != 2 {
			t.Errorf("open items = %+v, want just the two invoices", items.Items)
		}
		_, err = e.s.ReversePayment(e.ctx, e.company, p.ID, invoice.ReversePaymentInput{Reason: "again"})
		wantCode(t, err, backoffice.EConflict, "")
		if recs := e.paymentChanges(p.ID); len(recs) != 2 || recs[1].Action != "reverse" {
			t.Errorf("payment history = %+v", recs)
		}
	})
}

func TestCreatePayment_SupplierBillWithEarlyDiscount(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1), SupplierReference: "S-77",
			EarlyDiscountPercent: 20000, EarlyDiscountDays: 10, Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}}
		bill := e.post(e.create(in).ID) // 119.00, 2 % = 2.38 until 11 March
		paid := invoice.PaymentInput{Direction: invoice.Paid, PartyID: e.supplier.ID, Date: mar10, AccountID: e.acct("1110"), Amount: 11662,
			Allocations: []invoice.AllocationInput{{DocumentID: bill.ID, Amount: 11900, Discount: 238}}}
		late := paid
		late.Date = mar20
		_, err := e.s.CreatePayment(e.ctx, e.company, late)
		wantCode(t, err, backoffice.EInvalid, "allocations[0].discount")
		p := e.pay(paid)
		_, got := e.postings(p.EntryID)
		if got["1110"] != -11662 || got["2010"] != 11900 || got["5020"] != -238 {
			t.Errorf("entry = %v, want bank −116.62, payable +119.00, discount −2.38", got)
		}
		e.wantBalance(bill, 0, invoice.FullyPaid)
	})
}

// paymentChanges returns the change-log records of a payment.
func (e *env) paymentChanges(id backoffice.ID) []audit.Record {
	e.t.Helper()
	recs, err := audit.List(e.ctx, e.db, audit.Filter{CompanyIDs: []backoffice.ID{e.company}, Entity: "payment", EntityID: id.String()})
	must(e.t, err)
	return recs
}

func asError(err error, target **backoffice.Error) bool { return errors.As(err, target) }

func TestCreatePayment_ConcurrentPaymentsCannotSettleTheSameInvoiceTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		errs := make(chan error, 2)
		for range 2 {
			go func() {
				_, err := e.s.CreatePayment(e.ctx, e.company, e.received(11900, mar10, alloc(inv, 11900)))
				errs <- err
			}()
		}
		var failed int
		for range 2 {
			if err := <-errs; err != nil {
				wantCode(t, err, backoffice.EInvalid, "allocations[0].amount")
				failed++
			}
		}
		if failed != 1 || e.count("payments") != 1 {
			t.Errorf("%d of 2 concurrent payments failed, %d stored; want exactly one stored", failed, e.count("payments"))
		}
		e.wantBalance(inv, 0, invoice.FullyPaid)
	})
}

func TestReversePayment_UndoesTheRealisedExchangeDifference(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.invoiceInput(line(qty(t, "1"), 10000, "VAT0"))
		in.Currency, in.Rate = "USD", "0.90"
		inv := e.post(e.create(in).ID)
		pin := e.received(9950, mar10, alloc(inv, 10000)) // 0.50 USD short, written off
		pin.Currency, pin.Rate = "USD", "0.92"
		pin.WriteOff = &invoice.WriteOffInput{AccountID: e.acct("7010"), Reason: "bank charges"}
		p := e.pay(pin)
		entry, got := e.postings(p.EntryID)
		if got["7010"] != 50 || entry.Lines[len(entry.Lines)-1].CompanyAmount != 46 {
			t.Errorf("write-off line = %+v, want 0.50 USD = 0.46 EUR", entry.Lines[len(entry.Lines)-1])
		}
		gain := func() int64 {
			b, err := e.ledger.Balance(e.ctx, e.company, e.acct("4120"), "", backoffice.NewDate(2026, 12, 31))
			must(t, err)
			return b.CompanyBalance
		}
		if gain() != -200 {
			t.Fatalf("exchange gain = %d, want -200", gain())
		}
		_, err := e.s.ReversePayment(e.ctx, e.company, p.ID, invoice.ReversePaymentInput{Reason: "wrong customer"})
		must(t, err)
		if gain() != 0 {
			t.Errorf("exchange gain after the reversal = %d, want 0", gain())
		}
		e.wantBalance(inv, 10000, invoice.Unpaid)
	})
}
