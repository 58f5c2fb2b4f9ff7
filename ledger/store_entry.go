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

// Rows per multi-row INSERT, under both dialects' limits on bound
// parameters (SQLite 32,766, PostgreSQL 65,535).
const (
	entryRowsPerInsert = 500  // 18 columns
	lineRowsPerInsert  = 1000 // 14 columns
)

const entrySelect = `SELECT e.id, e.company_id, e.journal_id, j.code, e.state, e.number, e.fiscal_year, e.date, e.reference,
	e.narration, c.currency, e.amount, e.line_count, e.reverses_id, e.reversed_by_id, e.reason, e.idempotency_key,
	e.posted_at, e.created_at, e.updated_at, e.version, e.content_hash, e.draft_lines, e.expires_at
	FROM ledger_entries e JOIN ledger_journals j ON j.id = e.journal_id JOIN companies c ON c.id = e.company_id`

// storedEntry is an entry row with what only the store needs.
type storedEntry struct {
	Entry
	hash       string
	draftLines []NewLine
}

func scanEntry(s scanner) (storedEntry, error) {
	var e storedEntry
	var number, key, draft sql.NullString
	var year, reverses, reversedBy sql.NullInt64
	var posted, expires sql.NullTime
	err := s.Scan(&e.ID, &e.CompanyID, &e.JournalID, &e.Journal, &e.State, &number, &year, &e.Date, &e.Reference,
		&e.Narration, &e.Currency, &e.Amount, &e.LineCount, &reverses, &reversedBy, &e.Reason, &key,
		&posted, &e.CreatedAt, &e.UpdatedAt, &e.Version, &e.hash, &draft, &expires)
	if err != nil {
		return e, err
	}
	e.Number, e.FiscalYear, e.IdempotencyKey = number.String, int(year.Int64), key.String
	e.ReversesID, e.ReversedByID = backoffice.ID(reverses.Int64), backoffice.ID(reversedBy.Int64)
	if posted.Valid {
		t := posted.Time.UTC()
		e.PostedAt = &t
	}
	if expires.Valid {
		t := expires.Time.UTC()
		e.ExpiresAt = &t
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if draft.Valid && draft.String != "" {
		if err := json.Unmarshal([]byte(draft.String), &e.draftLines); err != nil {
			return e, fmt.Errorf("draft lines of entry %d: %w", e.ID, err)
		}
	}
	return e, nil
}

// getEntry reads an entry with its lines.
func getEntry(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (storedEntry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, entrySelect+` WHERE e.id = ? AND e.company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("entry", id)
	}
	if err != nil {
		return e, fmt.Errorf("read entry: %w", err)
	}
	err = e.loadLines(ctx, q)
	return e, err
}

// loadLines reads a posted entry's lines, or shows the stored lines of a
// draft, pending or voided entry.
func (e *storedEntry) loadLines(ctx context.Context, q sqldb.Querier) error {
	if e.State != Posted {
		e.Lines = draftToLines(e.draftLines)
		return nil
	}
	var err error
	e.Lines, err = entryLines(ctx, q, e.ID)
	return err
}

// draftToLines shows a draft's lines as lines, numbered, without account codes.
func draftToLines(in []NewLine) []Line {
	out := make([]Line, len(in))
	for i, nl := range in {
		out[i] = Line{LineNo: i + 1, AccountID: nl.AccountID, Currency: nl.Currency, Amount: nl.Amount, CompanyAmount: nl.CompanyAmount,
			Rate: nl.Rate, PartyID: nl.PartyID, Dimensions: nl.Dimensions, TaxCode: nl.TaxCode, DueDate: nl.DueDate, Memo: nl.Memo}
	}
	return out
}

func entryLines(ctx context.Context, q sqldb.Querier, entryID backoffice.ID) ([]Line, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.line_no, l.account_id, a.code, l.currency, l.amount, l.company_amount, l.rate,
		l.party_id, l.dimensions, l.tax_code, l.due_date, l.memo
		FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE l.entry_id = ? ORDER BY l.line_no`, int64(entryID))
	if err != nil {
		return nil, fmt.Errorf("read entry lines: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var party sql.NullInt64
		var dims string
		if err := rows.Scan(&l.LineNo, &l.AccountID, &l.AccountCode, &l.Currency, &l.Amount, &l.CompanyAmount, &l.Rate,
			&party, &dims, &l.TaxCode, &l.DueDate, &l.Memo); err != nil {
			return nil, fmt.Errorf("read entry lines: %w", err)
		}
		l.PartyID = party.Int64
		if dims != "" {
			if err := json.Unmarshal([]byte(dims), &l.Dimensions); err != nil {
				return nil, fmt.Errorf("dimensions of entry %d: %w", entryID, err)
			}
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// entryByKey finds the company's entry with an idempotency key, and its
// content hash; nil when there is none.
func entryByKey(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, key string) (*Entry, string, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, entrySelect+` WHERE e.company_id = ? AND e.idempotency_key = ?`, int64(companyID), key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("read entry by idempotency key: %w", err)
	}
	if err := e.loadLines(ctx, q); err != nil {
		return nil, "", err
	}
	return &e.Entry, e.hash, nil
}

// GetEntry returns an entry of the company with its lines.
func (s *Service) GetEntry(ctx context.Context, companyID, id backoffice.ID) (Entry, error) {
	e, err := getEntry(ctx, s.DB, companyID, id)
	return e.Entry, err
}

// insertPosted writes posted entries with multi-row INSERTs and sets their ids.
// On SQLite the transaction holds the database's only write lock from its
// start (_txlock=immediate), so ids are taken as max(id)+1 onwards — what
// SQLite itself would pick for an INTEGER PRIMARY KEY — and the INSERTs
// need no RETURNING rows to read back. PostgreSQL takes them from the
// sequence, read back with RETURNING.
func insertPosted(ctx context.Context, tx *sqldb.Tx, ps []*prepared, now time.Time) error {
	if len(ps) == 0 {
		return nil
	}
	explicit := tx.Dialect() == sqldb.SQLite
	var next int64
	if explicit {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM ledger_entries`).Scan(&next); err != nil {
			return fmt.Errorf("insert entries: %w", err)
		}
	}
	for _, n := range rowChunks(len(ps), entryRowsPerInsert) {
		var b strings.Builder
		b.WriteString(`INSERT INTO ledger_entries (company_id, journal_id, state, number, fiscal_year, date, reference, narration,
			amount, line_count, reverses_id, reason, idempotency_key, content_hash, posted_at, created_at, updated_at, version`)
		row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		if explicit {
			b.WriteString(", id")
			row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
		}
		b.WriteString(") VALUES ")
		args := make([]any, 0, n*19)
		var byNumber map[string]*prepared
		if !explicit {
			byNumber = make(map[string]*prepared, n)
		}
		for i, p := range ps[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(row)
			var key any
			if p.in.IdempotencyKey != "" {
				key = p.in.IdempotencyKey
			}
			args = append(args, int64(p.companyID), int64(p.journal.ID), string(Posted), p.out.Number, p.out.FiscalYear, p.in.Date,
				p.in.Reference, p.in.Narration, p.amount, len(p.lines), nullID(p.reversesID), p.reason, key, p.hash, now, now, now, 1)
			if explicit {
				next++
				p.out.ID = backoffice.ID(next)
				args = append(args, next)
			} else {
				byNumber[p.journal.ID.String()+"/"+p.out.Number] = p
			}
		}
		if explicit {
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				return fmt.Errorf("insert entries: %w", err)
			}
		} else {
			b.WriteString(" RETURNING id, journal_id, number")
			if err := assignIDs(ctx, tx, b.String(), args, byNumber); err != nil {
				return err
			}
		}
		ps = ps[n:]
	}
	return nil
}

// assignIDs runs a multi-row INSERT … RETURNING and gives each entry its id,
// matched by journal and number since neither dialect promises row order.
func assignIDs(ctx context.Context, tx *sqldb.Tx, query string, args []any, byNumber map[string]*prepared) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("insert entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, journal backoffice.ID
		var number string
		if err := rows.Scan(&id, &journal, &number); err != nil {
			return fmt.Errorf("insert entries: %w", err)
		}
		if p := byNumber[journal.String()+"/"+number]; p != nil {
			p.out.ID = id
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert entries: %w", err)
	}
	return rows.Close()
}

// insertLines writes the lines of posted entries with multi-row INSERTs.
func insertLines(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	type row struct {
		p *prepared
		l *Line
	}
	var rows []row
	for _, p := range ps {
		for i := range p.lines {
			rows = append(rows, row{p, &p.lines[i]})
		}
	}
	for _, n := range rowChunks(len(rows), lineRowsPerInsert) {
		var b strings.Builder
		b.WriteString(`INSERT INTO ledger_lines (entry_id, line_no, company_id, account_id, date, currency, amount, company_amount,
			rate, party_id, dimensions, tax_code, due_date, memo) VALUES `)
		args := make([]any, 0, n*14)
		for i, r := range rows[:n] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			var party any
			if r.l.PartyID != 0 {
				party = r.l.PartyID
			}
			args = append(args, int64(r.p.out.ID), r.l.LineNo, int64(r.p.companyID), int64(r.l.AccountID), r.p.in.Date, string(r.l.Currency),
				r.l.Amount, r.l.CompanyAmount, r.l.Rate, party, dimensionsText(r.l.Dimensions), r.l.TaxCode, r.l.DueDate, r.l.Memo)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert entry lines: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// dimensionsText stores dimensions as a JSON object, "" when there are none.
func dimensionsText(d map[string]string) string {
	if len(d) == 0 {
		return ""
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// rowChunks splits n rows into multi-row statement sizes drawn from a fixed
// set (most, 100, 10, 1), largest first. Few distinct statement texts means
// prepared statements are reused — pgx caches them per connection, and
// SQLite's statement cache by text — instead of parsing a new statement of
// a few thousand placeholders for every batch size.
func rowChunks(n, most int) []int {
	var out []int
	for _, size := range []int{most, 100, 10, 1} {
		for size <= most && n >= size {
			out = append(out, size)
			n -= size
		}
	}
	return out
}
