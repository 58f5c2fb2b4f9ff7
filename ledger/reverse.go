package ledger

import (
	"context"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

// Reverse posts the mirror of a posted entry — every line with its sign
// flipped — in the same journal on date (the original's date when zero),
// and links the two both ways. The reversal gets its own number; the
// original keeps its number and content. An entry is reversed at most once.
func (s *Service) Reverse(ctx context.Context, companyID, entryID backoffice.ID, date backoffice.Date, reason string) (Entry, error) {
	p, err := s.prepareReverse(ctx, s.DB, companyID, entryID, date, reason)
	if err != nil {
		return Entry{}, err
	}
	return s.commitOne(ctx, p)
}

// ReverseTx is Reverse inside the caller's transaction, for use cases that
// undo an entry together with their own rows.
func (s *Service) ReverseTx(ctx context.Context, tx *sqldb.Tx, companyID, entryID backoffice.ID, date backoffice.Date, reason string) (Entry, error) {
	p, err := s.prepareReverse(ctx, tx, companyID, entryID, date, reason)
	if err != nil {
		return Entry{}, err
	}
	if err := s.postTx(ctx, tx, []*prepared{p}); err != nil {
		return Entry{}, err
	}
	return p.out, nil
}

// prepareReverse reads the entry and validates its mirror, reading through q.
func (s *Service) prepareReverse(ctx context.Context, q sqldb.Querier, companyID, entryID backoffice.ID, date backoffice.Date, reason string) (*prepared, error) {
	if len(reason) < 3 {
		return nil, fieldError("reason", "is required: say why the entry is reversed")
	}
	orig, err := getEntry(ctx, q, companyID, entryID)
	if err != nil {
		return nil, err
	}
	switch {
	case orig.State != Posted:
		return nil, backoffice.Errorf(backoffice.EConflict, "entry %d is %s; only posted entries are reversed", entryID, orig.State)
	case orig.ReversedByID != 0:
		return nil, backoffice.Errorf(backoffice.EConflict, "entry %s is already reversed", orig.Number)
	}
	if date.IsZero() {
		date = orig.Date
	}
	in := NewEntry{JournalID: orig.JournalID, Date: date, Reference: orig.Reference,
		Narration: fmt.Sprintf("Reversal of %s: %s", orig.Number, reason)}
	for _, l := range orig.Lines {
		in.Lines = append(in.Lines, NewLine{AccountID: l.AccountID, Currency: l.Currency, Amount: -l.Amount, CompanyAmount: -l.CompanyAmount,
			Rate: l.Rate, PartyID: l.PartyID, Dimensions: l.Dimensions, TaxCode: l.TaxCode, DueDate: l.DueDate, Memo: l.Memo})
	}
	v := backoffice.Validation{}
	// reversesID set before validation lets a reversal touch blocked accounts.
	p := &prepared{reversesID: entryID}
	p, err = s.prepareReversal(ctx, q, companyID, in, v, p)
	if err != nil {
		return nil, err
	}
	p.reversesID, p.reason = entryID, reason
	return p, nil
}

// prepareReversal validates the mirror entry; blocked accounts are allowed,
// since undoing a posting must stay possible.
func (s *Service) prepareReversal(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, in NewEntry, v backoffice.Validation, seed *prepared) (*prepared, error) {
	l := newLookup(q)
	base, err := l.base(ctx, companyID)
	if err != nil {
		return nil, err
	}
	seed.companyID, seed.base, seed.in = companyID, base, in
	j, err := l.journal(ctx, companyID, in.JournalID)
	if err != nil || j == nil {
		return nil, cmpErr(err, notFound("journal", in.JournalID))
	}
	seed.journal = *j
	if err := s.prepareLines(ctx, l, seed, v, ""); err != nil {
		return nil, err
	}
	if err := v.Err("reversal"); err != nil {
		return nil, err
	}
	seed.hash = contentHash(in)
	locks, err := l.lockDates(ctx, companyID)
	if err != nil {
		return nil, err
	}
	return seed, checkLock(locks, j.Type, in.Date)
}

// cmpErr returns err when set, else fallback.
func cmpErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}
