package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// checkDraft validates what a draft must have even before it balances.
func (s *Service) checkDraft(ctx context.Context, companyID backoffice.ID, in NewEntry) error {
	v := backoffice.Validation{}
	j, err := newLookup(s.DB).journal(ctx, companyID, in.JournalID)
	if err != nil {
		return err
	}
	v.Check(j != nil, "journal_id", "is not a journal of this company")
	v.Check(!in.Date.IsZero(), "date", "is required")
	v.Check(len(in.Lines) <= maxLines, "lines", fmt.Sprintf("an entry has at most %d lines", maxLines))
	v.Check(in.IdempotencyKey == "", "idempotency_key", "applies to posting; a draft is created once")
	return v.Err("draft entry")
}

// CreateDraft stores an entry as a draft: it needs a journal and a date but
// may be unbalanced; PostDraft validates it fully.
func (s *Service) CreateDraft(ctx context.Context, companyID backoffice.ID, in NewEntry) (Entry, error) {
	if err := s.checkDraft(ctx, companyID, in); err != nil {
		return Entry{}, err
	}
	lines, _ := json.Marshal(in.Lines)
	now := s.now()
	var id backoffice.ID
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO ledger_entries (company_id, journal_id, state, date, reference, narration, amount,
			line_count, reason, content_hash, draft_lines, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, 0, ?, '', '', ?, ?, ?, 1) RETURNING id`,
			int64(companyID), int64(in.JournalID), string(Draft), in.Date, in.Reference, in.Narration, len(in.Lines), string(lines), now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert draft entry: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal_entry", EntityID: id.String(), Action: "create",
			New: map[string]any{"state": Draft, "journal_id": in.JournalID, "date": in.Date, "reference": in.Reference, "lines": len(in.Lines)}})
		return err
	})
	if err != nil {
		return Entry{}, err
	}
	return s.GetEntry(ctx, companyID, id)
}

// UpdateDraft replaces a draft's content when version is still its current
// version (EPrecondition otherwise). Posted entries cannot be updated.
func (s *Service) UpdateDraft(ctx context.Context, companyID, id backoffice.ID, version int64, in NewEntry) (Entry, error) {
	if err := s.checkDraft(ctx, companyID, in); err != nil {
		return Entry{}, err
	}
	lines, _ := json.Marshal(in.Lines)
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := s.draftForChange(ctx, tx, companyID, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_entries SET journal_id = ?, date = ?, reference = ?, narration = ?, line_count = ?,
			draft_lines = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			int64(in.JournalID), in.Date, in.Reference, in.Narration, len(in.Lines), string(lines), s.now(), int64(id)); err != nil {
			return fmt.Errorf("update draft entry: %w", err)
		}
		old, new, err := audit.Diff(NewEntry{JournalID: before.JournalID, Date: before.Date, Reference: before.Reference,
			Narration: before.Narration, Lines: before.draftLines}, in)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal_entry", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return Entry{}, err
	}
	return s.GetEntry(ctx, companyID, id)
}

// draftForChange reads a draft that the caller may change at version.
func (s *Service) draftForChange(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID, version int64) (storedEntry, error) {
	e, err := getEntry(ctx, q, companyID, id)
	if err != nil {
		return e, err
	}
	if e.State != Draft {
		return e, backoffice.Errorf(backoffice.EConflict, "entry %d is %s, not a draft: a posted entry is reversed, a pending one posted or voided", e.ID, e.State)
	}
	if version != 0 && e.Version != version {
		return e, backoffice.Errorf(backoffice.EPrecondition, "the draft was changed by someone else (version %d, you had %d); reload it", e.Version, version)
	}
	return e, nil
}

// DeleteDraft removes a draft entry; posted entries are reversed, never deleted.
func (s *Service) DeleteDraft(ctx context.Context, companyID, id backoffice.ID, version int64) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		e, err := s.draftForChange(ctx, tx, companyID, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_entries WHERE id = ? AND state = ?`, int64(id), string(Draft)); err != nil {
			return fmt.Errorf("delete draft entry: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal_entry", EntityID: id.String(), Action: "delete",
			Old: map[string]any{"state": Draft, "date": e.Date, "reference": e.Reference}})
		return err
	})
}

// PostDraft validates a draft as Post would and posts it: it gets its number
// and never changes again. version 0 posts whatever version is current.
func (s *Service) PostDraft(ctx context.Context, companyID, id backoffice.ID, version int64) (Entry, error) {
	d, err := s.draftForChange(ctx, s.DB, companyID, id, version)
	if err != nil {
		return Entry{}, err
	}
	in := NewEntry{JournalID: d.JournalID, Date: d.Date, Reference: d.Reference, Narration: d.Narration, Lines: d.draftLines}
	p, err := s.prepareOne(ctx, companyID, in)
	if err != nil {
		return Entry{}, err
	}
	p.draft = &d.Entry
	return s.commitOne(ctx, p)
}

// markDraftPosted turns the draft (or pending) row into the posted entry.
func markDraftPosted(ctx context.Context, tx *sqldb.Tx, p *prepared, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE ledger_entries SET state = ?, number = ?, fiscal_year = ?, amount = ?, line_count = ?,
		content_hash = ?, draft_lines = NULL, posted_at = ?, expires_at = NULL, updated_at = ?, version = version + 1
		WHERE id = ? AND state = ? AND version = ?`,
		string(Posted), p.out.Number, p.out.FiscalYear, p.amount, len(p.lines), p.hash, now, now, int64(p.draft.ID), string(p.draft.State), p.draft.Version)
	if err != nil {
		return fmt.Errorf("post draft entry: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EConflict, "the %s entry changed, was posted or voided meanwhile; reload it", p.draft.State)
	}
	p.out.ID = p.draft.ID
	return nil
}
