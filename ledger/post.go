package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Post validates an entry and posts it at once: it gets its number, its
// lines and balances are written, and the change log records it, in one
// transaction. A retry with the same idempotency key and content returns
// the first entry; with other content it fails with EConflict.
func (s *Service) Post(ctx context.Context, companyID backoffice.ID, in NewEntry) (Entry, error) {
	p, err := s.prepareOne(ctx, companyID, in)
	if err != nil {
		return Entry{}, err
	}
	if p.existing != nil {
		return *p.existing, nil
	}
	return s.commitOne(ctx, p)
}

// PostTx validates and posts one entry inside the caller's transaction, for
// use cases that span domains (an invoice row and its journal entry commit
// or roll back together). Validation errors come back before anything is
// written; a retry with the same idempotency key and content returns the
// first entry. The caller commits or rolls back tx.
func (s *Service) PostTx(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, in NewEntry) (Entry, error) {
	v := backoffice.Validation{}
	p, err := s.prepare(ctx, newLookup(tx), companyID, in, v, "")
	if err != nil {
		return Entry{}, err
	}
	if err := v.Err("entry"); err != nil {
		return Entry{}, err
	}
	if p.existing != nil {
		return *p.existing, nil
	}
	if err := s.postTx(ctx, tx, []*prepared{p}); err != nil {
		return Entry{}, err
	}
	return p.out, nil
}

// prepareOne validates one entry outside any transaction.
func (s *Service) prepareOne(ctx context.Context, companyID backoffice.ID, in NewEntry) (*prepared, error) {
	v := backoffice.Validation{}
	p, err := s.prepare(ctx, newLookup(s.DB), companyID, in, v, "")
	if err != nil {
		return nil, err
	}
	if err := v.Err("entry"); err != nil {
		return nil, err
	}
	return p, nil
}

// commitOne posts one prepared entry in its own transaction. When a
// concurrent request posted the same idempotency key first, it answers
// with that entry (or a conflict) instead.
func (s *Service) commitOne(ctx context.Context, p *prepared) (Entry, error) {
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		return s.postTx(ctx, tx, []*prepared{p})
	})
	if err != nil {
		return s.answerFailed(ctx, p, err)
	}
	return p.out, nil
}

// postTx posts prepared entries in tx. Locks are taken in one global order
// in every transaction — sequence rows by (journal, year), then accounts with
// balance limits by id, then pending totals and summary rows by key, then the
// change log head —
// so concurrent posters never deadlock.
func (s *Service) postTx(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	if err := s.recheckLocks(ctx, tx, ps); err != nil {
		return err
	}
	if err := s.number(ctx, tx, ps); err != nil {
		return err
	}
	limits, err := lockLimited(ctx, tx, ps)
	if err != nil {
		return err
	}
	var pending []*prepared
	for _, p := range ps {
		if p.draft != nil && p.draft.State == Pending {
			pending = append(pending, p)
		}
	}
	if err := applyPending(ctx, tx, pending, -1); err != nil {
		return err
	}
	now := s.now()
	var fresh []*prepared
	for _, p := range ps {
		if p.draft != nil {
			if err := markDraftPosted(ctx, tx, p, now); err != nil {
				return err
			}
			continue
		}
		fresh = append(fresh, p)
	}
	if err := insertPosted(ctx, tx, fresh, now); err != nil {
		return err
	}
	if err := insertLines(ctx, tx, ps); err != nil {
		return err
	}
	if err := insertOpenItems(ctx, tx, ps); err != nil {
		return err
	}
	if err := applyDeltas(ctx, tx, summaryDeltas(ps)); err != nil {
		return err
	}
	if err := checkLimits(ctx, tx, limits); err != nil {
		return err
	}
	if err := s.checkBudgets(ctx, tx, ps); err != nil {
		return err
	}
	if err := linkReversals(ctx, tx, ps); err != nil {
		return err
	}
	changes := make([]audit.Change, len(ps))
	for i, p := range ps {
		p.fill(now)
		changes[i] = p.change()
	}
	if _, err = s.Audit.Append(ctx, tx, changes...); err != nil {
		return err
	}
	return s.settleReversals(ctx, tx, ps)
}

// recheckLocks reads the lock dates again inside the transaction, so an
// entry validated just before a lock date moved cannot slip in.
func (s *Service) recheckLocks(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	l := newLookup(tx)
	for _, p := range ps {
		locks, err := l.lockDates(ctx, p.companyID)
		if err != nil {
			return err
		}
		if err := checkLock(locks, p.journal.Type, p.in.Date); err != nil {
			return err
		}
	}
	return nil
}

// number ensures each entry's fiscal year exists and gives every entry its
// number, reserving a journal-year's numbers with one statement. Fiscal
// years and counters are touched in sorted order, like every lock of the
// posting path; entries get their numbers in the order they were given.
func (s *Service) number(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	type group struct {
		journal *Journal
		year    int
		members []*prepared
	}
	groups := map[[2]int64]*group{}
	months := map[backoffice.ID]time.Month{}
	for _, p := range ps {
		m, ok := months[p.companyID]
		if !ok {
			var err error
			if m, err = fiscalStartMonth(ctx, tx, p.companyID); err != nil {
				return err
			}
			months[p.companyID] = m
		}
		year, _, _ := fiscalYearOf(p.in.Date, m)
		p.out.FiscalYear = year
		k := [2]int64{int64(p.journal.ID), int64(year)}
		if groups[k] == nil {
			groups[k] = &group{journal: &p.journal, year: year}
		}
		groups[k].members = append(groups[k].members, p)
	}
	keys := make([][2]int64, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[1], b[1]), cmp.Compare(a[0], b[0])) })
	for _, k := range keys {
		p := groups[k].members[0]
		if _, err := s.ensureFiscalYear(ctx, tx, p.companyID, months[p.companyID], p.in.Date); err != nil {
			return err
		}
	}
	slices.SortFunc(keys, func(a, b [2]int64) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range keys {
		g := groups[k]
		first, err := reserveNumbers(ctx, tx, g.journal.ID, g.year, len(g.members))
		if err != nil {
			return err
		}
		for i, p := range g.members {
			p.out.Number = entryNumber(g.journal.Code, g.year, first+int64(i))
		}
	}
	return nil
}

// linkReversals marks each reversed entry with its reversal. The update only
// matches an entry not reversed yet, so of two concurrent reversals one wins
// and the other rolls back with a conflict.
func linkReversals(ctx context.Context, tx *sqldb.Tx, ps []*prepared) error {
	for _, p := range ps {
		if p.reversesID == 0 {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE ledger_entries SET reversed_by_id = ? WHERE id = ? AND company_id = ? AND state = ? AND reversed_by_id IS NULL`,
			int64(p.out.ID), int64(p.reversesID), int64(p.companyID), string(Posted))
		if err != nil {
			return fmt.Errorf("link reversal: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return backoffice.Errorf(backoffice.EConflict, "entry %d is already reversed", p.reversesID)
		}
	}
	return nil
}

// fill completes the posted entry from what was written.
func (p *prepared) fill(now time.Time) {
	e := &p.out
	e.CompanyID, e.JournalID, e.Journal, e.State = p.companyID, p.journal.ID, p.journal.Code, Posted
	e.Date, e.Reference, e.Narration, e.Currency = p.in.Date, p.in.Reference, p.in.Narration, p.base
	e.Amount, e.LineCount, e.ReversesID, e.Reason = p.amount, len(p.lines), p.reversesID, p.reason
	e.IdempotencyKey, e.Lines = p.in.IdempotencyKey, p.lines
	e.PostedAt, e.UpdatedAt, e.Version = &now, now, 1
	e.CreatedAt = now
	if p.draft != nil {
		e.CreatedAt, e.Version = p.draft.CreatedAt, p.draft.Version+1
	}
}

// change is the one change-log record of a posting: the entry's header, not
// its lines, which the entry itself keeps unchangeable.
func (p *prepared) change() audit.Change {
	action, reason := "post", ""
	fields := map[string]any{"number": p.out.Number, "journal": p.journal.Code, "date": p.in.Date, "reference": p.in.Reference,
		"amount": p.amount, "currency": p.base, "lines": len(p.lines)}
	if p.reversesID != 0 {
		action, reason = "reverse", p.reason
		fields["reverses_id"] = p.reversesID
	}
	return audit.Change{CompanyID: p.companyID, Entity: "journal_entry", EntityID: p.out.ID.String(), Action: action, New: fields, Reason: reason}
}
