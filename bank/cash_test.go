package bank_test

import (
	"testing"

	"backoffice"
	"backoffice/bank"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// post posts a two-line entry in journal GEN: amount debited to debit and
// credited to credit, on the date; due and party go on both lines.
func (e *env) post(date, debit, credit string, amount int64, due string, party int64) ledger.Entry {
	e.t.Helper()
	j, err := e.ledger.JournalByCode(e.ctx, e.company, "GEN")
	must(e.t, err)
	var dueDate backoffice.Date
	if due != "" {
		dueDate = day(e.t, due)
	}
	entry, err := e.ledger.Post(e.ctx, e.company, ledger.NewEntry{JournalID: j.ID, Date: day(e.t, date), Reference: debit + "/" + credit,
		Lines: []ledger.NewLine{{AccountID: e.ledgerAccount(debit), Amount: amount, DueDate: dueDate, PartyID: party},
			{AccountID: e.ledgerAccount(credit), Amount: -amount, DueDate: dueDate, PartyID: party}}})
	must(e.t, err)
	return entry
}

func day(t testing.TB, s string) backoffice.Date {
	t.Helper()
	d, err := backoffice.ParseDate(s)
	must(t, err)
	return d
}

// TestPosition_DifferenceEqualsUnbookedAndUnclearedLines: the January
// statement closes at 70.00; the books hold the opening 100.00, the rent
// (matched by amount), a cheque of 35.00 the bank has not cleared, but not
// the 20.00 power debit. 70.00 − 55.00 = −20.00 unbooked + 35.00 uncleared.
func TestPosition_DifferenceEqualsUnbookedAndUnclearedLines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.account("Main", "", "12345678")
		e.post("2025-12-31", "1110", "3010", 100_00, "", 0)
		e.post("2026-01-02", "6100", "1110", 10_00, "", 0)
		e.post("2026-01-03", "6100", "1110", 35_00, "", 0)
		e.post("2026-01-10", "1110", "4010", 5_00, "", 0)
		_, err := e.s.Import(e.ctx, e.company, "jan.sta", mt940(january), bank.ImportOptions{})
		must(t, err)

		p, err := e.s.Position(e.ctx, e.company, day(t, "2026-03-02"))
		must(t, err)
		if len(p.Accounts) != 1 || p.Accounts[0].Account.ID != a.ID {
			t.Fatalf("accounts = %+v, want the one bank account", p.Accounts)
		}
		ap := p.Accounts[0]
		if ap.StatementDate != day(t, "2026-01-03") || ap.StatementBalance != 70_00 || ap.LedgerAtStatement != 55_00 ||
			ap.LedgerToday != 60_00 || ap.Difference != 15_00 || ap.AfterStatement != 5_00 || ap.BroughtForward != 0 {
			t.Errorf("position = %+v, want statement 70.00 on 2026-01-03, ledger 55.00 then 60.00, difference 15.00", ap)
		}
		if len(ap.Unbooked) != 1 || ap.Unbooked[0].Amount != -20_00 || ap.Unbooked[0].Text != "power" {
			t.Errorf("unbooked = %+v, want the power debit of −20.00", ap.Unbooked)
		}
		if len(ap.Uncleared) != 1 || ap.Uncleared[0].Amount != -35_00 {
			t.Errorf("uncleared = %+v, want the cheque of −35.00", ap.Uncleared)
		}
		var items int64
		for _, it := range ap.Unbooked {
			items += it.Amount
		}
		for _, it := range ap.Uncleared {
			items -= it.Amount
		}
		if ap.Unexplained != 0 || items != ap.Difference {
			t.Errorf("items explain %d of %d, unexplained %d; want all of it", items, ap.Difference, ap.Unexplained)
		}
		if len(p.Totals) != 1 || p.Totals[0].Currency != "EUR" || p.Totals[0].Difference != 15_00 || p.CompanyTotal != 60_00 {
			t.Errorf("totals = %+v, company total %d; want EUR difference 15.00, 60.00", p.Totals, p.CompanyTotal)
		}
	})
}

// TestPosition_ReconciliationPairsBeforeAmounts: the rent line of the
// statement (−10.00 on 2026-01-02) is reconciled with the rent booked a day
// late (2026-01-03); another −10.00 booked on 2026-01-02 is a cheque the
// bank has not cleared. By amount and date alone the cheque would pair with
// the rent line; the reconciliation decides instead.
func TestPosition_ReconciliationPairsBeforeAmounts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		e.post("2025-12-31", "1110", "3010", 100_00, "", 0)
		cheque := e.post("2026-01-02", "6100", "1110", 10_00, "", 0)
		rent := e.post("2026-01-03", "6100", "1110", 10_00, "", 0)
		rep, err := e.s.Import(e.ctx, e.company, "jan.sta", mt940(january), bank.ImportOptions{NoReconcile: true})
		must(t, err)
		lines, err := e.s.Lines(e.ctx, e.company, rep.Statements[0].ID, bank.LineFilter{Query: "rent"})
		must(t, err)
		_, err = e.s.Reconcile(e.ctx, e.company, lines.Items[0].ID, bank.ReconcileInput{Posted: &ledger.LineRef{EntryID: rent.ID, LineNo: 2}})
		must(t, err)

		p, err := e.s.Position(e.ctx, e.company, day(t, "2026-03-02"))
		must(t, err)
		ap := p.Accounts[0]
		if ap.Difference != -10_00 || ap.Reconciled != 1 || ap.Unexplained != 0 {
			t.Fatalf("position = %+v, want difference −10.00 with one reconciled pair and nothing unexplained", ap)
		}
		if len(ap.Uncleared) != 1 || ap.Uncleared[0].Entry != cheque.ID {
			t.Errorf("uncleared = %+v, want the cheque (entry %d), not the reconciled rent", ap.Uncleared, cheque.ID)
		}
		if len(ap.Unbooked) != 1 || ap.Unbooked[0].Amount != -20_00 {
			t.Errorf("unbooked = %+v, want the power debit", ap.Unbooked)
		}
	})
}

// TestPosition_GapBetweenStatementsStaysUnexplained: a statement missing
// from the window cannot be explained by lines; the position says how much
// instead of hiding it.
func TestPosition_GapBetweenStatementsStaysUnexplained(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		e.post("2025-12-31", "1110", "3010", 100_00, "", 0)
		// Statement 12 opens at 90.00: 10.00 went out on a statement never imported.
		march := []string{"12", "C260201EUR90,00", "2602020202D20,00NTRFNONREF//B9|power", "C260202EUR70,00"}
		e.post("2026-02-02", "6100", "1110", 20_00, "", 0)
		_, err := e.s.Import(e.ctx, e.company, "feb.sta", mt940(march), bank.ImportOptions{})
		must(t, err)
		p, err := e.s.Position(e.ctx, e.company, day(t, "2026-03-02"))
		must(t, err)
		ap := p.Accounts[0]
		if ap.Difference != -10_00 || ap.BroughtForward != -10_00 || ap.Unexplained != 0 || len(ap.Unbooked) != 0 || len(ap.Uncleared) != 0 {
			t.Errorf("position = %+v, want difference −10.00 brought forward from before the window", ap)
		}
	})
}

// TestPosition_AccountWithoutStatementShowsLedgerOnly: no statement, no
// difference to explain.
func TestPosition_AccountWithoutStatementShowsLedgerOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "", "12345678")
		e.post("2026-01-05", "1110", "3010", 250_00, "", 0)
		p, err := e.s.Position(e.ctx, e.company, backoffice.Date{})
		must(t, err)
		ap := p.Accounts[0]
		if !ap.StatementDate.IsZero() || ap.LedgerToday != 250_00 || ap.Difference != 0 || p.Date != day(t, "2026-03-02") {
			t.Errorf("position = %+v on %s, want ledger 250.00, no statement, today 2026-03-02", ap, p.Date)
		}
	})
}

// TestForecast_BucketsOpenItemsByDueDateWithOverdueInWeekOne proves the
// forecast rules: overdue receivables in week 1, others in the week of
// their due date, items after the horizon left out (Later), recurring rent
// on each occurrence, and closing = opening + receipts − payments chained
// week to week.
func TestForecast_BucketsOpenItemsByDueDateWithOverdueInWeekOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post("2026-01-01", "1110", "3010", 1000_00, "", 0)
		e.post("2026-01-10", "1200", "4010", 300_00, "2026-02-15", 1) // overdue
		e.post("2026-02-20", "1200", "4010", 200_00, "2026-03-20", 1) // week 3
		e.post("2026-02-25", "1200", "4010", 50_00, "2026-07-01", 2)  // after week 13
		e.post("2026-02-26", "6100", "2010", 120_00, "2026-03-10", 3) // payable, week 2
		j, err := e.ledger.JournalByCode(e.ctx, e.company, "GEN")
		must(t, err)
		_, err = e.ledger.CreateRecurring(e.ctx, e.company, ledger.NewRecurring{Name: "Rent", JournalID: j.ID, Reference: "RENT",
			Lines:     []ledger.NewLine{{AccountID: e.ledgerAccount("6100"), Amount: 400_00}, {AccountID: e.ledgerAccount("1110"), Amount: -400_00}},
			Frequency: ledger.Monthly, DayOfMonth: 5, StartDate: day(t, "2026-03-05"), Mode: ledger.ModePost})
		must(t, err)

		f, err := e.s.Forecast(e.ctx, e.company, day(t, "2026-03-02"), 13)
		must(t, err)
		if f.Opening != 1000_00 || len(f.Weeks) != 13 || f.Overdue != 300_00 || f.Later != 50_00 || f.Currency != "EUR" {
			t.Fatalf("forecast = %+v, want opening 1000.00, 13 weeks, overdue 300.00, later 50.00", f)
		}
		want := map[int][2]int64{1: {300_00, 400_00}, 2: {0, 120_00}, 3: {200_00, 0}, 5: {0, 400_00}, 10: {0, 400_00}}
		opening := f.Opening
		for _, w := range f.Weeks {
			if w.Receipts != want[w.Week][0] || w.Payments != want[w.Week][1] {
				t.Errorf("week %d (%s–%s): receipts %d payments %d, want %v", w.Week, w.From, w.To, w.Receipts, w.Payments, want[w.Week])
			}
			if w.Opening != opening || w.Closing != w.Opening+w.Receipts-w.Payments {
				t.Errorf("week %d: opening %d closing %d, want opening %d and closing = opening + receipts − payments", w.Week, w.Opening, w.Closing, opening)
			}
			opening = w.Closing
		}
		if last := f.Weeks[12]; last.Closing != 1000_00+500_00-120_00-1200_00 || last.To != day(t, "2026-05-31") {
			t.Errorf("week 13 = %+v, want closing 180.00 on 2026-05-31", last)
		}
	})
}

// TestForecast_RejectsWeeksOutOfRange: the horizon is 1 to 52 weeks.
func TestForecast_RejectsWeeksOutOfRange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for _, weeks := range []int{-1, 53} {
			_, err := e.s.Forecast(e.ctx, e.company, backoffice.Date{}, weeks)
			var be *backoffice.Error
			if !asError(err, &be) || be.Code != backoffice.EInvalid || be.Fields["weeks"] == "" {
				t.Errorf("weeks %d: err = %v, want invalid naming weeks", weeks, err)
			}
		}
	})
}
