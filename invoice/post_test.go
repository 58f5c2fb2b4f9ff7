package invoice_test

import (
	"fmt"
	"strings"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// postings maps account code to the signed amount of an entry's lines
// (debit positive), in document currency.
func (e *env) postings(id backoffice.ID) (ledger.Entry, map[string]int64) {
	e.t.Helper()
	entry, err := e.ledger.GetEntry(e.ctx, e.company, id)
	must(e.t, err)
	out := map[string]int64{}
	for _, l := range entry.Lines {
		out[l.AccountCode] += l.Amount
	}
	return entry, out
}

func TestPost_InvoiceEntryDebitsReceivableAndCreditsIncomeAndTax(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		services, err := e.ledger.AccountByCode(e.ctx, e.company, "4020")
		must(t, err)
		in := e.invoiceInput(line(qty(t, "2"), 10000, "VAT19"), line(qty(t, "1"), 5000, "VAT7"))
		in.Lines[1].AccountID = services.ID
		in.Lines[1].Dimensions = map[string]string{"project": "apollo"}
		in.Installments = []invoice.InstallmentInput{{DueDate: backoffice.NewDate(2026, 3, 15), Amount: 13000}, {DueDate: backoffice.NewDate(2026, 4, 15), Amount: 29150 - 13000}}
		d := e.create(in)
		p := e.post(d.ID)
		if p.State != invoice.StatePosted || p.Number != "INV-2026-00001" || p.FiscalYear != 2026 || p.EntryID == 0 || p.PostedAt == nil {
			t.Fatalf("posted = %+v", p)
		}
		if lines := p.EntryLines(); len(lines) != 2 || lines[0] != 1 || lines[1] != 2 {
			t.Errorf("entry lines = %v", lines)
		}
		entry, got := e.postings(p.EntryID)
		want := map[string]int64{"1200": 29150, "4010": -20000, "4020": -5000, "2100": -3800 - 350}
		for code, amt := range want {
			if got[code] != amt {
				t.Errorf("account %s = %d, want %d (all %v)", code, got[code], amt, got)
			}
		}
		if entry.Reference != "INV-2026-00001" || entry.Journal != "SAL" {
			t.Errorf("entry reference %q journal %s", entry.Reference, entry.Journal)
		}
		first := entry.Lines[0]
		if first.PartyID != int64(e.customer.ID) || first.DueDate != backoffice.NewDate(2026, 3, 15) || entry.Lines[1].DueDate != backoffice.NewDate(2026, 4, 15) {
			t.Errorf("receivable lines = %+v %+v", first, entry.Lines[1])
		}
		for _, l := range entry.Lines {
			if l.AccountCode == "4020" && l.Dimensions["project"] != "apollo" {
				t.Errorf("income line lost its dimensions: %+v", l)
			}
		}
		again, err := e.s.Get(e.ctx, e.company, d.ID)
		must(t, err)
		if again.Number != p.Number || again.EntryID != p.EntryID || again.Installments[1].EntryLine != 2 {
			t.Errorf("read back = %+v", again)
		}
		recs := e.changes(d.ID)
		if len(recs) != 2 || recs[1].Action != "post" {
			t.Errorf("change log = %+v", recs)
		}
		_, err = e.s.Post(e.ctx, e.company, d.ID, invoice.PostOptions{})
		wantCode(t, err, backoffice.EConflict, "")
	})
}

func TestPost_BillAndRefundMirrorTheInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bill := e.create(invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1), SupplierReference: "SUP-77",
			Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}})
		p := e.post(bill.ID)
		if p.Number != "BILL-2026-00001" || p.DueDate != backoffice.NewDate(2026, 3, 15) {
			t.Errorf("bill %s due %s", p.Number, p.DueDate)
		}
		entry, got := e.postings(p.EntryID)
		if got["2010"] != -11900 || got["5010"] != 10000 || got["1400"] != 1900 || entry.Journal != "PUR" {
			t.Errorf("bill postings = %v in %s", got, entry.Journal)
		}
		refund := e.create(invoice.Input{Kind: invoice.KindRefund, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 5), CreditsID: p.ID,
			Lines: []invoice.LineInput{line(qty(t, "1"), 2000, "VAT19")}})
		r := e.post(refund.ID)
		_, got = e.postings(r.EntryID)
		if r.Number != "REF-2026-00001" || got["2010"] != 2380 || got["5010"] != -2000 || got["1400"] != -380 {
			t.Errorf("refund %s postings = %v", r.Number, got)
		}
	})
}

func TestPost_NumbersAreGaplessPerKindAndYear(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		must(t, e.ledger.SetLockDate(e.ctx, e.company, "", backoffice.NewDate(2025, 12, 31), "year end"))
		var numbers []string
		for i, date := range []backoffice.Date{backoffice.NewDate(2026, 1, 5), backoffice.NewDate(2026, 1, 6), backoffice.NewDate(2027, 1, 2)} {
			in := e.invoiceInput(line(qty(t, "1"), int64(100+i), "VAT19"))
			in.IssueDate = date
			d := e.create(in)
			if i == 1 {
				// A posting that fails (a blocked account) uses no number.
				acc, err := e.ledger.AccountByCode(e.ctx, e.company, "4010")
				must(t, err)
				_, err = e.ledger.BlockAccount(e.ctx, e.company, acc.ID, true)
				must(t, err)
				_, err = e.s.Post(e.ctx, e.company, d.ID, invoice.PostOptions{})
				wantCode(t, err, backoffice.EInvalid, "lines[0].account_id")
				_, err = e.ledger.BlockAccount(e.ctx, e.company, acc.ID, false)
				must(t, err)
			}
			numbers = append(numbers, e.post(d.ID).Number)
		}
		cn := e.create(invoice.Input{Kind: invoice.KindCreditNote, PartyID: e.customer.ID, IssueDate: backoffice.NewDate(2026, 2, 1),
			Lines: []invoice.LineInput{line(qty(t, "1"), 50, "VAT19")}})
		numbers = append(numbers, e.post(cn.ID).Number)
		want := []string{"INV-2026-00001", "INV-2026-00002", "INV-2027-00001", "CN-2026-00001"}
		if strings.Join(numbers, " ") != strings.Join(want, " ") {
			t.Errorf("numbers = %v, want %v", numbers, want)
		}
	})
}

func TestPost_RejectsClosedPeriodAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bill := e.create(invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 2, 20),
			Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}})
		must(t, e.ledger.SetLockDate(e.ctx, e.company, "purchases", backoffice.NewDate(2026, 2, 28), "February closed"))
		entries, changes := e.count("ledger_entries"), e.count("audit_log")
		_, err := e.s.Post(e.ctx, e.company, bill.ID, invoice.PostOptions{})
		wantCode(t, err, backoffice.EPeriodClosed, "issue_date")
		if e.count("ledger_entries") != entries || e.count("audit_log") != changes || e.count("invoice_sequences") != 0 {
			t.Error("a refused posting stored something")
		}
		got, err := e.s.Get(e.ctx, e.company, bill.ID)
		must(t, err)
		if got.State != invoice.StateDraft || got.Number != "" {
			t.Errorf("bill after refused posting = %s %q", got.State, got.Number)
		}
		_, err = e.s.Create(e.ctx, e.company, invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 2, 1),
			Lines: []invoice.LineInput{line(qty(t, "1"), 10000, "VAT19")}})
		wantCode(t, err, backoffice.EPeriodClosed, "issue_date")
	})
}

func TestPost_CreditNoteLargerThanWhatRemainsIsRefused(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.post(e.create(e.invoiceInput(line(qty(t, "1"), 10000, "VAT19"))).ID) // 119.00
		credit := func(minor int64) invoice.Input {
			return invoice.Input{Kind: invoice.KindCreditNote, PartyID: e.customer.ID, IssueDate: backoffice.NewDate(2026, 3, 3), CreditsID: inv.ID,
				Lines: []invoice.LineInput{line(qty(t, "1"), minor, "VAT19")}}
		}
		_, err := e.s.Create(e.ctx, e.company, credit(10001))
		wantCode(t, err, backoffice.EInvalid, "credits_id")
		first := e.create(credit(6000))  // 71.40
		second := e.create(credit(5000)) // 59.50: fits alone, not after the first
		e.post(first.ID)
		_, err = e.s.Post(e.ctx, e.company, second.ID, invoice.PostOptions{})
		wantCode(t, err, backoffice.EInvalid, "credits_id")
		rest := e.post(e.create(credit(4000)).ID) // 47.60: exactly what remains
		if rest.Totals.Payable != 4760 {
			t.Errorf("rest = %d", rest.Totals.Payable)
		}
		_, err = e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Reason: "wrong customer"})
		wantCode(t, err, backoffice.EConflict, "")
		bill := e.post(e.create(invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
			Lines: []invoice.LineInput{line(qty(t, "1"), 100, "VAT19")}}).ID)
		wrong := credit(100)
		wrong.CreditsID = bill.ID
		_, err = e.s.Create(e.ctx, e.company, wrong)
		wantCode(t, err, backoffice.EInvalid, "credits_id")
	})
}

func TestCancel_PostsACreditNoteThatReversesTheInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		// The customer's early-payment discount does not carry over to the credit note.
		e.customer = e.newParty(e.company, party.KindCustomer, "Skonto GmbH", party.Terms{NetDays: 14, DiscountBasisPoints: 200, DiscountDays: 7})
		inv := e.post(e.create(e.invoiceInput(line(qty(t, "3"), 3333, "VAT19"), line(qty(t, "1"), 999, "VAT7"))).ID)
		if inv.EarlyDiscountPercent.String() != "2" || inv.EarlyDiscountDays != 7 {
			t.Errorf("invoice discount %s %% %d days, want the party's 2 %% 7 days", inv.EarlyDiscountPercent, inv.EarlyDiscountDays)
		}
		_, err := e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{})
		wantCode(t, err, backoffice.EInvalid, "reason")
		cn, err := e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Date: backoffice.NewDate(2026, 3, 10), Reason: "ordered twice"})
		must(t, err)
		if cn.Kind != invoice.KindCreditNote || cn.Number != "CN-2026-00001" || cn.CreditsID != inv.ID || cn.Totals != inv.Totals ||
			cn.EarlyDiscountPercent != 0 || cn.DueDate != cn.IssueDate {
			t.Fatalf("credit note = %+v", cn)
		}
		_, a := e.postings(inv.EntryID)
		_, b := e.postings(cn.EntryID)
		for code, amt := range a {
			if b[code] != -amt {
				t.Errorf("account %s: invoice %d, credit note %d", code, amt, b[code])
			}
		}
		got, err := e.s.Get(e.ctx, e.company, inv.ID)
		must(t, err)
		if got.State != invoice.StateCancelled || got.CancelledByID != cn.ID {
			t.Errorf("invoice after cancel = %s by %d", got.State, got.CancelledByID)
		}
		recs := e.changes(inv.ID)
		if last := recs[len(recs)-1]; last.Action != "cancel" || last.Reason != "ordered twice" {
			t.Errorf("last change = %+v", last)
		}
		_, err = e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Reason: "again"})
		wantCode(t, err, backoffice.EConflict, "")
	})
}

func TestCancel_PartlyCreditedInvoiceCreditsWhatRemains(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.post(e.create(e.invoiceInput(line(qty(t, "1"), 10000, "VAT19"), line(qty(t, "1"), 5000, "VAT7"))).ID) // 119.00 + 53.50
		e.post(e.create(invoice.Input{Kind: invoice.KindCreditNote, PartyID: e.customer.ID, IssueDate: backoffice.NewDate(2026, 3, 2), CreditsID: inv.ID,
			Lines: []invoice.LineInput{line(qty(t, "1"), 4000, "VAT19")}}).ID)
		cn, err := e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Date: backoffice.NewDate(2026, 3, 4), Reason: "returned"})
		must(t, err)
		if cn.Totals.Payable != 17250-4760 || len(cn.Lines) != 2 {
			t.Errorf("rest credit = %d with %d lines, want 124.90", cn.Totals.Payable, len(cn.Lines))
		}
	})
}

func TestDuplicateBill_ConflictUnlessAReasonIsGiven(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bill := func(ref string, minor int64, day int) invoice.Input {
			return invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, day), SupplierReference: ref,
				Lines: []invoice.LineInput{line(qty(t, "1"), minor, "VAT19")}}
		}
		first := e.post(e.create(bill("INV 2026/001", 10000, 1)).ID)
		_, err := e.s.Create(e.ctx, e.company, bill("inv-2026-001", 5000, 2))
		wantCode(t, err, backoffice.EConflict, "duplicate_reason")
		if !strings.Contains(err.Error(), first.Number) {
			t.Errorf("conflict does not name %s: %v", first.Number, err)
		}
		_, err = e.s.Create(e.ctx, e.company, bill("OTHER-9", 10000, 1))
		wantCode(t, err, backoffice.EConflict, "duplicate_reason")
		fine := e.create(bill("OTHER-9", 10000, 2)) // other date, other reference: no duplicate
		in := bill("INV-2026-001", 10000, 5)
		in.DuplicateReason = "supplier reused the number for a second delivery"
		dup := e.create(in)
		p := e.post(dup.ID)
		if p.DuplicateReason == "" {
			t.Error("override reason not kept")
		}
		recs := e.changes(dup.ID)
		if recs[0].Reason != in.DuplicateReason || !strings.Contains(recs[1].Reason, in.DuplicateReason) {
			t.Errorf("change log reasons = %q, %q", recs[0].Reason, recs[1].Reason)
		}
		// A draft that became a duplicate after creation is stopped at posting.
		up := fine.Input()
		up.IssueDate = backoffice.NewDate(2026, 3, 1)
		_, err = e.s.Update(e.ctx, e.company, fine.ID, fine.Version, up)
		wantCode(t, err, backoffice.EConflict, "duplicate_reason")
		dups, err := e.s.Duplicates(e.ctx, e.company, dup.ID)
		must(t, err)
		if len(dups) != 1 || dups[0].ID != first.ID || dups[0].Reason != "same_reference" {
			t.Errorf("duplicates = %+v", dups)
		}
	})
}

func TestPost_ForeignCurrencyBalancesInCompanyCurrency(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.invoiceInput(line(qty(t, "1"), 3333, "VAT19"), line(qty(t, "1"), 3333, "VAT19"), line(qty(t, "1"), 3333, "VAT7"))
		in.Currency, in.Rate = "USD", "0.91234"
		d := e.create(in)
		if d.Currency != "USD" || d.Rate != "0.91234" {
			t.Fatalf("currency %s rate %s", d.Currency, d.Rate)
		}
		p := e.post(d.ID)
		entry, err := e.ledger.GetEntry(e.ctx, e.company, p.EntryID)
		must(t, err)
		var sum int64
		for _, l := range entry.Lines {
			sum += l.CompanyAmount
			if l.Currency != "USD" {
				t.Errorf("line currency %s", l.Currency)
			}
		}
		if sum != 0 {
			t.Errorf("entry is off by %d in company currency", sum)
		}
		if r := entry.Lines[0]; r.Amount != p.Totals.Payable || r.CompanyAmount != 10490 {
			t.Errorf("receivable line = %+v (payable %d USD: 114.98 × 0.91234 = 104.90)", r, p.Totals.Payable)
		}
	})
}

func TestPost_WithholdingTaxReducesWhatTheCustomerPays(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		prepaid, err := e.ledger.AccountByCode(e.ctx, e.company, "1410")
		must(t, err)
		payroll, err := e.ledger.AccountByCode(e.ctx, e.company, "2210")
		must(t, err)
		_, err = e.s.CreateTaxCode(e.ctx, e.company, invoice.TaxCodeInput{Code: "WHT10", Name: "Withholding 10 %", Rate: 100000, Type: invoice.TaxWithholding,
			CollectedAccountID: payroll.ID, DeductibleAccountID: prepaid.ID, Active: true})
		must(t, err)
		in := e.invoiceInput(invoice.LineInput{Description: "Fees", UnitPrice: price(100000), TaxCodes: []string{"VAT19", "WHT10"}})
		p := e.post(e.create(in).ID)
		if p.Totals.TaxInclusive != 119000 || p.Totals.Withheld != 10000 || p.Totals.Payable != 109000 {
			t.Errorf("totals = %+v", p.Totals)
		}
		_, got := e.postings(p.EntryID)
		if got["1200"] != 109000 || got["1410"] != 10000 || got["2100"] != -19000 || got["4010"] != -100000 {
			t.Errorf("postings = %v", got)
		}
	})
}

func TestPostBatch_AllOrNothingNamingTheDocument(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		var ids []backoffice.ID
		for i := range 3 {
			ids = append(ids, e.create(e.invoiceInput(line(qty(t, "1"), int64(1000+i), "VAT19"))).ID)
		}
		bad := e.create(e.invoiceInput(line(qty(t, "1"), 500, "VAT7")))
		vat7, err := e.s.TaxCodeByCode(e.ctx, e.company, "VAT7")
		must(t, err)
		vat7.Active = false
		_, err = e.s.UpdateTaxCode(e.ctx, e.company, vat7.ID, vat7.Version, vat7.TaxCodeInput)
		must(t, err)
		entries := e.count("ledger_entries")
		_, err = e.s.PostBatch(e.ctx, e.company, append(ids[:2:2], bad.ID, ids[2]))
		wantCode(t, err, backoffice.EInvalid, "documents[2].lines[0].tax_codes")
		if e.count("ledger_entries") != entries {
			t.Fatal("a refused batch posted entries")
		}
		docs, err := e.s.PostBatch(e.ctx, e.company, ids)
		must(t, err)
		for i, d := range docs {
			if want := fmt.Sprintf("INV-2026-%05d", i+1); d.Number != want || d.EntryID == 0 {
				t.Errorf("document %d: %s entry %d, want %s", i, d.Number, d.EntryID, want)
			}
		}
		_, err = e.s.PostBatch(e.ctx, e.company, ids[:1])
		wantCode(t, err, backoffice.EConflict, "documents[0]")
	})
}

func TestPost_ForeignCurrencyTakesTheLedgersRateWhenNoneIsGiven(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.invoiceInput(line(qty(t, "1"), 10000, "VAT19"))
		in.Currency = "USD"
		_, err := e.s.Create(e.ctx, e.company, in)
		wantCode(t, err, backoffice.EInvalid, "rate")
		_, err = e.ledger.SetRates(e.ctx, e.company, []ledger.NewRate{{Currency: "USD", Date: backoffice.NewDate(2026, 2, 27), Rate: "0.9"}}, "manual")
		must(t, err)
		d := e.create(in)
		if d.Rate != "0.9" {
			t.Errorf("draft rate = %q, want the ledger's 0.9", d.Rate)
		}
		stored, err := e.s.Get(e.ctx, e.company, d.ID)
		must(t, err)
		if stored.Rate != "" {
			t.Errorf("stored draft rate = %q, want none (taken again at posting)", stored.Rate)
		}
		_, err = e.ledger.SetRates(e.ctx, e.company, []ledger.NewRate{{Currency: "USD", Date: backoffice.NewDate(2026, 3, 1), Rate: "0.92"}}, "manual")
		must(t, err)
		p := e.post(d.ID)
		entry, err := e.ledger.GetEntry(e.ctx, e.company, p.EntryID)
		must(t, err)
		if p.Rate != "0.92" || entry.Lines[0].CompanyAmount != 10948 {
			t.Errorf("posted at %q, receivable %d in EUR, want 0.92 and 109.48", p.Rate, entry.Lines[0].CompanyAmount)
		}
		again, err := e.s.Get(e.ctx, e.company, d.ID)
		must(t, err)
		if again.Rate != "0.92" {
			t.Errorf("posted document keeps rate %q", again.Rate)
		}
	})
}
