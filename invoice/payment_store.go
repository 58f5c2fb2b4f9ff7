package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

const paymentColumns = `p.id, p.company_id, p.number, p.direction, p.state, p.party_id, pa.legal_name, pa.trade_name, p.date, p.account_id, a.code,
	p.currency, p.rate, p.amount, p.reference, p.end_to_end_id, p.unallocated, p.unallocated_line, p.write_off, p.write_off_account_id,
	p.write_off_reason, p.run_id, p.entry_id, p.reversal_entry_id, p.reversal_reason, p.version, p.created_at, p.updated_at`

const paymentFrom = ` FROM payments p JOIN parties pa ON pa.id = p.party_id JOIN ledger_accounts a ON a.id = p.account_id`

func scanPayment(s scanner) (Payment, error) {
	var p Payment
	var legal, trade string
	var e2e sql.NullString
	var restLine, writeOffAccount, run, reversal sql.NullInt64
	err := s.Scan(&p.ID, &p.CompanyID, &p.Number, &p.Direction, &p.State, &p.PartyID, &legal, &trade, &p.Date, &p.AccountID, &p.AccountCode,
		&p.Currency, &p.Rate, &p.Amount, &p.Reference, &e2e, &p.Unallocated, &restLine, &p.WriteOff, &writeOffAccount,
		&p.WriteOffReason, &run, &p.EntryID, &reversal, &p.ReversalReason, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return p, err
	}
	p.PartyName, p.EndToEndID = cmpOr(trade, legal), e2e.String
	p.UnallocatedLine, p.WriteOffAccountID = int(restLine.Int64), backoffice.ID(writeOffAccount.Int64)
	p.RunID, p.ReversalEntryID = backoffice.ID(run.Int64), backoffice.ID(reversal.Int64)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, nil
}

// getPayment reads one payment of the company with its allocations.
func getPayment(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Payment, error) {
	p, err := scanPayment(q.QueryRowContext(ctx, `SELECT `+paymentColumns+paymentFrom+` WHERE p.id = ? AND p.company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Payment{}, notFound("payment", id)
	}
	if err != nil {
		return Payment{}, fmt.Errorf("read payment: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.seq, l.document_id, d.number, l.credit_payment_id, c.number, l.amount, l.discount, l.entry_line, l.reconciliation_id
		FROM payment_allocations l LEFT JOIN invoice_documents d ON d.id = l.document_id LEFT JOIN payments c ON c.id = l.credit_payment_id
		WHERE l.payment_id = ? ORDER BY l.seq`, int64(id))
	if err != nil {
		return Payment{}, fmt.Errorf("read allocations: %w", err)
	}
	defer rows.Close()
	p.Allocations = []Allocation{}
	for rows.Next() {
		var a Allocation
		var doc, credit, rec sql.NullInt64
		var docNumber, creditNumber sql.NullString
		if err := rows.Scan(&a.Seq, &doc, &docNumber, &credit, &creditNumber, &a.Amount, &a.Discount, &a.EntryLine, &rec); err != nil {
			return Payment{}, fmt.Errorf("read allocations: %w", err)
		}
		a.DocumentID, a.DocumentNumber = backoffice.ID(doc.Int64), docNumber.String
		a.PaymentID, a.PaymentNumber, a.ReconciliationID = backoffice.ID(credit.Int64), creditNumber.String, backoffice.ID(rec.Int64)
		p.Allocations = append(p.Allocations, a)
	}
	return p, rows.Err()
}

// GetPayment returns one payment of the company with its allocations.
func (s *Service) GetPayment(ctx context.Context, companyID, id backoffice.ID) (Payment, error) {
	return getPayment(ctx, s.DB, companyID, id)
}

func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func insertPayment(ctx context.Context, tx *sqldb.Tx, p *Payment) error {
	var restLine any
	if p.UnallocatedLine != 0 {
		restLine = p.UnallocatedLine
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO payments (company_id, number, direction, state, party_id, date, account_id, currency, rate, amount,
		reference, end_to_end_id, unallocated, unallocated_line, write_off, write_off_account_id, write_off_reason, run_id, entry_id, reversal_reason,
		version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?) RETURNING id`,
		int64(p.CompanyID), p.Number, string(p.Direction), string(p.State), int64(p.PartyID), p.Date, int64(p.AccountID), string(p.Currency), p.Rate,
		p.Amount, p.Reference, nullText(p.EndToEndID), p.Unallocated, restLine, p.WriteOff, nullID(p.WriteOffAccountID), p.WriteOffReason,
		nullID(p.RunID), int64(p.EntryID), p.Version, p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
	if err != nil {
		if sqldb.IsUniqueViolation(err) {
			return &backoffice.Error{Code: backoffice.EConflict, Message: fmt.Sprintf("end-to-end id %q is already used by another payment", p.EndToEndID),
				Fields: map[string]string{"end_to_end_id": "is already used"}}
		}
		return fmt.Errorf("insert payment: %w", err)
	}
	return nil
}

func insertAllocation(ctx context.Context, tx *sqldb.Tx, p Payment, a Allocation) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO payment_allocations (company_id, payment_id, seq, document_id, credit_payment_id, amount, discount,
		entry_line, reconciliation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, int64(p.CompanyID), int64(p.ID), a.Seq, nullID(a.DocumentID),
		nullID(a.PaymentID), a.Amount, a.Discount, a.EntryLine, nullID(a.ReconciliationID))
	if err != nil {
		return fmt.Errorf("insert allocation: %w", err)
	}
	return nil
}

// PaymentFilter narrows ListPayments.
type PaymentFilter struct {
	Direction Direction       // "" = both
	State     PaymentState    // "" = every state
	PartyID   backoffice.ID   // 0 = every party
	RunID     backoffice.ID   // 0 = any
	Document  backoffice.ID   // 0 = any; else the payments allocated to this document
	From, To  backoffice.Date // payment dates, inclusive; zero = open
	Query     string          // part of the number, reference, end-to-end id or party name, any case
	Page      backoffice.Page
}

type paymentPos struct {
	Date backoffice.Date `json:"d"`
	ID   backoffice.ID   `json:"id"`
}

// ListPayments returns one page of the company's payments, newest first,
// without their allocations, with a keyset cursor.
func (s *Service) ListPayments(ctx context.Context, companyID backoffice.ID, f PaymentFilter) (backoffice.List[Payment], error) {
	where := []string{"p.company_id = ?"}
	args := []any{int64(companyID)}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	v := backoffice.Validation{}
	if f.Direction != "" {
		v.Check(f.Direction.Valid(), "direction", "must be received or paid")
		add("p.direction = ?", string(f.Direction))
	}
	if f.State != "" {
		v.Check(f.State == PaymentPosted || f.State == PaymentReversed, "state", "must be posted or reversed")
		add("p.state = ?", string(f.State))
	}
	if err := v.Err("filter"); err != nil {
		return backoffice.List[Payment]{}, err
	}
	if f.PartyID != 0 {
		add("p.party_id = ?", int64(f.PartyID))
	}
	if f.RunID != 0 {
		add("p.run_id = ?", int64(f.RunID))
	}
	if f.Document != 0 {
		add("EXISTS (SELECT 1 FROM payment_allocations l WHERE l.payment_id = p.id AND l.document_id = ?)", int64(f.Document))
	}
	if !f.From.IsZero() {
		add("p.date >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("p.date <= ?", f.To)
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		like := "%" + escapeLike(q) + "%"
		add(`(LOWER(p.number) LIKE ? ESCAPE '\' OR LOWER(p.reference) LIKE ? ESCAPE '\' OR LOWER(COALESCE(p.end_to_end_id, '')) LIKE ? ESCAPE '\'
			OR LOWER(pa.legal_name) LIKE ? ESCAPE '\' OR LOWER(pa.trade_name) LIKE ? ESCAPE '\')`, like, like, like, like, like)
	}
	if f.Page.After != "" {
		var pos paymentPos
		if err := decodeCursor(f.Page.After, "payments", &pos); err != nil {
			return backoffice.List[Payment]{}, err
		}
		add("(p.date < ? OR (p.date = ? AND p.id < ?))", pos.Date, pos.Date, int64(pos.ID))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`SELECT %s%s WHERE %s ORDER BY p.date DESC, p.id DESC LIMIT %d`,
		paymentColumns, paymentFrom, strings.Join(where, " AND "), limit+1), args...)
	if err != nil {
		return backoffice.List[Payment]{}, fmt.Errorf("list payments: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Payment]{Items: []Payment{}}
	for rows.Next() {
		p, err := scanPayment(rows)
		if err != nil {
			return backoffice.List[Payment]{}, fmt.Errorf("list payments: %w", err)
		}
		out.Items = append(out.Items, p)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Payment]{}, fmt.Errorf("list payments: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = encodeCursor("payments", paymentPos{Date: last.Date, ID: last.ID})
	}
	return out, nil
}
