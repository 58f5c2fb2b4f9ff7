package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

// OpenItemFilter selects open items. Kind is "receivable", "payable" (the
// account subtype) or "" for every open-item account. AsOf reads the items
// as they were open at the end of that day (posted by then, not settled by
// matches dated by then); zero reads them as they are now.
type OpenItemFilter struct {
	Kind      string
	AccountID backoffice.ID
	PartyID   int64
	AsOf      backoffice.Date
	Page      backoffice.Page
}

// openItemQuery builds the select of open items for f: residuals as stored
// when reading now, else recomputed from the matches dated by AsOf.
func openItemQuery(companyID backoffice.ID, f OpenItemFilter) (string, []any, error) {
	var b strings.Builder
	var args []any
	b.WriteString(`SELECT o.entry_id, o.line_no, e.number, e.reference, o.account_id, a.code, o.party_id, o.date, o.due_date, o.currency,
		o.amount, o.company_amount, `)
	if f.AsOf.IsZero() {
		b.WriteString(`o.residual, o.company_residual`)
	} else {
		// A debit loses its debit parts, a credit gets its credit parts back.
		b.WriteString(`o.amount - COALESCE((SELECT SUM(m.debit_amount) FROM ledger_matches m WHERE m.debit_entry_id = o.entry_id AND m.debit_line_no = o.line_no AND m.date <= ?), 0)
			+ COALESCE((SELECT SUM(m.credit_amount) FROM ledger_matches m WHERE m.credit_entry_id = o.entry_id AND m.credit_line_no = o.line_no AND m.date <= ?), 0),
			o.company_amount - COALESCE((SELECT SUM(m.debit_company) FROM ledger_matches m WHERE m.debit_entry_id = o.entry_id AND m.debit_line_no = o.line_no AND m.date <= ?), 0)
			+ COALESCE((SELECT SUM(m.credit_company) FROM ledger_matches m WHERE m.credit_entry_id = o.entry_id AND m.credit_line_no = o.line_no AND m.date <= ?), 0)`)
		args = append(args, f.AsOf, f.AsOf, f.AsOf, f.AsOf)
	}
	b.WriteString(` FROM ledger_open_items o JOIN ledger_entries e ON e.id = o.entry_id JOIN ledger_accounts a ON a.id = o.account_id WHERE o.company_id = ?`)
	args = append(args, int64(companyID))
	if f.AsOf.IsZero() {
		b.WriteString(` AND o.settled_on IS NULL`)
	} else {
		b.WriteString(` AND o.date <= ? AND (o.settled_on IS NULL OR o.settled_on > ?)`)
		args = append(args, f.AsOf, f.AsOf)
	}
	switch f.Kind {
	case "":
	case "receivable", "payable":
		b.WriteString(` AND a.subtype = ?`)
		args = append(args, f.Kind)
	default:
		return "", nil, fieldError("kind", "must be receivable, payable or empty")
	}
	if f.AccountID != 0 {
		b.WriteString(` AND o.account_id = ?`)
		args = append(args, int64(f.AccountID))
	}
	if f.PartyID != 0 {
		b.WriteString(` AND o.party_id = ?`)
		args = append(args, f.PartyID)
	}
	return b.String(), args, nil
}

// scanOpenItem reads one row of openItemQuery.
func scanOpenItem(rows interface{ Scan(...any) error }) (OpenItem, error) {
	var it OpenItem
	var number *string
	var party *int64
	err := rows.Scan(&it.EntryID, &it.LineNo, &number, &it.Reference, &it.AccountID, &it.AccountCode, &party, &it.Date, &it.DueDate,
		&it.Currency, &it.Amount, &it.CompanyAmount, &it.Residual, &it.CompanyResidual)
	if number != nil {
		it.EntryNumber = *number
	}
	if party != nil {
		it.PartyID = *party
	}
	return it, err
}

// OpenItems lists open items, oldest entry first, one page at a time.
func (s *Service) OpenItems(ctx context.Context, companyID backoffice.ID, f OpenItemFilter) (backoffice.List[OpenItem], error) {
	var out backoffice.List[OpenItem]
	q, args, err := openItemQuery(companyID, f)
	if err != nil {
		return out, err
	}
	if f.Page.After != "" {
		var pos [2]int64
		if err := decodeCursor(f.Page.After, "open-items", &pos); err != nil {
			return out, err
		}
		q += ` AND (o.entry_id > ? OR (o.entry_id = ? AND o.line_no > ?))`
		args = append(args, pos[0], pos[0], pos[1])
	}
	limit := limitOf(f.Page)
	q += fmt.Sprintf(` ORDER BY o.entry_id, o.line_no LIMIT %d`, limit+1)
	err = s.eachOpenItem(ctx, s.DB, q, args, func(it OpenItem) {
		out.Items = append(out.Items, it)
	})
	if err != nil {
		return out, err
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = encodeCursor("open-items", [2]int64{int64(last.EntryID), int64(last.LineNo)})
	}
	return out, nil
}

// eachOpenItem runs an open-item query and hands every item with something
// left open to fn.
func (s *Service) eachOpenItem(ctx context.Context, q sqldb.Querier, query string, args []any, fn func(OpenItem)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read open items: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanOpenItem(rows)
		if err != nil {
			return fmt.Errorf("read open items: %w", err)
		}
		if it.Residual != 0 || it.CompanyResidual != 0 {
			fn(it)
		}
	}
	return rows.Err()
}

// AgingOptions shape the aging report. Buckets are the upper bounds in days
// overdue of each bucket after "not due" (default 30, 60, 90: 1–30, 31–60,
// 61–90, over 90).
type AgingOptions struct {
	Kind      string // receivable or payable
	AsOf      backoffice.Date
	Buckets   []int
	AccountID backoffice.ID
	PartyID   int64
}

// Aging is the aged balance of receivables or payables at a date: one row
// per party and currency with what is not yet due and what is overdue per
// bucket, in the items' currency and in company currency. Its company total
// equals the balance of the accounts it covers at that date.
type Aging struct {
	Kind         string              `json:"kind"`
	AsOf         backoffice.Date     `json:"as_of"`
	Currency     backoffice.Currency `json:"currency"` // company currency
	Buckets      []AgingBucket       `json:"buckets"`
	Rows         []AgingRow          `json:"rows"`
	Total        []int64             `json:"total"` // company currency, per bucket
	TotalCompany int64               `json:"total_company"`
}

// AgingBucket names a column: not due, 1–30, …, over 90 days.
type AgingBucket struct {
	Label   string `json:"label"`
	FromDay int    `json:"from_day"` // days overdue, inclusive; 0 = not due
	ToDay   int    `json:"to_day"`   // inclusive; 0 = no upper bound
}

// AgingRow is one party's open amounts in one currency, per bucket, signed
// like the account (receivables positive, payables negative).
type AgingRow struct {
	PartyID      int64               `json:"party_id,omitempty"`
	Currency     backoffice.Currency `json:"currency"`
	Amounts      []int64             `json:"amounts"`
	Total        int64               `json:"total"`
	TotalCompany int64               `json:"total_company"`
	Items        int                 `json:"items"`
}

// Aging ages the open receivables or payables at a date by days past due
// (items without a due date are due on their date).
func (s *Service) Aging(ctx context.Context, companyID backoffice.ID, o AgingOptions) (Aging, error) {
	if o.Kind != "receivable" && o.Kind != "payable" {
		return Aging{}, fieldError("kind", "must be receivable or payable")
	}
	if o.AsOf.IsZero() {
		o.AsOf = s.today()
	}
	if len(o.Buckets) == 0 {
		o.Buckets = []int{30, 60, 90}
	}
	for i, d := range o.Buckets {
		if d < 1 || (i > 0 && d <= o.Buckets[i-1]) {
			return Aging{}, fieldError("buckets", "must be increasing numbers of days, each at least 1")
		}
	}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return Aging{}, err
	}
	ag := Aging{Kind: o.Kind, AsOf: o.AsOf, Currency: base, Buckets: agingBuckets(o.Buckets)}
	ag.Total = make([]int64, len(ag.Buckets))
	type key struct {
		party    int64
		currency backoffice.Currency
	}
	rows := map[key]*AgingRow{}
	err = s.eachAgingItem(ctx, companyID, o, func(it agingItem) {
		k := key{it.party, it.currency}
		r := rows[k]
		if r == nil {
			r = &AgingRow{PartyID: it.party, Currency: it.currency, Amounts: make([]int64, len(ag.Buckets))}
			rows[k] = r
		}
		b := bucketOf(it.due.DaysUntil(o.AsOf), o.Buckets)
		r.Amounts[b] += it.residual
		r.Total += it.residual
		r.TotalCompany += it.companyResidual
		r.Items++
		ag.Total[b] += it.companyResidual
		ag.TotalCompany += it.companyResidual
	})
	if err != nil {
		return Aging{}, err
	}
	for _, r := range rows {
		ag.Rows = append(ag.Rows, *r)
	}
	slices.SortFunc(ag.Rows, func(a, b AgingRow) int {
		if a.PartyID != b.PartyID {
			return int(a.PartyID - b.PartyID)
		}
		return strings.Compare(string(a.Currency), string(b.Currency))
	})
	return ag, nil
}

// agingBuckets labels the columns for the given upper bounds.
func agingBuckets(bounds []int) []AgingBucket {
	out := []AgingBucket{{Label: "Not due"}}
	from := 1
	for _, to := range bounds {
		out = append(out, AgingBucket{Label: fmt.Sprintf("%d–%d days", from, to), FromDay: from, ToDay: to})
		from = to + 1
	}
	return append(out, AgingBucket{Label: fmt.Sprintf("Over %d days", from-1), FromDay: from})
}

// bucketOf gives the column of an item overdue by days (negative or zero:
// not due).
func bucketOf(days int, bounds []int) int {
	if days <= 0 {
		return 0
	}
	for i, to := range bounds {
		if days <= to {
			return i + 1
		}
	}
	return len(bounds) + 1
}

// agingItem is what the aging needs of an open item at its date.
type agingItem struct {
	party                     int64
	currency                  backoffice.Currency
	due                       backoffice.Date // the due date, else the date
	residual, companyResidual int64
}

// eachAgingItem hands fn every item of the aged accounts open at the end of
// o.AsOf, reading only the open-item table: the residuals as stored, with
// what matches dated after o.AsOf took given back (few, since matches are
// dated when both lines exist). 100,000 open items age in well under the
// time a join per item would take.
func (s *Service) eachAgingItem(ctx context.Context, companyID backoffice.ID, o AgingOptions, fn func(agingItem)) error {
	accounts := map[backoffice.ID]bool{}
	rows, err := s.DB.QueryContext(ctx, `SELECT id FROM ledger_accounts WHERE company_id = ? AND subtype = ? AND reconcilable`, int64(companyID), o.Kind)
	if err != nil {
		return fmt.Errorf("read aged accounts: %w", err)
	}
	for rows.Next() {
		var id backoffice.ID
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if o.AccountID == 0 || o.AccountID == id {
			accounts[id] = true
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	// What matches after the date took from each side, to give back.
	type ref struct {
		entry int64
		line  int
	}
	back := map[ref][2]int64{}
	mrows, err := s.DB.QueryContext(ctx, `SELECT debit_entry_id, debit_line_no, credit_entry_id, credit_line_no, debit_amount, debit_company,
		credit_amount, credit_company FROM ledger_matches WHERE company_id = ? AND date > ?`, int64(companyID), o.AsOf)
	if err != nil {
		return fmt.Errorf("read later matches: %w", err)
	}
	for mrows.Next() {
		var d, c ref
		var da, dc, ca, cc int64
		if err := mrows.Scan(&d.entry, &d.line, &c.entry, &c.line, &da, &dc, &ca, &cc); err != nil {
			mrows.Close()
			return err
		}
		back[d] = [2]int64{back[d][0] + da, back[d][1] + dc}
		back[c] = [2]int64{back[c][0] - ca, back[c][1] - cc}
	}
	if err := mrows.Close(); err != nil {
		return err
	}
	q := `SELECT entry_id, line_no, account_id, party_id, currency, date, due_date, residual, company_residual FROM ledger_open_items
		WHERE company_id = ? AND date <= ? AND (settled_on IS NULL OR settled_on > ?)`
	args := []any{int64(companyID), o.AsOf, o.AsOf}
	if o.PartyID != 0 {
		q += ` AND party_id = ?`
		args = append(args, o.PartyID)
	}
	irows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read open items: %w", err)
	}
	defer irows.Close()
	for irows.Next() {
		var r ref
		var account backoffice.ID
		var party *int64
		var it agingItem
		var date backoffice.Date
		if err := irows.Scan(&r.entry, &r.line, &account, &party, &it.currency, &date, &it.due, &it.residual, &it.companyResidual); err != nil {
			return fmt.Errorf("read open items: %w", err)
		}
		if !accounts[account] {
			continue
		}
		if b, ok := back[r]; ok {
			it.residual, it.companyResidual = it.residual+b[0], it.companyResidual+b[1]
		}
		if it.residual == 0 && it.companyResidual == 0 {
			continue
		}
		if party != nil {
			it.party = *party
		}
		if it.due.IsZero() {
			it.due = date
		}
		fn(it)
	}
	return irows.Err()
}
