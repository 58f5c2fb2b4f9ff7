package bank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/bank/reconcile"
	"backoffice/sqldb"
)

// Unreconcile undoes the live reconciliation of a statement line in one
// transaction: the open items it settled are open again (ledger
// UnmatchTx), the entry it posted is reversed on its own date, and the line
// is unreconciled. A link to an entry posted elsewhere is only removed: the
// entry stays.
func (s *Service) Unreconcile(ctx context.Context, companyID, lineID backoffice.ID, reason string) error {
	if len(reason) < 3 {
		return fieldError("reason", "is required: say why the line is no longer reconciled")
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := liveReconciliation(ctx, tx, companyID, lineID)
		if err != nil {
			return err
		}
		for _, m := range r.Matches {
			if err := s.Ledger.UnmatchTx(ctx, tx, companyID, m, "statement line unreconciled: "+reason); err != nil {
				return err
			}
		}
		var reversal any
		if r.Posted {
			e, err := s.Ledger.ReverseTx(ctx, tx, companyID, r.EntryID, backoffice.Date{}, "statement line unreconciled: "+reason)
			if err != nil {
				return err
			}
			reversal = int64(e.ID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bank_reconciliations SET undone_at = ?, undone_by = ?, undo_reason = ?, reversal_entry_id = ?
			WHERE id = ?`, s.now(), backoffice.ActorFrom(ctx).Label(), reason, reversal, int64(r.ID)); err != nil {
			return fmt.Errorf("undo reconciliation: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "bank_statement_line", EntityID: lineID.String(),
			Action: "unreconcile", Old: map[string]any{"reconciliation_id": r.ID, "kind": r.Kind, "entry_id": r.EntryID}, Reason: reason})
		return err
	})
}

// Reconciliation returns the live reconciliation of a statement line, or
// not_found when the line is open.
func (s *Service) Reconciliation(ctx context.Context, companyID, lineID backoffice.ID) (Reconciled, error) {
	return liveReconciliation(ctx, s.DB, companyID, lineID)
}

const reconciledColumns = `id, statement_line_id, bank_account_id, kind, method, entry_id, line_no, posted, confidence, matches, created_by, created_at`

func scanReconciled(r scanner) (Reconciled, error) {
	var out Reconciled
	var matches string
	var at time.Time
	err := r.Scan(&out.ID, &out.StatementLineID, &out.BankAccountID, &out.Kind, &out.Method, &out.EntryID, &out.LineNo, &out.Posted,
		&out.Confidence, &matches, &out.CreatedBy, &at)
	out.Matches, out.CreatedAt = parseIDs(matches), at.UTC().Format("2006-01-02T15:04:05Z")
	return out, err
}

func liveReconciliation(ctx context.Context, q sqldb.Querier, companyID, lineID backoffice.ID) (Reconciled, error) {
	r, err := scanReconciled(q.QueryRowContext(ctx, `SELECT `+reconciledColumns+` FROM bank_reconciliations
		WHERE company_id = ? AND statement_line_id = ? AND undone_at IS NULL`, int64(companyID), int64(lineID)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, backoffice.Errorf(backoffice.ENotFound, "bank statement line %d is not reconciled", lineID)
	}
	if err != nil {
		return r, fmt.Errorf("read reconciliation: %w", err)
	}
	return r, nil
}

// StatementReconciliations returns the live reconciliations of a
// statement's lines, keyed by line.
func (s *Service) StatementReconciliations(ctx context.Context, companyID, statementID backoffice.ID) (map[backoffice.ID]Reconciled, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+reconciledColumns+` FROM bank_reconciliations WHERE company_id = ? AND undone_at IS NULL
		AND statement_line_id IN (SELECT id FROM bank_statement_lines WHERE statement_id = ?)`, int64(companyID), int64(statementID))
	if err != nil {
		return nil, fmt.Errorf("read reconciliations: %w", err)
	}
	defer rows.Close()
	out := map[backoffice.ID]Reconciled{}
	for rows.Next() {
		r, err := scanReconciled(rows)
		if err != nil {
			return nil, fmt.Errorf("read reconciliations: %w", err)
		}
		out[r.StatementLineID] = r
	}
	return out, rows.Err()
}

// AutoResult counts what AutoReconcile did.
type AutoResult struct {
	Lines     int      `json:"lines"`     // unreconciled lines examined
	Confirmed int      `json:"confirmed"` // reconciled automatically
	Left      int      `json:"left"`      // left for a person
	Failed    []string `json:"failed,omitempty"`
}

// AutoReconcile confirms every suggestion of the statement that the engine
// marks automatic, each line in its own transaction (one refusal, such as a
// closed period, leaves the others confirmed), and says how many it
// confirmed and left.
func (s *Service) AutoReconcile(ctx context.Context, companyID, statementID backoffice.ID, opt reconcile.Options) (AutoResult, error) {
	sug, err := s.Suggest(ctx, companyID, SuggestFilter{StatementID: statementID, Options: opt})
	if err != nil {
		return AutoResult{}, err
	}
	return s.confirmAuto(ctx, companyID, sug)
}

// confirmAuto reconciles the automatic candidates of sug.
func (s *Service) confirmAuto(ctx context.Context, companyID backoffice.ID, sug []Suggestion) (AutoResult, error) {
	res := AutoResult{Lines: len(sug)}
	for _, sg := range sug {
		c := sg.Auto()
		if c == nil {
			res.Left++
			continue
		}
		_, err := s.Reconcile(ctx, companyID, sg.Line.ID, c.Input(MethodAuto))
		var be *backoffice.Error
		switch {
		case err == nil:
			res.Confirmed++
		case errors.As(err, &be):
			res.Left++
			res.Failed = append(res.Failed, fmt.Sprintf("line %d: %s", sg.Line.ID, be.Message))
		default:
			return res, err
		}
	}
	return res, nil
}

// Input is the ReconcileInput that confirms the candidate: its items for
// the amounts proposed, a fee difference to bank charges, another one kept
// open on the party.
func (c Candidate) Input(method string) ReconcileInput {
	in := ReconcileInput{Method: method, Confidence: c.Confidence}
	for _, it := range c.Items {
		in.Items = append(in.Items, ItemAllocation{Item: it.Item, Amount: it.Amount})
	}
	return in
}

// reconcileImported runs AutoReconcile on the statements an import stored.
// The import has committed: a failure is reported on the statement, never
// returned as the import's error.
func (s *Service) reconcileImported(ctx context.Context, companyID backoffice.ID, rep *ImportReport) {
	for i, st := range rep.Statements {
		if st.ID == 0 || st.NewLines == 0 {
			continue
		}
		res, err := s.AutoReconcile(ctx, companyID, st.ID, reconcile.Options{})
		if err != nil {
			res.Failed = append(res.Failed, "automatic reconciliation: "+err.Error())
		}
		rep.Statements[i].Reconciled = &res
	}
}
