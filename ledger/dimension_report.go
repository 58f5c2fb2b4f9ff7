package ledger

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"backoffice"
	"backoffice/csvio"
)

// DimensionFilter narrows and groups DimensionBalances: only lines with
// Dimension = Value (both empty: every line), one row per account and value
// of GroupBy (empty: one row per account). From zero means from the first
// posting, as a trial balance.
type DimensionFilter struct {
	From, To         backoffice.Date
	Dimension, Value string
	GroupBy          string
}

// DimensionRow is an account's debits, credits and balance (debit −
// credit) in company currency, for one value of the grouping dimension
// ("" for lines without it).
type DimensionRow struct {
	AccountID backoffice.ID `json:"account_id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Type      AccountType   `json:"type"`
	Value     string        `json:"value"`
	Debit     int64         `json:"debit"`
	Credit    int64         `json:"credit"`
	Balance   int64         `json:"balance"`
}

// DimensionReport is a trial balance filtered or grouped by dimension.
type DimensionReport struct {
	Currency backoffice.Currency `json:"currency"`
	Filter   DimensionFilter     `json:"filter"`
	Rows     []DimensionRow      `json:"rows"`
}

// DimensionBalances is the trial balance of the lines that carry a
// dimension value, or of all lines grouped by a dimension's values. The
// summaries are not kept per dimension (that would multiply them by every
// combination of values), so this reads the posted lines of the period
// through the (account, date) index, summed in the database per account
// and stored dimensions text; its cost grows with the period's lines.
func (s *Service) DimensionBalances(ctx context.Context, companyID backoffice.ID, f DimensionFilter) (DimensionReport, error) {
	v := backoffice.Validation{}
	v.Check(f.To.IsZero() || f.From.IsZero() || !f.To.Before(f.From), "to", "must be on or after from")
	v.Check(f.Dimension == "" || validDimension(f.Dimension), "dimension", "must be a dimension name in lower snake case")
	v.Check((f.Dimension == "") == (f.Value == ""), "value", "is given with a dimension and only then")
	v.Check(f.GroupBy == "" || validDimension(f.GroupBy), "group", "must be a dimension name in lower snake case")
	if err := v.Err("dimension report"); err != nil {
		return DimensionReport{}, err
	}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return DimensionReport{}, err
	}
	lo, hi := f.From, f.To
	if lo.IsZero() {
		lo = firstDate
	}
	if hi.IsZero() {
		hi = lastDate
	}
	where, args := "", []any{int64(companyID), lo, hi}
	if f.Dimension != "" {
		where = ` AND l.dimensions LIKE ? ESCAPE '\'`
		args = append(args, dimensionPattern(f.Dimension, f.Value))
	}
	// Grouping by the line columns alone and naming the accounts after
	// lets SQLite walk the (account, date) index account by account.
	rows, err := s.DB.QueryContext(ctx, `SELECT l.account_id, l.dimensions,
		CAST(SUM(CASE WHEN l.company_amount > 0 THEN l.company_amount ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN l.company_amount < 0 THEN -l.company_amount ELSE 0 END) AS BIGINT)
		FROM ledger_lines l
		WHERE l.account_id IN (SELECT id FROM ledger_accounts WHERE company_id = ?) AND l.date >= ? AND l.date <= ?`+where+`
		GROUP BY l.account_id, l.dimensions`, args...)
	if err != nil {
		return DimensionReport{}, fmt.Errorf("dimension balances: %w", err)
	}
	defer rows.Close()
	type key struct {
		account backoffice.ID
		value   string
	}
	sums := map[key]*DimensionRow{}
	for rows.Next() {
		var r DimensionRow
		var dims string
		if err := rows.Scan(&r.AccountID, &dims, &r.Debit, &r.Credit); err != nil {
			return DimensionReport{}, fmt.Errorf("dimension balances: %w", err)
		}
		if f.GroupBy != "" && dims != "" {
			var m map[string]string
			if err := json.Unmarshal([]byte(dims), &m); err != nil {
				return DimensionReport{}, fmt.Errorf("dimensions of account %d: %w", r.AccountID, err)
			}
			r.Value = m[f.GroupBy]
		}
		k := key{r.AccountID, r.Value}
		if sum := sums[k]; sum != nil {
			sum.Debit, sum.Credit = sum.Debit+r.Debit, sum.Credit+r.Credit
			continue
		}
		sums[k] = &r
	}
	if err := rows.Err(); err != nil {
		return DimensionReport{}, fmt.Errorf("dimension balances: %w", err)
	}
	accounts, err := chart(ctx, s.DB, companyID)
	if err != nil {
		return DimensionReport{}, err
	}
	byID := make(map[backoffice.ID]Account, len(accounts))
	for _, a := range accounts {
		byID[a.ID] = a
	}
	out := DimensionReport{Currency: base, Filter: f, Rows: make([]DimensionRow, 0, len(sums))}
	for _, r := range sums {
		a := byID[r.AccountID]
		r.Code, r.Name, r.Type = a.Code, a.Name, a.Type
		r.Balance = r.Debit - r.Credit
		out.Rows = append(out.Rows, *r)
	}
	slices.SortFunc(out.Rows, func(a, b DimensionRow) int {
		return cmp.Or(cmp.Compare(a.Code, b.Code), cmp.Compare(a.Value, b.Value))
	})
	return out, nil
}

// WriteCSV writes the report: account, name, the grouping dimension's
// value (column named after it, when grouped), debit, credit, balance.
func (r DimensionReport) WriteCSV(w io.Writer) error {
	money := func(v int64) string { return backoffice.FormatMinor(v, r.Currency.Exponent()) }
	header := []string{"account", "name"}
	if r.Filter.GroupBy != "" {
		header = append(header, r.Filter.GroupBy)
	}
	header = append(header, "debit", "credit", "balance")
	rows := func(yield func([]string) bool) {
		for _, x := range r.Rows {
			row := []string{x.Code, x.Name}
			if r.Filter.GroupBy != "" {
				row = append(row, x.Value)
			}
			if !yield(append(row, money(x.Debit), money(x.Credit), money(x.Balance))) {
				return
			}
		}
	}
	return csvio.Export(w, header, rows)
}
