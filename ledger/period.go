package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// FiscalYear is a company's accounting year, named after the calendar year it
// ends in (a year from July 2025 to June 2026 is 2026), with its periods.
type FiscalYear struct {
	ID        backoffice.ID   `json:"id"`
	CompanyID backoffice.ID   `json:"company_id"`
	Year      int             `json:"year"`
	Start     backoffice.Date `json:"start"`
	End       backoffice.Date `json:"end"`
	Periods   []Period        `json:"periods"`
}

// Period is one month of a fiscal year, numbered from 1.
type Period struct {
	Number int             `json:"number"`
	Start  backoffice.Date `json:"start"`
	End    backoffice.Date `json:"end"`
}

// fiscalYearOf returns the fiscal year that contains d when years start on
// the first day of startMonth.
func fiscalYearOf(d backoffice.Date, startMonth time.Month) (year int, start, end backoffice.Date) {
	y := d.Year
	if d.Month < startMonth {
		y--
	}
	start = backoffice.NewDate(y, startMonth, 1)
	end = start.AddMonths(12).AddDays(-1)
	return end.Year, start, end
}

// fiscalStartMonth reads the month the company's fiscal years start in
// (January unless set).
func fiscalStartMonth(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (time.Month, error) {
	var m int
	err := q.QueryRowContext(ctx, `SELECT fiscal_start_month FROM ledger_settings WHERE company_id = ?`, int64(companyID)).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return time.January, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read fiscal year start: %w", err)
	}
	return time.Month(m), nil
}

// SetFiscalYearStart sets the month the company's fiscal years start in. It
// can change only while the company has no fiscal year yet.
func (s *Service) SetFiscalYearStart(ctx context.Context, companyID backoffice.ID, month time.Month) error {
	if month < time.January || month > time.December {
		return fieldError("fiscal_start_month", "must be a month from 1 to 12")
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := companyCurrency(ctx, tx, companyID); err != nil {
			return err
		}
		before, err := fiscalStartMonth(ctx, tx, companyID)
		if err != nil {
			return err
		}
		if before == month {
			return nil
		}
		var years int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_fiscal_years WHERE company_id = ?`, int64(companyID)).Scan(&years); err != nil {
			return fmt.Errorf("count fiscal years: %w", err)
		}
		if years > 0 {
			return backoffice.Errorf(backoffice.EConflict, "the company already has fiscal years; their start month cannot change")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO ledger_settings (company_id, fiscal_start_month, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET fiscal_start_month = excluded.fiscal_start_month, updated_at = excluded.updated_at`,
			int64(companyID), int(month), s.now())
		if err != nil {
			return fmt.Errorf("save fiscal year start: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_settings", EntityID: companyID.String(), Action: "update",
			Old: map[string]any{"fiscal_start_month": int(before)}, New: map[string]any{"fiscal_start_month": int(month)}})
		return err
	})
}

// ensureFiscalYear creates the fiscal year containing d, with its monthly
// periods, unless it exists; it returns the year's name. Concurrent callers
// are safe: the unique (company, year) key makes all but one do nothing.
func (s *Service) ensureFiscalYear(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, startMonth time.Month, d backoffice.Date) (int, error) {
	year, start, end := fiscalYearOf(d, startMonth)
	type key struct {
		company backoffice.ID
		year    int
	}
	if _, ok := s.fiscalYears.Load(key{companyID, year}); ok {
		return year, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_fiscal_years (company_id, year, start_date, end_date, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (company_id, year) DO NOTHING RETURNING id`, int64(companyID), year, start, end, s.now()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		s.fiscalYears.Store(key{companyID, year}, true)
		return year, nil
	}
	if err != nil {
		return 0, fmt.Errorf("create fiscal year %d: %w", year, err)
	}
	for n := 1; n <= 12; n++ {
		ps := start.AddMonths(n - 1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO ledger_periods (fiscal_year_id, company_id, number, start_date, end_date) VALUES (?, ?, ?, ?, ?)`,
			id, int64(companyID), n, ps, start.AddMonths(n).AddDays(-1)); err != nil {
			return 0, fmt.Errorf("create period %d of %d: %w", n, year, err)
		}
	}
	// Not remembered yet: the transaction may still roll back.
	return year, nil
}

// FiscalYears lists the company's fiscal years, oldest first, with periods.
func (s *Service) FiscalYears(ctx context.Context, companyID backoffice.ID) ([]FiscalYear, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT y.id, y.year, y.start_date, y.end_date, p.number, p.start_date, p.end_date
		FROM ledger_fiscal_years y JOIN ledger_periods p ON p.fiscal_year_id = y.id
		WHERE y.company_id = ? ORDER BY y.start_date, p.number`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list fiscal years: %w", err)
	}
	defer rows.Close()
	out := []FiscalYear{}
	for rows.Next() {
		var y FiscalYear
		var p Period
		if err := rows.Scan(&y.ID, &y.Year, &y.Start, &y.End, &p.Number, &p.Start, &p.End); err != nil {
			return nil, fmt.Errorf("list fiscal years: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != y.ID {
			y.CompanyID = companyID
			out = append(out, y)
		}
		last := &out[len(out)-1]
		last.Periods = append(last.Periods, p)
	}
	return out, rows.Err()
}

// LockDate forbids posting on or before Date, in all journals (JournalType
// "") or in journals of one type.
type LockDate struct {
	JournalType string          `json:"journal_type"`
	Date        backoffice.Date `json:"date"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// LockDates lists the company's lock dates.
func (s *Service) LockDates(ctx context.Context, companyID backoffice.ID) ([]LockDate, error) {
	return lockDates(ctx, s.DB, companyID)
}

func lockDates(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) ([]LockDate, error) {
	rows, err := q.QueryContext(ctx, `SELECT journal_type, lock_date, updated_at FROM ledger_lock_dates WHERE company_id = ? ORDER BY journal_type`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read lock dates: %w", err)
	}
	defer rows.Close()
	out := []LockDate{}
	for rows.Next() {
		var l LockDate
		if err := rows.Scan(&l.JournalType, &l.Date, &l.UpdatedAt); err != nil {
			return nil, fmt.Errorf("read lock dates: %w", err)
		}
		l.UpdatedAt = l.UpdatedAt.UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}

// SetLockDate locks the company's books (journalType "") or one journal type
// up to and including date. Moving a lock date back, or clearing it with the
// zero date, reopens posted periods: it needs a reason, which the change log
// keeps.
func (s *Service) SetLockDate(ctx context.Context, companyID backoffice.ID, journalType string, date backoffice.Date, reason string) error {
	if journalType != "" && !validJournalType(journalType) {
		return fieldError("journal_type", "must be empty (all journals) or a journal type")
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := companyCurrency(ctx, tx, companyID); err != nil {
			return err
		}
		locks, err := lockDates(ctx, tx, companyID)
		if err != nil {
			return err
		}
		var before backoffice.Date
		for _, l := range locks {
			if l.JournalType == journalType {
				before = l.Date
			}
		}
		reopens := !before.IsZero() && (date.IsZero() || date.Before(before))
		if reopens && len(reason) < 3 {
			return fieldError("reason", "is required to move a lock date back: say why the period reopens")
		}
		if date.IsZero() {
			_, err = tx.ExecContext(ctx, `DELETE FROM ledger_lock_dates WHERE company_id = ? AND journal_type = ?`, int64(companyID), journalType)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO ledger_lock_dates (company_id, journal_type, lock_date, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (company_id, journal_type) DO UPDATE SET lock_date = excluded.lock_date, updated_at = excluded.updated_at`,
				int64(companyID), journalType, date, s.now())
		}
		if err != nil {
			return fmt.Errorf("save lock date: %w", err)
		}
		action := "lock"
		if reopens {
			action = "reopen"
		}
		scope := journalType
		if scope == "" {
			scope = "all"
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "lock_date", EntityID: companyID.String() + ":" + scope,
			Action: action, Old: map[string]any{"date": before}, New: map[string]any{"date": date}, Reason: reason})
		return err
	})
}

// checkLock returns period_closed when d is on or before the lock date of
// all journals or of journalType.
func checkLock(locks []LockDate, journalType string, d backoffice.Date) error {
	for _, l := range locks {
		if (l.JournalType == "" || l.JournalType == journalType) && !d.After(l.Date) {
			scope := "the books are"
			if l.JournalType != "" {
				scope = l.JournalType + " journals are"
			}
			return &backoffice.Error{Code: backoffice.EPeriodClosed,
				Message: fmt.Sprintf("%s is in a closed period: %s locked until %s", d, scope, l.Date),
				Fields:  map[string]string{"date": fmt.Sprintf("%s locked until %s", scope, l.Date)}}
		}
	}
	return nil
}
