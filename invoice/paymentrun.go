package invoice

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// RunState is where a supplier payment run is. A draft is reviewed (lines
// may be removed), approved by someone allowed to, sent to the bank as a
// payment file, and confirmed when the bank has paid: only then are its
// payments posted. A run not yet confirmed can be cancelled.
type RunState string

// The payment run states.
const (
	RunDraft     RunState = "draft"
	RunApproved  RunState = "approved"
	RunSent      RunState = "sent"
	RunConfirmed RunState = "confirmed"
	RunCancelled RunState = "cancelled"
)

// runEntity names payment runs in the change log.
const runEntity = "payment_run"

// RunInput selects the bills a run pays: posted bills in Currency (the
// company's by default) with something open, due on or before DueBy, and,
// with TakeDiscounts, also those whose early-payment discount is still
// available on PayDate (those are paid less the discount). SupplierID
// limits the run to one supplier. Bills already in another open run are
// left out. Rate is required for a foreign currency.
type RunInput struct {
	PayDate       backoffice.Date     `json:"pay_date"`
	DueBy         backoffice.Date     `json:"due_by"`
	TakeDiscounts bool                `json:"take_discounts"`
	SupplierID    backoffice.ID       `json:"supplier_id,omitempty"`
	AccountID     backoffice.ID       `json:"account_id"`
	Currency      backoffice.Currency `json:"currency,omitempty"`
	Rate          string              `json:"rate,omitempty"`
}

// RunLine is one bill of a run: Amount is what is paid, Discount the
// early-payment discount taken, so the bill is settled for Amount +
// Discount. Every line of one supplier shares EndToEndID, the id of the
// one transfer to that supplier, and, once confirmed, its payment.
type RunLine struct {
	Seq            int             `json:"seq"`
	DocumentID     backoffice.ID   `json:"document_id"`
	DocumentNumber string          `json:"document_number"`
	Reference      string          `json:"supplier_reference"`
	PartyID        backoffice.ID   `json:"party_id"`
	PartyName      string          `json:"party_name"`
	DueDate        backoffice.Date `json:"due_date"`
	Amount         int64           `json:"amount"`
	Discount       int64           `json:"discount"`
	EndToEndID     string          `json:"end_to_end_id"`
	PaymentID      backoffice.ID   `json:"payment_id,omitempty"`
}

// Run is a supplier payment run.
type Run struct {
	ID            backoffice.ID       `json:"id"`
	CompanyID     backoffice.ID       `json:"company_id"`
	Number        string              `json:"number"`
	State         RunState            `json:"state"`
	PayDate       backoffice.Date     `json:"pay_date"`
	DueBy         backoffice.Date     `json:"due_by"`
	TakeDiscounts bool                `json:"take_discounts"`
	SupplierID    backoffice.ID       `json:"supplier_id,omitempty"`
	AccountID     backoffice.ID       `json:"account_id"`
	Currency      backoffice.Currency `json:"currency"`
	Rate          string              `json:"rate,omitempty"`
	Total         int64               `json:"total"`
	Discounts     int64               `json:"discounts"`
	Lines         []RunLine           `json:"lines"`
	CreatedBy     backoffice.ID       `json:"created_by"`
	ApprovedBy    backoffice.ID       `json:"approved_by,omitempty"`
	ApprovedAt    *time.Time          `json:"approved_at,omitempty"`
	SentAt        *time.Time          `json:"sent_at,omitempty"`
	ConfirmedAt   *time.Time          `json:"confirmed_at,omitempty"`
	Version       int64               `json:"version"`
	CreatedAt     time.Time           `json:"created_at"`
	UpdatedAt     time.Time           `json:"updated_at"`
}

// Transfers groups the run's lines into one transfer per supplier, in the
// order of the lines: what a payment file lists and what confirming posts.
func (r Run) Transfers() []Transfer {
	var out []Transfer
	for _, l := range r.Lines {
		if len(out) == 0 || out[len(out)-1].EndToEndID != l.EndToEndID {
			out = append(out, Transfer{PartyID: l.PartyID, PartyName: l.PartyName, EndToEndID: l.EndToEndID, PaymentID: l.PaymentID})
		}
		t := &out[len(out)-1]
		t.Amount += l.Amount
		t.Lines = append(t.Lines, l)
	}
	return out
}

// Transfer is the one payment of a run to one supplier.
type Transfer struct {
	PartyID    backoffice.ID `json:"party_id"`
	PartyName  string        `json:"party_name"`
	EndToEndID string        `json:"end_to_end_id"`
	Amount     int64         `json:"amount"`
	PaymentID  backoffice.ID `json:"payment_id,omitempty"`
	Lines      []RunLine     `json:"lines"`
}

// CreateRun selects the bills due and stores them as a draft run with an
// end-to-end id per supplier ("BO-<company>-<run>-<n>"). A selection that
// finds nothing is an error, so an empty run is never stored.
func (s *Service) CreateRun(ctx context.Context, companyID backoffice.ID, in RunInput) (Run, error) {
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return Run{}, err
	}
	pin := PaymentInput{Direction: Paid, PartyID: max(in.SupplierID, 1), Date: in.PayDate, AccountID: in.AccountID, Currency: in.Currency, Rate: in.Rate, Amount: 1}
	pin.normalise()
	v := backoffice.Validation{}
	pin.check(base, v)
	v.Check(!in.DueBy.IsZero(), "due_by", "is required: bills due on or before this day are paid")
	if v["date"] != "" {
		v["pay_date"] = v["date"]
		delete(v, "date")
	}
	plan := &paymentPlan{companyID: companyID, base: base}
	if err := s.planAccounts(ctx, plan, &pin, v); err != nil {
		return Run{}, err
	}
	if err := v.Err("payment run"); err != nil {
		return Run{}, err
	}
	in.Currency, in.Rate = pin.Currency, pin.Rate
	lines, err := s.selectBills(ctx, companyID, in)
	if err != nil {
		return Run{}, err
	}
	if len(lines) == 0 {
		return Run{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "no open bills match: none is due by that day, has a discount then, or they are all in other runs",
			Fields: map[string]string{"due_by": "selects no open bill"}}
	}
	now := s.now()
	r := Run{CompanyID: companyID, State: RunDraft, PayDate: in.PayDate, DueBy: in.DueBy, TakeDiscounts: in.TakeDiscounts, SupplierID: in.SupplierID,
		AccountID: in.AccountID, Currency: in.Currency, Rate: in.Rate, Lines: lines, CreatedBy: backoffice.ActorFrom(ctx).UserID, Version: 1,
		CreatedAt: now, UpdatedAt: now}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.insertRun(ctx, tx, &r); err != nil {
			return err
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: runEntity, EntityID: r.ID.String(), Action: "create",
			New: map[string]any{"number": r.Number, "pay_date": r.PayDate, "due_by": r.DueBy, "bills": len(r.Lines),
				"total": backoffice.FormatMinor(r.Total, r.Currency.Exponent()), "discounts": backoffice.FormatMinor(r.Discounts, r.Currency.Exponent())}})
		return err
	})
	return r, err
}

// selectBills finds the bills a run pays, by supplier then due date.
func (s *Service) selectBills(ctx context.Context, companyID backoffice.ID, in RunInput) ([]RunLine, error) {
	where := `d.company_id = ? AND d.kind = ? AND d.state = ? AND d.currency = ?
		AND EXISTS (SELECT 1 FROM ledger_open_items o WHERE o.entry_id = d.entry_id AND o.settled_on IS NULL AND o.residual <> 0)
		AND NOT EXISTS (SELECT 1 FROM payment_run_lines l JOIN payment_runs r ON r.id = l.run_id WHERE l.document_id = d.id AND r.state IN (?, ?, ?))`
	args := []any{int64(companyID), string(KindBill), string(StatePosted), string(in.Currency), string(RunDraft), string(RunApproved), string(RunSent)}
	if in.SupplierID != 0 {
		where += ` AND d.party_id = ?`
		args = append(args, int64(in.SupplierID))
	}
	if !in.TakeDiscounts {
		where += ` AND d.due_date <= ?`
		args = append(args, in.DueBy)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+documentColumns+documentFrom+` WHERE `+where+` ORDER BY d.due_date, d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("select bills: %w", err)
	}
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("select bills: %w", err)
		}
		docs = append(docs, d)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("select bills: %w", err)
	}
	for i := range docs {
		if err := loadInstallments(ctx, s.DB, &docs[i]); err != nil {
			return nil, err
		}
	}
	bs, err := s.Balances(ctx, companyID, docs)
	if err != nil {
		return nil, err
	}
	var out []RunLine
	for _, d := range docs {
		open := bs[d.ID].Open
		discount, ok := EarlyDiscount(d, in.PayDate)
		// A discount is taken on a bill paid in full within its days only.
		if !ok || !in.TakeDiscounts || open != d.Totals.Payable {
			discount = 0
		}
		if open <= 0 || (discount == 0 && d.DueDate.After(in.DueBy)) {
			continue
		}
		out = append(out, RunLine{DocumentID: d.ID, DocumentNumber: d.Number, Reference: d.SupplierReference, PartyID: d.PartyID,
			PartyName: d.PartyName, DueDate: d.DueDate, Amount: open - discount, Discount: discount})
	}
	slices.SortStableFunc(out, func(a, b RunLine) int {
		return cmp.Or(strings.Compare(a.PartyName, b.PartyName), cmp.Compare(a.PartyID, b.PartyID))
	})
	return out, nil
}

// insertRun numbers and stores a run and its lines, giving each supplier's
// lines their end-to-end id.
func (s *Service) insertRun(ctx context.Context, tx *sqldb.Tx, r *Run) error {
	year, err := fiscalYear(ctx, tx, r.CompanyID, r.PayDate)
	if err != nil {
		return err
	}
	var last int64
	err = tx.QueryRowContext(ctx, `INSERT INTO payment_sequences (company_id, kind, year, last_number) VALUES (?, 'run', ?, 1)
		ON CONFLICT (company_id, kind, year) DO UPDATE SET last_number = payment_sequences.last_number + 1 RETURNING last_number`,
		int64(r.CompanyID), year).Scan(&last)
	if err != nil {
		return fmt.Errorf("number payment run: %w", err)
	}
	r.Number = fmt.Sprintf("RUN-%d-%05d", year, last)
	err = tx.QueryRowContext(ctx, `INSERT INTO payment_runs (company_id, number, state, pay_date, due_by, take_discounts, supplier_id, account_id, currency,
		rate, created_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(r.CompanyID), r.Number, string(r.State), r.PayDate, r.DueBy, r.TakeDiscounts, nullID(r.SupplierID), int64(r.AccountID), string(r.Currency),
		r.Rate, int64(r.CreatedBy), r.Version, r.CreatedAt, r.UpdatedAt).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert payment run: %w", err)
	}
	n := 0
	for i := range r.Lines {
		l := &r.Lines[i]
		if i == 0 || r.Lines[i-1].PartyID != l.PartyID {
			n++
		}
		l.Seq, l.EndToEndID = i+1, fmt.Sprintf("BO-%d-%d-%d", r.CompanyID, r.ID, n)
		r.Total += l.Amount
		r.Discounts += l.Discount
		_, err := tx.ExecContext(ctx, `INSERT INTO payment_run_lines (company_id, run_id, seq, document_id, party_id, amount, discount, end_to_end_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, int64(r.CompanyID), int64(r.ID), l.Seq, int64(l.DocumentID), int64(l.PartyID), l.Amount, l.Discount, l.EndToEndID)
		if err != nil {
			return fmt.Errorf("insert payment run line: %w", err)
		}
	}
	return nil
}
