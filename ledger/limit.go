package ledger

import (
	"context"
	"fmt"
	"slices"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// SetBalanceLimit sets (or, with nil, clears) the limits on an account's
// balance, debit − credit in company currency over all its postings: min 0
// on a cash account means credits may not exceed debits; max on a customer's
// receivable is a credit limit. A posting that would leave the balance
// outside its limits fails with limit_exceeded, atomically with concurrent
// postings. A new limit applies to postings from now on; it does not judge
// the current balance.
func (s *Service) SetBalanceLimit(ctx context.Context, companyID, accountID backoffice.ID, min, max *int64) (Account, error) {
	if min != nil && max != nil && *min > *max {
		return Account{}, fieldError("min_balance", "must not be above max_balance")
	}
	var out Account
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		a, err := getAccount(ctx, tx, companyID, accountID)
		if err != nil {
			return err
		}
		before := a
		a.MinBalance, a.MaxBalance, a.Version, a.UpdatedAt = min, max, a.Version+1, s.now()
		if err := updateAccount(ctx, tx, a, before.Version); err != nil {
			return err
		}
		out = a
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "account", EntityID: accountID.String(), Action: "update",
			Old: map[string]any{"min_balance": before.MinBalance, "max_balance": before.MaxBalance},
			New: map[string]any{"min_balance": min, "max_balance": max}})
		return err
	})
	return out, err
}

// limited is an account with limits touched by a transaction.
type limited struct {
	id       backoffice.ID
	code     string
	min, max *int64
	entry    *prepared // the first entry touching it, for the error's field
	line     int
}

// lockLimited takes, in account order, a row lock on every account with
// limits that the entries touch, and reads its limits fresh. Concurrent
// postings to such an account then run their check one after the other.
func lockLimited(ctx context.Context, tx *sqldb.Tx, ps []*prepared) ([]limited, error) {
	byID := map[backoffice.ID]*limited{}
	for _, p := range ps {
		for i, l := range p.lines {
			if p.limited[l.AccountID] && byID[l.AccountID] == nil {
				byID[l.AccountID] = &limited{id: l.AccountID, code: l.AccountCode, entry: p, line: i}
			}
		}
	}
	out := make([]limited, 0, len(byID))
	for _, l := range byID {
		out = append(out, *l)
	}
	slices.SortFunc(out, func(a, b limited) int { return int(a.id - b.id) })
	for i := range out {
		var lo, hi *int64
		if err := tx.QueryRowContext(ctx, `UPDATE ledger_accounts SET blocked = blocked WHERE id = ? RETURNING min_balance, max_balance`,
			int64(out[i].id)).Scan(&lo, &hi); err != nil {
			return nil, fmt.Errorf("lock limited account: %w", err)
		}
		out[i].min, out[i].max = lo, hi
	}
	return out, nil
}

// checkLimits reads each limited account's balance after the posting — the
// year summaries hold it in a bounded number of rows — and its pending
// amounts, and refuses a balance outside the limits.
func checkLimits(ctx context.Context, tx *sqldb.Tx, ls []limited) error {
	for _, l := range ls {
		if l.min == nil && l.max == nil {
			continue
		}
		var bal, pendingDebit, pendingCredit int64
		if err := tx.QueryRowContext(ctx, `SELECT
			(SELECT CAST(COALESCE(SUM(company_debit - company_credit), 0) AS BIGINT) FROM ledger_balances WHERE account_id = ? AND span = 'y'),
			(SELECT CAST(COALESCE(SUM(company_debit), 0) AS BIGINT) FROM ledger_pending WHERE account_id = ?),
			(SELECT CAST(COALESCE(SUM(company_credit), 0) AS BIGINT) FROM ledger_pending WHERE account_id = ?)`,
			int64(l.id), int64(l.id), int64(l.id)).Scan(&bal, &pendingDebit, &pendingCredit); err != nil {
			return fmt.Errorf("check balance limit: %w", err)
		}
		// Pending entries count against a limit on their unfavourable side.
		base := l.entry.base
		var broken string
		switch {
		case l.min != nil && bal-pendingCredit < *l.min:
			bal, broken = bal-pendingCredit, "at least "+backoffice.NewMoney(*l.min, base).String()
		case l.max != nil && bal+pendingDebit > *l.max:
			bal, broken = bal+pendingDebit, "at most "+backoffice.NewMoney(*l.max, base).String()
		default:
			continue
		}
		msg := fmt.Sprintf("account %s would have a balance of %s, pending entries included; its limit is %s", l.code, backoffice.NewMoney(bal, base), broken)
		return &backoffice.Error{Code: backoffice.ELimitExceeded, Message: msg,
			Fields: map[string]string{fmt.Sprintf("%slines[%d].account", l.entry.prefix, l.line): msg}}
	}
	return nil
}
