package reconcile_test

import (
	"testing"

	"backoffice/bank/reconcile"
	"backoffice/bank/reconcile/reconciletest"
)

// TestMatch_GeneratedSetsHaveNoWrongAutoConfirmation is issue B7's quality
// bar on generated noisy sets (typos in names, missing and mistyped
// references, references only in free text, OCR confusions, partial
// payments, instalments, fees, one payment for several invoices, foreign
// payers without IBAN, duplicate payments, unrelated lines): zero wrong
// automatic confirmations, at least 90% of paying lines confirmed
// automatically, and the best candidate right for at least 95% of them.
func TestMatch_GeneratedSetsHaveNoWrongAutoConfirmation(t *testing.T) {
	sizes := []reconciletest.Config{
		{Seed: 1, Items: 5_000, Lines: 1_000},
		{Seed: 2, Items: 5_000, Lines: 1_000},
		{Seed: 3, Items: 20_000, Lines: 4_000, Parties: 500}, // parties with 40 open items each
		{Seed: 4, Items: 2_000, Lines: 1_500},                // most open items paid
		{Seed: 5, Items: 50_000, Lines: 10_000},              // the B7 size
		{Seed: 7, Items: 50_000, Lines: 10_000},              // the B7 benchmark's own set
	}
	for _, cfg := range sizes {
		if testing.Short() && cfg.Items > 5_000 {
			continue
		}
		set := reconciletest.Generate(cfg)
		q := reconciletest.Evaluate(set, reconcile.Match(set.Lines, set.Items, reconcile.DefaultOptions()))
		t.Logf("seed %d, %d items: %s", cfg.Seed, cfg.Items, q)
		if q.AutoWrong != 0 {
			t.Errorf("seed %d: %d wrong automatic confirmations", cfg.Seed, q.AutoWrong)
		}
		if q.AutoRecall() < 0.90 {
			t.Errorf("seed %d: %.1f%% of paying lines confirmed automatically, want at least 90%%", cfg.Seed, 100*q.AutoRecall())
		}
		if q.Top1Recall() < 0.95 {
			t.Errorf("seed %d: best candidate right for %.1f%% of paying lines, want at least 95%%", cfg.Seed, 100*q.Top1Recall())
		}
	}
}

// TestGenerate_IsDeterministic proves a seed always gives the same set, so
// a failing seed can be replayed.
func TestGenerate_IsDeterministic(t *testing.T) {
	cfg := reconciletest.Config{Seed: 42, Items: 500, Lines: 100}
	a, b := reconciletest.Generate(cfg), reconciletest.Generate(cfg)
	if len(a.Lines) != 100 || len(a.Items) != 500 {
		t.Fatalf("got %d lines and %d items, want 100 and 500", len(a.Lines), len(a.Items))
	}
	for k := range a.Lines {
		if a.Lines[k] != b.Lines[k] {
			t.Fatalf("line %d differs: %+v and %+v", k, a.Lines[k], b.Lines[k])
		}
	}
	for k := range a.Items {
		if a.Items[k].Reference != b.Items[k].Reference || a.Items[k].Amount != b.Items[k].Amount {
			t.Fatalf("item %d differs", k)
		}
	}
	if c := reconciletest.Generate(reconciletest.Config{Seed: 43, Items: 500, Lines: 100}); c.Lines[0] == a.Lines[0] && c.Lines[1] == a.Lines[1] {
		t.Error("seeds 42 and 43 gave the same lines")
	}
}

// TestMatch_SixtySeedsHaveNoWrongAutoConfirmation sweeps sixty smaller sets
// of every shape (10 to 70 open items per party) for the one error that
// must never happen; the share confirmed is logged, not asserted, as the
// heaviest customers leave more to a person.
func TestMatch_SixtySeedsHaveNoWrongAutoConfirmation(t *testing.T) {
	if testing.Short() {
		t.Skip("sixty generated sets take several seconds")
	}
	lowest := 1.0
	for seed := uint64(100); seed < 160; seed++ {
		cfg := reconciletest.Config{Seed: seed, Items: 3000 + int(seed%7)*1000, Lines: 1000, Parties: []int{0, 100, 300, 1000}[seed%4]}
		set := reconciletest.Generate(cfg)
		q := reconciletest.Evaluate(set, reconcile.Match(set.Lines, set.Items, reconcile.DefaultOptions()))
		if q.AutoWrong != 0 {
			t.Errorf("seed %d (%d items, %d parties): %s", seed, cfg.Items, cfg.Parties, q)
		}
		lowest = min(lowest, q.AutoRecall())
	}
	t.Logf("lowest share confirmed automatically: %.1f%%", 100*lowest)
}
