package camt

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"backoffice/bank/statement"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current parser")

// sharedDir holds the published sample files (see /work/shared/testdata/README.md).
const sharedDir = "../../../shared/testdata/bank"

// sampleDirs are the folders of camt samples, relative to sharedDir.
var sampleDirs = []string{"camt052", "camt052/hbci4java", "camt053", "camt053/oca", "camt054", "camt054/oca"}

// expectedWarnings lists, per sample, the warnings it must produce (as
// substrings); a sample not listed must parse without any warning.
var expectedWarnings = map[string][]string{
	"camt052/camt052.v1.xml":                   {"line 2: version camt.052.001.01 predates"},
	"camt052/camt052.v2.with-account-name.xml": {"line 17: entry of -200000.00 SEK has no booking date"},
	"camt052/camt052.v4.xml":                   {"line 30: statement AAAASESS-FP-ACCR001 holds 1 pending"},
	"camt052/camt052.v6.xml":                   {"line 30: statement AAAASESS-FP-ACCR001 holds 1 pending"},
	"camt052/camt052.v6.Amt-zero.xml":          {"line 30: statement AAAASESS-FP-ACCR001 holds 1 pending"},
	// The bank wrote 13 decimals; the balances are dropped rather than rounded.
	"camt052/hbci4java/test-camt-parse-5200108-invalid-saldo.xml": {
		`line 33: balance OPBD "100.0000000000005" cannot be read as an amount in EUR`,
		`line 45: balance CLBD "66.0000000000001" cannot be read as an amount in EUR`,
	},
	"camt052/hbci4java/test-camt-parse-5200108-missing-date.xml": {"line 33: balance OPBD has no date", "line 42: balance CLBD has no date"},
	"camt053/camt053.v2.wrong.xml":                               {"line 3: <BkToCstmrStmt> holds no <Stmt>"},
	// genkgo's synthetic statements close an EUR account with a balance in SEK.
	"camt053/camt053.v2.minimal.xml":           {"line 54: balance CLBD is in SEK, the account in EUR"},
	"camt053/camt053.v2.minimal.ultimate.xml":  {"line 54: balance CLBD is in SEK, the account in EUR"},
	"camt053/camt053.v2.with-party-ids.xml":    {"line 54: balance CLBD is in SEK, the account in EUR"},
	"camt053/camt053.v3.xml":                   {"line 74: balance CLBD is in SEK, the account in EUR"},
	"camt053/camt053.v4.xml":                   {"line 74: balance CLBD is in SEK, the account in EUR"},
	"camt053/camt053.v8.xml":                   {"line 74: balance CLBD is in SEK, the account in EUR"},
	"camt054/camt054.v2.with-account-name.xml": {"line 17: entry of -200000.00 SEK has no booking date"},
	"camt054/camt054.v2.xml":                   {"line 58: entry of -200000.00 SEK holds 3 transactions but transaction 1 has no amount of its own"},
	// genkgo's synthetic batch: transactions in CHF inside an entry in SEK.
	"camt054/camt054.v4.xml":                            {"line 63: entry of -200000.00 SEK holds 3 transactions but transaction 1 is in CHF"},
	"camt054/camt054.v8.xml":                            {"line 63: entry of -200000.00 SEK holds 3 transactions but transaction 1 is in CHF"},
	"camt054/camt054.v8-with-UETR.xml":                  {"line 16: entry of -200000.00 SEK has no booking date"},
	"camt054/camt054.v8-with-financial-institution.xml": {"line 16: entry of -200000.00 SEK has no booking date"},
}

type sample struct {
	dir, name, path string
}

// golden is the golden file name of a sample: camt053-oca-test-camt053.json.
func (s sample) golden() string {
	base := strings.TrimSuffix(s.name, ".xml")
	return filepath.Join("testdata", "golden", strings.ReplaceAll(s.dir, "/", "-")+"-"+base+".json")
}

func (s sample) key() string { return s.dir + "/" + s.name }

// samples lists every camt sample, skipping the test when the shared folder is absent.
func samples(t *testing.T) []sample {
	t.Helper()
	if _, err := os.Stat(sharedDir); err != nil {
		t.Skipf("shared test data not found at %s", sharedDir)
	}
	var out []sample
	for _, dir := range sampleDirs {
		files, err := filepath.Glob(filepath.Join(sharedDir, dir, "*.xml"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			out = append(out, sample{dir: dir, name: filepath.Base(f), path: f})
		}
	}
	if len(out) == 0 {
		t.Skip("no camt samples found")
	}
	return out
}

func parseSample(t *testing.T, s sample) *statement.Result {
	t.Helper()
	data, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(data)
	if err != nil {
		t.Fatalf("%s: %v", s.key(), err)
	}
	return res
}

func TestParse_EverySampleMatchesItsGoldenFile(t *testing.T) {
	for _, s := range samples(t) {
		t.Run(s.key(), func(t *testing.T) {
			res := parseSample(t, s)
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			if *update {
				if err := os.WriteFile(s.golden(), got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(s.golden())
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s at line %d; run go test -update and review the diff", s.key(), s.golden(), firstDiff(got, want))
			}
		})
	}
}

func TestParse_EverySampleWarnsOnlyAsListed(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range samples(t) {
		seen[s.key()] = true
		t.Run(s.key(), func(t *testing.T) {
			res := parseSample(t, s)
			want := expectedWarnings[s.key()]
			var got []string
			for _, w := range res.Warnings {
				got = append(got, w.String())
			}
			if len(got) != len(want) {
				t.Fatalf("got %d warnings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
			}
			for i, w := range want {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d is %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
	for k := range expectedWarnings {
		if !seen[k] {
			t.Errorf("expectedWarnings lists %s, which is not a sample", k)
		}
	}
}

func TestParse_EverySampleHasAFormatAndAStatementWithAnAccount(t *testing.T) {
	noStatement := []string{"camt053/camt053.v2.wrong.xml"}
	for _, s := range samples(t) {
		res := parseSample(t, s)
		if want := "camt.05" + s.dir[6:7]; res.Format != want {
			t.Errorf("%s: format %q, want %q", s.key(), res.Format, want)
		}
		if slices.Contains(noStatement, s.key()) {
			continue
		}
		if len(res.Statements) == 0 {
			t.Errorf("%s: no statement", s.key())
		}
		for _, st := range res.Statements {
			if st.Account.IBAN == "" && st.Account.Number == "" {
				t.Errorf("%s: statement %s has no account", s.key(), st.ID)
			}
		}
	}
}

// firstDiff is the first line where two texts differ.
func firstDiff(a, b []byte) int {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(la), len(lb)) {
		if !bytes.Equal(la[i], lb[i]) {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}
