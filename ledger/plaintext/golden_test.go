package plaintext

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestParse_GoldenJournal pins the whole parse of a journal that uses every
// feature: run with -update after a deliberate change and review the diff.
func TestParse_GoldenJournal(t *testing.T) {
	f, err := os.Open("testdata/features.journal")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	j, err := Parse("testdata/features.journal", f, testOptions(DialectHledger, nil))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	const golden = "testdata/features.golden.json"
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("parse differs from %s; run go test -update and review the diff:\n%s", golden, got)
	}
	if hledger, err := exec.LookPath("hledger"); err == nil {
		want, err := hledgerBalances(hledger, "testdata/features.journal")
		if err != nil {
			t.Fatal(err)
		}
		if got := nonZero(j.Balances()); !sameBalances(got, want) {
			t.Errorf("hledger disagrees\n got %v\nwant %v", got, want)
		}
	}
}
