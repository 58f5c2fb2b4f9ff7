package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// invoice posts a sales entry: debit receivable 1200 for party, due on due.
func (e *env) invoice(date, due string, party int64, amount int64) ledger.LineRef {
	e.t.Helper()
	in := ledger.NewEntry{JournalID: e.journals["SAL"].ID, Date: day(date), Reference: "INV",
		Lines: []ledger.NewLine{{AccountID: e.acct("1200"), Amount: amount, PartyID: party, DueDate: day(due)}, {AccountID: e.acct("4010"), Amount: -amount}}}
	return ledger.LineRef{EntryID: e.post(in).ID, LineNo: 1}
}

// payment posts money received from party: debit bank, credit receivable.
func (e *env) payment(date string, party int64, amount int64) ledger.LineRef {
	e.t.Helper()
	in := ledger.NewEntry{JournalID: e.journals["BNK"].ID, Date: day(date), Reference: "PAY",
		Lines: []ledger.NewLine{{AccountID: e.acct("1110"), Amount: amount}, {AccountID: e.acct("1200"), Amount: -amount, PartyID: party}}}
	return ledger.LineRef{EntryID: e.post(in).ID, LineNo: 2}
}

// openItems lists every open receivable as of date ("" = now), by line.
func (e *env) openItems(asOf string) map[ledger.LineRef]ledger.OpenItem {
	e.t.Helper()
	f := ledger.OpenItemFilter{Kind: "receivable", Page: backoffice.Page{Limit: 500}}
	if asOf != "" {
		f.AsOf = day(asOf)
	}
	list, err := e.s.OpenItems(e.ctx, e.company, f)
	must(e.t, err)
	out := map[ledger.LineRef]ledger.OpenItem{}
	for _, it := range list.Items {
		out[it.LineRef] = it
	}
	return out
}

func (e *env) residual(r ledger.LineRef, asOf string) int64 {
	return e.openItems(asOf)[r].CompanyResidual
}

func TestMatch_PartialPaymentLeavesTheRestOpen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.invoice("2026-01-10", "2026-02-09", 7, 100000)
		p1 := e.payment("2026-02-01", 7, 40000)
		rec, err := e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, p1})
		must(t, err)
		if len(rec.Matches) != 1 || rec.Matches[0].Amount != 40000 || rec.Matches[0].Date != day("2026-02-01") {
			t.Fatalf("matches = %+v, want one of 400.00 on 2026-02-01", rec.Matches)
		}
		if got := e.residual(inv, ""); got != 60000 {
			t.Fatalf("invoice open %d after a payment of 400.00, want 60000", got)
		}
		if _, open := e.openItems("")[p1]; open {
			t.Fatalf("the payment is still open after it was used up")
		}
		p2 := e.payment("2026-03-01", 7, 60000)
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{p2, inv})
		must(t, err)
		if n := len(e.openItems("")); n != 0 {
			t.Fatalf("%d items open after full payment, want 0", n)
		}
		// As of the day before the second payment the invoice was still 600.00 open.
		if got := e.residual(inv, "2026-02-28"); got != 60000 {
			t.Fatalf("open on 2026-02-28 = %d, want 60000", got)
		}
		if got := e.residual(inv, "2026-01-31"); got != 100000 {
			t.Fatalf("open on 2026-01-31 = %d, want 100000", got)
		}
	})
}

func TestMatch_OnePaymentSettlesSeveralInvoicesOldestFirstAndKeepsTheExcess(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		late := e.invoice("2026-01-20", "2026-02-20", 7, 30000)
		early := e.invoice("2026-01-05", "2026-02-05", 7, 20000)
		pay := e.payment("2026-02-25", 7, 60000)
		rec, err := e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{late, early, pay})
		must(t, err)
		if len(rec.Matches) != 2 || rec.Matches[0].Debit != early {
			t.Fatalf("matches = %+v, want the earlier-due invoice settled first", rec.Matches)
		}
		open := e.openItems("")
		if len(open) != 1 || open[pay].CompanyResidual != -10000 {
			t.Fatalf("open = %+v, want only the payment's excess of -100.00", open)
		}
	})
}

func TestMatch_RefusesWhatCannotSettle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.invoice("2026-01-10", "2026-02-09", 7, 100000)
		other := e.payment("2026-02-01", 8, 100000)
		inv2 := e.invoice("2026-01-11", "2026-02-09", 7, 5000)
		_, err := e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, other})
		wantError(t, err, backoffice.EInvalid, "lines")
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, inv2})
		wantError(t, err, backoffice.EInvalid, "lines")
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv})
		wantError(t, err, backoffice.EInvalid, "lines")
		// The bank side of a payment is no open item.
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, {EntryID: other.EntryID, LineNo: 1}})
		wantError(t, err, backoffice.ENotFound)
		pay := e.payment("2026-02-01", 7, 100000)
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, pay})
		must(t, err)
		pay2 := e.payment("2026-02-02", 7, 100)
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, pay2})
		wantError(t, err, backoffice.EConflict)
		if n := e.count("ledger_matches"); n != 1 {
			t.Fatalf("%d matches stored, want only the one that settled", n)
		}
	})
}

func TestMatch_UnmatchReopensTheLinesAndIsLogged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		inv := e.invoice("2026-01-10", "2026-02-09", 7, 100000)
		pay := e.payment("2026-02-01", 7, 70000)
		rec, err := e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, pay})
		must(t, err)
		wantError(t, e.s.Unmatch(e.ctx, e.company, rec.ID, ""), backoffice.EInvalid, "reason")
		must(t, e.s.Unmatch(e.ctx, e.company, rec.ID, "payment was for another invoice"))
		open := e.openItems("")
		if open[inv].CompanyResidual != 100000 || open[pay].CompanyResidual != -70000 {
			t.Fatalf("after unmatch open = %+v, want both lines whole again", open)
		}
		wantError(t, e.s.Unmatch(e.ctx, e.company, rec.ID, "again"), backoffice.ENotFound)
		var n int
		must(t, db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'ledger_reconciliation'`).Scan(&n))
		if n != 2 {
			t.Fatalf("%d change-log records of the reconciliation, want match and unmatch", n)
		}
	})
}

func TestReverse_SettlesTheReversedInvoiceButNotWhatAPaymentSettled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		unpaid := e.invoice("2026-01-10", "2026-02-09", 7, 100000)
		_, err := e.s.Reverse(e.ctx, e.company, unpaid.EntryID, backoffice.Date{}, "issued in error")
		must(t, err)
		if n := len(e.openItems("")); n != 0 {
			t.Fatalf("%d items open after reversing an unpaid invoice, want 0", n)
		}
		part := e.invoice("2026-01-12", "2026-02-11", 7, 50000)
		pay := e.payment("2026-02-01", 7, 20000)
		_, err = e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{part, pay})
		must(t, err)
		rev, err := e.s.Reverse(e.ctx, e.company, part.EntryID, day("2026-02-15"), "wrong customer")
		must(t, err)
		open := e.openItems("")
		if len(open) != 1 || open[ledger.LineRef{EntryID: rev.ID, LineNo: 1}].CompanyResidual != -20000 {
			t.Fatalf("open = %+v, want the reversal's line open for the 200.00 already paid", open)
		}
	})
}

func TestMatch_ForeignCurrencyPostsTheRealisedExchangeDifference(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		// 100.00 USD invoiced at 1.10 (110.00 EUR), paid at 1.05 (105.00 EUR).
		in := ledger.NewEntry{JournalID: e.journals["SAL"].ID, Date: day("2026-01-10"), Reference: "INV-USD",
			Lines: []ledger.NewLine{{AccountID: e.acct("1200"), Currency: "USD", Amount: 10000, Rate: "1.10", PartyID: 9, DueDate: day("2026-02-09")},
				{AccountID: e.acct("4010"), Amount: -11000}}}
		inv := ledger.LineRef{EntryID: e.post(in).ID, LineNo: 1}
		pin := ledger.NewEntry{JournalID: e.journals["BNK"].ID, Date: day("2026-02-05"), Reference: "PAY-USD",
			Lines: []ledger.NewLine{{AccountID: e.acct("1110"), Amount: 10500},
				{AccountID: e.acct("1200"), Currency: "USD", Amount: -10000, Rate: "1.05", PartyID: 9}}}
		pay := ledger.LineRef{EntryID: e.post(pin).ID, LineNo: 2}
		rec, err := e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{inv, pay})
		must(t, err)
		m := rec.Matches[0]
		if m.Currency != "USD" || m.Amount != 10000 || m.DebitCompany != 11000 || m.CreditCompany != 10500 || m.FXEntryID == 0 {
			t.Fatalf("match = %+v, want 100.00 USD settling 110.00 against 105.00 EUR with an exchange entry", m)
		}
		usd := func() int64 {
			b, err := e.s.Balance(e.ctx, e.company, e.acct("1200"), "USD", day("2026-12-31"))
			must(t, err)
			return b.CompanyBalance
		}
		if got := usd(); got != 0 {
			t.Fatalf("receivables balance %d after settlement, want 0", got)
		}
		if got := e.balance("7030", "2026-12-31"); got != 500 {
			t.Fatalf("exchange losses %d, want 500", got)
		}
		if n := len(e.openItems("")); n != 0 {
			t.Fatalf("%d items open after settlement, want 0", n)
		}
		must(t, e.s.Unmatch(e.ctx, e.company, rec.ID, "wrong payment"))
		if got := e.balance("7030", "2026-12-31"); got != 0 {
			t.Fatalf("exchange losses %d after unmatch, want 0 (the difference is reversed)", got)
		}
		open := e.openItems("")
		var sum int64
		for _, it := range open {
			sum += it.CompanyResidual
		}
		if len(open) != 2 || sum != 500 || usd() != 500 {
			t.Fatalf("after unmatch open = %+v (sum %d), account balance %d, want both 500", open, sum, usd())
		}
	})
}

func TestAging_TotalsEqualTheReceivablesBalanceAtEveryDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.invoice("2026-01-05", "2026-01-20", 7, 10000)
		b := e.invoice("2026-01-15", "2026-02-14", 8, 25000)
		c := e.invoice("2026-02-01", "2026-03-03", 7, 5000)
		p := e.payment("2026-02-10", 7, 12000)
		_, err := e.s.MatchLines(e.ctx, e.company, []ledger.LineRef{a, c, p})
		must(t, err)
		_, err = e.s.Reverse(e.ctx, e.company, b.EntryID, day("2026-03-01"), "cancelled order")
		must(t, err)
		for _, d := range []string{"2026-01-10", "2026-01-31", "2026-02-09", "2026-02-10", "2026-02-28", "2026-03-01", "2026-03-31"} {
			ag, err := e.s.Aging(e.ctx, e.company, ledger.AgingOptions{Kind: "receivable", AsOf: day(d)})
			must(t, err)
			if want := e.balance("1200", d); ag.TotalCompany != want {
				t.Errorf("aging total on %s = %d, receivables balance %d", d, ag.TotalCompany, want)
			}
		}
		ag, err := e.s.Aging(e.ctx, e.company, ledger.AgingOptions{Kind: "receivable", AsOf: day("2026-02-28")})
		must(t, err)
		// On 28 Feb: party 7 owes 30.00 of c (not due); party 8 owes b, 14 days overdue.
		want := map[int64][]int64{7: {3000, 0, 0, 0, 0}, 8: {0, 25000, 0, 0, 0}}
		if len(ag.Rows) != 2 {
			t.Fatalf("rows = %+v, want two parties", ag.Rows)
		}
		for _, r := range ag.Rows {
			for i, v := range want[r.PartyID] {
				if r.Amounts[i] != v {
					t.Errorf("party %d bucket %s = %d, want %d", r.PartyID, ag.Buckets[i].Label, r.Amounts[i], v)
				}
			}
		}
		_, err = e.s.Aging(e.ctx, e.company, ledger.AgingOptions{Kind: "receivable", Buckets: []int{30, 10}})
		wantError(t, err, backoffice.EInvalid, "buckets")
	})
}
