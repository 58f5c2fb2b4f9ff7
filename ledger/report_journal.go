package ledger

import (
	"context"
	"fmt"

	"backoffice"
)

// JournalListing is one page of a journal's posted entries in number
// order, each with its lines.
type JournalListing struct {
	Journal Journal         `json:"journal"`
	From    backoffice.Date `json:"from,omitzero"`
	To      backoffice.Date `json:"to,omitzero"`
	Entries []Entry         `json:"entries"`
	Next    string          `json:"next,omitempty"`
}

// JournalListing returns one page of the journal's posted entries dated
// from from to to (either may be zero for an open end), in number order,
// with their lines. Pages follow the (journal, number) index by keyset;
// numbers carry six zero-padded digits, so their text order is their order
// up to 999,999 entries per journal and fiscal year. Each entry's lines
// are one read by its key.
func (s *Service) JournalListing(ctx context.Context, companyID, journalID backoffice.ID, from, to backoffice.Date, page backoffice.Page) (JournalListing, error) {
	j, err := getJournal(ctx, s.DB, companyID, journalID)
	if err != nil {
		return JournalListing{}, err
	}
	lo, hi := from, to
	if lo.IsZero() {
		lo = firstDate
	}
	if hi.IsZero() {
		hi = lastDate
	}
	var after string
	if page.After != "" {
		if err := decodeCursor(page.After, "journal_listing", &after); err != nil {
			return JournalListing{}, err
		}
	}
	limit := limitOf(page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`%s WHERE e.journal_id = ? AND e.company_id = ? AND e.state = ? AND e.number > ?
		AND e.date >= ? AND e.date <= ? ORDER BY e.number LIMIT %d`, entrySelect, limit+1),
		int64(journalID), int64(companyID), string(Posted), after, lo, hi)
	if err != nil {
		return JournalListing{}, fmt.Errorf("journal listing: %w", err)
	}
	out := JournalListing{Journal: j, From: from, To: to, Entries: []Entry{}}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return JournalListing{}, fmt.Errorf("journal listing: %w", err)
		}
		out.Entries = append(out.Entries, e.Entry)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return JournalListing{}, fmt.Errorf("journal listing: %w", err)
	}
	if len(out.Entries) > limit {
		out.Entries = out.Entries[:limit]
		out.Next = encodeCursor("journal_listing", out.Entries[limit-1].Number)
	}
	for i := range out.Entries {
		if out.Entries[i].Lines, err = entryLines(ctx, s.DB, out.Entries[i].ID); err != nil {
			return JournalListing{}, err
		}
	}
	return out, nil
}
