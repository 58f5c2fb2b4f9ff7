package bank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// Reconciliation methods: confirmed by the engine alone, or by a person.
const (
	MethodAuto   = "auto"
	MethodManual = "manual"
)

// Reconciliation kinds: what the ledger holds for the statement line.
const (
	KindItems  = "items"  // an entry posted for the line settles open items
	KindPosted = "posted" // the line is the bank line of an entry posted before
	KindEntry  = "entry"  // an entry posted for the line on a chosen counter account
)

// Difference treatments.
const (
	DifferenceFee  = "fee"  // to the bank charges account (or the one chosen)
	DifferenceOpen = "open" // kept open on the party: a partial payment or an overpayment
)

// ReconcileInput says how a statement line is reconciled; exactly one of
// Items, Posted and Counter is given.
type ReconcileInput struct {
	// Items are the open items the line settles, each for Amount (signed
	// like the statement: a receivable positive; zero = what is open).
	Items []ItemAllocation `json:"items,omitempty"`
	// Difference is what to do with the line's amount beyond or short of the
	// items: "fee" books it to FeeAccountID (bank charges 7010 when zero),
	// "open" keeps it on the first item's party. Empty: a fee when it is a
	// shortfall within FeeBasisPoints/FeeMax of the items, else open.
	Difference   string        `json:"difference,omitempty"`
	FeeAccountID backoffice.ID `json:"fee_account_id,omitempty"`
	// Posted is a posted line of the bank account's ledger account that
	// already books the movement (a payment): nothing is posted again.
	Posted *ledger.LineRef `json:"posted,omitempty"`
	// Counter posts an entry for the line against a chosen account.
	Counter *CounterInput `json:"counter,omitempty"`
	// Method is auto or manual (default); Confidence the engine's, if any.
	Method     string `json:"method,omitempty"`
	Confidence int    `json:"confidence,omitempty"`
}

// ItemAllocation is one open item a line settles.
type ItemAllocation struct {
	Item   ledger.LineRef `json:"item"`
	Amount int64          `json:"amount,omitempty"`
}

// CounterInput is the counter line of a manual entry.
type CounterInput struct {
	AccountID backoffice.ID `json:"account_id"`
	PartyID   int64         `json:"party_id,omitempty"`
	Memo      string        `json:"memo,omitempty"`
}

// Reconciled is a live or undone reconciliation of a statement line.
type Reconciled struct {
	ID              backoffice.ID   `json:"id"`
	StatementLineID backoffice.ID   `json:"statement_line_id"`
	BankAccountID   backoffice.ID   `json:"bank_account_id"`
	Kind            string          `json:"kind"`
	Method          string          `json:"method"`
	EntryID         backoffice.ID   `json:"entry_id"`
	LineNo          int             `json:"line_no"`
	Posted          bool            `json:"posted"` // the entry was posted by this reconciliation
	Confidence      int             `json:"confidence"`
	Matches         []backoffice.ID `json:"ledger_reconciliations"`
	CreatedBy       string          `json:"created_by"`
	CreatedAt       string          `json:"created_at"`
}

// Fee defaults, as the matching engine's.
const (
	defaultFeeBasisPoints = 200
	defaultFeeMax         = 2500
)

// Reconcile reconciles one statement line, all in one transaction: it posts
// the bank entry (the bank account's ledger account for the line's amount,
// a line per open item on its account with its party, the difference to
// bank charges or left open on the party), settles each item against its
// line (ledger.MatchTx), records the reconciliation and appends the change
// log. With Posted it only links the line to an entry already posted; with
// Counter it posts the line against the chosen account. Nothing is stored
// when any rule is broken (an item not open, a closed period, a line
// already reconciled).
func (s *Service) Reconcile(ctx context.Context, companyID, lineID backoffice.ID, in ReconcileInput) (Reconciled, error) {
	plan, err := s.planReconcile(ctx, companyID, lineID, in)
	if err != nil {
		return Reconciled{}, err
	}
	var r Reconciled
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err = s.reconcileTx(ctx, tx, plan)
		return err
	})
	return r, err
}

// reconcilePlan is what Reconcile checked before its transaction.
type reconcilePlan struct {
	companyID backoffice.ID
	line      Line
	account   Account
	journalID backoffice.ID
	in        ReconcileInput
	feeAcct   backoffice.ID
}

func (s *Service) planReconcile(ctx context.Context, companyID, lineID backoffice.ID, in ReconcileInput) (*reconcilePlan, error) {
	l, err := s.statementLine(ctx, s.DB, companyID, lineID)
	if err != nil {
		return nil, err
	}
	acc, err := s.Get(ctx, companyID, l.accountID)
	if err != nil {
		return nil, err
	}
	p := &reconcilePlan{companyID: companyID, line: l.Line, account: acc, in: in}
	if p.in.Method == "" {
		p.in.Method = MethodManual
	}
	if p.in.Method != MethodAuto && p.in.Method != MethodManual {
		return nil, fieldError("method", "must be auto or manual")
	}
	n := 0
	for _, given := range []bool{len(in.Items) > 0, in.Posted != nil, in.Counter != nil} {
		if given {
			n++
		}
	}
	if n != 1 {
		return nil, fieldError("items", "give exactly one of items (open items to settle), posted (a ledger line already booked) or counter (a new entry)")
	}
	if in.Posted != nil {
		return p, s.checkPosted(ctx, p)
	}
	if in.Difference != "" && in.Difference != DifferenceFee && in.Difference != DifferenceOpen {
		return nil, fieldError("difference", "must be fee or open")
	}
	journals, err := s.Ledger.ListJournals(ctx, companyID)
	if err != nil {
		return nil, err
	}
	for _, j := range journals {
		if j.Type == "bank" && !j.Blocked && (p.journalID == 0 || j.Code == "BNK") {
			p.journalID = j.ID
		}
	}
	if p.journalID == 0 {
		return nil, backoffice.Errorf(backoffice.EInvalid, "the company has no open journal of type bank to post the statement line in: create one")
	}
	p.feeAcct = in.FeeAccountID
	if p.feeAcct == 0 && len(in.Items) > 0 {
		a, err := s.Ledger.AccountByCode(ctx, companyID, "7010")
		if err == nil {
			p.feeAcct = a.ID
		}
	}
	return p, nil
}

// checkPosted checks that the posted line books the statement line's
// movement on the bank account.
func (s *Service) checkPosted(ctx context.Context, p *reconcilePlan) error {
	ref := *p.in.Posted
	e, err := s.Ledger.GetEntry(ctx, p.companyID, ref.EntryID)
	if err != nil {
		return err
	}
	if e.State != ledger.Posted || e.ReversedByID != 0 || e.ReversesID != 0 {
		return fieldError("posted", fmt.Sprintf("entry %s is not a posted, unreversed entry", e.Number))
	}
	for _, l := range e.Lines {
		if l.LineNo != ref.LineNo {
			continue
		}
		switch {
		case l.AccountID != p.account.LedgerAccountID:
			return fieldError("posted", fmt.Sprintf("line %d of %s is not on the bank account's ledger account", ref.LineNo, e.Number))
		case l.Amount != p.line.Amount || l.Currency != p.line.Currency:
			return fieldError("posted", fmt.Sprintf("line %d of %s is %s %s, the statement line %s %s", ref.LineNo, e.Number,
				backoffice.FormatMinor(l.Amount, l.Currency.Exponent()), l.Currency,
				backoffice.FormatMinor(p.line.Amount, p.line.Currency.Exponent()), p.line.Currency))
		}
		return nil
	}
	return fieldError("posted", fmt.Sprintf("entry %s has no line %d", e.Number, ref.LineNo))
}

// reconcileTx posts (unless the movement is already posted), settles and
// records inside tx.
func (s *Service) reconcileTx(ctx context.Context, tx *sqldb.Tx, p *reconcilePlan) (Reconciled, error) {
	r := Reconciled{StatementLineID: p.line.ID, BankAccountID: p.account.ID, Method: p.in.Method, Confidence: p.in.Confidence,
		CreatedBy: backoffice.ActorFrom(ctx).Label(), Matches: []backoffice.ID{}}
	var err error
	switch {
	case p.in.Posted != nil:
		r.Kind, r.EntryID, r.LineNo = KindPosted, p.in.Posted.EntryID, p.in.Posted.LineNo
	case p.in.Counter != nil:
		r.Kind, r.Posted, r.LineNo = KindEntry, true, 1
		r.EntryID, err = s.postCounter(ctx, tx, p)
	default:
		r.Kind, r.Posted, r.LineNo = KindItems, true, 1
		r.EntryID, r.Matches, err = s.postItems(ctx, tx, p)
	}
	if err != nil {
		return Reconciled{}, err
	}
	if err := s.insertReconciliation(ctx, tx, p.companyID, &r); err != nil {
		return Reconciled{}, err
	}
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: p.companyID, Entity: "bank_statement_line", EntityID: p.line.ID.String(),
		Action: "reconcile", New: map[string]any{"reconciliation_id": r.ID, "kind": r.Kind, "method": r.Method, "entry_id": r.EntryID,
			"line_no": r.LineNo, "confidence": r.Confidence, "amount": backoffice.FormatMinor(p.line.Amount, p.line.Currency.Exponent()),
			"currency": p.line.Currency}})
	return r, err
}

// narration describes the statement line in the entry it posts.
func (p *reconcilePlan) narration() string {
	parts := []string{"Bank"}
	if p.line.CounterpartyName != "" {
		parts = append(parts, p.line.CounterpartyName)
	}
	if p.line.Remittance != "" {
		parts = append(parts, p.line.Remittance)
	}
	n := strings.Join(parts, ": ")
	if len(n) > 200 {
		n = n[:200]
	}
	return n
}

func (p *reconcilePlan) bankLine() ledger.NewLine {
	return ledger.NewLine{AccountID: p.account.LedgerAccountID, Currency: p.line.Currency, Amount: p.line.Amount, Memo: p.line.BankReference}
}

func (s *Service) postCounter(ctx context.Context, tx *sqldb.Tx, p *reconcilePlan) (backoffice.ID, error) {
	c := p.in.Counter
	if c.AccountID == 0 {
		return 0, fieldError("counter.account_id", "is required: choose the account the movement is booked against")
	}
	e, err := s.Ledger.PostTx(ctx, tx, p.companyID, ledger.NewEntry{JournalID: p.journalID, Date: p.line.BookingDate,
		Reference: p.line.BankReference, Narration: p.narration(), Lines: []ledger.NewLine{p.bankLine(),
			{AccountID: c.AccountID, Currency: p.line.Currency, Amount: -p.line.Amount, PartyID: c.PartyID, Memo: c.Memo}}})
	if err != nil {
		return 0, err
	}
	return e.ID, nil
}

// postItems posts the entry settling the items and matches each item with
// its counter line. Amounts are signed debits: the bank line is the line's
// amount, each item's counter line minus what it settles, and the
// difference balances the entry.
func (s *Service) postItems(ctx context.Context, tx *sqldb.Tx, p *reconcilePlan) (backoffice.ID, []backoffice.ID, error) {
	refs := make([]ledger.LineRef, len(p.in.Items))
	for i, a := range p.in.Items {
		refs[i] = a.Item
	}
	items, err := s.Ledger.LockOpenItems(ctx, tx, p.companyID, refs)
	if err != nil {
		return 0, nil, err
	}
	v := backoffice.Validation{}
	lines := []ledger.NewLine{p.bankLine()}
	var settled int64
	for i, it := range items {
		f := fmt.Sprintf("items[%d].amount", i)
		amt := p.in.Items[i].Amount
		if amt == 0 {
			amt = p.implicitAmount(it.Residual, p.line.Amount-settled)
		}
		switch {
		case it.Currency != p.line.Currency:
			v.Add(f, fmt.Sprintf("the item is in %s, the statement line in %s", it.Currency, p.line.Currency))
		case it.Residual == 0:
			v.Add(f, "the item has nothing left open")
		case amt*it.Residual < 0 || abs(amt) > abs(it.Residual):
			v.Add(f, fmt.Sprintf("must be between 0 and the open %s", backoffice.FormatMinor(it.Residual, it.Currency.Exponent())))
		}
		settled += amt
		lines = append(lines, ledger.NewLine{AccountID: it.AccountID, Currency: it.Currency, Amount: -amt, PartyID: it.PartyID,
			Memo: fmt.Sprintf("Settles entry %d line %d", it.EntryID, it.LineNo)})
	}
	if err := v.Err("reconciliation"); err != nil {
		return 0, nil, err
	}
	if diff := p.line.Amount - settled; diff != 0 {
		l, err := p.differenceLine(diff, settled, items[0])
		if err != nil {
			return 0, nil, err
		}
		lines = append(lines, l)
	}
	e, err := s.Ledger.PostTx(ctx, tx, p.companyID, ledger.NewEntry{JournalID: p.journalID, Date: p.line.BookingDate,
		Reference: p.line.BankReference, Narration: p.narration(), Lines: lines})
	if err != nil {
		return 0, nil, err
	}
	var matches []backoffice.ID
	for i, it := range items {
		rec, err := s.Ledger.MatchTx(ctx, tx, p.companyID, []ledger.LineRef{it.LineRef, {EntryID: e.ID, LineNo: i + 2}})
		if err != nil {
			return 0, nil, fmt.Errorf("settle entry %d line %d: %w", it.EntryID, it.LineNo, err)
		}
		matches = append(matches, rec.ID)
	}
	return e.ID, matches, nil
}

// implicitAmount is what an item given without an amount settles: all
// that is open of it, unless the rest of the line falls short of that by
// more than a bank fee, in which case the item is settled for what the line
// still holds (a partial payment).
func (p *reconcilePlan) implicitAmount(residual, rest int64) int64 {
	if p.in.Difference == DifferenceOpen || residual*rest <= 0 || abs(rest) >= abs(residual) {
		return residual
	}
	if short := abs(residual) - abs(rest); short <= min(abs(residual)*defaultFeeBasisPoints/10000, defaultFeeMax) {
		return residual
	}
	return rest
}

// differenceLine books diff (line amount minus settled): a shortfall within
// the fee tolerance goes to bank charges unless the caller keeps it open;
// anything else stays open on the first item's party and account.
func (p *reconcilePlan) differenceLine(diff, settled int64, first ledger.OpenItem) (ledger.NewLine, error) {
	mode := p.in.Difference
	if mode == "" {
		tol := min(abs(settled)*defaultFeeBasisPoints/10000, defaultFeeMax)
		mode = DifferenceOpen
		if diff < 0 && abs(diff) <= tol {
			mode = DifferenceFee
		}
	}
	if mode == DifferenceFee {
		if p.feeAcct == 0 {
			return ledger.NewLine{}, fieldError("fee_account_id", "is required: the company has no bank charges account 7010")
		}
		return ledger.NewLine{AccountID: p.feeAcct, Currency: p.line.Currency, Amount: -diff, Memo: "Bank charges"}, nil
	}
	if first.PartyID == 0 {
		return ledger.NewLine{}, fieldError("difference", "the items have no party to keep the difference open on: book it as a fee")
	}
	return ledger.NewLine{AccountID: first.AccountID, Currency: p.line.Currency, Amount: -diff, PartyID: first.PartyID,
		Memo: "Left open by the bank statement"}, nil
}

func abs(v int64) int64 { return max(v, -v) }

// storedLine is a statement line with its bank account.
type storedLine struct {
	Line
	accountID backoffice.ID
}

func (s *Service) statementLine(ctx context.Context, q sqldb.Querier, companyID, lineID backoffice.ID) (storedLine, error) {
	var l storedLine
	row := q.QueryRowContext(ctx, `SELECT `+lineColumns+`, l.bank_account_id FROM bank_statement_lines l WHERE l.company_id = ? AND l.id = ?`,
		int64(companyID), int64(lineID))
	err := row.Scan(&l.ID, &l.StatementID, &l.BookingDate, &l.ValueDate, &l.Amount, &l.Currency, &l.CounterpartyName,
		&l.CounterpartyIBAN, &l.CounterpartyBIC, &l.Remittance, &l.EndToEndID, &l.BankReference, &l.MandateID, &l.CreditorID,
		&l.BankTxCode, &l.accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return l, backoffice.Errorf(backoffice.ENotFound, "bank statement line %d not found", lineID)
	}
	if err != nil {
		return l, fmt.Errorf("read statement line: %w", err)
	}
	return l, nil
}

// insertReconciliation stores r; the unique indexes refuse a second live
// reconciliation of the line or of the ledger line.
func (s *Service) insertReconciliation(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, r *Reconciled) error {
	ids := make([]string, len(r.Matches))
	for i, m := range r.Matches {
		ids[i] = m.String()
	}
	now := s.now()
	r.CreatedAt = now.Format("2006-01-02T15:04:05Z")
	err := tx.QueryRowContext(ctx, `INSERT INTO bank_reconciliations (company_id, bank_account_id, statement_line_id, kind, method, entry_id, line_no,
		posted, confidence, matches, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(companyID), int64(r.BankAccountID), int64(r.StatementLineID), r.Kind, r.Method, int64(r.EntryID), r.LineNo, r.Posted,
		r.Confidence, strings.Join(ids, ","), r.CreatedBy, now).Scan(&r.ID)
	if sqldb.IsUniqueViolation(err) {
		if r.Kind == KindPosted {
			return backoffice.Errorf(backoffice.EConflict, "the statement line or the ledger line is already reconciled: undo that reconciliation first")
		}
		return backoffice.Errorf(backoffice.EConflict, "statement line %d is already reconciled: undo it first", r.StatementLineID)
	}
	if err != nil {
		return fmt.Errorf("store reconciliation: %w", err)
	}
	return nil
}

// parseIDs reads a comma-separated id list.
func parseIDs(s string) []backoffice.ID {
	out := []backoffice.ID{}
	for f := range strings.SplitSeq(s, ",") {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, backoffice.ID(n))
		}
	}
	return out
}

// StatementLine returns one statement line of the company.
func (s *Service) StatementLine(ctx context.Context, companyID, lineID backoffice.ID) (Line, error) {
	l, err := s.statementLine(ctx, s.DB, companyID, lineID)
	return l.Line, err
}
