package invoice

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"backoffice"
)

// BrowseFilter narrows Browse: the fields of Filter, several kinds at once
// (invoices with their credit notes, bills with their refunds) and a sort
// order. Kinds, when set, replaces Filter.Kind.
type BrowseFilter struct {
	Filter
	Kinds     []Kind
	Sort      string        // a key of BrowseSorts, "-" in front for descending; "" = newest issue date first
	CreditsID backoffice.ID // only the credit notes (refunds) of this document; 0 = any
}

// BrowseSorts are the orders Browse knows, by key.
var BrowseSorts = map[string]string{
	"issue_date": "d.issue_date",
	"due_date":   "d.due_date",
	"number":     "COALESCE(d.number, '')",
	"party":      "COALESCE(NULLIF(p.trade_name, ''), p.legal_name)", // the name documents show
	"payable":    "d.payable",
}

// browsePos is a keyset position of Browse: the sort value of the last row
// shown (in the field of its type) and its id.
type browsePos struct {
	Sort string          `json:"s"`
	Date backoffice.Date `json:"d,omitzero"`
	Text string          `json:"t,omitempty"`
	Num  int64           `json:"n,omitempty"`
	ID   backoffice.ID   `json:"id"`
}

// Browse returns one page of the company's documents for a list screen:
// like List, without lines but with installments (so Balances can tell
// what is open), sortable by any of BrowseSorts and across several kinds. The keyset cursor carries the sort, so a cursor of one
// order is refused by another.
func (s *Service) Browse(ctx context.Context, companyID backoffice.ID, f BrowseFilter) (backoffice.List[Document], error) {
	key, desc := strings.TrimPrefix(f.Sort, "-"), strings.HasPrefix(f.Sort, "-")
	if f.Sort == "" {
		key, desc = "issue_date", true
	}
	col, ok := BrowseSorts[key]
	v := backoffice.Validation{}
	v.Check(ok, "sort", "must be one of issue_date, due_date, number, party, payable, with - in front for descending")
	kinds := f.Kinds
	if len(kinds) == 0 && f.Kind != "" {
		kinds = []Kind{f.Kind}
	}
	for _, k := range kinds {
		v.Check(k.Valid(), "kind", "must be invoice, credit_note, bill or refund")
	}
	v.Check(f.State == "" || f.State == StateDraft || f.State == StatePosted || f.State == StateCancelled, "state", "must be draft, posted or cancelled")
	if err := v.Err("filter"); err != nil {
		return backoffice.List[Document]{}, err
	}
	where, args := browseWhere(companyID, f.Filter, kinds)
	if f.CreditsID != 0 {
		where, args = append(where, "d.credits_id = ?"), append(args, int64(f.CreditsID))
	}
	cmp, dir := ">", "ASC"
	if desc {
		cmp, dir = "<", "DESC"
	}
	if f.Page.After != "" {
		var pos browsePos
		if err := decodeCursor(f.Page.After, "browse", &pos); err != nil {
			return backoffice.List[Document]{}, err
		}
		if pos.Sort != f.Sort {
			return backoffice.List[Document]{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "the page cursor belongs to another sort order; start from the first page",
				Fields: map[string]string{"after": "is not a cursor of this sort order"}}
		}
		val := browseValue(key, pos)
		where = append(where, fmt.Sprintf("(%s %s ? OR (%s = ? AND d.id %s ?))", col, cmp, col, cmp))
		args = append(args, val, val, int64(pos.ID))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`SELECT %s%s WHERE %s ORDER BY %s %s, d.id %s LIMIT %d`,
		documentColumns, documentFrom, strings.Join(where, " AND "), col, dir, dir, limit+1), args...)
	if err != nil {
		return backoffice.List[Document]{}, fmt.Errorf("browse documents: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Document]{Items: []Document{}}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return backoffice.List[Document]{}, fmt.Errorf("browse documents: %w", err)
		}
		out.Items = append(out.Items, d)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Document]{}, fmt.Errorf("browse documents: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = encodeCursor("browse", browsePosOf(f.Sort, key, out.Items[limit-1]))
	}
	return out, s.pageInstallments(ctx, out.Items)
}

// pageInstallments loads the installments of a page of documents in one
// query: Balances needs their entry lines to tell what is open.
func (s *Service) pageInstallments(ctx context.Context, docs []Document) error {
	if len(docs) == 0 {
		return nil
	}
	at := make(map[backoffice.ID]int, len(docs))
	args := make([]any, len(docs))
	for i, d := range docs {
		at[d.ID], args[i] = i, int64(d.ID)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT document_id, due_date, amount, entry_line FROM invoice_installments
		WHERE document_id IN (?`+strings.Repeat(", ?", len(docs)-1)+`) ORDER BY document_id, seq`, args...)
	if err != nil {
		return fmt.Errorf("read installments: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id backoffice.ID
		var in Installment
		var line sql.NullInt64
		if err := rows.Scan(&id, &in.DueDate, &in.Amount, &line); err != nil {
			return fmt.Errorf("read installments: %w", err)
		}
		in.EntryLine = int(line.Int64)
		d := &docs[at[id]]
		d.Installments = append(d.Installments, in)
	}
	return rows.Err()
}

// browseWhere is the WHERE of Browse for the filter's fields.
func browseWhere(companyID backoffice.ID, f Filter, kinds []Kind) ([]string, []any) {
	where := []string{"d.company_id = ?"}
	args := []any{int64(companyID)}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if len(kinds) > 0 {
		marks := make([]string, len(kinds))
		for i, k := range kinds {
			marks[i] = "?"
			args = append(args, string(k))
		}
		where = append(where, "d.kind IN ("+strings.Join(marks, ", ")+")")
	}
	if f.State != "" {
		add("d.state = ?", string(f.State))
	}
	if f.PartyID != 0 {
		add("d.party_id = ?", int64(f.PartyID))
	}
	if !f.From.IsZero() {
		add("d.issue_date >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("d.issue_date <= ?", f.To)
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		p := "%" + escapeLike(q) + "%"
		add(`(LOWER(COALESCE(d.number, '')) LIKE ? ESCAPE '\' OR LOWER(p.legal_name) LIKE ? ESCAPE '\' OR LOWER(p.trade_name) LIKE ? ESCAPE '\'
			OR LOWER(d.supplier_reference) LIKE ? ESCAPE '\' OR LOWER(d.notes) LIKE ? ESCAPE '\')`, p, p, p, p, p)
	}
	return where, args
}

// browsePosOf is the keyset position after d in the order key.
func browsePosOf(sort, key string, d Document) browsePos {
	pos := browsePos{Sort: sort, ID: d.ID}
	switch key {
	case "issue_date":
		pos.Date = d.IssueDate
	case "due_date":
		pos.Date = d.DueDate
	case "number":
		pos.Text = d.Number
	case "party":
		pos.Text = d.PartyName
	case "payable":
		pos.Num = d.Totals.Payable
	}
	return pos
}

// browseValue is the sort value a position holds for the order key.
func browseValue(key string, pos browsePos) any {
	switch key {
	case "issue_date", "due_date":
		return pos.Date
	case "payable":
		return pos.Num
	}
	return pos.Text
}

// CheckTaxCode validates in as CreateTaxCode does and stores nothing, so a
// form whose own text could not all be read still names every other bad field.
func (s *Service) CheckTaxCode(ctx context.Context, companyID backoffice.ID, in TaxCodeInput) error {
	return s.validateTaxCode(ctx, companyID, &in)
}

// CheckProduct validates in as CreateProduct does and stores nothing.
func (s *Service) CheckProduct(ctx context.Context, companyID backoffice.ID, in ProductInput) error {
	return s.validateProduct(ctx, companyID, &in)
}

// DuplicatesAtPosting lists the bills that bill id would duplicate if it
// were posted now: a draft is resolved again against the current tax codes
// and party first, as Post does, so its total may differ from the stored one.
func (s *Service) DuplicatesAtPosting(ctx context.Context, companyID, id backoffice.ID) ([]DuplicateBill, error) {
	before, err := getDocument(ctx, s.DB, companyID, id)
	if err != nil {
		return nil, err
	}
	d := &before
	if before.State == StateDraft {
		if d, err = s.resolve(ctx, companyID, before.Input(), id); err != nil {
			return nil, err
		}
	}
	dups, err := findDuplicates(ctx, s.DB, d)
	if dups == nil {
		dups = []DuplicateBill{}
	}
	return dups, err
}
