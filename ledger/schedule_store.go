package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

const scheduleSelect = `SELECT s.id, s.company_id, s.name, s.kind, s.journal_id, j.code, s.expense_account_id, ea.code,
	s.balance_account_id, ba.code, s.total, c.currency, s.periods, s.start_month, s.reference, s.posted_count, s.next_run,
	s.active, s.last_run_at, s.last_error, s.last_error_at, s.version, s.created_at, s.updated_at
	FROM ledger_schedules s JOIN ledger_journals j ON j.id = s.journal_id JOIN companies c ON c.id = s.company_id
	JOIN ledger_accounts ea ON ea.id = s.expense_account_id JOIN ledger_accounts ba ON ba.id = s.balance_account_id`

func scanSchedule(sc scanner) (Schedule, error) {
	var s Schedule
	var lastRun, lastErr sql.NullTime
	err := sc.Scan(&s.ID, &s.CompanyID, &s.Name, &s.Kind, &s.JournalID, &s.Journal, &s.ExpenseAccountID, &s.ExpenseAccount,
		&s.BalanceAccountID, &s.BalanceAccount, &s.Total, &s.Currency, &s.Periods, &s.StartMonth, &s.Reference, &s.PostedCount,
		&s.NextRun, &s.Active, &lastRun, &s.LastError, &lastErr, &s.Version, &s.CreatedAt, &s.UpdatedAt)
	s.LastRunAt, s.LastErrorAt = utcPtr(lastRun), utcPtr(lastErr)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return s, err
}

func getSchedule(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Schedule, error) {
	s, err := scanSchedule(q.QueryRowContext(ctx, scheduleSelect+` WHERE s.id = ? AND s.company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("schedule", id)
	}
	if err != nil {
		return s, fmt.Errorf("read schedule: %w", err)
	}
	return s, nil
}

func insertSchedule(ctx context.Context, tx *sqldb.Tx, s *Schedule) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_schedules (company_id, name, kind, journal_id, expense_account_id, balance_account_id,
		total, periods, start_month, reference, posted_count, next_run, active, last_error, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, '', 1, ?, ?) RETURNING id`,
		int64(s.CompanyID), s.Name, string(s.Kind), int64(s.JournalID), int64(s.ExpenseAccountID), int64(s.BalanceAccountID),
		s.Total, s.Periods, s.StartMonth, s.Reference, s.NextRun, s.Active, s.CreatedAt, s.UpdatedAt).Scan(&s.ID)
	if err != nil {
		return fmt.Errorf("insert schedule: %w", err)
	}
	return nil
}

// updateSchedule writes a schedule's content if it is still at version.
func updateSchedule(ctx context.Context, tx *sqldb.Tx, s Schedule, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE ledger_schedules SET name = ?, kind = ?, journal_id = ?, expense_account_id = ?,
		balance_account_id = ?, total = ?, periods = ?, start_month = ?, reference = ?, next_run = ?, active = ?, version = ?,
		updated_at = ? WHERE id = ? AND company_id = ? AND version = ?`,
		s.Name, string(s.Kind), int64(s.JournalID), int64(s.ExpenseAccountID), int64(s.BalanceAccountID), s.Total, s.Periods,
		s.StartMonth, s.Reference, s.NextRun, s.Active, s.Version, s.UpdatedAt, int64(s.ID), int64(s.CompanyID), version)
	if err != nil {
		return fmt.Errorf("update schedule: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EPrecondition, "the schedule was changed meanwhile; reload it")
	}
	return nil
}

// GetSchedule reads one schedule.
func (s *Service) GetSchedule(ctx context.Context, companyID, id backoffice.ID) (Schedule, error) {
	return getSchedule(ctx, s.DB, companyID, id)
}

// ScheduleFilter narrows ListSchedules: Search matches the name or the
// reference; Failing keeps schedules whose last run failed.
type ScheduleFilter struct {
	Search  string
	Kind    ScheduleKind
	Failing bool
	Page    backoffice.Page
}

// ListSchedules lists a company's schedules by name.
func (s *Service) ListSchedules(ctx context.Context, companyID backoffice.ID, f ScheduleFilter) (backoffice.List[Schedule], error) {
	var out backoffice.List[Schedule]
	where, args := []string{"s.company_id = ?"}, []any{int64(companyID)}
	if q := strings.TrimSpace(f.Search); q != "" {
		p := "%" + escapeLike(strings.ToLower(q)) + "%"
		where, args = append(where, `(LOWER(s.name) LIKE ? ESCAPE '\' OR LOWER(s.reference) LIKE ? ESCAPE '\')`), append(args, p, p)
	}
	if f.Kind != "" {
		where, args = append(where, "s.kind = ?"), append(args, string(f.Kind))
	}
	if f.Failing {
		where = append(where, "s.last_error <> ''")
	}
	var pos struct {
		Name string `json:"n"`
		ID   int64  `json:"i"`
	}
	if f.Page.After != "" {
		if err := decodeCursor(f.Page.After, "schedules", &pos); err != nil {
			return out, err
		}
		where, args = append(where, "(s.name > ? OR (s.name = ? AND s.id > ?))"), append(args, pos.Name, pos.Name, pos.ID)
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, scheduleSelect+" WHERE "+strings.Join(where, " AND ")+
		fmt.Sprintf(" ORDER BY s.name, s.id LIMIT %d", limit+1), args...)
	if err != nil {
		return out, fmt.Errorf("list schedules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		sch, err := scanSchedule(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, sch)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		pos.Name, pos.ID = last.Name, int64(last.ID)
		out.Next = encodeCursor("schedules", pos)
	}
	return out, nil
}

// Period statuses in a schedule's table.
const (
	PeriodPosted = "posted" // its entry is posted
	PeriodDue    = "due"    // its date has come; the next run posts it
	PeriodFuture = "future" // its date is still ahead
)

// SchedulePeriod is one row of a schedule's table.
type SchedulePeriod struct {
	No          int             `json:"no"`
	Date        backoffice.Date `json:"date"`
	Amount      int64           `json:"amount"`
	Status      string          `json:"status"`
	EntryID     backoffice.ID   `json:"entry_id,omitempty"`
	EntryNumber string          `json:"entry_number,omitempty"`
}

// SchedulePeriods returns every period of a schedule with its amount, and
// for posted ones the entry; a period not posted is due once its date is
// on or before today.
func (s *Service) SchedulePeriods(ctx context.Context, companyID, id backoffice.ID) ([]SchedulePeriod, error) {
	sch, err := getSchedule(ctx, s.DB, companyID, id)
	if err != nil {
		return nil, err
	}
	runs, err := listRuns(ctx, s.DB, companyID, sourceSchedule, id, maxSchedulePeriods)
	if err != nil {
		return nil, err
	}
	byDate := map[backoffice.Date]Run{}
	for _, r := range runs {
		byDate[r.Period] = r
	}
	today := s.today()
	out := make([]SchedulePeriod, sch.Periods)
	for i := range out {
		p := SchedulePeriod{No: i + 1, Date: sch.PeriodDate(i), Amount: sch.PeriodAmount(i), Status: PeriodFuture}
		if r, ok := byDate[p.Date]; ok {
			p.Status, p.EntryID, p.EntryNumber = PeriodPosted, r.EntryID, r.EntryNumber
		} else if !p.Date.After(today) {
			p.Status = PeriodDue
		}
		out[i] = p
	}
	return out, nil
}

// RecurringRuns returns the latest periods a template generated, newest first.
func (s *Service) RecurringRuns(ctx context.Context, companyID, id backoffice.ID, limit int) ([]Run, error) {
	if _, err := getRecurring(ctx, s.DB, companyID, id); err != nil {
		return nil, err
	}
	return listRuns(ctx, s.DB, companyID, sourceRecurring, id, limit)
}
