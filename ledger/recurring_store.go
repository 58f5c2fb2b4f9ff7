package ledger

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// Sources of generated periods in ledger_recurring_runs.
const (
	sourceRecurring = "recurring"
	sourceSchedule  = "schedule"
)

const recurringSelect = `SELECT r.id, r.company_id, r.name, r.journal_id, j.code, r.reference, r.narration, r.lines, r.frequency,
	r.day_of_month, r.start_date, r.end_date, r.max_count, r.run_count, r.next_run, r.mode, r.active, r.last_run_at,
	r.last_error, r.last_error_at, r.version, r.created_at, r.updated_at
	FROM ledger_recurring r JOIN ledger_journals j ON j.id = r.journal_id`

func scanRecurring(s scanner) (Recurring, error) {
	var r Recurring
	var lines string
	var lastRun, lastErr sql.NullTime
	err := s.Scan(&r.ID, &r.CompanyID, &r.Name, &r.JournalID, &r.Journal, &r.Reference, &r.Narration, &lines, &r.Frequency,
		&r.DayOfMonth, &r.StartDate, &r.EndDate, &r.MaxCount, &r.RunCount, &r.NextRun, &r.Mode, &r.Active, &lastRun,
		&r.LastError, &lastErr, &r.Version, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return r, err
	}
	r.LastRunAt, r.LastErrorAt = utcPtr(lastRun), utcPtr(lastErr)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(lines), &r.Lines); err != nil {
		return r, fmt.Errorf("lines of recurring entry %d: %w", r.ID, err)
	}
	return r, nil
}

// utcPtr turns a nullable time into a pointer in UTC.
func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func getRecurring(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Recurring, error) {
	r, err := scanRecurring(q.QueryRowContext(ctx, recurringSelect+` WHERE r.id = ? AND r.company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("recurring entry", id)
	}
	if err != nil {
		return r, fmt.Errorf("read recurring entry: %w", err)
	}
	return r, nil
}

func insertRecurring(ctx context.Context, tx *sqldb.Tx, r *Recurring) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_recurring (company_id, name, journal_id, reference, narration, lines, frequency,
		day_of_month, start_date, end_date, max_count, run_count, next_run, mode, active, last_error, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, '', 1, ?, ?) RETURNING id`,
		int64(r.CompanyID), r.Name, int64(r.JournalID), r.Reference, r.Narration, marshalLines(r.Lines), string(r.Frequency),
		r.DayOfMonth, r.StartDate, r.EndDate, r.MaxCount, r.NextRun, string(r.Mode), r.Active, r.CreatedAt, r.UpdatedAt).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert recurring entry: %w", err)
	}
	return nil
}

// updateRecurring writes a template's content if it is still at version.
func updateRecurring(ctx context.Context, tx *sqldb.Tx, r Recurring, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE ledger_recurring SET name = ?, journal_id = ?, reference = ?, narration = ?, lines = ?,
		frequency = ?, day_of_month = ?, start_date = ?, end_date = ?, max_count = ?, next_run = ?, mode = ?, active = ?,
		version = ?, updated_at = ? WHERE id = ? AND company_id = ? AND version = ?`,
		r.Name, int64(r.JournalID), r.Reference, r.Narration, marshalLines(r.Lines), string(r.Frequency), r.DayOfMonth, r.StartDate,
		r.EndDate, r.MaxCount, r.NextRun, string(r.Mode), r.Active, r.Version, r.UpdatedAt, int64(r.ID), int64(r.CompanyID), version)
	if err != nil {
		return fmt.Errorf("update recurring entry: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EPrecondition, "the recurring entry was changed meanwhile; reload it")
	}
	return nil
}

func listRecurring(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, f RecurringFilter) (backoffice.List[Recurring], error) {
	var out backoffice.List[Recurring]
	where, args := []string{"r.company_id = ?"}, []any{int64(companyID)}
	if s := strings.TrimSpace(f.Search); s != "" {
		p := "%" + escapeLike(strings.ToLower(s)) + "%"
		where, args = append(where, `(LOWER(r.name) LIKE ? ESCAPE '\' OR LOWER(r.reference) LIKE ? ESCAPE '\')`), append(args, p, p)
	}
	if f.Failing {
		where = append(where, "r.last_error <> ''")
	}
	var pos struct {
		Name string `json:"n"`
		ID   int64  `json:"i"`
	}
	if f.Page.After != "" {
		if err := decodeCursor(f.Page.After, "recurring", &pos); err != nil {
			return out, err
		}
		where, args = append(where, "(r.name > ? OR (r.name = ? AND r.id > ?))"), append(args, pos.Name, pos.Name, pos.ID)
	}
	limit := limitOf(f.Page)
	rows, err := q.QueryContext(ctx, recurringSelect+" WHERE "+strings.Join(where, " AND ")+
		fmt.Sprintf(" ORDER BY r.name, r.id LIMIT %d", limit+1), args...)
	if err != nil {
		return out, fmt.Errorf("list recurring entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecurring(rows)
		if err != nil {
			return out, err
		}
		out.Items = append(out.Items, r)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		pos.Name, pos.ID = last.Name, int64(last.ID)
		out.Next = encodeCursor("recurring", pos)
	}
	return out, nil
}

// lastRun returns the latest period generated for a source, zero if none.
func lastRun(ctx context.Context, q sqldb.Querier, source string, id backoffice.ID) (backoffice.Date, error) {
	var d backoffice.Date
	err := q.QueryRowContext(ctx, `SELECT MAX(period_date) FROM ledger_recurring_runs WHERE source = ? AND source_id = ?`, source, int64(id)).Scan(&d)
	if err != nil {
		return d, fmt.Errorf("read last generated period: %w", err)
	}
	return d, nil
}

// recordRun notes that period of a source produced entryID. A period done
// before (a replay of the same idempotency key) is left as it was.
func recordRun(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, source string, id backoffice.ID, period backoffice.Date, entryID backoffice.ID, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO ledger_recurring_runs (company_id, source, source_id, period_date, entry_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, source_id, period_date) DO NOTHING`,
		int64(companyID), source, int64(id), period, int64(entryID), now)
	if err != nil {
		return fmt.Errorf("record generated period: %w", err)
	}
	return nil
}

// Run is one generated period of a recurring entry or a schedule and the
// entry it produced; EntryNumber is empty while that entry is a draft, and
// EntryState is empty when the draft was deleted since.
type Run struct {
	Period      backoffice.Date `json:"period"`
	EntryID     backoffice.ID   `json:"entry_id"`
	EntryNumber string          `json:"entry_number,omitempty"`
	EntryState  EntryState      `json:"entry_state,omitempty"`
	Amount      int64           `json:"amount"`
	CreatedAt   time.Time       `json:"created_at"`
}

// listRuns returns the generated periods of a source, newest first, at most limit.
func listRuns(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, source string, id backoffice.ID, limit int) ([]Run, error) {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT r.period_date, r.entry_id, e.number, e.state, e.amount, r.created_at
		FROM ledger_recurring_runs r LEFT JOIN ledger_entries e ON e.id = r.entry_id
		WHERE r.source = ? AND r.source_id = ? AND r.company_id = ? ORDER BY r.period_date DESC LIMIT %d`, limit),
		source, int64(id), int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list generated periods: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		var number, state sql.NullString
		var amount sql.NullInt64
		if err := rows.Scan(&r.Period, &r.EntryID, &number, &state, &amount, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.EntryNumber, r.EntryState, r.Amount, r.CreatedAt = number.String, EntryState(state.String), amount.Int64, r.CreatedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

// deleteSource deletes a template or schedule row and its generated periods.
func deleteSource(ctx context.Context, tx *sqldb.Tx, table, source string, id backoffice.ID) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_recurring_runs WHERE source = ? AND source_id = ?`, source, int64(id)); err != nil {
		return fmt.Errorf("delete generated periods: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = ?`, int64(id)); err != nil {
		return fmt.Errorf("delete %s: %w", source, err)
	}
	return nil
}
