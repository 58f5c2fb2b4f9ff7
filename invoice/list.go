package invoice

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
)

// Filter narrows List.
type Filter struct {
	Kind     Kind            // "" = all kinds
	State    State           // "" = all states
	PartyID  backoffice.ID   // 0 = every party
	From, To backoffice.Date // issue dates, inclusive; zero = open
	Query    string          // part of the number, the party's name, the supplier reference or the notes, any case
	Page     backoffice.Page
}

type documentPos struct {
	Date backoffice.Date `json:"d"`
	ID   backoffice.ID   `json:"id"`
}

// List returns one page of the company's documents, newest issue date
// first, without their lines, with a keyset cursor.
func (s *Service) List(ctx context.Context, companyID backoffice.ID, f Filter) (backoffice.List[Document], error) {
	where := []string{"d.company_id = ?"}
	args := []any{int64(companyID)}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	v := backoffice.Validation{}
	if f.Kind != "" {
		v.Check(f.Kind.Valid(), "kind", "must be invoice, credit_note, bill or refund")
		add("d.kind = ?", string(f.Kind))
	}
	if f.State != "" {
		v.Check(f.State == StateDraft || f.State == StatePosted || f.State == StateCancelled, "state", "must be draft, posted or cancelled")
		add("d.state = ?", string(f.State))
	}
	if err := v.Err("filter"); err != nil {
		return backoffice.List[Document]{}, err
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
	if f.Page.After != "" {
		var pos documentPos
		if err := decodeCursor(f.Page.After, "documents", &pos); err != nil {
			return backoffice.List[Document]{}, err
		}
		add("(d.issue_date < ? OR (d.issue_date = ? AND d.id < ?))", pos.Date, pos.Date, int64(pos.ID))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`SELECT %s%s WHERE %s ORDER BY d.issue_date DESC, d.id DESC LIMIT %d`,
		documentColumns, documentFrom, strings.Join(where, " AND "), limit+1), args...)
	if err != nil {
		return backoffice.List[Document]{}, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Document]{Items: []Document{}}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return backoffice.List[Document]{}, fmt.Errorf("list documents: %w", err)
		}
		out.Items = append(out.Items, d)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Document]{}, fmt.Errorf("list documents: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = encodeCursor("documents", documentPos{Date: last.IssueDate, ID: last.ID})
	}
	return out, nil
}
