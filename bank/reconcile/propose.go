package reconcile

import (
	"cmp"
	"fmt"
	"slices"

	"backoffice"
)

// hit is what a line says about one item.
type hit struct {
	ident  identity
	reason string // how the line names the item
}

// lineFacts is what propose learns about a line before scoring.
type lineFacts struct {
	l         *StatementLine
	day       int
	hits      map[int32]*hit
	named     map[int32]bool // items the line names by reference or document number
	elsewhere string         // a checked reference the line carries that matches nothing open
	parties   []partyMatch
	ibanParty bool // the line's IBAN is known for some party
}

// cand is a candidate under construction.
type cand struct {
	Candidate
	items    []int32
	score    int
	sure     bool // the evidence is of a kind that may confirm automatically
	distance int  // days between the line and its items' due dates, summed
}

// propose gathers and ranks the candidates of one line.
func (ix *index) propose(l *StatementLine, opt Options, sc *scratch) Proposal {
	f := &lineFacts{l: l, day: dayNumber(lineDate(l)), hits: map[int32]*hit{}, named: map[int32]bool{}}
	ix.identify(f)
	f.parties = ix.partiesFor(l, sc)
	for _, pm := range f.parties {
		f.ibanParty = f.ibanParty || pm.iban
	}
	for _, pm := range f.parties {
		if !pm.iban && pm.sim < strongName {
			continue
		}
		for _, i := range ix.parties[pm.p].items {
			if ft := ix.fitOf(l, i, opt); ft == fitEqual || ft == fitFee {
				f.addHit(ix, i, idNone, "")
			}
		}
	}
	if same := ix.byAmount.get(amountKey{l.Currency, l.Amount}); len(same) <= maxSameAmount {
		for _, i := range same {
			if ix.inWindow(f.day, i, opt) {
				f.addHit(ix, i, idNone, "")
			}
		}
	}
	var cands []cand
	for i, h := range f.hits {
		if c, ok := ix.single(f, i, h, opt); ok {
			cands = append(cands, c)
		}
	}
	cands = append(cands, ix.subsets(f, opt)...)
	slices.SortFunc(cands, compareCands)
	if len(cands) > opt.MaxCandidates {
		cands = cands[:opt.MaxCandidates]
	}
	p := Proposal{LineID: l.ID, Candidates: make([]Candidate, len(cands))}
	for k := range cands {
		cands[k].Confidence = max(0, min(100, cands[k].score))
		p.Candidates[k] = cands[k].Candidate
	}
	if len(cands) > 0 {
		p.Hold = hold(cands, opt)
		p.Candidates[0].Auto = p.Hold == ""
	}
	return p
}

// hold says why the best of cands may not be confirmed automatically, or
// "" when it may.
func hold(cands []cand, opt Options) string {
	best := cands[0]
	switch {
	case !best.sure:
		return "the evidence does not identify the items with certainty"
	case best.Confidence < opt.AutoThreshold:
		return fmt.Sprintf("confidence %d is below the threshold of %d", best.Confidence, opt.AutoThreshold)
	case len(cands) > 1 && best.Confidence-cands[1].Confidence < opt.AutoMargin:
		return fmt.Sprintf("the next candidate is %d points behind, less than the %d required", best.Confidence-cands[1].Confidence, opt.AutoMargin)
	}
	return ""
}

// maxSameAmount bounds the items that share an amount before the amount
// stops being evidence on its own: 40 open items of 99.00 say nothing.
const maxSameAmount = 20

func compareCands(a, b cand) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	// Equal evidence: fewer items, then the ones due nearest the payment
	// (customers pay what just fell due), then the older item.
	return cmp.Or(cmp.Compare(len(a.items), len(b.items)), cmp.Compare(a.distance, b.distance), cmp.Compare(a.items[0], b.items[0]))
}

// lineDate is the date a payment counts from: the value date when given.
func lineDate(l *StatementLine) backoffice.Date {
	if !l.ValueDate.IsZero() {
		return l.ValueDate
	}
	return l.BookingDate
}
