package ledger

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
	"backoffice/sqldb"
)

// journalTypes are the kinds of journal; lock dates may target one kind.
var journalTypes = []string{"sales", "purchases", "bank", "cash", "general", "payroll", "inventory", "assets", "closing", "opening"}

// JournalTypes lists the journal types the ledger knows.
func JournalTypes() []string { return slices.Clone(journalTypes) }

func validJournalType(t string) bool { return slices.Contains(journalTypes, t) }

// Journal is a book of original entry. Its entries are numbered without gaps
// per fiscal year: "SAL-2026-000042".
type Journal struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Type      string        `json:"type"`
	Blocked   bool          `json:"blocked"`
	Version   int64         `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// NewJournal is the input of CreateJournal.
type NewJournal struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// validJournalCode accepts 1–10 upper-case letters and digits: the code
// starts every entry number.
func validJournalCode(code string) bool {
	if len(code) < 1 || len(code) > 10 {
		return false
	}
	for _, c := range code {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// DefaultJournals are the journals SetUpCompany creates.
func DefaultJournals() []NewJournal {
	return []NewJournal{
		{Code: "SAL", Name: "Sales", Type: "sales"},
		{Code: "PUR", Name: "Purchases", Type: "purchases"},
		{Code: "BNK", Name: "Bank", Type: "bank"},
		{Code: "CSH", Name: "Cash", Type: "cash"},
		{Code: "GEN", Name: "General", Type: "general"},
	}
}

// CreateJournal adds a journal to the company.
func (s *Service) CreateJournal(ctx context.Context, companyID backoffice.ID, in NewJournal) (Journal, error) {
	var out Journal
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		j, created, err := s.createJournal(ctx, tx, companyID, in, false)
		if err == nil && !created {
			err = fieldError("code", fmt.Sprintf("journal %s already exists", in.Code))
		}
		out = j
		return err
	})
	return out, err
}

// createJournal inserts a journal; when skipExisting is set an existing code
// is no error and created is false.
func (s *Service) createJournal(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, in NewJournal, skipExisting bool) (Journal, bool, error) {
	v := backoffice.Validation{}
	v.Check(validJournalCode(in.Code), "code", "must be 1 to 10 upper-case letters or digits")
	n := len([]rune(strings.TrimSpace(in.Name)))
	v.Check(n >= 1 && n <= 200, "name", "must be 1 to 200 characters")
	v.Check(validJournalType(in.Type), "type", "must be one of "+strings.Join(journalTypes, ", "))
	if err := v.Err("journal"); err != nil {
		return Journal{}, false, err
	}
	if _, err := companyCurrency(ctx, tx, companyID); err != nil {
		return Journal{}, false, err
	}
	now := s.now()
	j := Journal{CompanyID: companyID, Code: in.Code, Name: strings.TrimSpace(in.Name), Type: in.Type, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_journals (company_id, code, name, type, blocked, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, code) DO NOTHING RETURNING id`,
		int64(companyID), j.Code, j.Name, j.Type, false, j.Version, now, now).Scan(&j.ID)
	if errors.Is(err, sql.ErrNoRows) {
		if !skipExisting {
			return Journal{}, false, nil
		}
		j, err = journalByCode(ctx, tx, companyID, in.Code)
		return j, false, err
	}
	if err != nil {
		return Journal{}, false, fmt.Errorf("insert journal: %w", err)
	}
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal", EntityID: j.ID.String(), Action: "create", New: j})
	return j, true, err
}

const journalColumns = `id, company_id, code, name, type, blocked, version, created_at, updated_at`

func scanJournal(s scanner) (Journal, error) {
	var j Journal
	err := s.Scan(&j.ID, &j.CompanyID, &j.Code, &j.Name, &j.Type, &j.Blocked, &j.Version, &j.CreatedAt, &j.UpdatedAt)
	j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
	return j, err
}

func getJournal(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Journal, error) {
	j, err := scanJournal(q.QueryRowContext(ctx, `SELECT `+journalColumns+` FROM ledger_journals WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Journal{}, notFound("journal", id)
	}
	if err != nil {
		return Journal{}, fmt.Errorf("read journal: %w", err)
	}
	return j, nil
}

func journalByCode(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, code string) (Journal, error) {
	j, err := scanJournal(q.QueryRowContext(ctx, `SELECT `+journalColumns+` FROM ledger_journals WHERE company_id = ? AND code = ?`, int64(companyID), code))
	if errors.Is(err, sql.ErrNoRows) {
		return Journal{}, backoffice.Errorf(backoffice.ENotFound, "journal %q does not exist in this company", code)
	}
	if err != nil {
		return Journal{}, fmt.Errorf("read journal: %w", err)
	}
	return j, nil
}

// GetJournal returns one journal of the company.
func (s *Service) GetJournal(ctx context.Context, companyID, id backoffice.ID) (Journal, error) {
	return getJournal(ctx, s.DB, companyID, id)
}

// JournalByCode returns the company's journal with that code.
func (s *Service) JournalByCode(ctx context.Context, companyID backoffice.ID, code string) (Journal, error) {
	return journalByCode(ctx, s.DB, companyID, code)
}

// ListJournals returns the company's journals ordered by code; a company has
// few, so the list is not paginated.
func (s *Service) ListJournals(ctx context.Context, companyID backoffice.ID) ([]Journal, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+journalColumns+` FROM ledger_journals WHERE company_id = ? ORDER BY code`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list journals: %w", err)
	}
	defer rows.Close()
	out := []Journal{}
	for rows.Next() {
		j, err := scanJournal(rows)
		if err != nil {
			return nil, fmt.Errorf("list journals: %w", err)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// BlockJournal blocks (or unblocks) a journal: a blocked journal takes no
// new entries.
func (s *Service) BlockJournal(ctx context.Context, companyID, id backoffice.ID, blocked bool) (Journal, error) {
	var out Journal
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		j, err := getJournal(ctx, tx, companyID, id)
		if err != nil || j.Blocked == blocked {
			out = j
			return err
		}
		j.Blocked, j.Version, j.UpdatedAt = blocked, j.Version+1, s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_journals SET blocked = ?, version = ?, updated_at = ? WHERE id = ?`,
			blocked, j.Version, j.UpdatedAt, int64(id)); err != nil {
			return fmt.Errorf("block journal: %w", err)
		}
		out = j
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "journal", EntityID: id.String(), Action: "update",
			Old: map[string]any{"blocked": !blocked}, New: map[string]any{"blocked": blocked}})
		return err
	})
	return out, err
}

// reserveNumbers takes n consecutive numbers of a journal's fiscal year and
// returns the first. The upsert locks the counter row until the transaction
// ends, so numbers are gapless: a rolled-back posting gives its numbers back
// with the rollback, and a committed one never gives them up.
func reserveNumbers(ctx context.Context, tx *sqldb.Tx, journalID backoffice.ID, year, n int) (int64, error) {
	var last int64
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_sequences (journal_id, fiscal_year, last_number) VALUES (?, ?, ?)
		ON CONFLICT (journal_id, fiscal_year) DO UPDATE SET last_number = ledger_sequences.last_number + excluded.last_number
		RETURNING last_number`, int64(journalID), year, n).Scan(&last)
	if err != nil {
		return 0, fmt.Errorf("number entries: %w", err)
	}
	return last - int64(n) + 1, nil
}

// entryNumber formats an entry number: journal code, fiscal year, six digits.
func entryNumber(code string, year int, n int64) string {
	return fmt.Sprintf("%s-%d-%06d", code, year, n)
}
