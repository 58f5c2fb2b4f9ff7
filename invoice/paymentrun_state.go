package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

const runColumns = `id, company_id, number, state, pay_date, due_by, take_discounts, supplier_id, account_id, currency, rate, created_by,
	approved_by, approved_at, sent_at, confirmed_at, version, created_at, updated_at`

func scanRun(s scanner) (Run, error) {
	var r Run
	var supplier, approvedBy sql.NullInt64
	var approved, sent, confirmed sql.NullTime
	err := s.Scan(&r.ID, &r.CompanyID, &r.Number, &r.State, &r.PayDate, &r.DueBy, &r.TakeDiscounts, &supplier, &r.AccountID, &r.Currency, &r.Rate,
		&r.CreatedBy, &approvedBy, &approved, &sent, &confirmed, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	r.SupplierID, r.ApprovedBy = backoffice.ID(supplier.Int64), backoffice.ID(approvedBy.Int64)
	at := func(t sql.NullTime) *time.Time {
		if !t.Valid {
			return nil
		}
		u := t.Time.UTC()
		return &u
	}
	r.ApprovedAt, r.SentAt, r.ConfirmedAt = at(approved), at(sent), at(confirmed)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

// getRun reads a run of the company with its lines.
func getRun(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Run, error) {
	r, err := scanRun(q.QueryRowContext(ctx, `SELECT `+runColumns+` FROM payment_runs WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, notFound("payment run", id)
	}
	if err != nil {
		return Run{}, fmt.Errorf("read payment run: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.seq, l.document_id, d.number, d.supplier_reference, l.party_id, p.legal_name, p.trade_name, d.due_date,
		l.amount, l.discount, l.end_to_end_id, l.payment_id FROM payment_run_lines l JOIN invoice_documents d ON d.id = l.document_id
		JOIN parties p ON p.id = l.party_id WHERE l.run_id = ? ORDER BY l.seq`, int64(id))
	if err != nil {
		return Run{}, fmt.Errorf("read payment run lines: %w", err)
	}
	defer rows.Close()
	r.Lines = []RunLine{}
	for rows.Next() {
		var l RunLine
		var number sql.NullString
		var legal, trade string
		var payment sql.NullInt64
		if err := rows.Scan(&l.Seq, &l.DocumentID, &number, &l.Reference, &l.PartyID, &legal, &trade, &l.DueDate, &l.Amount, &l.Discount,
			&l.EndToEndID, &payment); err != nil {
			return Run{}, fmt.Errorf("read payment run lines: %w", err)
		}
		l.DocumentNumber, l.PartyName, l.PaymentID = number.String, cmpOr(trade, legal), backoffice.ID(payment.Int64)
		r.Total += l.Amount
		r.Discounts += l.Discount
		r.Lines = append(r.Lines, l)
	}
	return r, rows.Err()
}

// GetRun returns a payment run with its lines.
func (s *Service) GetRun(ctx context.Context, companyID, id backoffice.ID) (Run, error) {
	return getRun(ctx, s.DB, companyID, id)
}

// RunFilter narrows ListRuns.
type RunFilter struct {
	State RunState // "" = every state
	Query string   // part of the run number, any case
	Page  backoffice.Page
}

// ListRuns returns one page of the company's payment runs, newest first,
// with their totals but without their lines.
func (s *Service) ListRuns(ctx context.Context, companyID backoffice.ID, f RunFilter) (backoffice.List[Run], error) {
	query := `SELECT ` + runColumns + `, (SELECT COALESCE(SUM(amount), 0) FROM payment_run_lines l WHERE l.run_id = r.id),
		(SELECT COALESCE(SUM(discount), 0) FROM payment_run_lines l WHERE l.run_id = r.id) FROM payment_runs r WHERE company_id = ?`
	args := []any{int64(companyID)}
	if f.State != "" {
		if !slices.Contains([]RunState{RunDraft, RunApproved, RunSent, RunConfirmed, RunCancelled}, f.State) {
			return backoffice.List[Run]{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "filter has invalid fields",
				Fields: map[string]string{"state": "must be draft, approved, sent, confirmed or cancelled"}}
		}
		query += ` AND state = ?`
		args = append(args, string(f.State))
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		query += ` AND LOWER(number) LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(q)+"%")
	}
	if f.Page.After != "" {
		var after backoffice.ID
		if err := decodeCursor(f.Page.After, "payment-runs", &after); err != nil {
			return backoffice.List[Run]{}, err
		}
		query += ` AND id < ?`
		args = append(args, int64(after))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1), args...)
	if err != nil {
		return backoffice.List[Run]{}, fmt.Errorf("list payment runs: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Run]{Items: []Run{}}
	for rows.Next() {
		var total, discounts int64
		r, err := scanRun(runWithTotals{rows, &total, &discounts})
		if err != nil {
			return backoffice.List[Run]{}, fmt.Errorf("list payment runs: %w", err)
		}
		r.Total, r.Discounts = total, discounts
		out.Items = append(out.Items, r)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Run]{}, fmt.Errorf("list payment runs: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = encodeCursor("payment-runs", out.Items[limit-1].ID)
	}
	return out, nil
}

// runWithTotals scans a run row followed by its two totals.
type runWithTotals struct {
	rows             *sql.Rows
	total, discounts *int64
}

func (w runWithTotals) Scan(dest ...any) error {
	return w.rows.Scan(append(dest, w.total, w.discounts)...)
}

// moveRun changes a run's state from one of from to to, stamping the
// column stamp (approved_at, sent_at, confirmed_at) and logging the change.
func (s *Service) moveRun(ctx context.Context, tx *sqldb.Tx, r *Run, to RunState, action, reason string, from ...RunState) error {
	if !slices.Contains(from, r.State) {
		return backoffice.Errorf(backoffice.EConflict, "payment run %s is %s: it cannot be %s", r.Number, r.State, action)
	}
	now := s.now()
	set := ""
	switch to {
	case RunApproved:
		set = ", approved_at = ?, approved_by = ?"
	case RunSent:
		set = ", sent_at = ?"
	case RunConfirmed:
		set = ", confirmed_at = ?"
	}
	args := []any{string(to), now}
	if set != "" {
		args = append(args, now)
	}
	if to == RunApproved {
		args = append(args, int64(backoffice.ActorFrom(ctx).UserID))
	}
	args = append(args, int64(r.ID), string(r.State), r.Version)
	res, err := tx.ExecContext(ctx, `UPDATE payment_runs SET state = ?, version = version + 1, updated_at = ?`+set+` WHERE id = ? AND state = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("%s payment run: %w", action, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EConflict, "payment run %s was changed meanwhile: reload it", r.Number)
	}
	old := r.State
	r.State, r.Version, r.UpdatedAt = to, r.Version+1, now
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: r.CompanyID, Entity: runEntity, EntityID: r.ID.String(), Action: action,
		Old: map[string]any{"state": old}, New: map[string]any{"state": to}, Reason: reason})
	return err
}

// transition reads a run, moves it in one transaction and reads it back.
func (s *Service) transition(ctx context.Context, companyID, id backoffice.ID, to RunState, action, reason string, from ...RunState) (Run, error) {
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := getRun(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		return s.moveRun(ctx, tx, &r, to, action, reason, from...)
	})
	if err != nil {
		return Run{}, err
	}
	return s.GetRun(ctx, companyID, id)
}

// ApproveRun approves a reviewed draft run for payment.
func (s *Service) ApproveRun(ctx context.Context, companyID, id backoffice.ID) (Run, error) {
	return s.transition(ctx, companyID, id, RunApproved, "approve", "", RunDraft)
}

// MarkRunSent records that the approved run's payment file went to the bank.
func (s *Service) MarkRunSent(ctx context.Context, companyID, id backoffice.ID) (Run, error) {
	return s.transition(ctx, companyID, id, RunSent, "send", "", RunApproved)
}

// CancelRun cancels a run that is not confirmed; its bills can be selected again.
func (s *Service) CancelRun(ctx context.Context, companyID, id backoffice.ID, reason string) (Run, error) {
	if len(reason) < 3 || len(reason) > 500 {
		return Run{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "say why the run is cancelled", Fields: map[string]string{"reason": "is required (3 to 500 characters)"}}
	}
	return s.transition(ctx, companyID, id, RunCancelled, "cancel", reason, RunDraft, RunApproved, RunSent)
}

// RemoveRunLine takes a bill out of a draft run during review. A supplier
// left with no bill simply has no transfer.
func (s *Service) RemoveRunLine(ctx context.Context, companyID, id backoffice.ID, seq int) (Run, error) {
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := getRun(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if r.State != RunDraft {
			return backoffice.Errorf(backoffice.EConflict, "payment run %s is %s: only a draft run changes", r.Number, r.State)
		}
		i := slices.IndexFunc(r.Lines, func(l RunLine) bool { return l.Seq == seq })
		if i < 0 {
			return backoffice.Errorf(backoffice.ENotFound, "payment run %s has no line %d", r.Number, seq)
		}
		if len(r.Lines) == 1 {
			return backoffice.Errorf(backoffice.EConflict, "line %d is the run's last bill: cancel the run instead", seq)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM payment_run_lines WHERE run_id = ? AND seq = ?`, int64(r.ID), seq); err != nil {
			return fmt.Errorf("remove payment run line: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE payment_runs SET version = version + 1, updated_at = ? WHERE id = ?`, s.now(), int64(r.ID)); err != nil {
			return fmt.Errorf("remove payment run line: %w", err)
		}
		l := r.Lines[i]
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: runEntity, EntityID: r.ID.String(), Action: "remove_line",
			Old: map[string]any{"document": l.DocumentNumber, "amount": backoffice.FormatMinor(l.Amount, r.Currency.Exponent()),
				"discount": backoffice.FormatMinor(l.Discount, r.Currency.Exponent())}})
		return err
	})
	if err != nil {
		return Run{}, err
	}
	return s.GetRun(ctx, companyID, id)
}

// ConfirmRun records that the bank paid an approved (or sent) run: one
// payment per supplier is posted, each with its end-to-end id and its bills
// allocated (early discounts to the purchase discounts account), all in one
// transaction with the run's new state. When a bill was paid otherwise
// meanwhile, nothing is posted and the error names it.
func (s *Service) ConfirmRun(ctx context.Context, companyID, id backoffice.ID) (Run, error) {
	r, err := s.GetRun(ctx, companyID, id)
	if err != nil {
		return Run{}, err
	}
	if r.State != RunApproved && r.State != RunSent {
		return Run{}, backoffice.Errorf(backoffice.EConflict, "payment run %s is %s: only an approved or sent run is confirmed", r.Number, r.State)
	}
	var plans []*paymentPlan
	for _, t := range r.Transfers() {
		in := PaymentInput{Direction: Paid, PartyID: t.PartyID, Date: r.PayDate, AccountID: r.AccountID, Currency: r.Currency, Rate: r.Rate,
			Amount: t.Amount, Reference: r.Number, EndToEndID: t.EndToEndID, runID: r.ID}
		for _, l := range t.Lines {
			in.Allocations = append(in.Allocations, AllocationInput{DocumentID: l.DocumentID, Amount: l.Amount + l.Discount, Discount: l.Discount})
		}
		plan, err := s.planPayment(ctx, companyID, in)
		if err != nil {
			return Run{}, fmt.Errorf("payment to %s: %w", t.PartyName, err)
		}
		plans = append(plans, plan)
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.moveRun(ctx, tx, &r, RunConfirmed, "confirm", "", RunApproved, RunSent); err != nil {
			return err
		}
		for _, plan := range plans {
			p, err := s.postPaymentTx(ctx, tx, plan)
			if err != nil {
				return runPaymentError(plan, err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE payment_run_lines SET payment_id = ? WHERE run_id = ? AND end_to_end_id = ?`,
				int64(p.ID), int64(r.ID), p.EndToEndID); err != nil {
				return fmt.Errorf("link run payment: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return Run{}, err
	}
	return s.GetRun(ctx, companyID, id)
}

// runPaymentError says which supplier's payment a run could not post.
func runPaymentError(plan *paymentPlan, err error) error {
	var e *backoffice.Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Message = fmt.Sprintf("the payment to %s (%s) cannot be posted: %s", plan.party.Name(), plan.in.EndToEndID, e.Message)
	return &out
}
