package reconciletest

import (
	"testing"

	"backoffice"
	"backoffice/bank/reconcile"
)

func cand(auto bool, ids ...backoffice.ID) reconcile.Candidate {
	c := reconcile.Candidate{Auto: auto}
	for _, id := range ids {
		c.Items = append(c.Items, reconcile.Allocation{ItemID: id})
	}
	return c
}

// TestEvaluate_CountsRightAndWrongConfirmations proves the scoring the B7
// quality test relies on: a confirmation is right only with exactly the
// items the line pays, and any confirmation of an unrelated line is wrong.
func TestEvaluate_CountsRightAndWrongConfirmations(t *testing.T) {
	set := &Set{
		Lines: []reconcile.StatementLine{{ID: 1}, {ID: 2}, {ID: 3}, {ID: 4}, {ID: 5}},
		Truth: map[backoffice.ID][]backoffice.ID{1: {10}, 2: {20, 21}, 3: {30}, 4: {40}},
	}
	props := []reconcile.Proposal{
		{LineID: 1, Candidates: []reconcile.Candidate{cand(true, 10)}},                   // right
		{LineID: 2, Candidates: []reconcile.Candidate{cand(true, 21, 20)}},               // right, in any order
		{LineID: 3, Candidates: []reconcile.Candidate{cand(true, 30, 31)}},               // wrong: one item too many
		{LineID: 4, Candidates: []reconcile.Candidate{cand(false, 41), cand(false, 40)}}, // proposed, wrong top-1
		{LineID: 5, Candidates: []reconcile.Candidate{cand(true, 50)}},                   // wrong: pays nothing open
	}
	q := Evaluate(set, props)
	if q.Paying != 4 || q.Auto != 4 || q.AutoRight != 2 || q.AutoWrong != 2 || q.Top1 != 5 || q.Top1Right != 2 {
		t.Fatalf("quality %+v", q)
	}
	if q.AutoPrecision() != 0.5 || q.AutoRecall() != 0.5 || q.Top1Precision() != 0.4 || q.Top1Recall() != 0.5 {
		t.Errorf("ratios %.2f %.2f %.2f %.2f", q.AutoPrecision(), q.AutoRecall(), q.Top1Precision(), q.Top1Recall())
	}
	if len(q.Wrong) != 2 {
		t.Errorf("wrong confirmations described: %q", q.Wrong)
	}
}

// TestGenerate_TruthPaysRealItems checks the generator's truth: every
// paying line pays open items of its currency and sign (or customer credit
// notes it deducts) that add up to its amount within a fee, and unrelated
// lines make up about a tenth.
func TestGenerate_TruthPaysRealItems(t *testing.T) {
	set := Generate(Config{Seed: 9, Items: 3000, Lines: 800})
	byID := map[backoffice.ID]reconcile.OpenItem{}
	for _, it := range set.Items {
		byID[it.ID] = it
	}
	for _, l := range set.Lines {
		var sum int64
		for _, id := range set.Truth[l.ID] {
			it, ok := byID[id]
			credit := it.Kind == reconcile.Receivable && it.Amount < 0 && l.Amount > 0
			if !ok || it.Currency != l.Currency || ((it.Amount > 0) != (l.Amount > 0) && !credit) {
				t.Fatalf("line %+v pays %v, which is %+v", l, set.Truth[l.ID], it)
			}
			sum += it.Amount
		}
		// A line pays its items' sum less at most a 25.00 fee, or part of one item.
		if truth := set.Truth[l.ID]; truth != nil && (len(truth) > 1 || l.Amount == sum) && (sum-l.Amount < 0 || sum-l.Amount > 2500) {
			t.Errorf("line %s (%s) of %d pays items summing to %d", l.ID, set.Scenario[l.ID], l.Amount, sum)
		}
	}
	if unrelated := len(set.Lines) - len(set.Truth); unrelated < 80 || unrelated > 120 {
		t.Errorf("%d unrelated lines of %d", unrelated, len(set.Lines))
	}
}
