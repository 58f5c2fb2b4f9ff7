package ledger

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// PostPending is the first phase of a two-phase posting: the entry is
// validated as Post would, and its amounts are reserved against balance
// limits and shown as pending, but it has no number and moves no balance
// yet. PostPendingEntry posts it, VoidPending cancels it; with a timeout
// above zero it voids itself after that long (VoidExpired does it).
func (s *Service) PostPending(ctx context.Context, companyID backoffice.ID, in NewEntry, timeout time.Duration) (Entry, error) {
	p, err := s.prepareOne(ctx, companyID, in)
	if err != nil {
		return Entry{}, err
	}
	if p.existing != nil {
		return *p.existing, nil
	}
	now := s.now()
	var expires *time.Time
	if timeout > 0 {
		t := now.Add(timeout)
		expires = &t
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		limits, err := lockLimited(ctx, tx, []*prepared{p})
		if err != nil {
			return err
		}
		if err := insertPending(ctx, tx, p, now, expires); err != nil {
			return err
		}
		if err := applyPending(ctx, tx, []*prepared{p}, 1); err != nil {
			return err
		}
		if err := checkLimits(ctx, tx, limits); err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal_entry", EntityID: p.out.ID.String(), Action: "pending",
			New: map[string]any{"journal": p.journal.Code, "date": p.in.Date, "reference": p.in.Reference, "amount": p.amount, "expires_at": expires}})
		return err
	})
	if err != nil {
		return s.answerFailed(ctx, p, err)
	}
	return s.GetEntry(ctx, companyID, p.out.ID)
}

// insertPending stores a pending entry with its resolved lines.
func insertPending(ctx context.Context, tx *sqldb.Tx, p *prepared, now time.Time, expires *time.Time) error {
	lines := make([]NewLine, len(p.lines))
	for i, l := range p.lines {
		lines[i] = NewLine{AccountID: l.AccountID, Currency: l.Currency, Amount: l.Amount, CompanyAmount: l.CompanyAmount, Rate: l.Rate,
			PartyID: l.PartyID, Dimensions: l.Dimensions, TaxCode: l.TaxCode, DueDate: l.DueDate, Memo: l.Memo}
	}
	stored, _ := json.Marshal(lines)
	var key any
	if p.in.IdempotencyKey != "" {
		key = p.in.IdempotencyKey
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_entries (company_id, journal_id, state, date, reference, narration, amount, line_count,
		reason, idempotency_key, content_hash, draft_lines, expires_at, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		int64(p.companyID), int64(p.journal.ID), string(Pending), p.in.Date, p.in.Reference, p.in.Narration, p.amount, len(p.lines),
		key, p.hash, string(stored), expires, now, now).Scan(&p.out.ID)
	if err != nil && !sqldb.IsUniqueViolation(err) {
		err = fmt.Errorf("insert pending entry: %w", err)
	}
	return err
}

// PostPendingEntry is the second phase: the pending entry is validated
// again against today's chart and lock dates, gets its number and moves the
// balances; its reservation ends. An expired entry is voided instead and
// the answer is a conflict.
func (s *Service) PostPendingEntry(ctx context.Context, companyID, id backoffice.ID) (Entry, error) {
	e, err := s.pendingEntry(ctx, companyID, id)
	if err != nil {
		return Entry{}, err
	}
	in := NewEntry{JournalID: e.JournalID, Date: e.Date, Reference: e.Reference, Narration: e.Narration, Lines: e.draftLines}
	p, err := s.prepareOne(ctx, companyID, in)
	if err != nil {
		return Entry{}, err
	}
	p.draft, p.hash, p.in.IdempotencyKey = &e.Entry, e.hash, e.IdempotencyKey
	return s.commitOne(ctx, p)
}

// pendingEntry reads a pending entry, voiding it when it has expired.
func (s *Service) pendingEntry(ctx context.Context, companyID, id backoffice.ID) (storedEntry, error) {
	e, err := getEntry(ctx, s.DB, companyID, id)
	if err != nil {
		return e, err
	}
	if e.State != Pending {
		return e, backoffice.Errorf(backoffice.EConflict, "entry %d is %s, not pending", id, e.State)
	}
	if e.ExpiresAt != nil && !s.now().Before(*e.ExpiresAt) {
		if err := s.VoidPending(ctx, companyID, id, "timed out"); err != nil && backoffice.ErrorCode(err) != backoffice.EConflict {
			return e, err
		}
		return e, backoffice.Errorf(backoffice.EConflict, "pending entry %d expired at %s and is void", id, e.ExpiresAt.Format(time.RFC3339))
	}
	return e, nil
}

// VoidPending cancels a pending entry and releases its reservation.
func (s *Service) VoidPending(ctx context.Context, companyID, id backoffice.ID, reason string) error {
	if len(reason) < 3 {
		return fieldError("reason", "is required: say why the pending entry is voided")
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		e, err := getEntry(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE ledger_entries SET state = ?, reason = ?, updated_at = ?, version = version + 1 WHERE id = ? AND state = ?`,
			string(Voided), reason, s.now(), int64(id), string(Pending))
		if err != nil {
			return fmt.Errorf("void pending entry: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return backoffice.Errorf(backoffice.EConflict, "entry %d is %s, not pending", id, e.State)
		}
		p := &prepared{companyID: companyID, lines: draftToLines(e.draftLines)}
		if err := applyPending(ctx, tx, []*prepared{p}, -1); err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal_entry", EntityID: id.String(), Action: "void",
			Old: map[string]any{"state": Pending}, New: map[string]any{"state": Voided}, Reason: reason})
		return err
	})
}

// VoidExpired voids up to limit pending entries, of any company, whose
// timeout has passed, and returns how many it voided. A periodic job runs it.
func (s *Service) VoidExpired(ctx context.Context, limit int) (int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, company_id FROM ledger_entries WHERE expires_at <= ? AND state = ? ORDER BY expires_at LIMIT ?`,
		s.now(), string(Pending), limit)
	if err != nil {
		return 0, fmt.Errorf("find expired pending entries: %w", err)
	}
	var ids [][2]backoffice.ID
	for rows.Next() {
		var id, company backoffice.ID
		if err := rows.Scan(&id, &company); err != nil {
			rows.Close()
			return 0, fmt.Errorf("find expired pending entries: %w", err)
		}
		ids = append(ids, [2]backoffice.ID{id, company})
	}
	rows.Close()
	n := 0
	for _, x := range ids {
		err := s.VoidPending(ctx, x[1], x[0], "timed out")
		if backoffice.ErrorCode(err) == backoffice.EConflict {
			continue // posted or voided meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// applyPending adds (sign 1) or removes (sign -1) entries' amounts from the
// pending totals, in key order like the balance summaries.
func applyPending(ctx context.Context, tx *sqldb.Tx, ps []*prepared, sign int64) error {
	type key struct {
		account  backoffice.ID
		currency backoffice.Currency
	}
	deltas := map[key]*balanceDelta{}
	for _, p := range ps {
		for _, l := range p.lines {
			k := key{l.AccountID, l.Currency}
			if deltas[k] == nil {
				deltas[k] = &balanceDelta{company: p.companyID}
			}
			deltas[k].add(l)
		}
	}
	keys := make([]key, 0, len(deltas))
	for k := range deltas {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.account, b.account), strings.Compare(string(a.currency), string(b.currency)))
	})
	for _, k := range keys {
		d := deltas[k]
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_pending (account_id, currency, company_id, debit, credit, company_debit, company_credit, lines)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, currency) DO UPDATE SET
			debit = ledger_pending.debit + excluded.debit, credit = ledger_pending.credit + excluded.credit,
			company_debit = ledger_pending.company_debit + excluded.company_debit,
			company_credit = ledger_pending.company_credit + excluded.company_credit, lines = ledger_pending.lines + excluded.lines`,
			int64(k.account), string(k.currency), int64(d.company), sign*d.debit, sign*d.credit, sign*d.companyDebit, sign*d.companyCredit, sign*d.lines); err != nil {
			return fmt.Errorf("update pending totals: %w", err)
		}
	}
	return nil
}
