package ledger

import (
	"context"
	"encoding/json"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

// checkBudgets is the posting path's budget hook. postTx calls it after
// the summaries hold the transaction's lines, so the month's actual figure
// includes them. For every budget line with action stop or warn that the
// entries add to on its natural side, it compares the month's actual with
// the budget: beyond it, stop refuses the whole transaction with
// limit_exceeded naming the line, warn adds a warning to each entry that
// touched it. Reversals are not checked. A company without budgets costs one indexed query per
// transaction. The month's summary row was just upserted by this
// transaction, which holds its lock, so concurrent postings to the same
// account check one after the other.
func (s *Service) checkBudgets(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	byCompany := map[backoffice.ID][]*prepared{}
	for _, p := range ps {
		byCompany[p.companyID] = append(byCompany[p.companyID], p)
	}
	for companyID, group := range byCompany {
		lo, hi := group[0].in.Date, group[0].in.Date
		for _, p := range group {
			lo, hi = earlier(lo, p.in.Date), later(hi, p.in.Date)
		}
		budgets, err := listBudgets(ctx, tx, companyID, lo, hi, "b.action <> ?", string(BudgetIgnore))
		if err != nil {
			return err
		}
		for _, b := range budgets {
			if err := s.checkBudget(ctx, tx, b, group); err != nil {
				return err
			}
		}
	}
	return nil
}

// later returns the later of two dates.
func later(a, b backoffice.Date) backoffice.Date {
	if b.After(a) {
		return b
	}
	return a
}

// budgetHit is a line of a posting that a budget line covers.
type budgetHit struct {
	p    *prepared
	line int
}

// checkBudget applies one budget line to the entries of a transaction.
func (s *Service) checkBudget(ctx context.Context, tx *sqldb.Tx, b Budget, ps []*prepared) error {
	var hits []budgetHit
	var delta int64 // debit − credit the entries add
	for _, p := range ps {
		if p.in.Date.Year != b.Month.Year || p.in.Date.Month != b.Month.Month {
			continue
		}
		if p.reversesID != 0 {
			continue // undoing a posting stays possible, as on a blocked account
		}
		for i, l := range p.lines {
			if l.AccountID == b.AccountID && (b.Dimension == "" || l.Dimensions[b.Dimension] == b.Value) {
				hits = append(hits, budgetHit{p, i})
				delta += l.CompanyAmount
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	a, err := getAccount(ctx, tx, b.CompanyID, b.AccountID)
	if err != nil {
		return err
	}
	if natural(a.Type, delta) <= 0 {
		return nil // the entries bring the account back towards its budget
	}
	actual, err := budgetActual(ctx, tx, b, b.Month, b.Month.AddMonths(1).AddDays(-1))
	if err != nil {
		return err
	}
	actual = natural(a.Type, actual)
	if actual <= b.Amount {
		return nil
	}
	base := hits[0].p.base
	scope := ""
	if b.Dimension != "" {
		scope = fmt.Sprintf(" for %s %s", b.Dimension, b.Value)
	}
	msg := fmt.Sprintf("account %s%s would reach %s in %d-%02d, beyond its budget of %s", a.Code, scope,
		backoffice.NewMoney(actual, base), b.Month.Year, int(b.Month.Month), backoffice.NewMoney(b.Amount, base))
	if b.Action == BudgetStop {
		h := hits[0]
		return &backoffice.Error{Code: backoffice.ELimitExceeded, Message: msg,
			Fields: map[string]string{fmt.Sprintf("%slines[%d].account", h.p.prefix, h.line): msg}}
	}
	seen := map[*prepared]bool{}
	for _, h := range hits {
		if !seen[h.p] {
			seen[h.p] = true
			h.p.out.Warnings = append(h.p.out.Warnings, msg)
		}
	}
	return nil
}

// budgetActual is a budget line's actual debit − credit in company currency
// from from to to. A whole-account budget reads the summaries; a dimension
// budget must read the account's lines of the period (the summaries are
// not kept per dimension), through the (account, date) index.
func budgetActual(ctx context.Context, q sqldb.Querier, b Budget, from, to backoffice.Date) (int64, error) {
	var v int64
	var err error
	if b.Dimension == "" {
		// Closing entries in force are left out, as in the income statement.
		union, args := summaryUnion(`company_debit - company_credit AS amount`, `account_id = ?`, []any{int64(b.AccountID)}, rangesBetween(from, to))
		err = q.QueryRowContext(ctx, `SELECT (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM (`+union+`) r) -
			(SELECT CAST(COALESCE(SUM(l.company_amount), 0) AS BIGINT) FROM ledger_year_closings c JOIN ledger_lines l ON l.entry_id = c.entry_id
			WHERE c.company_id = ? AND c.reopened_at IS NULL AND c.end_date >= ? AND c.end_date <= ? AND l.account_id = ?)`,
			append(args, int64(b.CompanyID), from, to, int64(b.AccountID))...).Scan(&v)
	} else {
		err = q.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(company_amount), 0) AS BIGINT) FROM ledger_lines
			WHERE account_id = ? AND date >= ? AND date <= ? AND dimensions LIKE ? ESCAPE '\'`,
			int64(b.AccountID), from, to, dimensionPattern(b.Dimension, b.Value)).Scan(&v)
	}
	if err != nil {
		return 0, fmt.Errorf("read budget actual: %w", err)
	}
	return v, nil
}

// dimensionPattern is a LIKE pattern matching the stored dimensions text
// (a JSON object, see dimensionsText) of lines with that dimension value.
// Quotes inside stored values are escaped, so the pattern's quotes match
// only a key and its whole value.
func dimensionPattern(name, value string) string {
	k, _ := json.Marshal(name)
	v, _ := json.Marshal(value)
	return "%" + escapeLike(string(k)+":"+string(v)) + "%"
}
