package ledger

import (
	"context"
	"fmt"

	"backoffice"
)

// Reverse posts the mirror of a posted entry — every line with its sign
// flipped — in the same journal on date (the original's date when zero),
// and links the two both ways. The reversal gets its own number; the
// original keeps its number and content. An entry is reversed at most once.
func (s *Service) Reverse(ctx context.Context, companyID, entryID backoffice.ID, date backoffice.Date, reason string) (Entry, error) {
	if len(reason) < 3 {
		return Entry{}, fieldError("reason", "is required: say why the entry is reversed")
	}
	orig, err := getEntry(ctx, s.DB, companyID, entryID)
	if err != nil {
		return Entry{}, err
	}
	switch {
	case orig.State != Posted:
		return Entry{}, backoffice.Errorf(backoffice.EConflict, "entry %d is %s; only posted entries are reversed", entryID, orig.State)
	case orig.ReversedByID != 0:
		return Entry{}, backoffice.Errorf(backoffice.EConflict, "entry %s is already reversed", orig.Number)
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
	p, err = s.prepareReversal(ctx, companyID, in, v, p)
	if err != nil {
		return Entry{}, err
	}
	p.reversesID, p.reason = entryID, reason
	return s.commitOne(ctx, p)
}

// prepareReversal validates the mirror entry; blocked accounts are allowed,
// since undoing a posting must stay possible.
func (s *Service) prepareReversal(ctx context.Context, companyID backoffice.ID, in NewEntry, v backoffice.Validation, seed *prepared) (*prepared, error) {
	l := newLookup(s.DB)
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
