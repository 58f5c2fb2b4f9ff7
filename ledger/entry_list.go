package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"backoffice"
)

// EntryFilter narrows ListEntries.
type EntryFilter struct {
	JournalID backoffice.ID
	From, To  backoffice.Date // inclusive; zero = open
	State     EntryState      // "" = all
	Query     string          // part of the reference, narration or number, any case
	Page      backoffice.Page
}

type entryPos struct {
	Date backoffice.Date `json:"d"`
	ID   backoffice.ID   `json:"id"`
}

// ListEntries returns one page of the company's entries, without their
// lines, ordered by date and id, with a keyset cursor.
func (s *Service) ListEntries(ctx context.Context, companyID backoffice.ID, f EntryFilter) (backoffice.List[Entry], error) {
	where := []string{"e.company_id = ?"}
	args := []any{int64(companyID)}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.JournalID != 0 {
		add("e.journal_id = ?", int64(f.JournalID))
	}
	if !f.From.IsZero() {
		add("e.date >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("e.date <= ?", f.To)
	}
	if f.State != "" {
		if !slices.Contains([]EntryState{Draft, Posted, Pending, Voided}, f.State) {
			return backoffice.List[Entry]{}, fieldError("state", "must be draft, posted, pending or voided")
		}
		add("e.state = ?", string(f.State))
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		p := "%" + escapeLike(q) + "%"
		add(`(LOWER(e.reference) LIKE ? ESCAPE '\' OR LOWER(e.narration) LIKE ? ESCAPE '\' OR LOWER(COALESCE(e.number, '')) LIKE ? ESCAPE '\')`, p, p, p)
	}
	if f.Page.After != "" {
		var pos entryPos
		if err := decodeCursor(f.Page.After, "entries", &pos); err != nil {
			return backoffice.List[Entry]{}, err
		}
		add("(e.date, e.id) > (?, ?)", pos.Date, int64(pos.ID))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf("%s WHERE %s ORDER BY e.date, e.id LIMIT %d", entrySelect, strings.Join(where, " AND "), limit+1), args...)
	if err != nil {
		return backoffice.List[Entry]{}, fmt.Errorf("list entries: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Entry]{Items: []Entry{}}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return backoffice.List[Entry]{}, fmt.Errorf("list entries: %w", err)
		}
		out.Items = append(out.Items, e.Entry)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Entry]{}, fmt.Errorf("list entries: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = encodeCursor("entries", entryPos{Date: last.Date, ID: last.ID})
	}
	return out, nil
}
