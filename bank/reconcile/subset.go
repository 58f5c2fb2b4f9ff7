package reconcile

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"backoffice"
)

// Limits of the search for several items one line pays together: a party
// with more open items than maxSubsetPool is searched among the ones due
// nearest the line, and a line pays at most maxSubsetSize items at once.
const (
	maxSubsetPool   = 20
	maxSubsetSize   = 6
	maxCombinations = 20 // combinations compared when several add up
	// maxCreditsDeducted is the most open credit notes a party may have for
	// a short payment to be explained by deducting some of them.
	maxCreditsDeducted = 8
)

// subsets proposes sets of items that the line pays together: the items its
// remittance names when they add up (credit notes counting against
// invoices); the one item it names with the party's other items that make
// up the rest (or its credit notes that explain a shortfall); or else a
// combination of one known party's open items that adds up exactly.
func (ix *index) subsets(f *lineFacts, opt Options) []cand {
	var out []cand
	if len(f.named) >= 2 {
		// Named items of the line's sign may each exceed the line when
		// credit notes are deducted.
		named := mapKeys(f.named)
		pool := slices.DeleteFunc(named, func(i int32) bool { return ix.fitOf(f.l, i, opt) == fitNone && !ix.isCredit(f.l, i) })
		slices.Sort(pool)
		if len(pool) > maxSubsetPool {
			return nil // a list of more than 20 documents is for a person
		}
		if sets := findSubsets(ix, pool, signOf(f.l), abs(f.l.Amount), feeTolerance(abs(f.l.Amount), opt), 2, 2); len(sets) > 0 {
			out = append(out, ix.namedSubset(f, sets, opt))
		}
		return out
	}
	if len(f.named) == 1 {
		for a := range f.named {
			if c, ok := ix.anchoredSubset(f, a, opt); ok {
				out = append(out, c)
			}
		}
		return out
	}
	if f.elsewhere != "" {
		return nil
	}
	for _, pm := range f.parties {
		if !pm.iban && pm.sim < strongName {
			continue
		}
		every := ix.compatible(f, ix.parties[pm.p].items, opt)
		all := ix.dueTogether(slices.Clone(every), f.day)
		pool := ix.nearest(all, f.day)
		sets := findSubsets(ix, pool, signOf(f.l), abs(f.l.Amount), 0, 2, maxCombinations)
		if len(sets) == 0 {
			continue
		}
		// Of several combinations, propose the one due nearest the payment.
		best := slices.MinFunc(sets, func(a, b []int32) int { return cmp.Compare(f.distance(ix, a), f.distance(ix, b)) })
		c := ix.subsetCand(f, best, opt)
		pts, why := f.partyOf(ix, best[0])
		c.score += pts
		c.Reasons = append([]string{why}, c.Reasons...)
		alone := ix.sameAmount(pm.p, -1, f.l.Amount, f.l.Currency)
		switch {
		case alone >= 0:
			c.Reasons = append(c.Reasons, fmt.Sprintf("%s alone has this amount", ix.docName(alone)))
		case len(sets) == 1 && (len(all) > len(pool) || !rareCoincidence(len(pool), 2, len(best), ix.granularity(best, f.l.Amount)) || ix.substitutable(best, every)):
			c.Reasons = append(c.Reasons, fmt.Sprintf("%s has too many open items to rule out a coincidence", ix.parties[pm.p].name))
		case len(sets) == 1:
			c.score += pointsUnique
			c.sure = pm.iban
			c.Reasons = append(c.Reasons, fmt.Sprintf("the only combination of %s's open items with this sum", ix.parties[pm.p].name))
		default:
			c.Reasons = append(c.Reasons, fmt.Sprintf("more than one combination of %s's open items has this sum", ix.parties[pm.p].name))
		}
		out = append(out, c)
	}
	return out
}

// anchoredSubset handles a line that quotes one item but pays more: it
// looks for the other open items of that item's party that make up the
// rest exactly. One combination from a known payer may confirm; several
// are for a person.
func (ix *index) anchoredSubset(f *lineFacts, a int32, opt Options) (cand, bool) {
	p := ix.partyOf[a]
	if p < 0 {
		return cand{}, false
	}
	// Paying more than the item, the payer adds other items of the party;
	// paying less, it may deduct credit notes, looked at only when the party
	// has few (some combination of many would explain any shortfall).
	var pool, every []int32
	switch ix.fitOf(f.l, a, opt) {
	case fitOver:
		every = slices.DeleteFunc(ix.compatible(f, ix.parties[p].items, opt), func(i int32) bool { return i == a })
		pool = ix.dueTogether(slices.Clone(every), f.day)
	case fitPartial:
		if pool = ix.credits(f, ix.parties[p].items); len(pool) > maxCreditsDeducted {
			pool = nil
		}
		every = pool
	}
	if len(pool) == 0 {
		return cand{}, false
	}
	truncated := len(pool) > maxSubsetPool
	pool = ix.nearest(pool, f.day)
	rest := abs(f.l.Amount) - abs(ix.items[a].Amount)
	sets := findSubsets(ix, pool, signOf(f.l), rest, 0, 1, maxCombinations)
	if len(sets) == 0 {
		return cand{}, false
	}
	best := slices.MinFunc(sets, func(x, y []int32) int { return cmp.Compare(f.distance(ix, x), f.distance(ix, y)) })
	set := append([]int32{a}, best...)
	slices.Sort(set)
	c := ix.subsetCand(f, set, opt)
	c.score += identPoints[f.hits[a].ident]
	names := make([]string, len(best))
	for k, i := range best {
		names[k] = ix.docName(i)
	}
	how := "with"
	if rest < 0 {
		how = "less"
	}
	c.Reasons = append([]string{f.hits[a].reason, fmt.Sprintf("%s %s of the same party the amount is paid exactly", how, strings.Join(names, ", "))}, c.Reasons...)
	pts, why := f.partyOf(ix, a)
	if pts > 0 {
		c.score += pts
		c.Reasons = append(c.Reasons, why)
	}
	c.sure = len(sets) == 1 && pts >= pointsNameStrong && rareCoincidence(len(pool), 1, len(best), ix.granularity(best, rest)) && !truncated &&
		!ix.substitutable(best, every)
	if rest < 0 && (ix.granularity(best, rest) > 1 || simpleFraction(abs(f.l.Amount), abs(ix.items[a].Amount))) {
		// Partial payments are common, often round and often a half or a
		// third (instalments): such a shortfall equal to a credit note may
		// be chance (three in 600,000 generated lines were).
		c.sure = false
	}
	if len(sets) > 1 {
		c.Reasons = append(c.Reasons, "other combinations of the party's items also make up the rest")
	}
	return c, true
}

// simpleFraction reports whether part is a half, a third, two thirds, a
// quarter or three quarters of whole, to the cent.
func simpleFraction(part, whole int64) bool {
	for d := int64(2); d <= 4; d++ {
		for n := int64(1); n < d; n++ {
			if diff := part*d - whole*n; diff > -d && diff < d {
				return true
			}
		}
	}
	return false
}

// substitutable reports whether an item of every outside set has the amount
// of one in set: then another combination has the same sum, so set is not
// the only one, whatever the search looked at (a subscription customer's
// invoices all have one amount).
func (ix *index) substitutable(set, every []int32) bool {
	for _, j := range every {
		if slices.Contains(set, j) {
			continue
		}
		for _, i := range set {
			if ix.items[i].Amount == ix.items[j].Amount {
				return true
			}
		}
	}
	return false
}

// maxCoincidence bounds the combinations a search may look through before
// finding exactly one with the line's sum stops being evidence: amounts
// spread over some million cents, so one in a few thousand combinations hits
// any given sum by chance: by that estimate a search through 60,000 (up to
// six of twenty items) would find a wrong "only" combination for about one
// line in thirty.
const maxCoincidence = 2_000

// rareCoincidence reports whether the subsets of min to max items of a pool
// of n are few enough for a single combination with the sum to be more than
// luck: at most maxCoincidence divided by the granularity of the amounts
// involved (round amounts add up to equal sums a hundred times as often).
func rareCoincidence(n, minSize, maxSize int, granularity int64) bool {
	limit := maxCoincidence / int(granularity)
	total := 0
	for k := minSize; k <= maxSize; k++ {
		c := 1
		for j := range k {
			c = c * (n - j) / (j + 1)
		}
		if total += c; total > limit {
			return false
		}
	}
	return true
}

// granularity is 100 when the sum or at least two of the set's amounts are
// whole units (two round items can trade places with other round items of
// the same sum), 10 for whole tenths, else 1. A sweep of 300,000 generated
// lines found its one wrong confirmation there: three round items standing
// in for two others.
func (ix *index) granularity(set []int32, sum int64) int64 {
	for _, g := range []int64{100, 10} {
		n := 0
		for _, i := range set {
			if ix.items[i].Amount%g == 0 {
				n++
			}
		}
		if sum%g == 0 || n >= 2 {
			return g
		}
	}
	return 1
}

// A payment of several items pays what fell due together: items due from
// togetherBefore days before to togetherAfter days after the payment. The
// narrower pool makes a combination with the right sum far less likely to
// be a coincidence.
const (
	togetherBefore = 90
	togetherAfter  = 60
)

// dueTogether keeps the items of pool due around day (see togetherBefore).
func (ix *index) dueTogether(pool []int32, day int) []int32 {
	return slices.DeleteFunc(pool, func(i int32) bool {
		due := ix.days[i]
		return due != 0 && day != 0 && (due < day-togetherBefore || due > day+togetherAfter)
	})
}

// nearest keeps the maxSubsetPool items due nearest day.
func (ix *index) nearest(pool []int32, day int) []int32 {
	if len(pool) <= maxSubsetPool {
		return pool
	}
	slices.SortFunc(pool, func(a, b int32) int {
		return cmp.Or(cmp.Compare(absInt(ix.days[a]-day), absInt(ix.days[b]-day)), cmp.Compare(a, b))
	})
	return pool[:maxSubsetPool]
}

// namedSubset scores the items named in the remittance that add up to the
// line's amount, as a candidate that may confirm automatically.
func (ix *index) namedSubset(f *lineFacts, sets [][]int32, opt Options) cand {
	set := sets[0]
	c := ix.subsetCand(f, set, opt)
	weakest := idE2E
	names := make([]string, len(set))
	for k, i := range set {
		weakest = min(weakest, f.hits[i].ident)
		names[k] = ix.docName(i)
	}
	c.score += identPoints[weakest]
	c.Reasons = append([]string{fmt.Sprintf("%s named in the remittance text add up to the amount", strings.Join(names, ", "))}, c.Reasons...)
	pts, why := f.partyOf(ix, set[0])
	for _, i := range set[1:] {
		if ix.partyOf[i] != ix.partyOf[set[0]] {
			pts, why = 0, ""
		}
	}
	if pts < 0 && weakest >= idDoc {
		pts, why = 0, "" // as for one item: the numbers outweigh the payer's account
	}
	if why != "" {
		c.score += pts
		c.Reasons = append(c.Reasons, why)
	}
	c.sure = len(sets) == 1
	f.counterEvidence(ix, &c)
	return c
}

// subsetCand builds the candidate that settles every item of set in full.
func (ix *index) subsetCand(f *lineFacts, set []int32, opt Options) cand {
	c := cand{items: set}
	total := int64(0)
	for _, i := range set {
		it := &ix.items[i]
		total += it.Amount
		c.Items = append(c.Items, Allocation{ItemID: it.ID, Amount: it.Amount, Open: it.Amount})
	}
	c.Difference = f.l.Amount - total
	if c.Difference == 0 {
		c.score += pointsEqual
		c.Reasons = append(c.Reasons, fmt.Sprintf("%d open items sum to the amount", len(set)))
	} else {
		c.score += pointsFee
		c.Reasons = append(c.Reasons, fmt.Sprintf("%d open items sum to the amount less %s, within the fee tolerance",
			len(set), backoffice.FormatMinor(abs(c.Difference), f.l.Currency.Exponent())))
	}
	c.score += f.dateScore(ix, set, opt, &c.Reasons)
	c.distance = f.distance(ix, set)
	return c
}

// compatible keeps the items of the line's currency and sign that are
// smaller than the line on their own, in a stable order.
func (ix *index) compatible(f *lineFacts, items []int32, opt Options) []int32 {
	var out []int32
	for _, i := range items {
		if ft := ix.fitOf(f.l, i, opt); ft == fitOver {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// credits keeps the credit notes among items that the line's payer may
// deduct (see isCredit), in a stable order.
func (ix *index) credits(f *lineFacts, items []int32) []int32 {
	var out []int32
	for _, i := range items {
		if ix.isCredit(f.l, i) {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// isCredit reports whether item i is a credit note that a payment like l
// may deduct: in l's currency, of the other sign, and of the kind l settles
// (a customer's credit note against a receipt, a supplier's against our
// payment).
func (ix *index) isCredit(l *StatementLine, i int32) bool {
	it := &ix.items[i]
	kind := Receivable
	if l.Amount < 0 {
		kind = Payable
	}
	return it.Currency == l.Currency && it.Kind == kind && it.Amount != 0 && l.Amount != 0 && (it.Amount > 0) != (l.Amount > 0)
}

// findSubsets returns up to limit sets of minSize to maxSubsetSize items of
// pool whose amounts, multiplied by sign, add up to target, or to target
// plus at most tol (a fee deducted from the total); credit notes count
// against the invoices. It meets in the middle: every subset of each
// half of the pool (at most 2^10 each) is summed once, and each left sum
// looks up the right sums that complete it, so a pool of 20 costs about
// 2,000 sums and 1,000 binary searches instead of a million subsets.
func findSubsets(ix *index, pool []int32, sign, target, tol int64, minSize, limit int) [][]int32 {
	items := slices.Clone(pool)
	slices.Sort(items)
	half := len(items) / 2
	left, right := subsetSums(ix, items[:half], sign), subsetSums(ix, items[half:], sign)
	slices.SortFunc(right, func(a, b sum) int { return cmp.Or(cmp.Compare(a.total, b.total), cmp.Compare(a.mask, b.mask)) })
	var out [][]int32
	for _, l := range left {
		lo := target - l.total
		k, _ := slices.BinarySearchFunc(right, lo, func(s sum, v int64) int { return cmp.Compare(s.total, v) })
		for ; k < len(right) && right[k].total <= lo+tol; k++ {
			n := bits.OnesCount32(l.mask) + bits.OnesCount32(right[k].mask)
			if n < minSize || n > maxSubsetSize {
				continue
			}
			var set []int32
			for b := range half {
				if l.mask&(1<<b) != 0 {
					set = append(set, items[b])
				}
			}
			for b := range len(items) - half {
				if right[k].mask&(1<<b) != 0 {
					set = append(set, items[half+b])
				}
			}
			if out = append(out, set); len(out) >= limit {
				return out
			}
		}
	}
	return out
}

// sum is one subset of a half pool: the items whose bits are set, and
// their total.
type sum struct {
	mask  uint32
	total int64
}

// subsetSums lists every subset of items (at most 16) with its total, each
// amount multiplied by sign.
func subsetSums(ix *index, items []int32, sign int64) []sum {
	out := make([]sum, 1<<len(items))
	for m := 1; m < len(out); m++ {
		low := bits.TrailingZeros32(uint32(m))
		out[m] = sum{mask: uint32(m), total: out[m&(m-1)].total + sign*ix.items[items[low]].Amount}
	}
	return out
}

// signOf is 1 for a credit (money in) and -1 for a debit: multiplied with
// an item's amount it gives what the item contributes to the line.
func signOf(l *StatementLine) int64 {
	if l.Amount < 0 {
		return -1
	}
	return 1
}

func mapKeys(m map[int32]bool) []int32 {
	out := make([]int32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func absInt(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
