package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// BudgetAction is what a posting beyond a budget does, as ERPNext offers.
type BudgetAction string

// Budget actions: stop refuses the posting with limit_exceeded, warn posts
// it and returns a warning on the entry, ignore only reports.
const (
	BudgetStop   BudgetAction = "stop"
	BudgetWarn   BudgetAction = "warn"
	BudgetIgnore BudgetAction = "ignore"
)

// Budget is the amount planned for an account in one month, for the whole
// account (Dimension "") or for lines carrying one dimension value
// (cost_center = "CC1"). Amount is company currency minor units on the
// account's natural side: expenses and assets debit, income, liabilities
// and equity credit, as the reports show them. An account is budgeted
// either as a whole or per dimension value in a month; the income
// statement's budget column adds all of them.
type Budget struct {
	ID          backoffice.ID   `json:"id"`
	CompanyID   backoffice.ID   `json:"company_id"`
	AccountID   backoffice.ID   `json:"account_id"`
	AccountCode string          `json:"account_code"`
	Dimension   string          `json:"dimension,omitempty"`
	Value       string          `json:"value,omitempty"`
	Month       backoffice.Date `json:"month"` // first day of the month
	Amount      int64           `json:"amount"`
	Action      BudgetAction    `json:"action"`
	Version     int64           `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// BudgetLine is the input of SetBudgets: one account, dimension value and
// month (any day of it).
type BudgetLine struct {
	AccountID backoffice.ID   `json:"account_id"`
	Dimension string          `json:"dimension,omitempty"`
	Value     string          `json:"value,omitempty"`
	Month     backoffice.Date `json:"month"`
	Amount    int64           `json:"amount"`
	Action    BudgetAction    `json:"action"`
}

// SetBudgets creates or replaces budget lines, all or nothing, each change
// in the change log. Errors name fields as "budgets[i].amount".
func (s *Service) SetBudgets(ctx context.Context, companyID backoffice.ID, in []BudgetLine) ([]Budget, error) {
	v := backoffice.Validation{}
	v.Check(len(in) >= 1 && len(in) <= 10000, "budgets", "give 1 to 10000 budget lines")
	for i, b := range in {
		f := fmt.Sprintf("budgets[%d].", i)
		v.Check(!b.Month.IsZero(), f+"month", "is required")
		v.Check(b.Amount >= 0 && b.Amount <= maxAmount, f+"amount", "must be zero or positive (the account's natural side) and not too large")
		v.Check(slices.Contains([]BudgetAction{BudgetStop, BudgetWarn, BudgetIgnore}, b.Action), f+"action", "must be stop, warn or ignore")
		v.Check(b.Dimension == "" || validDimension(b.Dimension), f+"dimension", "must be empty or a dimension name in lower snake case")
		v.Check((b.Dimension == "") == (b.Value == ""), f+"value", "is given with a dimension and only then")
		v.Check(len(b.Value) <= 100, f+"value", "must be at most 100 characters")
	}
	if err := v.Err("budget"); err != nil {
		return nil, err
	}
	var out []Budget
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		l := newLookup(tx)
		if _, err := l.base(ctx, companyID); err != nil {
			return err
		}
		var changes []audit.Change
		for i, b := range in {
			a, err := l.account(ctx, companyID, b.AccountID)
			if err != nil {
				return err
			}
			if a == nil {
				v.Add(fmt.Sprintf("budgets[%d].account_id", i), "is not an account of this company")
				continue
			}
			saved, change, err := s.saveBudget(ctx, tx, companyID, a, b)
			if err != nil {
				return err
			}
			out, changes = append(out, saved), append(changes, change)
		}
		if err := v.Err("budget"); err != nil {
			return err
		}
		_, err := s.Audit.Append(ctx, tx, changes...)
		return err
	})
	return out, err
}

const budgetColumns = `b.id, b.company_id, b.account_id, a.code, b.dimension, b.dimension_value, b.month, b.amount, b.action, b.version, b.created_at, b.updated_at`

func scanBudget(s scanner) (Budget, error) {
	var b Budget
	err := s.Scan(&b.ID, &b.CompanyID, &b.AccountID, &b.AccountCode, &b.Dimension, &b.Value, &b.Month, &b.Amount, &b.Action, &b.Version, &b.CreatedAt, &b.UpdatedAt)
	b.CreatedAt, b.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC()
	return b, err
}

// saveBudget inserts or updates one budget line and returns its change.
func (s *Service) saveBudget(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, a *Account, in BudgetLine) (Budget, audit.Change, error) {
	month := backoffice.NewDate(in.Month.Year, in.Month.Month, 1)
	now := s.now()
	rows, err := tx.QueryContext(ctx, `SELECT `+budgetColumns+` FROM ledger_budgets b JOIN ledger_accounts a ON a.id = b.account_id
		WHERE b.company_id = ? AND b.account_id = ? AND b.dimension = ? AND b.dimension_value = ? AND b.month = ?`,
		int64(companyID), int64(a.ID), in.Dimension, in.Value, month)
	if err != nil {
		return Budget{}, audit.Change{}, fmt.Errorf("read budget: %w", err)
	}
	var before *Budget
	for rows.Next() {
		b, err := scanBudget(rows)
		if err != nil {
			rows.Close()
			return Budget{}, audit.Change{}, fmt.Errorf("read budget: %w", err)
		}
		before = &b
	}
	rows.Close()
	after := Budget{CompanyID: companyID, AccountID: a.ID, AccountCode: a.Code, Dimension: in.Dimension, Value: in.Value, Month: month,
		Amount: in.Amount, Action: in.Action, Version: 1, CreatedAt: now, UpdatedAt: now}
	if before == nil {
		err = tx.QueryRowContext(ctx, `INSERT INTO ledger_budgets (company_id, account_id, dimension, dimension_value, month, amount, action, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, int64(companyID), int64(a.ID), in.Dimension, in.Value, month, in.Amount,
			string(in.Action), 1, now, now).Scan(&after.ID)
		if err != nil {
			return Budget{}, audit.Change{}, fmt.Errorf("insert budget: %w", err)
		}
		return after, audit.Change{CompanyID: companyID, Entity: "budget", EntityID: after.ID.String(), Action: "create", New: after}, nil
	}
	after.ID, after.Version, after.CreatedAt = before.ID, before.Version+1, before.CreatedAt
	if _, err := tx.ExecContext(ctx, `UPDATE ledger_budgets SET amount = ?, action = ?, version = ?, updated_at = ? WHERE id = ?`,
		in.Amount, string(in.Action), after.Version, now, int64(after.ID)); err != nil {
		return Budget{}, audit.Change{}, fmt.Errorf("update budget: %w", err)
	}
	old, new, err := audit.Diff(*before, after)
	return after, audit.Change{CompanyID: companyID, Entity: "budget", EntityID: after.ID.String(), Action: "update", Old: old, New: new}, err
}

// Budgets lists the company's budget lines for the months that from to to touches
// (either may be zero for an open end), by month, account and dimension.
func (s *Service) Budgets(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date) ([]Budget, error) {
	return listBudgets(ctx, s.DB, companyID, from, to, "")
}

// listBudgets reads budget lines of the months that [from, to] touches,
// with an optional extra condition.
func listBudgets(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, from, to backoffice.Date, cond string, args ...any) ([]Budget, error) {
	lo, hi := from, to
	if lo.IsZero() {
		lo = firstDate
	}
	if hi.IsZero() {
		hi = lastDate
	}
	lo = backoffice.NewDate(lo.Year, lo.Month, 1)
	if cond != "" {
		cond = " AND " + cond
	}
	rows, err := q.QueryContext(ctx, `SELECT `+budgetColumns+` FROM ledger_budgets b JOIN ledger_accounts a ON a.id = b.account_id
		WHERE b.company_id = ? AND b.month >= ? AND b.month <= ?`+cond+` ORDER BY b.month, a.code, b.dimension, b.dimension_value`,
		append([]any{int64(companyID), lo, hi}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("list budgets: %w", err)
	}
	defer rows.Close()
	out := []Budget{}
	for rows.Next() {
		b, err := scanBudget(rows)
		if err != nil {
			return nil, fmt.Errorf("list budgets: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// DeleteBudget removes one budget line.
func (s *Service) DeleteBudget(ctx context.Context, companyID, id backoffice.ID) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		b, err := scanBudget(tx.QueryRowContext(ctx, `SELECT `+budgetColumns+` FROM ledger_budgets b JOIN ledger_accounts a ON a.id = b.account_id
			WHERE b.id = ? AND b.company_id = ?`, int64(id), int64(companyID)))
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("budget", id)
			}
			return fmt.Errorf("read budget: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_budgets WHERE id = ?`, int64(id)); err != nil {
			return fmt.Errorf("delete budget: %w", err)
		}
		fields, err := audit.Fields(b)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "budget", EntityID: id.String(), Action: "delete", Old: fields})
		return err
	})
}

// budgetTotals sums the budget lines per account for the months that
// [from, to] touches, for the income statement's budget column.
func budgetTotals(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, from, to backoffice.Date) (map[backoffice.ID]int64, error) {
	bs, err := listBudgets(ctx, q, companyID, from, to, "")
	if err != nil {
		return nil, err
	}
	out := map[backoffice.ID]int64{}
	for _, b := range bs {
		out[b.AccountID] += b.Amount
	}
	return out, nil
}
