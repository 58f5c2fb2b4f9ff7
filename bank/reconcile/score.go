package reconcile

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"backoffice"
)

// Points per piece of evidence; a candidate's confidence is their sum,
// clamped to 0–100. They are set so that only these combinations reach the
// default threshold of 90: a checked reference or end-to-end id with the
// amount (or a fee, or a partial payment from a known payer), a document
// number with the amount, an OCR-folded or digits-only document number or a
// reference with one corrected typo with the amount and the payer, and a known IBAN with the only open amount of its
// party that fits, near the due date. Several items paid together confirm
// when the text names them all, or quotes one and the payer's other items
// make up the rest in only one way, or the known IBAN's party has only one
// combination with the sum. A resembling name alone never confirms.
var identPoints = [...]int{idNone: 0, idOCR: 40, idRepaired: 40, idFree: 50, idDigits: 50, idDoc: 60, idStructured: 65, idE2E: 65}

const (
	pointsIBAN        = 25
	pointsNameStrong  = 20
	pointsNameWeak    = 10
	pointsEqual       = 30
	pointsFee         = 25
	pointsPartial     = 10
	pointsOver        = -20
	pointsInWindow    = 5
	pointsOutOfWindow = -10
	pointsUnique      = 30
	pointsElsewhere   = -25 // the line names another item, or a reference we do not have open
	pointsOtherPayer  = -20 // the line's IBAN belongs to another party
	strongName        = 0.92
)

// fit is how a line's amount compares with what it may settle.
type fit int

const (
	fitNone    fit = iota // other currency or sign
	fitEqual              // exactly the open amount
	fitFee                // short by no more than the fee tolerance
	fitPartial            // short by more: a partial payment
	fitOver               // more than the open amount
)

// amountFit compares a line's amount with an open amount of the same
// currency.
func amountFit(line, open int64, opt Options) fit {
	if open == 0 || line == 0 || (line > 0) != (open > 0) || line == math.MinInt64 || open == math.MinInt64 {
		return fitNone // the last two have no absolute value in int64
	}
	l, o := abs(line), abs(open)
	switch {
	case l == o:
		return fitEqual
	case l > o:
		return fitOver
	case o-l <= feeTolerance(o, opt):
		return fitFee
	}
	return fitPartial
}

func feeTolerance(open int64, opt Options) int64 {
	if opt.FeeBasisPoints < 0 && opt.FeeMax < 0 {
		return 0
	}
	tol := int64(1) << 62
	if opt.FeeBasisPoints >= 0 {
		tol = open * opt.FeeBasisPoints / 10_000
	}
	if opt.FeeMax >= 0 {
		tol = min(tol, opt.FeeMax)
	}
	return tol
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// fitOf compares the line with item i; fitNone when their currencies or
// signs differ.
func (ix *index) fitOf(l *StatementLine, i int32, opt Options) fit {
	if ix.items[i].Currency != l.Currency {
		return fitNone
	}
	return amountFit(l.Amount, ix.items[i].Amount, opt)
}

func (ix *index) inWindow(day int, i int32, opt Options) bool {
	due := ix.days[i]
	return due == 0 || day == 0 || (day >= due-opt.DaysBefore && day <= due+opt.DaysAfter)
}

// partyLevel is what the line's counterparty says about item i's party.
func (f *lineFacts) partyOf(ix *index, i int32) (points int, reason string) {
	p := ix.partyOf[i]
	if p < 0 {
		return 0, ""
	}
	for _, pm := range f.parties {
		if pm.p != p {
			continue
		}
		switch {
		case pm.iban:
			return pointsIBAN, fmt.Sprintf("IBAN %s known for %s", f.l.CounterpartyIBAN, ix.parties[p].name)
		case pm.sim >= strongName:
			return pointsNameStrong, fmt.Sprintf("name %q resembles %s (%.0f%%)", f.l.CounterpartyName, ix.parties[p].name, 100*pm.sim)
		default:
			return pointsNameWeak, fmt.Sprintf("name %q is somewhat like %s (%.0f%%)", f.l.CounterpartyName, ix.parties[p].name, 100*pm.sim)
		}
	}
	if f.ibanParty {
		return pointsOtherPayer, "the IBAN belongs to another party"
	}
	return 0, ""
}

// single scores item i as the line's whole match.
func (ix *index) single(f *lineFacts, i int32, h *hit, opt Options) (cand, bool) {
	l, it := f.l, &ix.items[i]
	ft := ix.fitOf(l, i, opt)
	if ft == fitNone || (h.ident == idNone && ft != fitEqual && ft != fitFee) {
		return cand{}, false
	}
	c := cand{items: []int32{i}, score: identPoints[h.ident]}
	alloc := Allocation{ItemID: it.ID, Amount: it.Amount, Open: it.Amount}
	c.Difference = l.Amount - it.Amount
	if h.reason != "" {
		c.Reasons = append(c.Reasons, h.reason)
	}
	pts, why := f.partyOf(ix, i)
	if pts < 0 && h.ident >= idDoc {
		// Group companies and factors pay for others: a reference or a
		// document number outweighs whose account the money came from.
		pts, why = 0, ""
	}
	c.score += pts
	if why != "" {
		c.Reasons = append(c.Reasons, why)
	}
	cur := it.Currency.Exponent()
	switch ft {
	case fitEqual:
		c.score += pointsEqual
		c.Reasons = append(c.Reasons, "amount equal")
	case fitFee:
		c.score += pointsFee
		c.Reasons = append(c.Reasons, fmt.Sprintf("amount short by %s, within the fee tolerance", backoffice.FormatMinor(abs(c.Difference), cur)))
	case fitPartial:
		c.score += pointsPartial
		alloc.Amount, c.Difference, c.Partial = l.Amount, 0, true
		c.Reasons = append(c.Reasons, fmt.Sprintf("partial payment: %s of %s (%d%%)", backoffice.FormatMinor(abs(l.Amount), cur),
			backoffice.FormatMinor(abs(it.Amount), cur), 100*abs(l.Amount)/abs(it.Amount)))
	case fitOver:
		c.score += pointsOver
		c.Reasons = append(c.Reasons, fmt.Sprintf("amount exceeds the open amount by %s", backoffice.FormatMinor(abs(c.Difference), cur)))
	}
	c.Items = []Allocation{alloc}
	c.score += f.dateScore(ix, []int32{i}, opt, &c.Reasons)
	c.distance = f.distance(ix, c.items)
	// A document number in free text is unchecked: one typo can name the
	// neighbouring invoice, so only a checked reference confirms a partial
	// payment by itself.
	c.sure = h.ident >= idOCR && (ft != fitPartial || h.ident >= idStructured)
	if ft == fitPartial || ft == fitFee {
		if other := ix.sameAmount(ix.partyOf[i], i, l.Amount, l.Currency); other >= 0 {
			// The payer may have quoted the wrong invoice's reference.
			c.sure = false
			c.Reasons = append(c.Reasons, fmt.Sprintf("%s of the same party has exactly this amount", ix.docName(other)))
		}
		if cn := ix.sameAmount(ix.partyOf[i], i, l.Amount-it.Amount, l.Currency); cn >= 0 && ix.isCredit(l, cn) {
			// Neither partial nor a fee: the payer deducted a credit note,
			// and the candidate settling both should win.
			c.sure = false
			c.score += pointsElsewhere
			c.Reasons = append(c.Reasons, fmt.Sprintf("the shortfall is exactly credit note %s", ix.docName(cn)))
		}
	}
	if h.ident == idNone && pts >= pointsNameStrong && ft == fitEqual && f.elsewhere == "" && len(f.named) == 0 &&
		ix.onlyAmount(ix.partyOf[i], l) {
		name := ix.parties[ix.partyOf[i]].name
		if a, b := ix.pairWithSum(ix.partyOf[i], i, l); a >= 0 {
			// Two other items add up to the amount just as well.
			c.Reasons = append(c.Reasons, fmt.Sprintf("%s and %s of %s add up to the same amount", ix.docName(a), ix.docName(b), name))
		} else {
			c.score += pointsUnique
			c.sure = pts == pointsIBAN
			c.Reasons = append(c.Reasons, fmt.Sprintf("the only open item of %s with this amount", name))
		}
	}
	f.counterEvidence(ix, &c)
	return c, true
}

// sameAmount returns another item of party p than i with exactly amount,
// or -1.
func (ix *index) sameAmount(p, i int32, amount int64, cur backoffice.Currency) int32 {
	if p < 0 {
		return -1
	}
	for _, j := range ix.parties[p].items {
		if j != i && ix.items[j].Amount == amount && ix.items[j].Currency == cur {
			return j
		}
	}
	return -1
}

// pairWithSum finds two items of party p, other than i and in the line's
// currency, whose amounts add up to the line's: a payment of two invoices
// that looks like the payment of a third. It returns -1, -1 when none do.
// Unlike the search for combinations it looks at all the party's items, as
// a pair costs one pass.
func (ix *index) pairWithSum(p, i int32, l *StatementLine) (int32, int32) {
	seen := make(map[int64]int32, len(ix.parties[p].items))
	for _, j := range ix.parties[p].items {
		it := &ix.items[j]
		if j == i || it.Currency != l.Currency || (it.Amount > 0) != (l.Amount > 0) {
			continue
		}
		if k, ok := seen[l.Amount-it.Amount]; ok {
			return k, j
		}
		seen[it.Amount] = j
	}
	return -1, -1
}

// onlyAmount reports whether exactly one of party p's items in the line's
// currency has the line's amount.
func (ix *index) onlyAmount(p int32, l *StatementLine) bool {
	n := 0
	for _, j := range ix.parties[p].items {
		if ix.items[j].Amount == l.Amount && ix.items[j].Currency == l.Currency {
			n++
		}
	}
	return n == 1
}

// dateScore rewards items due around the line's date and penalises the
// others; it explains itself only when out of the window.
func (f *lineFacts) dateScore(ix *index, items []int32, opt Options, reasons *[]string) int {
	for _, i := range items {
		if !ix.inWindow(f.day, i, opt) {
			*reasons = append(*reasons, fmt.Sprintf("%s is due on %s, outside the payment window", ix.docName(i), ix.items[i].DueDate))
			return pointsOutOfWindow
		}
	}
	return pointsInWindow
}

// distance sums the days between the line and the items' due dates.
func (f *lineFacts) distance(ix *index, items []int32) int {
	d := 0
	for _, i := range items {
		d += absInt(ix.days[i] - f.day)
	}
	return d
}

// counterEvidence lowers a candidate the line argues against: it names
// other items, or carries a checked reference of nothing open.
func (f *lineFacts) counterEvidence(ix *index, c *cand) {
	var other []string
	for i := range f.named {
		if !slices.Contains(c.items, i) {
			other = append(other, ix.docName(i))
		}
	}
	if len(other) > 0 {
		slices.Sort(other)
		c.score += pointsElsewhere
		c.sure = false
		c.Reasons = append(c.Reasons, "the remittance names "+strings.Join(other, ", "))
	}
	if f.elsewhere != "" {
		c.score += pointsElsewhere
		c.Reasons = append(c.Reasons, fmt.Sprintf("reference %s matches no open item", f.elsewhere))
	}
}
