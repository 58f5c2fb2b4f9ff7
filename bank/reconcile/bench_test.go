package reconcile_test

import (
	"testing"

	"backoffice/bank/reconcile"
	"backoffice/bank/reconcile/reconciletest"
)

// BenchmarkMatch_B7 matches 10,000 statement lines against 50,000 open
// items, the B7 size (target: 2 s including storage; bench/reconcile.go
// reports the same figure with precision and recall).
func BenchmarkMatch_B7(b *testing.B) {
	set := reconciletest.Generate(reconciletest.Config{Seed: 7, Items: 50_000, Lines: 10_000})
	for b.Loop() {
		reconcile.Match(set.Lines, set.Items, reconcile.DefaultOptions())
	}
}

// BenchmarkNewIndex prepares the B7 set's 50,000 open items.
func BenchmarkNewIndex(b *testing.B) {
	set := reconciletest.Generate(reconciletest.Config{Seed: 7, Items: 50_000, Lines: 10_000})
	for b.Loop() {
		reconcile.NewIndex(set.Items)
	}
}
