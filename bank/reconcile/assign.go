package reconcile

import (
	"fmt"
	"maps"
	"slices"

	"backoffice"
)

// claim is one line's automatic claim on an item.
type claim struct {
	line    int // index into lines and proposals
	partial bool
	amount  int64 // settled
	open    int64 // the item's open amount
}

// resolveConflicts keeps every item automatically confirmed for at most one
// line. Among the lines that claim an item, the best keeps its Auto flag
// when it leads every other by AutoMargin points; otherwise none does (two
// lines quoting different sets of items are for a person to sort out). The
// earliest line keeps the item in two cases where that is right whatever
// the story: every claim is partial and they add up to no more than the
// open amount (instalments: the next is confirmed on the next run, against
// the remaining amount), or every claim is for the very same items (the
// invoice paid twice, or a reference reused for a later invoice: the first
// payment settles it, the later one waits for a person).
func resolveConflicts(lines []StatementLine, props []Proposal, margin int) {
	claims := map[backoffice.ID][]claim{}
	for k := range props {
		c := props[k].Auto()
		if c == nil {
			continue
		}
		for _, a := range c.Items {
			claims[a.ItemID] = append(claims[a.ItemID], claim{line: k, partial: c.Partial, amount: a.Amount, open: a.Open})
		}
	}
	lose := map[int]string{}
	for _, item := range slices.Sorted(maps.Keys(claims)) {
		cs := claims[item]
		if len(cs) < 2 {
			continue
		}
		winner := pickWinner(lines, props, cs, margin)
		for _, c := range cs {
			if c.line != winner {
				if _, done := lose[c.line]; !done {
					lose[c.line] = fmt.Sprintf("open item %s is also claimed by statement line %s: confirm by hand", item, lines[otherThan(cs, c.line)].ID)
				}
			}
		}
	}
	for k, why := range lose {
		props[k].Candidates[0].Auto = false
		props[k].Hold = why
	}
}

// pickWinner returns the line that keeps its claim, or -1 for none.
func pickWinner(lines []StatementLine, props []Proposal, cs []claim, margin int) int {
	allPartial, total := true, int64(0)
	for _, c := range cs {
		allPartial = allPartial && c.partial
		total += abs(c.amount)
	}
	if (allPartial && total <= abs(cs[0].open)) || sameItems(props, cs) {
		best := cs[0].line
		for _, c := range cs[1:] {
			if dayNumber(lineDate(&lines[c.line])) < dayNumber(lineDate(&lines[best])) {
				best = c.line
			}
		}
		return best
	}
	best, second := -1, -1
	for _, c := range cs {
		conf := props[c.line].Candidates[0].Confidence
		switch {
		case best < 0 || conf > props[best].Candidates[0].Confidence:
			best, second = c.line, best
		case second < 0 || conf > props[second].Candidates[0].Confidence:
			second = c.line
		}
	}
	if props[best].Candidates[0].Confidence-props[second].Candidates[0].Confidence >= margin {
		return best
	}
	return -1
}

func otherThan(cs []claim, line int) int {
	for _, c := range cs {
		if c.line != line {
			return c.line
		}
	}
	return line
}

// sameItems reports whether every claim's candidate settles the same items.
func sameItems(props []Proposal, cs []claim) bool {
	first := props[cs[0].line].Candidates[0].Items
	for _, c := range cs[1:] {
		items := props[c.line].Candidates[0].Items
		if len(items) != len(first) {
			return false
		}
		for k := range items {
			if items[k].ItemID != first[k].ItemID {
				return false
			}
		}
	}
	return true
}
