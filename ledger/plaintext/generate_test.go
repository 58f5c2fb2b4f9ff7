package plaintext

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
)

func TestGenerate_WritesABalancedJournalThatParses(t *testing.T) {
	var a, b bytes.Buffer
	if err := Generate(&a, 500, 20, 7); err != nil {
		t.Fatal(err)
	}
	if err := Generate(&b, 500, 20, 7); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same seed gave different journals")
	}
	j, err := Parse("gen.journal", bytes.NewReader(a.Bytes()), Options{Dialect: DialectLedger})
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Transactions) != 500 || len(j.Accounts) != 20 {
		t.Errorf("%d transactions over %d accounts", len(j.Transactions), len(j.Accounts))
	}
	if err := Generate(&a, 1, 1, 0); err == nil {
		t.Error("one account cannot balance a transaction, want an error")
	}
}

// TestGenerate_BothToolsReadTheJournal runs ledger-cli and hledger on a
// generated journal and compares their balances with Parse's.
func TestGenerate_BothToolsReadTheJournal(t *testing.T) {
	var buf bytes.Buffer
	if err := Generate(&buf, 300, 12, 42); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "gen.journal")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := Parse(path, bytes.NewReader(buf.Bytes()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if hledger, err := exec.LookPath("hledger"); err == nil {
		want, err := hledgerBalances(hledger, path)
		if err != nil {
			t.Fatal(err)
		}
		if got := nonZero(j.Balances()); !sameBalances(got, want) {
			t.Errorf("hledger disagrees\n got %v\nwant %v", got, want)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("hledger is not installed")
	}
	if ledger, err := exec.LookPath("ledger"); err == nil {
		out, err := exec.Command(ledger, "-f", path, "bal", "--flat", "--no-total", "--format", "%(account)\\t%(quantity(display_total))\\n").CombinedOutput()
		if err != nil {
			t.Fatalf("ledger: %v\n%s", err, out)
		}
		got := ledgerTotals(t, out)
		for acct, m := range nonZero(j.Balances()) {
			if got[acct] != m["USD"] {
				t.Errorf("ledger says %s has %d cents, Parse %d", acct, got[acct], m["USD"])
			}
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("ledger is not installed")
	}
}

// ledgerTotals reads "account<TAB>quantity" lines printed by ledger-cli.
func ledgerTotals(t *testing.T, out []byte) map[string]int64 {
	t.Helper()
	totals := make(map[string]int64)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		acct, qty, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("ledger printed %q", line)
		}
		minor, err := backoffice.ParseMinor(strings.ReplaceAll(qty, ",", ""), 2)
		if err != nil {
			t.Fatalf("ledger printed %q: %v", line, err)
		}
		totals[acct] = minor
	}
	return totals
}
