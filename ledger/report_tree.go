package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"backoffice"
	"backoffice/sqldb"
)

// ReportRow is one line of a financial report: an account, or a group
// account whose amounts include its sub-accounts, or a computed line
// (AccountID 0, such as the profit not yet closed). Amounts has one figure
// per column of the report, in company currency minor units, with the sign
// the report shows (see each report).
type ReportRow struct {
	AccountID backoffice.ID `json:"account_id,omitempty"`
	Code      string        `json:"code,omitempty"`
	Name      string        `json:"name"`
	Level     int           `json:"level"` // depth in the account tree, 0 at the top
	Group     bool          `json:"group"` // amounts are a subtotal over sub-accounts
	Amounts   []int64       `json:"amounts"`
}

// RollUp turns per-account amounts into report rows in tree order: each
// parent before its children, siblings by code, with every parent's
// amounts the sum of its own and all its descendants'. accounts is the part
// of the chart to show (an account whose parent is not in it is shown at
// the top); amounts has columns figures per account (missing = zero). Rows
// whose figures are all zero, descendants included, are left out.
func RollUp(accounts []Account, amounts map[backoffice.ID][]int64, columns int) []ReportRow {
	in := make(map[backoffice.ID]bool, len(accounts))
	for _, a := range accounts {
		in[a.ID] = true
	}
	children := map[backoffice.ID][]Account{}
	var roots []Account
	for _, a := range accounts {
		if a.ParentID != 0 && in[a.ParentID] && a.ParentID != a.ID {
			children[a.ParentID] = append(children[a.ParentID], a)
		} else {
			roots = append(roots, a)
		}
	}
	byCode := func(a, b Account) int { return cmp.Compare(a.Code, b.Code) }
	slices.SortFunc(roots, byCode)
	for _, c := range children {
		slices.SortFunc(c, byCode)
	}
	var out []ReportRow
	seen := map[backoffice.ID]bool{}
	var walk func(a Account, level int) []int64
	walk = func(a Account, level int) []int64 {
		seen[a.ID] = true
		at := len(out)
		out = append(out, ReportRow{AccountID: a.ID, Code: a.Code, Name: a.Name, Level: level, Group: len(children[a.ID]) > 0})
		sum := make([]int64, columns)
		copy(sum, amounts[a.ID])
		for _, c := range children[a.ID] {
			if seen[c.ID] {
				continue // a cycle: the chart's checks prevent it, the report does not loop
			}
			for i, v := range walk(c, level+1) {
				sum[i] += v
			}
		}
		if allZero(sum) {
			out = out[:at]
			return sum
		}
		out[at].Amounts = sum
		return sum
	}
	for _, r := range roots {
		walk(r, 0)
	}
	if out == nil {
		out = []ReportRow{}
	}
	return out
}

func allZero(v []int64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// topTotal sums the top-level rows, which hold everything below them.
func topTotal(rows []ReportRow, columns int) []int64 {
	t := make([]int64, columns)
	for _, r := range rows {
		if r.Level == 0 {
			for i, v := range r.Amounts {
				t[i] += v
			}
		}
	}
	return t
}

// chart reads all of the company's accounts (one query; a chart has
// hundreds or a few thousand rows).
func chart(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) ([]Account, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+accountColumns+` FROM ledger_accounts WHERE company_id = ? ORDER BY code`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read chart of accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("read chart of accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ofTypes keeps the accounts of the given types.
func ofTypes(accounts []Account, types ...AccountType) []Account {
	var out []Account
	for _, a := range accounts {
		if slices.Contains(types, a.Type) {
			out = append(out, a)
		}
	}
	return out
}

// creditNormal reports whether an account type shows credit balances as
// positive figures (liabilities, equity, income).
func creditNormal(t AccountType) bool { return t == Liability || t == Equity || t == Income }

// natural turns a debit − credit figure into the account type's shown sign.
func natural(t AccountType, debitMinusCredit int64) int64 {
	if creditNormal(t) {
		return -debitMinusCredit
	}
	return debitMinusCredit
}
