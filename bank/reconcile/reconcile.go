// Package reconcile proposes which open items a bank statement line settles.
//
// It is pure: statement lines and open items arrive as plain values, and
// Match returns, for every line, ranked candidates with a confidence from 0
// to 100, the reasons in words, the difference (a bank fee or a partial
// payment) and an Auto flag on the few candidates certain enough to confirm
// without a person. Storage, posting and the screen live elsewhere.
//
// Evidence, strongest first: a structured reference whose check digits are
// right (ISO 11649 RF, Belgian +++…+++, Swiss QR), the end-to-end id of our
// own payment file, a document number in the remittance text, the
// counterparty's IBAN known for a party, its name resembling a party's, and
// the amount (equal, short by a bank fee, partial, or the sum of several of a
// party's items less any credit notes) near the due date. Precision comes
// first: a line is confirmed automatically only when one candidate is both
// certain and well ahead of the next, and an open item goes to at most one
// line.
//
// Open items are indexed by reference, document number, end-to-end id,
// IBAN, name trigram and amount, so a line is never compared with every
// item: 10,000 lines against 50,000 items take about 0.4 s of CPU (B7, see
// bench/reconcile.go). The package reconciletest generates noisy sets with
// their truth to measure precision and recall.
package reconcile

import (
	"runtime"
	"sync"
	"sync/atomic"

	"backoffice"
)

// Kind says what an open item is.
type Kind string

// Open item kinds.
const (
	Receivable Kind = "receivable" // a customer owes us: expected as a credit (positive)
	Payable    Kind = "payable"    // we owe a supplier: expected as a debit (negative)
	Other      Kind = "other"      // any other open line of a reconcilable account
)

// StatementLine is one bank statement entry to reconcile.
type StatementLine struct {
	ID               backoffice.ID
	BookingDate      backoffice.Date
	ValueDate        backoffice.Date
	Amount           int64 // minor units, signed: credit (money in) positive
	Currency         backoffice.Currency
	CounterpartyName string
	CounterpartyIBAN string
	Remittance       string // free text
	StructuredRef    string // creditor reference as the bank delivered it (camt CdtrRefInf), if any
	EndToEndID       string
	BankRef          string
}

// OpenItem is the unsettled part of a receivable, a payable or another line
// of a reconcilable account.
type OpenItem struct {
	ID             backoffice.ID
	PartyID        backoffice.ID // 0 when the item has no party
	PartyName      string
	PartyIBANs     []string // the party's known bank accounts
	Kind           Kind
	DocumentNumber string // INV-2026-00042
	Reference      string // the structured reference we printed, or the supplier's bill reference
	EndToEndID     string // of our own payment file that pays the item
	DueDate        backoffice.Date
	Amount         int64 // open amount, signed like the statement: a receivable is positive
	Currency       backoffice.Currency
}

// Options tune the matching. Zero fields take the defaults of DefaultOptions.
type Options struct {
	// DaysBefore and DaysAfter bound the date window around an item's due
	// date in which a payment is expected.
	DaysBefore, DaysAfter int
	// FeeBasisPoints and FeeMax bound the bank fee a payer may deduct: a line
	// short of an item by at most FeeBasisPoints/10,000 of the item's amount,
	// and never more than FeeMax minor units, still settles it in full. A
	// negative value switches that bound off; with both off, no fee is
	// accepted.
	FeeBasisPoints int64
	FeeMax         int64
	// AutoThreshold is the confidence at or above which a candidate is
	// confirmed automatically, and AutoMargin how far ahead of the line's
	// next candidate it must be.
	AutoThreshold int
	AutoMargin    int
	// MaxCandidates caps the candidates returned per line.
	MaxCandidates int
}

// DefaultOptions are the defaults: payments from 60 days before to 180 days
// after the due date, fees up to 2% and 25.00 (in minor units of a
// two-decimal currency), auto-confirmation at 90 with a 10-point lead, five
// candidates per line.
func DefaultOptions() Options {
	return Options{DaysBefore: 60, DaysAfter: 180, FeeBasisPoints: 200, FeeMax: 2500,
		AutoThreshold: 90, AutoMargin: 10, MaxCandidates: 5}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.DaysBefore == 0 {
		o.DaysBefore = d.DaysBefore
	}
	if o.DaysAfter == 0 {
		o.DaysAfter = d.DaysAfter
	}
	if o.FeeBasisPoints == 0 {
		o.FeeBasisPoints = d.FeeBasisPoints
	}
	if o.FeeMax == 0 {
		o.FeeMax = d.FeeMax
	}
	if o.AutoThreshold == 0 {
		o.AutoThreshold = d.AutoThreshold
	}
	if o.AutoMargin == 0 {
		o.AutoMargin = d.AutoMargin
	}
	if o.MaxCandidates == 0 {
		o.MaxCandidates = d.MaxCandidates
	}
	return o
}

// Allocation is the part of one open item a line settles.
type Allocation struct {
	ItemID backoffice.ID
	Amount int64 // settled, signed like the item; the item's whole open amount unless partial
	Open   int64 // the item's open amount before this line
}

// Candidate is one way to reconcile a line: one item, or several of one
// party's items that the line pays together.
type Candidate struct {
	Items      []Allocation
	Confidence int      // 0–100
	Reasons    []string // why, strongest evidence first
	// Difference is the line's amount minus the settled amounts: a bank fee
	// deducted by the payer (negative on a receipt), or an overpayment.
	Difference int64
	Partial    bool // the line settles only part of its item
	Auto       bool // certain and unambiguous: confirm without asking
}

// Proposal holds a line's candidates, best first; none when nothing fits.
type Proposal struct {
	LineID     backoffice.ID
	Candidates []Candidate
	// Hold says why the best candidate was not confirmed automatically; it
	// is empty when it was, or when there is no candidate.
	Hold string
}

// Auto returns the automatically confirmed candidate, or nil.
func (p Proposal) Auto() *Candidate {
	if len(p.Candidates) > 0 && p.Candidates[0].Auto {
		return &p.Candidates[0]
	}
	return nil
}

// Match proposes candidates for every line (in the order of lines) among
// items. Items in another currency than a line, or of the opposite sign,
// never match it. An item is confirmed automatically for at most one line.
// It is NewIndex(items).Match(lines, opt).
func Match(lines []StatementLine, items []OpenItem, opt Options) []Proposal {
	return NewIndex(items).Match(lines, opt)
}

// Index holds open items prepared for matching: build it once for a set of
// open items (about 0.1 s of CPU for 50,000) and match any number of statement
// lines against it, from any number of goroutines.
type Index struct{ ix *index }

// NewIndex prepares items for matching; it keeps items, which must not
// change while the index is in use.
func NewIndex(items []OpenItem) *Index { return &Index{ix: newIndex(items)} }

// Match proposes candidates for every line, as the package's Match does.
// Conflicts (two lines confirming one item) are resolved among these
// lines; lines matched by an earlier call are not known to this one.
func (x *Index) Match(lines []StatementLine, opt Options) []Proposal {
	opt = opt.withDefaults()
	out := make([]Proposal, len(lines))
	// Lines are independent until conflicts are resolved: spread them over
	// the processors in chunks, each worker with its own scratch space.
	const chunk = 256
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (len(lines)+chunk-1)/chunk) {
		wg.Go(func() {
			sc := &scratch{}
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(lines) {
					return
				}
				for i := start; i < min(start+chunk, len(lines)); i++ {
					out[i] = x.ix.propose(&lines[i], opt, sc)
				}
			}
		})
	}
	wg.Wait()
	resolveConflicts(lines, out, opt.AutoMargin)
	return out
}
