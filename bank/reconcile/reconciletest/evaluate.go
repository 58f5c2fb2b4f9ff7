package reconciletest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"backoffice"
	"backoffice/bank/reconcile"
)

// Quality scores proposals against a set's truth.
type Quality struct {
	Lines     int // all lines
	Paying    int // lines that pay open items
	Auto      int // lines confirmed automatically
	AutoRight int // … with exactly the items they pay
	AutoWrong int // … with anything else, or a line that pays nothing
	Top1      int // lines with at least one candidate
	Top1Right int // … whose best candidate is exactly right
	// ByScenario counts, per noise scenario, lines and right automatic
	// confirmations, to show where the engine gives up.
	ByScenario map[string][2]int
	// Wrong describes the first wrong automatic confirmations.
	Wrong []string
}

// Evaluate compares proposals (one per line, as reconcile.Match returns
// them) with the truth.
func Evaluate(s *Set, props []reconcile.Proposal) Quality {
	q := Quality{Lines: len(s.Lines), Paying: len(s.Truth), ByScenario: map[string][2]int{}}
	for k, p := range props {
		l := s.Lines[k]
		truth := s.Truth[l.ID]
		sc := q.ByScenario[s.Scenario[l.ID]]
		sc[0]++
		if len(p.Candidates) > 0 {
			q.Top1++
			if same(p.Candidates[0], truth) {
				q.Top1Right++
			}
		}
		if a := p.Auto(); a != nil {
			q.Auto++
			if same(*a, truth) {
				q.AutoRight++
				sc[1]++
			} else {
				q.AutoWrong++
				if len(q.Wrong) < 10 {
					q.Wrong = append(q.Wrong, fmt.Sprintf("line %s (%s, %q, %s): auto %v, truth %v: %s",
						l.ID, s.Scenario[l.ID], l.Remittance, l.CounterpartyName, itemIDs(*a), truth, strings.Join(a.Reasons, "; ")))
				}
			}
		}
		q.ByScenario[s.Scenario[l.ID]] = sc
	}
	return q
}

func itemIDs(c reconcile.Candidate) []backoffice.ID {
	ids := make([]backoffice.ID, len(c.Items))
	for k, a := range c.Items {
		ids[k] = a.ItemID
	}
	slices.Sort(ids)
	return ids
}

func same(c reconcile.Candidate, truth []backoffice.ID) bool {
	return truth != nil && slices.Equal(itemIDs(c), truth)
}

// AutoPrecision is the share of automatic confirmations that are right.
func (q Quality) AutoPrecision() float64 { return ratio(q.AutoRight, q.Auto) }

// AutoRecall is the share of paying lines confirmed automatically and rightly.
func (q Quality) AutoRecall() float64 { return ratio(q.AutoRight, q.Paying) }

// Top1Precision is the share of lines with a candidate whose best is right.
func (q Quality) Top1Precision() float64 { return ratio(q.Top1Right, q.Top1) }

// Top1Recall is the share of paying lines whose best candidate is right.
func (q Quality) Top1Recall() float64 { return ratio(q.Top1Right, q.Paying) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// String summarises the quality in a few lines.
func (q Quality) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d lines, %d paying: auto %d (right %d, wrong %d): precision %.4f, recall %.4f; top-1 precision %.4f, recall %.4f\n",
		q.Lines, q.Paying, q.Auto, q.AutoRight, q.AutoWrong, q.AutoPrecision(), q.AutoRecall(), q.Top1Precision(), q.Top1Recall())
	names := make([]string, 0, len(q.ByScenario))
	for n := range q.ByScenario {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := q.ByScenario[n]
		fmt.Fprintf(&b, "  %-38s %6d lines, %6d auto (%.1f%%)\n", n, v[0], v[1], 100*ratio(v[1], v[0]))
	}
	for _, w := range q.Wrong {
		fmt.Fprintf(&b, "  WRONG %s\n", w)
	}
	return b.String()
}
