package ledger

import (
	"strings"
	"testing"

	"backoffice"
)

func TestLineBudget_RefusesAPDFPastMaxPDFLines(t *testing.T) {
	b := newLineBudget("general ledger")
	for range MaxPDFLines / 500 {
		if err := b.spend(500); err != nil {
			t.Fatalf("%d lines refused: %v", MaxPDFLines, err)
		}
	}
	err := b.spend(1)
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(backoffice.ErrorMessage(err), "the general ledger has more than 100000 lines") {
		t.Fatalf("line %d: %v, want an invalid error naming the report and the limit", MaxPDFLines+1, err)
	}
}
