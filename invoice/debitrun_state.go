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
	"backoffice/bank/pain"
	"backoffice/sqldb"
)

const debitRunColumns = `id, company_id, number, state, collection_date, due_by, account_id, currency, created_by,
	approved_by, approved_at, exported_at, confirmed_at, version, created_at, updated_at`

func scanDebitRun(s scanner) (DebitRun, error) {
	var r DebitRun
	var approvedBy sql.NullInt64
	var approved, exported, confirmed sql.NullTime
	err := s.Scan(&r.ID, &r.CompanyID, &r.Number, &r.State, &r.CollectionDate, &r.DueBy, &r.AccountID, &r.Currency,
		&r.CreatedBy, &approvedBy, &approved, &exported, &confirmed, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	r.ApprovedBy = backoffice.ID(approvedBy.Int64)
	at := func(t sql.NullTime) *time.Time {
		if !t.Valid {
			return nil
		}
		u := t.Time.UTC()
		return &u
	}
	r.ApprovedAt, r.ExportedAt, r.ConfirmedAt = at(approved), at(exported), at(confirmed)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, nil
}

// getDebitRun reads a run of the company with its lines.
func getDebitRun(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (DebitRun, error) {
	r, err := scanDebitRun(q.QueryRowContext(ctx, `SELECT `+debitRunColumns+` FROM debit_runs WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return DebitRun{}, notFound("direct debit run", id)
	}
	if err != nil {
		return DebitRun{}, fmt.Errorf("read direct debit run: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT l.seq, l.document_id, d.number, l.party_id, p.legal_name, p.trade_name, d.due_date, l.amount,
		l.mandate_id, m.reference, m.signed_on, m.iban, m.bic, m.scheme, l.sequence_type, l.end_to_end_id, l.payment_id
		FROM debit_run_lines l JOIN invoice_documents d ON d.id = l.document_id JOIN parties p ON p.id = l.party_id
		JOIN party_mandates m ON m.id = l.mandate_id WHERE l.run_id = ? ORDER BY l.seq`, int64(id))
	if err != nil {
		return DebitRun{}, fmt.Errorf("read direct debit run lines: %w", err)
	}
	defer rows.Close()
	r.Lines = []DebitLine{}
	for rows.Next() {
		var l DebitLine
		var number sql.NullString
		var legal, trade string
		var payment sql.NullInt64
		if err := rows.Scan(&l.Seq, &l.DocumentID, &number, &l.PartyID, &legal, &trade, &l.DueDate, &l.Amount, &l.MandateID, &l.MandateReference,
			&l.SignedOn, &l.IBAN, &l.BIC, &l.Scheme, &l.SequenceType, &l.EndToEndID, &payment); err != nil {
			return DebitRun{}, fmt.Errorf("read direct debit run lines: %w", err)
		}
		l.DocumentNumber, l.PartyName, l.PaymentID = number.String, cmpOr(trade, legal), backoffice.ID(payment.Int64)
		r.Total += l.Amount
		r.Lines = append(r.Lines, l)
	}
	r.Count = len(r.Lines)
	return r, rows.Err()
}

// GetDebitRun returns a direct debit run with its collections.
func (s *Service) GetDebitRun(ctx context.Context, companyID, id backoffice.ID) (DebitRun, error) {
	return getDebitRun(ctx, s.DB, companyID, id)
}

// DebitRunFilter narrows ListDebitRuns.
type DebitRunFilter struct {
	State DebitRunState // "" = every state
	Query string        // part of the run number, any case
	Page  backoffice.Page
}

// ListDebitRuns returns one page of the company's direct debit runs,
// newest first, with their totals but without their lines.
func (s *Service) ListDebitRuns(ctx context.Context, companyID backoffice.ID, f DebitRunFilter) (backoffice.List[DebitRun], error) {
	query := `SELECT ` + debitRunColumns + `, (SELECT COALESCE(SUM(amount), 0) FROM debit_run_lines l WHERE l.run_id = r.id),
		(SELECT COUNT(*) FROM debit_run_lines l WHERE l.run_id = r.id) FROM debit_runs r WHERE company_id = ?`
	args := []any{int64(companyID)}
	if f.State != "" {
		if !slices.Contains([]DebitRunState{DebitDraft, DebitApproved, DebitExported, DebitConfirmed, DebitCancelled}, f.State) {
			return backoffice.List[DebitRun]{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "filter has invalid fields",
				Fields: map[string]string{"state": "must be draft, approved, exported, confirmed or cancelled"}}
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
		if err := decodeCursor(f.Page.After, "debit-runs", &after); err != nil {
			return backoffice.List[DebitRun]{}, err
		}
		query += ` AND id < ?`
		args = append(args, int64(after))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1), args...)
	if err != nil {
		return backoffice.List[DebitRun]{}, fmt.Errorf("list direct debit runs: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[DebitRun]{Items: []DebitRun{}}
	for rows.Next() {
		var total, count int64
		r, err := scanDebitRun(runWithTotals{rows, &total, &count})
		if err != nil {
			return backoffice.List[DebitRun]{}, fmt.Errorf("list direct debit runs: %w", err)
		}
		r.Total, r.Count = total, int(count)
		out.Items = append(out.Items, r)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[DebitRun]{}, fmt.Errorf("list direct debit runs: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = encodeCursor("debit-runs", out.Items[limit-1].ID)
	}
	return out, nil
}

// moveDebitRun changes a run's state from one of from to to, stamping the
// matching column and logging the change.
func (s *Service) moveDebitRun(ctx context.Context, tx *sqldb.Tx, r *DebitRun, to DebitRunState, action, reason string, from ...DebitRunState) error {
	if !slices.Contains(from, r.State) {
		return backoffice.Errorf(backoffice.EConflict, "direct debit run %s is %s: it cannot be %s", r.Number, r.State, pastTense(action))
	}
	now := s.now()
	set := ""
	args := []any{string(to), now}
	switch to {
	case DebitApproved:
		set = ", approved_at = ?, approved_by = ?"
		args = append(args, now, int64(backoffice.ActorFrom(ctx).UserID))
	case DebitExported:
		set = ", exported_at = ?"
		args = append(args, now)
	case DebitConfirmed:
		set = ", confirmed_at = ?"
		args = append(args, now)
	}
	args = append(args, int64(r.ID), string(r.State), r.Version)
	res, err := tx.ExecContext(ctx, `UPDATE debit_runs SET state = ?, version = version + 1, updated_at = ?`+set+` WHERE id = ? AND state = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("%s direct debit run: %w", action, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EConflict, "direct debit run %s was changed meanwhile: reload it", r.Number)
	}
	old := r.State
	r.State, r.Version, r.UpdatedAt = to, r.Version+1, now
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: r.CompanyID, Entity: debitRunEntity, EntityID: r.ID.String(), Action: action,
		Old: map[string]any{"state": old}, New: map[string]any{"state": to}, Reason: reason})
	return err
}

func pastTense(action string) string {
	switch action {
	case "approve":
		return "approved"
	case "export":
		return "exported"
	case "confirm":
		return "confirmed"
	case "cancel":
		return "cancelled"
	}
	return action + "ed"
}

// debitTransition reads a run, moves it in one transaction and reads it back.
func (s *Service) debitTransition(ctx context.Context, companyID, id backoffice.ID, to DebitRunState, action, reason string, from ...DebitRunState) (DebitRun, error) {
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := getDebitRun(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		return s.moveDebitRun(ctx, tx, &r, to, action, reason, from...)
	})
	if err != nil {
		return DebitRun{}, err
	}
	return s.GetDebitRun(ctx, companyID, id)
}

// ApproveDebitRun approves a reviewed draft run for collection.
func (s *Service) ApproveDebitRun(ctx context.Context, companyID, id backoffice.ID) (DebitRun, error) {
	return s.debitTransition(ctx, companyID, id, DebitApproved, "approve", "", DebitDraft)
}

// MarkDebitRunExported records that the approved run's pain.008 file was
// written for the bank. Exporting again later writes the same file.
func (s *Service) MarkDebitRunExported(ctx context.Context, companyID, id backoffice.ID) (DebitRun, error) {
	return s.debitTransition(ctx, companyID, id, DebitExported, "export", "", DebitApproved)
}

// CancelDebitRun cancels a run that is not confirmed; its invoices can be
// selected again.
func (s *Service) CancelDebitRun(ctx context.Context, companyID, id backoffice.ID, reason string) (DebitRun, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) < 3 || len(reason) > 500 {
		return DebitRun{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "say why the run is cancelled", Fields: map[string]string{"reason": "is required (3 to 500 characters)"}}
	}
	return s.debitTransition(ctx, companyID, id, DebitCancelled, "cancel", reason, DebitDraft, DebitApproved, DebitExported)
}

// ConfirmDebitRun records that the bank collected an approved or exported
// run: one received payment per collection is posted, allocated to its
// invoice and carrying its end-to-end id, and each mandate moves on (FRST
// to RCUR; an OOFF or FNAL mandate ends), all in one transaction with the
// run's new state. When an invoice was paid otherwise meanwhile, nothing
// is posted and the error names it.
func (s *Service) ConfirmDebitRun(ctx context.Context, companyID, id backoffice.ID) (DebitRun, error) {
	r, err := s.GetDebitRun(ctx, companyID, id)
	if err != nil {
		return DebitRun{}, err
	}
	if r.State != DebitApproved && r.State != DebitExported {
		return DebitRun{}, backoffice.Errorf(backoffice.EConflict, "direct debit run %s is %s: only an approved or exported run is confirmed", r.Number, r.State)
	}
	plans := make([]*paymentPlan, len(r.Lines))
	for i, l := range r.Lines {
		in := PaymentInput{Direction: Received, PartyID: l.PartyID, Date: r.CollectionDate, AccountID: r.AccountID, Currency: r.Currency,
			Amount: l.Amount, Reference: r.Number + " " + l.MandateReference, EndToEndID: l.EndToEndID,
			Allocations: []AllocationInput{{DocumentID: l.DocumentID, Amount: l.Amount}}}
		if plans[i], err = s.planPayment(ctx, companyID, in); err != nil {
			return DebitRun{}, fmt.Errorf("collection %s from %s: %w", l.EndToEndID, l.PartyName, err)
		}
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.moveDebitRun(ctx, tx, &r, DebitConfirmed, "confirm", "", DebitApproved, DebitExported); err != nil {
			return err
		}
		for i, plan := range plans {
			p, err := s.postPaymentTx(ctx, tx, plan)
			if err != nil {
				return runPaymentError(plan, err)
			}
			l := r.Lines[i]
			if _, err := tx.ExecContext(ctx, `UPDATE debit_run_lines SET payment_id = ? WHERE run_id = ? AND seq = ?`, int64(p.ID), int64(r.ID), l.Seq); err != nil {
				return fmt.Errorf("link collection payment: %w", err)
			}
			if _, err := s.Party.MandateCollectedTx(ctx, tx, companyID, l.MandateID, r.CollectionDate, "collected by "+r.Number+" ("+l.EndToEndID+")"); err != nil {
				return fmt.Errorf("collection %s: %w", l.EndToEndID, err)
			}
		}
		return nil
	})
	if err != nil {
		return DebitRun{}, err
	}
	return s.GetDebitRun(ctx, companyID, id)
}

// DirectDebit is the run as a pain.008 file into the creditor's account
// (its name, IBAN and BIC, and the SEPA creditor id of the company
// details): one collection per line with its end-to-end id, mandate and
// sequence type, on the run's collection date. The message id is the same
// for every export of one run (BO-<company>-D<run>), so a bank refuses a
// second upload of the same run. All collections of one file share a
// scheme; a run mixing CORE and B2B mandates is refused.
func (r DebitRun) DirectDebit(creditor pain.Creditor, created time.Time) (pain.DirectDebit, error) {
	if r.State != DebitApproved && r.State != DebitExported {
		return pain.DirectDebit{}, backoffice.Errorf(backoffice.EConflict, "direct debit run %s is %s: only an approved run goes to the bank", r.Number, r.State)
	}
	if creditor.CreditorID == "" {
		return pain.DirectDebit{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "the company has no SEPA creditor identifier: enter it in the company details first",
			Fields: map[string]string{"creditor_id": "is required for direct debits"}}
	}
	dd := pain.DirectDebit{MessageID: fmt.Sprintf("BO-%d-D%d", r.CompanyID, r.ID), CreationTime: created, Creditor: creditor,
		RequestedCollectionDate: r.CollectionDate}
	for _, l := range r.Lines {
		switch {
		case dd.LocalInstrument == "":
			dd.LocalInstrument = l.Scheme
		case dd.LocalInstrument != l.Scheme:
			return pain.DirectDebit{}, backoffice.Errorf(backoffice.EInvalid, "run %s mixes %s and %s mandates (%s): a file holds one scheme, so remove those collections and make a second run",
				r.Number, dd.LocalInstrument, l.Scheme, l.MandateReference)
		}
		dd.Collections = append(dd.Collections, pain.Collection{EndToEndID: l.EndToEndID, Amount: l.Amount, Currency: r.Currency,
			Debtor: pain.Account{Name: l.PartyName, IBAN: l.IBAN, BIC: l.BIC}, MandateID: l.MandateReference, MandateSignatureDate: l.SignedOn,
			SequenceType: l.SequenceType, Remittance: "Invoice " + pain.Latin(l.DocumentNumber)})
	}
	return dd, nil
}

// RemoveDebitLine takes an invoice out of a draft run during review; the
// run's last collection cannot go (cancel the run instead).
func (s *Service) RemoveDebitLine(ctx context.Context, companyID, id backoffice.ID, seq int) (DebitRun, error) {
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := getDebitRun(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if r.State != DebitDraft {
			return backoffice.Errorf(backoffice.EConflict, "direct debit run %s is %s: only a draft run changes", r.Number, r.State)
		}
		i := slices.IndexFunc(r.Lines, func(l DebitLine) bool { return l.Seq == seq })
		if i < 0 {
			return backoffice.Errorf(backoffice.ENotFound, "direct debit run %s has no collection %d", r.Number, seq)
		}
		if len(r.Lines) == 1 {
			return backoffice.Errorf(backoffice.EConflict, "collection %d is the run's last: cancel the run instead", seq)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM debit_run_lines WHERE run_id = ? AND seq = ?`, int64(r.ID), seq); err != nil {
			return fmt.Errorf("remove collection: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE debit_runs SET version = version + 1, updated_at = ? WHERE id = ?`, s.now(), int64(r.ID)); err != nil {
			return fmt.Errorf("remove collection: %w", err)
		}
		l := r.Lines[i]
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: debitRunEntity, EntityID: r.ID.String(), Action: "remove_line",
			Old: map[string]any{"document": l.DocumentNumber, "end_to_end_id": l.EndToEndID, "amount": backoffice.FormatMinor(l.Amount, r.Currency.Exponent())}})
		return err
	})
	if err != nil {
		return DebitRun{}, err
	}
	return s.GetDebitRun(ctx, companyID, id)
}
