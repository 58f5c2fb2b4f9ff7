package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

const closingColumns = `id, company_id, year, end_date, entry_id, reversal_id, reason, reopen_reason, closed_at, reopened_at`

func scanClosing(s scanner) (YearClosing, error) {
	var c YearClosing
	var entry, reversal sql.NullInt64
	var reopened sql.NullTime
	err := s.Scan(&c.ID, &c.CompanyID, &c.Year, &c.End, &entry, &reversal, &c.Reason, &c.ReopenReason, &c.ClosedAt, &reopened)
	c.EntryID, c.ReversalID, c.ClosedAt = backoffice.ID(entry.Int64), backoffice.ID(reversal.Int64), c.ClosedAt.UTC()
	if reopened.Valid {
		t := reopened.Time.UTC()
		c.ReopenedAt = &t
	}
	return c, err
}

// YearClosings lists the company's year closings, reopened ones included,
// oldest first.
func (s *Service) YearClosings(ctx context.Context, companyID backoffice.ID) ([]YearClosing, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+closingColumns+` FROM ledger_year_closings WHERE company_id = ? ORDER BY year, id`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list year closings: %w", err)
	}
	defer rows.Close()
	out := []YearClosing{}
	for rows.Next() {
		c, err := scanClosing(rows)
		if err != nil {
			return nil, fmt.Errorf("list year closings: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// closingInForce is the year's closing that was not reopened, nil if none.
func closingInForce(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, year int) (*YearClosing, error) {
	c, err := scanClosing(q.QueryRowContext(ctx, `SELECT `+closingColumns+` FROM ledger_year_closings
		WHERE company_id = ? AND year = ? AND reopened_at IS NULL`, int64(companyID), year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read year closing: %w", err)
	}
	return &c, nil
}

// ReopenYear undoes the close of a fiscal year: it moves the lock date of
// all journals back to the day before the year starts, reverses the
// closing entry on the year's last day, and marks the closing reopened. It
// needs a reason, which the change log keeps with each step. Later closed
// years must be reopened first. If an earlier call stopped half way, a new
// call finishes the work.
func (s *Service) ReopenYear(ctx context.Context, companyID backoffice.ID, fiscalYear int, reason string) (YearClosing, error) {
	if len(reason) < 3 {
		return YearClosing{}, fieldError("reason", "is required: say why the closed year reopens")
	}
	start, end, err := fiscalYearBounds(ctx, s.DB, companyID, fiscalYear)
	if err != nil {
		return YearClosing{}, err
	}
	c, err := closingInForce(ctx, s.DB, companyID, fiscalYear)
	if err != nil {
		return YearClosing{}, err
	}
	if c == nil {
		return YearClosing{}, backoffice.Errorf(backoffice.EConflict, "fiscal year %d is not closed", fiscalYear)
	}
	var later int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_year_closings WHERE company_id = ? AND year > ? AND reopened_at IS NULL`,
		int64(companyID), fiscalYear).Scan(&later); err != nil {
		return YearClosing{}, fmt.Errorf("read year closings: %w", err)
	}
	if later > 0 {
		return YearClosing{}, backoffice.Errorf(backoffice.EConflict, "a fiscal year after %d is closed; reopen the later years first", fiscalYear)
	}
	if err := s.unlockFrom(ctx, companyID, start, reason); err != nil {
		return YearClosing{}, err
	}
	if c.EntryID != 0 {
		if c.ReversalID, err = s.reverseClosing(ctx, companyID, c.EntryID, end, reason); err != nil {
			return YearClosing{}, err
		}
	}
	now := s.now()
	c.ReopenReason, c.ReopenedAt = reason, &now
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE ledger_year_closings SET reversal_id = ?, reopen_reason = ?, reopened_at = ? WHERE id = ? AND reopened_at IS NULL`,
			nullID(c.ReversalID), reason, now, int64(c.ID))
		if err != nil {
			return fmt.Errorf("reopen year: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return backoffice.Errorf(backoffice.EConflict, "fiscal year %d was reopened by someone else", fiscalYear)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "fiscal_year", EntityID: strconv.Itoa(fiscalYear),
			Action: "reopen", Old: map[string]any{"closing_entry_id": c.EntryID}, New: map[string]any{"reversal_id": c.ReversalID}, Reason: reason})
		return err
	})
	return *c, err
}

// unlockFrom moves the lock date of all journals back before start when it
// is on or after it.
func (s *Service) unlockFrom(ctx context.Context, companyID backoffice.ID, start backoffice.Date, reason string) error {
	locks, err := lockDates(ctx, s.DB, companyID)
	if err != nil {
		return err
	}
	for _, l := range locks {
		if l.JournalType == "" && !l.Date.Before(start) {
			return s.SetLockDate(ctx, companyID, "", start.AddDays(-1), reason)
		}
	}
	return nil
}

// reverseClosing reverses the closing entry on the year's last day, or
// returns the reversal an interrupted call already posted.
func (s *Service) reverseClosing(ctx context.Context, companyID, entryID backoffice.ID, end backoffice.Date, reason string) (backoffice.ID, error) {
	e, err := s.GetEntry(ctx, companyID, entryID)
	if err != nil {
		return 0, err
	}
	if e.ReversedByID != 0 {
		return e.ReversedByID, nil
	}
	r, err := s.Reverse(ctx, companyID, entryID, end, "reopening the year: "+reason)
	if err != nil {
		return 0, err
	}
	return r.ID, nil
}
