package invoice_test

import (
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// rent is a monthly rent of 1,000.00 to the customer on day dom from start.
func (e *env) rent(dom int, start backoffice.Date, mode invoice.RecurringMode) invoice.RecurringInvoice {
	e.t.Helper()
	r, err := e.s.CreateRecurring(e.ctx, e.company, invoice.RecurringInput{Name: "Office rent", Frequency: ledger.Monthly, DayOfMonth: dom,
		StartDate: start, Mode: mode, Active: true, Invoice: invoice.Input{PartyID: e.customer.ID,
			Lines: []invoice.LineInput{{Description: "Rent", Quantity: qty(e.t, "1"), UnitPrice: price(100000), TaxCodes: []string{"VAT19"}}}}})
	must(e.t, err)
	return r
}

func periods(rep invoice.RecurringReport) []string {
	var out []string
	for _, g := range rep.Generated {
		out = append(out, g.Period.String())
	}
	return out
}

func TestRecurringInvoice_On31stTakesMonthEndAndCatchesUp(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		tmpl := e.rent(31, backoffice.NewDate(2026, 1, 1), invoice.RecurringPost)
		rep, err := e.s.RunDue(e.ctx, e.company, backoffice.NewDate(2026, 4, 30))
		must(t, err)
		got := periods(rep)
		want := []string{"2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"}
		if len(got) != len(want) || len(rep.Failures) != 0 {
			t.Fatalf("periods = %v (failures %+v), want %v", got, rep.Failures, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("periods = %v, want %v", got, want)
			}
		}
		d, err := e.s.Get(e.ctx, e.company, rep.Generated[1].DocumentID)
		must(t, err)
		if d.State != invoice.StatePosted || d.IssueDate.String() != "2026-02-28" || d.Totals.Payable != 119000 || d.Number == "" {
			t.Fatalf("February invoice = %+v", d)
		}
		again, err := e.s.GetRecurring(e.ctx, e.company, tmpl.ID)
		must(t, err)
		if again.Generated != 4 || again.NextPeriod.String() != "2026-05-31" {
			t.Fatalf("template = %+v, want 4 generated, next 31 May", again)
		}
	})
}

func TestRecurringInvoice_RunDueTwiceGeneratesEachPeriodOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.rent(15, backoffice.NewDate(2026, 1, 15), invoice.RecurringDraft)
		before := e.count("invoice_documents")
		first, err := e.s.RunDue(e.ctx, e.company, backoffice.NewDate(2026, 3, 20))
		must(t, err)
		second, err := e.s.RunDue(e.ctx, e.company, backoffice.NewDate(2026, 3, 20))
		must(t, err)
		if len(first.Generated) != 3 || len(second.Generated) != 0 || e.count("invoice_documents") != before+3 {
			t.Fatalf("first %v, second %v, documents %d → %d", periods(first), periods(second), before, e.count("invoice_documents"))
		}
		if first.Generated[0].State != invoice.StateDraft {
			t.Fatalf("generated = %+v, want drafts", first.Generated[0])
		}
		// A generated draft someone deletes is not generated again.
		must(t, e.s.Delete(e.ctx, e.company, first.Generated[0].DocumentID, 0))
		third, err := e.s.RunDue(e.ctx, e.company, backoffice.NewDate(2026, 3, 20))
		must(t, err)
		if len(third.Generated) != 0 {
			t.Fatalf("after deleting a draft: generated %v, want nothing", periods(third))
		}
	})
}

func TestRecurringInvoice_StopsAtCountAndEndDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		r := e.rent(1, backoffice.NewDate(2026, 1, 1), invoice.RecurringDraft)
		in := r.RecurringInput
		in.MaxCount, in.Frequency = 2, ledger.Quarterly
		_, err := e.s.UpdateRecurring(e.ctx, e.company, r.ID, r.Version, in)
		must(t, err)
		rep, err := e.s.RunDue(e.ctx, e.company, backoffice.NewDate(2027, 1, 1))
		must(t, err)
		if got := periods(rep); len(got) != 2 || got[1] != "2026-04-01" {
			t.Fatalf("periods = %v, want 1 January and 1 April only", got)
		}
		_, err = e.s.UpdateRecurring(e.ctx, e.company, r.ID, r.Version, in)
		wantCode(t, err, backoffice.EPrecondition, "")
		err = e.s.DeleteRecurring(e.ctx, e.company, r.ID)
		wantCode(t, err, backoffice.EConflict, "")
	})
}

func TestCreateRecurring_RejectsBadScheduleAndInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		before := e.count("recurring_invoices")
		_, err := e.s.CreateRecurring(e.ctx, e.company, invoice.RecurringInput{Name: "x", Frequency: "weekly", DayOfMonth: 32,
			StartDate: backoffice.NewDate(2026, 1, 1), Invoice: invoice.Input{PartyID: 999999, Lines: []invoice.LineInput{line(qty(t, "1"), 100, "VAT19")}}})
		for _, f := range []string{"frequency", "day_of_month", "invoice.party_id"} {
			wantCode(t, err, backoffice.EInvalid, f)
		}
		if e.count("recurring_invoices") != before {
			t.Fatal("a refused template was stored")
		}
	})
}
