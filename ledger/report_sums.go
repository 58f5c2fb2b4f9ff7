package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// Reports read the maintained summaries (see balance.go), never the lines,
// for any figure the summaries hold: a balance at a date reads, per account
// and currency, the year rows before its year, at most 11 month rows and at
// most 31 day rows; a movement over a period [from, to] reads at most 30 day
// and 11 month rows at each end plus one year row per whole year between.
// A report column therefore costs (accounts with postings) × (at most 82
// rows plus the years of history), whatever the number of lines. Measured
// on a company with 100,000 posted lines over three years (67 accounts,
// BenchmarkReports_100kLines): balance sheet with two comparison columns
// 5.4 ms on SQLite, 4.8 ms on PostgreSQL; income statement with three
// comparison columns 2.9 / 3.7 ms; cash flow 0.7 / 0.9 ms; first general
// ledger page 1.0 / 2.7 ms.

// spanRange is one index range of summary rows: span rows starting from
// lo to hi.
type spanRange struct {
	span   string
	lo, hi backoffice.Date
}

// rangesBetween lists the summary rows whose sum is the movement from the
// start of from to the end of to: day rows up to the first month boundary,
// month rows up to the first year boundary, whole years, then months and
// days again — at most five ranges.
func rangesBetween(from, to backoffice.Date) []spanRange {
	var out []spanRange
	for d := from; !d.After(to); {
		monthEnd := backoffice.NewDate(d.Year, d.Month, 1).AddMonths(1).AddDays(-1)
		switch {
		case d.Month == time.January && d.Day == 1 && !backoffice.NewDate(d.Year, 12, 31).After(to):
			last := to.Year
			if to.Month != time.December || to.Day != 31 {
				last--
			}
			out = append(out, spanRange{spanYear, d, backoffice.NewDate(last, 1, 1)})
			d = backoffice.NewDate(last+1, 1, 1)
		case d.Day == 1 && !monthEnd.After(to):
			last := backoffice.NewDate(d.Year, 12, 1)
			if to.Year == d.Year {
				last = backoffice.NewDate(to.Year, to.Month, 1)
				if !isMonthEnd(to) {
					last = last.AddMonths(-1)
				}
			}
			out = append(out, spanRange{spanMonth, d, last})
			d = last.AddMonths(1)
		default:
			end := earlier(to, monthEnd)
			out = append(out, spanRange{spanDay, d, end})
			d = end.AddDays(1)
		}
	}
	return out
}

// summaryUnion is a query over the summary rows of the ranges that match
// where: one index range scan per range, joined by UNION ALL. (An OR of
// three or more ranges makes SQLite scan every summary row of the company:
// 59 ms against 1 ms for 100,000 lines.)
func summaryUnion(columns, where string, whereArgs []any, ranges []spanRange) (string, []any) {
	if len(ranges) == 0 {
		return `SELECT ` + columns + ` FROM ledger_balances WHERE 1 = 0`, nil
	}
	parts := make([]string, len(ranges))
	var args []any
	for i, r := range ranges {
		parts[i] = `SELECT ` + columns + ` FROM ledger_balances WHERE ` + where + ` AND span = ? AND start >= ? AND start <= ?`
		args = append(append(args, whereArgs...), r.span, r.lo, r.hi)
	}
	return strings.Join(parts, " UNION ALL "), args
}

// earlier returns the earlier of two dates.
func earlier(a, b backoffice.Date) backoffice.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// companyAmounts sums debit − credit in company currency per account of a
// company over the summary rows of the ranges, through the
// (company_id, span, start) index.
func companyAmounts(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, ranges []spanRange) (map[backoffice.ID]int64, error) {
	union, args := summaryUnion(`account_id, company_debit - company_credit AS amount`, `company_id = ?`, []any{int64(companyID)}, ranges)
	rows, err := q.QueryContext(ctx, `SELECT account_id, CAST(SUM(amount) AS BIGINT) FROM (`+union+`) r GROUP BY account_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read balances: %w", err)
	}
	defer rows.Close()
	out := map[backoffice.ID]int64{}
	for rows.Next() {
		var id backoffice.ID
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("read balances: %w", err)
		}
		out[id] = v
	}
	return out, rows.Err()
}

// balancesAt is every account's company-currency balance at the end of d.
func balancesAt(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, d backoffice.Date) (map[backoffice.ID]int64, error) {
	return companyAmounts(ctx, q, companyID, rangesBetween(firstDate, d))
}

// movements is every account's company-currency movement from the start of
// from to the end of to, without the closing entries in force: a year's
// closing moves its profit to retained earnings, and an income statement or
// cash flow over that year must still show the profit where it arose. (A
// reopened closing and its reversal fall on the same day and cancel out.)
func movements(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, from, to backoffice.Date) (map[backoffice.ID]int64, error) {
	out, err := companyAmounts(ctx, q, companyID, rangesBetween(from, to))
	if err != nil {
		return nil, err
	}
	// A closing entry has one line per income and expense account and one
	// to retained earnings; only closings dated inside the period are read.
	rows, err := q.QueryContext(ctx, `SELECT l.account_id, CAST(SUM(l.company_amount) AS BIGINT)
		FROM ledger_year_closings c JOIN ledger_lines l ON l.entry_id = c.entry_id
		WHERE c.company_id = ? AND c.reopened_at IS NULL AND c.end_date >= ? AND c.end_date <= ?
		GROUP BY l.account_id`, int64(companyID), from, to)
	if err != nil {
		return nil, fmt.Errorf("read closing entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id backoffice.ID
		var v int64
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("read closing entries: %w", err)
		}
		out[id] -= v
	}
	return out, rows.Err()
}

// column gives each account's figure of one column its shown sign.
func column(accounts []Account, amounts map[backoffice.ID]int64) map[backoffice.ID]int64 {
	out := make(map[backoffice.ID]int64, len(amounts))
	for _, a := range accounts {
		if v, ok := amounts[a.ID]; ok && v != 0 {
			out[a.ID] = natural(a.Type, v)
		}
	}
	return out
}

// columns joins per-column figures into per-account rows of figures.
func columns(cols []map[backoffice.ID]int64) map[backoffice.ID][]int64 {
	out := map[backoffice.ID][]int64{}
	for i, c := range cols {
		for id, v := range c {
			if out[id] == nil {
				out[id] = make([]int64, len(cols))
			}
			out[id][i] = v
		}
	}
	return out
}

// isMonthEnd reports whether d is the last day of its month.
func isMonthEnd(d backoffice.Date) bool { return d.AddDays(1).Day == 1 }

// shiftMonths moves d by n months, keeping a month's last day the last day.
func shiftMonths(d backoffice.Date, n int) backoffice.Date {
	if isMonthEnd(d) {
		return backoffice.NewDate(d.Year, d.Month, 1).AddMonths(n + 1).AddDays(-1)
	}
	return d.AddMonths(n)
}

// previousPeriod is the period of the same length just before [from, to]:
// whole months when the period is whole months, else days.
func previousPeriod(from, to backoffice.Date) (backoffice.Date, backoffice.Date) {
	if from.Day == 1 && isMonthEnd(to) {
		n := (to.Year-from.Year)*12 + int(to.Month-from.Month) + 1
		return from.AddMonths(-n), shiftMonths(to, -n)
	}
	days := from.DaysUntil(to) + 1
	return from.AddDays(-days), from.AddDays(-1)
}
