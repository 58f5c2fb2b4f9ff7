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

const accountColumns = `id, company_id, code, name, type, subtype, parent_id, currency, blocked, reconcilable, required_dimensions, min_balance, max_balance, version, created_at, updated_at`

func scanAccount(s scanner) (Account, error) {
	var a Account
	var parent sql.NullInt64
	var required string
	var lo, hi sql.NullInt64
	if err := s.Scan(&a.ID, &a.CompanyID, &a.Code, &a.Name, &a.Type, &a.Subtype, &parent, &a.Currency, &a.Blocked,
		&a.Reconcilable, &required, &lo, &hi, &a.Version, &a.CreatedAt, &a.UpdatedAt); err != nil {
		return Account{}, err
	}
	a.MinBalance, a.MaxBalance = nullableInt(lo), nullableInt(hi)
	a.ParentID = backoffice.ID(parent.Int64)
	a.RequiredDimensions = []string{}
	if required != "" {
		a.RequiredDimensions = strings.Split(required, ",")
	}
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, nil
}

func insertAccount(ctx context.Context, tx *sqldb.Tx, a Account) (backoffice.ID, error) {
	var id backoffice.ID
	err := tx.QueryRowContext(ctx, `INSERT INTO ledger_accounts (company_id, code, name, type, subtype, parent_id, currency, blocked,
		reconcilable, required_dimensions, min_balance, max_balance, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(a.CompanyID), a.Code, a.Name, string(a.Type), a.Subtype, nullID(a.ParentID), string(a.Currency), a.Blocked,
		a.Reconcilable, strings.Join(a.RequiredDimensions, ","), a.MinBalance, a.MaxBalance, a.Version, a.CreatedAt, a.UpdatedAt).Scan(&id)
	if err != nil && !sqldb.IsUniqueViolation(err) {
		err = fmt.Errorf("insert account: %w", err)
	}
	return id, err
}

// updateAccount writes a when the stored version is still version.
func updateAccount(ctx context.Context, tx *sqldb.Tx, a Account, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE ledger_accounts SET code = ?, name = ?, type = ?, subtype = ?, parent_id = ?, currency = ?,
		blocked = ?, reconcilable = ?, required_dimensions = ?, min_balance = ?, max_balance = ?, version = ?, updated_at = ?
		WHERE id = ? AND version = ?`,
		a.Code, a.Name, string(a.Type), a.Subtype, nullID(a.ParentID), string(a.Currency), a.Blocked, a.Reconcilable,
		strings.Join(a.RequiredDimensions, ","), a.MinBalance, a.MaxBalance, a.Version, a.UpdatedAt, int64(a.ID), version)
	if sqldb.IsUniqueViolation(err) {
		return fieldError("code", fmt.Sprintf("account %s already exists", a.Code))
	}
	if err != nil {
		return fmt.Errorf("update account: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return backoffice.Errorf(backoffice.EPrecondition, "account %s was changed by someone else; reload it", a.Code)
	}
	return nil
}

func getAccount(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM ledger_accounts WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, notFound("account", id)
	}
	if err != nil {
		return Account{}, fmt.Errorf("read account: %w", err)
	}
	return a, nil
}

func accountByCode(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, code string) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM ledger_accounts WHERE company_id = ? AND code = ?`, int64(companyID), code))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, backoffice.Errorf(backoffice.ENotFound, "account %q does not exist in this company", code)
	}
	if err != nil {
		return Account{}, fmt.Errorf("read account: %w", err)
	}
	return a, nil
}

// hasPostings reports whether any posted line touches the account: every
// posting adds to its maintained balances, so one summary row says so.
func hasPostings(ctx context.Context, q sqldb.Querier, accountID backoffice.ID) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM ledger_balances WHERE account_id = ? LIMIT 1) x`, int64(accountID)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check account postings: %w", err)
	}
	return n > 0, nil
}

// GetAccount returns one account of the company.
func (s *Service) GetAccount(ctx context.Context, companyID, id backoffice.ID) (Account, error) {
	return getAccount(ctx, s.DB, companyID, id)
}

// AccountByCode returns the company's account with that code.
func (s *Service) AccountByCode(ctx context.Context, companyID backoffice.ID, code string) (Account, error) {
	return accountByCode(ctx, s.DB, companyID, code)
}

// AccountFilter narrows ListAccounts.
type AccountFilter struct {
	Query   string      // part of the code or name, any case
	Type    AccountType // "" = all types
	Blocked *bool
	Page    backoffice.Page
}

type accountPos struct {
	Code string        `json:"c"`
	ID   backoffice.ID `json:"id"`
}

// ListAccounts returns one page of the chart, ordered by code, with a keyset
// cursor (code, id).
func (s *Service) ListAccounts(ctx context.Context, companyID backoffice.ID, f AccountFilter) (backoffice.List[Account], error) {
	where := []string{"company_id = ?"}
	args := []any{int64(companyID)}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		p := "%" + escapeLike(q) + "%"
		where = append(where, `(LOWER(code) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	if f.Type != "" {
		where = append(where, "type = ?")
		args = append(args, string(f.Type))
	}
	if f.Blocked != nil {
		where = append(where, "blocked = ?")
		args = append(args, *f.Blocked)
	}
	if f.Page.After != "" {
		var pos accountPos
		if err := decodeCursor(f.Page.After, "accounts", &pos); err != nil {
			return backoffice.List[Account]{}, err
		}
		where = append(where, "(code > ? OR (code = ? AND id > ?))")
		args = append(args, pos.Code, pos.Code, int64(pos.ID))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM ledger_accounts WHERE %s ORDER BY code, id LIMIT %d`,
		accountColumns, strings.Join(where, " AND "), limit+1), args...)
	if err != nil {
		return backoffice.List[Account]{}, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Account]{Items: []Account{}}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return backoffice.List[Account]{}, fmt.Errorf("list accounts: %w", err)
		}
		out.Items = append(out.Items, a)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Account]{}, fmt.Errorf("list accounts: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = encodeCursor("accounts", accountPos{Code: last.Code, ID: last.ID})
	}
	return out, nil
}

// escapeLike escapes the LIKE wildcards of s for ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// nullableInt is a NULL-able integer column as a pointer.
func nullableInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}
