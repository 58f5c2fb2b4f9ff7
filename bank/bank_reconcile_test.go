package bank_test

import (
	"fmt"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/reconcile"
	"backoffice/ledger"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// recEnv is env with a customer, a bank account 12345678 and helpers to
// post invoices and import statement lines.
type recEnv struct {
	*env
	acct     bank.Account
	customer party.Party
	stmt     int
}

func newRecEnv(t *testing.T, db *sqldb.DB) *recEnv {
	e := &recEnv{env: newEnv(t, db)}
	e.acct = e.account("Main", "", "12345678")
	ps := &party.Service{DB: db, Audit: e.s.Audit, Ledger: e.ledger}
	var err error
	e.customer, _, err = ps.Create(e.ctx, e.company, party.Input{Kind: party.KindCustomer, LegalName: "Brightwater Trading BV", Currency: "EUR",
		BankAccounts: []party.BankAccount{{IBAN: "NL91ABNA0417164300"}}})
	must(t, err)
	return e
}

// invoice posts a receivable of amount (cents) on 1200 for the customer with
// number as the entry reference, as invoice posting does.
func (e *recEnv) invoice(number string, amount int64) ledger.LineRef {
	e.t.Helper()
	j, err := e.ledger.JournalByCode(e.ctx, e.company, "SAL")
	must(e.t, err)
	en, err := e.ledger.Post(e.ctx, e.company, ledger.NewEntry{JournalID: j.ID, Date: backoffice.NewDate(2026, 2, 1), Reference: number,
		Lines: []ledger.NewLine{
			{AccountID: e.ledgerAccount("1200"), Amount: amount, PartyID: int64(e.customer.ID), DueDate: backoffice.NewDate(2026, 3, 3)},
			{AccountID: e.ledgerAccount("4000"), Amount: -amount}}})
	must(e.t, err)
	return ledger.LineRef{EntryID: en.ID, LineNo: 1}
}

// statement imports one MT940 statement booked on 5 March 2026 with the
// given lines ("C121,00|remittance") and returns its lines' ids.
func (e *recEnv) statement(lines ...string) (backoffice.ID, []backoffice.ID) {
	e.t.Helper()
	e.stmt++
	var total int64
	body := []string{fmt.Sprint(e.stmt), "C260304EUR0,00"}
	for i, l := range lines {
		amt, text, _ := strings.Cut(l, "|")
		var whole, cents int64
		fmt.Sscanf(amt[1:], "%d,%d", &whole, &cents)
		v := whole*100 + cents
		if amt[0] == 'D' {
			v = -v
		}
		total += v
		body = append(body, fmt.Sprintf("2603050305%sNTRFNONREF//S%dL%d|%s", amt, e.stmt, i, text))
	}
	sign := "C"
	if total < 0 {
		sign, total = "D", -total
	}
	body = append(body, fmt.Sprintf("%s260305EUR%d,%02d", sign, total/100, total%100))
	rep, err := e.s.Import(e.ctx, e.company, fmt.Sprintf("s%d.sta", e.stmt), mt940(body), bank.ImportOptions{NoReconcile: true})
	must(e.t, err)
	id := rep.Statements[0].ID
	list, err := e.s.Lines(e.ctx, e.company, id, bank.LineFilter{})
	must(e.t, err)
	var ids []backoffice.ID
	for _, l := range list.Items {
		ids = append(ids, l.ID)
	}
	return id, ids
}

// residual reads what is open of an item.
func (e *recEnv) residual(r ledger.LineRef) int64 {
	e.t.Helper()
	var v int64
	must(e.t, e.db.QueryRowContext(e.ctx, `SELECT residual FROM ledger_open_items WHERE entry_id = ? AND line_no = ?`, int64(r.EntryID), r.LineNo).Scan(&v))
	return v
}

// suggestion returns the suggestion of one line.
func (e *recEnv) suggestion(stmt, line backoffice.ID) bank.Suggestion {
	e.t.Helper()
	sug, err := e.s.Suggest(e.ctx, e.company, bank.SuggestFilter{StatementID: stmt})
	must(e.t, err)
	for _, s := range sug {
		if s.Line.ID == line {
			return s
		}
	}
	e.t.Fatalf("line %d has no suggestion (reconciled?)", line)
	return bank.Suggestion{}
}

// balance sums an account's company amounts.
func (e *recEnv) balance(code string) int64 {
	e.t.Helper()
	var v int64
	must(e.t, e.db.QueryRowContext(e.ctx, `SELECT COALESCE(SUM(company_amount), 0) FROM ledger_lines WHERE account_id = ?`,
		int64(e.ledgerAccount(code))).Scan(&v))
	return v
}

func compact(s string) string { return strings.ReplaceAll(s, " ", "") }

func TestAutoReconcile_ConfirmsLinePayingInvoiceByRFReferenceAndSettlesIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00001", 12100)
		e.invoice("INV-2026-00002", 9900)
		stmt, lines := e.statement("C121,00|" + compact(reconcile.RFReference("INV-2026-00001")) + " Brightwater")
		res, err := e.s.AutoReconcile(e.ctx, e.company, stmt, reconcile.Options{})
		must(t, err)
		if res.Confirmed != 1 || res.Left != 0 {
			t.Fatalf("auto: %+v, want 1 confirmed", res)
		}
		if r := e.residual(inv); r != 0 {
			t.Errorf("invoice residual %d after auto-reconcile, want 0", r)
		}
		rec, err := e.s.Reconciliation(e.ctx, e.company, lines[0])
		must(t, err)
		if rec.Method != bank.MethodAuto || rec.Kind != bank.KindItems || len(rec.Matches) != 1 || rec.Confidence < 90 {
			t.Errorf("reconciliation %+v", rec)
		}
		if e.balance("1110") != 12100 {
			t.Errorf("bank account balance %d, want 12100", e.balance("1110"))
		}
		if n := e.count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'bank_statement_line' AND action = 'reconcile'`); n != 1 {
			t.Errorf("%d change-log records, want 1", n)
		}
		again, err := e.s.AutoReconcile(e.ctx, e.company, stmt, reconcile.Options{})
		must(t, err)
		if again.Lines != 0 {
			t.Errorf("second run saw %d unreconciled lines, want 0", again.Lines)
		}
	})
}

func TestReconcile_OneLineSettlesTwoInvoices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		a, b := e.invoice("INV-2026-00011", 10000), e.invoice("INV-2026-00012", 5000)
		stmt, lines := e.statement("C150,00|Brightwater INV-2026-00011 INV-2026-00012")
		s := e.suggestion(stmt, lines[0])
		if len(s.Candidates) == 0 || len(s.Candidates[0].Items) != 2 {
			t.Fatalf("best candidate %+v, want both invoices", s.Candidates)
		}
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], s.Candidates[0].Input(bank.MethodManual))
		must(t, err)
		if e.residual(a) != 0 || e.residual(b) != 0 {
			t.Errorf("residuals %d, %d, want both settled", e.residual(a), e.residual(b))
		}
	})
}

func TestReconcile_PartialPaymentLeavesTheRestOpen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00021", 10000)
		_, lines := e.statement("C40,00|INV-2026-00021 first instalment")
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv, Amount: 4000}}})
		must(t, err)
		if r := e.residual(inv); r != 6000 {
			t.Errorf("residual %d, want 6000 left open", r)
		}
	})
}

func TestReconcile_FeeWithinToleranceGoesToBankCharges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00031", 10000)
		_, lines := e.statement("C98,50|INV-2026-00031")
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv}}})
		must(t, err)
		if r := e.residual(inv); r != 0 {
			t.Errorf("residual %d, want the invoice settled in full", r)
		}
		if fee := e.balance("7010"); fee != 150 {
			t.Errorf("bank charges %d, want 150", fee)
		}
	})
}

func TestReconcile_OverpaymentStaysOpenAsPartyCredit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00041", 10000)
		_, lines := e.statement("C130,00|INV-2026-00041")
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv}}})
		must(t, err)
		if e.residual(inv) != 0 {
			t.Errorf("invoice residual %d, want 0", e.residual(inv))
		}
		items, err := e.ledger.OpenItems(e.ctx, e.company, ledger.OpenItemFilter{PartyID: int64(e.customer.ID)})
		must(t, err)
		if len(items.Items) != 1 || items.Items[0].Residual != -3000 {
			t.Errorf("open items of the customer %+v, want one credit of 30.00", items.Items)
		}
	})
}

func TestReconcile_LinksPaymentAlreadyPostedWithoutPostingAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		j, err := e.ledger.JournalByCode(e.ctx, e.company, "BNK")
		must(t, err)
		pay, err := e.ledger.Post(e.ctx, e.company, ledger.NewEntry{JournalID: j.ID, Date: backoffice.NewDate(2026, 3, 4), Reference: "RCV-2026-00001",
			Lines: []ledger.NewLine{{AccountID: e.ledgerAccount("1110"), Amount: 7500}, {AccountID: e.ledgerAccount("4000"), Amount: -7500}}})
		must(t, err)
		stmt, lines := e.statement("C75,00|payment", "C75,00|another")
		s := e.suggestion(stmt, lines[0])
		if len(s.Posted) != 1 || s.Posted[0].Line.EntryID != pay.ID {
			t.Fatalf("posted lines offered %+v, want the payment", s.Posted)
		}
		entries := e.count(`SELECT COUNT(*) FROM ledger_entries`)
		_, err = e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Posted: &s.Posted[0].Line})
		must(t, err)
		if n := e.count(`SELECT COUNT(*) FROM ledger_entries`); n != entries {
			t.Errorf("%d entries after linking, want %d: nothing posted", n, entries)
		}
		_, err = e.s.Reconcile(e.ctx, e.company, lines[1], bank.ReconcileInput{Posted: &s.Posted[0].Line})
		var be *backoffice.Error
		if !asError(err, &be) || be.Code != backoffice.EConflict {
			t.Errorf("second line on the same ledger line: %v, want conflict", err)
		}
	})
}

func TestUnreconcile_RestoresItemsReversesEntryAndOpensLine(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00051", 10000)
		stmt, lines := e.statement("C98,00|INV-2026-00051")
		rec, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv}}})
		must(t, err)
		must(t, e.s.Unreconcile(e.ctx, e.company, lines[0], "wrong customer"))
		if r := e.residual(inv); r != 10000 {
			t.Errorf("residual %d after undo, want 10000", r)
		}
		if b := e.balance("1110"); b != 0 {
			t.Errorf("bank balance %d after undo, want 0", b)
		}
		if fee := e.balance("7010"); fee != 0 {
			t.Errorf("bank charges %d after undo, want 0", fee)
		}
		en, err := e.ledger.GetEntry(e.ctx, e.company, rec.EntryID)
		must(t, err)
		if en.ReversedByID == 0 {
			t.Errorf("entry %s not reversed", en.Number)
		}
		e.suggestion(stmt, lines[0]) // open again
		_, err = e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv}}})
		must(t, err)
		if r := e.residual(inv); r != 0 {
			t.Errorf("residual %d after reconciling again, want 0", r)
		}
	})
}

func TestReconcile_ClosedPeriodStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00061", 10000)
		_, lines := e.statement("C100,00|INV-2026-00061")
		must(t, e.ledger.SetLockDate(e.ctx, e.company, "", backoffice.NewDate(2026, 3, 31), "March closed"))
		entries := e.count(`SELECT COUNT(*) FROM ledger_entries`)
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv}}})
		var be *backoffice.Error
		if !asError(err, &be) || be.Code != backoffice.EPeriodClosed {
			t.Fatalf("reconcile in a closed period: %v, want period_closed", err)
		}
		if e.residual(inv) != 10000 || e.count(`SELECT COUNT(*) FROM bank_reconciliations`) != 0 || e.count(`SELECT COUNT(*) FROM ledger_entries`) != entries {
			t.Errorf("something was stored: residual %d", e.residual(inv))
		}
	})
}

func TestReconcile_RejectsMoreThanOpenAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00071", 10000)
		_, lines := e.statement("C150,00|INV-2026-00071")
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: inv, Amount: 15000}}})
		var be *backoffice.Error
		if !asError(err, &be) || be.Code != backoffice.EInvalid || be.Fields["items[0].amount"] == "" {
			t.Fatalf("allocation above the open amount: %v, want invalid on items[0].amount", err)
		}
		if e.residual(inv) != 10000 || e.count(`SELECT COUNT(*) FROM bank_reconciliations`) != 0 {
			t.Error("something was stored")
		}
	})
}

func TestImport_ReconcilesTheLinesTheEngineIsCertainOf(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		inv := e.invoice("INV-2026-00081", 12100)
		rf := compact(reconcile.RFReference("INV-2026-00081"))
		body := []string{"90", "C260304EUR0,00", "2603050305C121,00NTRFNONREF//X1|" + rf, "2603050305C55,00NTRFNONREF//X2|unknown", "C260305EUR176,00"}
		rep, err := e.s.Import(e.ctx, e.company, "auto.sta", mt940(body), bank.ImportOptions{})
		must(t, err)
		got := rep.Statements[0].Reconciled
		if got == nil || got.Confirmed != 1 || got.Left != 1 {
			t.Fatalf("reconciled after import: %+v, want 1 confirmed and 1 left", got)
		}
		if e.residual(inv) != 0 {
			t.Errorf("invoice residual %d, want 0", e.residual(inv))
		}
	})
}

func TestReconcile_ItemWithoutAmountIsSettledForWhatTheLineHolds(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newRecEnv(t, db)
		a, b := e.invoice("INV-2026-00091", 10000), e.invoice("INV-2026-00092", 8000)
		_, lines := e.statement("C130,00|INV-2026-00091 INV-2026-00092")
		_, err := e.s.Reconcile(e.ctx, e.company, lines[0], bank.ReconcileInput{Items: []bank.ItemAllocation{{Item: a}, {Item: b}}})
		must(t, err)
		if e.residual(a) != 0 || e.residual(b) != 5000 {
			t.Errorf("residuals %d and %d, want 0 and 5000 (the second paid in part)", e.residual(a), e.residual(b))
		}
		if n := e.count(`SELECT COUNT(*) FROM ledger_open_items WHERE party_id = ? AND settled_on IS NULL`, int64(e.customer.ID)); n != 1 {
			t.Errorf("%d open items of the customer, want 1: no new debit for the shortfall", n)
		}
	})
}
