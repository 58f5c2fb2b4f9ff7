package plaintext

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"backoffice"
)

// sampleDirs are the published journals of both tools, read in place.
var sampleDirs = []struct{ dir, dialect string }{
	{"../../../shared/testdata/ledger/hledger", DialectHledger},
	{"../../../shared/testdata/ledger/ledger-cli", DialectLedger},
}

// sampleCommodities is what a user migrating these files would pass;
// amounts without a commodity are taken as dollars (--commodity =USD).
func sampleCommodities() map[string]backoffice.Currency {
	return map[string]backoffice.Currency{"$": "USD", "€": "EUR", "£": "GBP", "": "USD"}
}

// refusedSamples lists the sample journals the import must refuse, with a
// word its error must contain and why.
var refusedSamples = map[string]struct{ word, why string }{
	"hledger/Cody.journal":                                 {`"APPL"`, "shares (APPL) are not a currency"},
	"hledger/accounttypes.journal":                         {`"AAA"`, "a made-up commodity AAA"},
	"hledger/all.journal":                                  {"cannot open", "includes yearly files that are not published"},
	"hledger/current.journal":                              {"cannot open", "includes a yearly file that is not published"},
	"hledger/ascii.journal":                                {`"A"`, "made-up commodities A, B, C"},
	"hledger/chinese.journal":                              {`"A"`, "made-up commodity A"},
	"hledger/unicode.journal":                              {`"ß"`, "made-up commodities ß and проверка"},
	"hledger/bitcoin-split-coinbase.journal":               {`"BTC"`, "crypto (BTC) is not a currency"},
	"hledger/investing/roi-unrealised.ledger":              {`"RY"`, "shares (RY) are not a currency"},
	"hledger/sample2.journal":                              {`"AAA"`, "a made-up commodity AAA"},
	"hledger/multi-year/2021.journal":                      {`"A"`, "made-up commodities A and B"},
	"hledger/multi-year/2021-closed.journal":               {`"A"`, "made-up commodities A and B"},
	"hledger/multi-year/2022.journal":                      {`"A"`, "made-up commodities A and B"},
	"hledger/multi-year/2022-closed.journal":               {`"A"`, "made-up commodities A and B"},
	"hledger/multi-year/2023.journal":                      {`"A"`, "made-up commodities A and B"},
	"hledger/budgeting/envelope-budget-auto-1.journal":     {"automated transactions", "uses automated transactions"},
	"hledger/budgeting/goal-budget-1.journal":              {"periodic transactions", "a budget of periodic transactions"},
	"hledger/budgeting/goal-budget-2.journal":              {"periodic transactions", "a budget of periodic transactions"},
	"hledger/budgeting/goal-budget-3.journal":              {"periodic transactions", "a budget of periodic transactions"},
	"hledger/budgeting/goal-budget-4.journal":              {"cannot open", "includes a budget file that is not published"},
	"hledger/forecast.journal":                             {"periodic transactions", "a forecast of periodic transactions"},
	"hledger/costs/1.j":                                    {"write the conversion", "a currency conversion without @ or @@: hledger guesses the rate"},
	"hledger/costs/4.j":                                    {"write the conversion", "a currency conversion without @ or @@: hledger guesses the rate"},
	"hledger/farfuture.j":                                  {"is not a date", "dates in year 25252734927768413"},
	"hledger/investing/investment-gains-balancing.journal": {"lot prices", "lot prices {…} on shares"},
	"hledger/shared-finances/household2.journal":           {"balance assignment", "a balance assignment with ==*"},
	"ledger-cli/divzero.dat":                               {"value expressions", "amounts written as value expressions"},
	"ledger-cli/drewr.dat":                                 {"automated transactions", "automated and periodic transactions"},
	"ledger-cli/drewr3.dat":                                {"automated transactions", "an automated transaction"},
	"ledger-cli/sample.dat":                                {"automated transactions", "automated and periodic transactions, shares"},
	"ledger-cli/transfer.dat":                              {`"bytes"`, "a commodity of bytes"},
	"ledger-cli/wow.dat":                                   {`directive "C"`, "commodity conversions (C) and game gold"},
}

// journalFile reports whether a sample file is a journal (not CSV rules,
// timeclock, timedot or the one-line and debit/credit variants other tools read).
func journalFile(path string) bool {
	switch filepath.Ext(path) {
	case ".journal", ".j", ".ledger", ".dat", ".hledger":
		return true
	}
	return false
}

func sampleFiles(t *testing.T) []struct{ path, rel, dialect string } {
	t.Helper()
	var out []struct{ path, rel, dialect string }
	for _, d := range sampleDirs {
		if _, err := os.Stat(d.dir); err != nil {
			continue
		}
		err := filepath.WalkDir(d.dir, func(path string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() || !journalFile(path) {
				return err
			}
			rel, _ := filepath.Rel(filepath.Dir(d.dir), path)
			out = append(out, struct{ path, rel, dialect string }{path, filepath.ToSlash(rel), d.dialect})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) == 0 {
		t.Skip("no sample journals in ../../../shared/testdata/ledger")
	}
	return out
}

func parseFile(t *testing.T, path, dialect string) (*Journal, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(path, f, Options{Dialect: dialect, Commodities: sampleCommodities(), DefaultYear: 2026})
}

// TestParse_SamplesAcceptedOrRefusedAsListed proves the refusal table: each
// listed sample is refused with its reason, every other one is accepted.
func TestParse_SamplesAcceptedOrRefusedAsListed(t *testing.T) {
	for _, s := range sampleFiles(t) {
		t.Run(s.rel, func(t *testing.T) {
			_, err := parseFile(t, s.path, s.dialect)
			want, refused := refusedSamples[s.rel]
			switch {
			case refused && err == nil:
				t.Fatalf("accepted, want refused because %s", want.why)
			case refused && !strings.Contains(err.Error(), want.word):
				t.Fatalf("refused with %v, want an error mentioning %q (%s)", err, want.word, want.why)
			case !refused && err != nil:
				t.Fatalf("refused: %v", err)
			}
		})
	}
}

// TestParse_BalancesMatchHledger compares every accepted sample's balances
// with hledger's own, per account and currency, to the minor unit.
func TestParse_BalancesMatchHledger(t *testing.T) {
	hledger, err := exec.LookPath("hledger")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("hledger is not installed; CI must install it (apt-get install -y hledger)")
		}
		t.Skip("hledger is not installed")
	}
	for _, s := range sampleFiles(t) {
		if _, refused := refusedSamples[s.rel]; refused {
			continue
		}
		t.Run(s.rel, func(t *testing.T) {
			j, err := parseFile(t, s.path, s.dialect)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			want, err := hledgerBalances(hledger, s.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := nonZero(j.Balances()); !sameBalances(got, want) {
				t.Errorf("balances differ from hledger's\n got %v\nwant %v", got, want)
			}
		})
	}
}

// hledgerBalances runs "hledger bal --flat -N -O json", whose amounts are
// exact decimal mantissas, and converts them to minor units.
func hledgerBalances(hledger, path string) (map[string]map[backoffice.Currency]int64, error) {
	out, err := exec.Command(hledger, "-f", path, "bal", "--flat", "-N", "-O", "json").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("hledger: %v: %s", err, ee.Stderr)
		}
		return nil, err
	}
	var report []json.RawMessage
	if err := json.Unmarshal(out, &report); err != nil || len(report) == 0 {
		return nil, fmt.Errorf("hledger json: %v", err)
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal(report[0], &rows); err != nil {
		return nil, fmt.Errorf("hledger json rows: %v", err)
	}
	bal := make(map[string]map[backoffice.Currency]int64)
	for _, row := range rows {
		var name string
		var amounts []struct {
			Commodity string `json:"acommodity"`
			Quantity  struct {
				Mantissa json.Number `json:"decimalMantissa"`
				Places   int         `json:"decimalPlaces"`
			} `json:"aquantity"`
		}
		if err := json.Unmarshal(row[0], &name); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(row[3], &amounts); err != nil {
			return nil, err
		}
		for _, a := range amounts {
			cur, ok := sampleCommodities()[a.Commodity]
			if !ok {
				cur = backoffice.Currency(a.Commodity)
			}
			minor, err := scaleMinor(a.Quantity.Mantissa.String(), a.Quantity.Places, cur.Exponent())
			if err != nil {
				return nil, fmt.Errorf("%s %s: %v", name, a.Commodity, err)
			}
			if minor != 0 {
				if bal[name] == nil {
					bal[name] = make(map[backoffice.Currency]int64)
				}
				bal[name][cur] += minor
			}
		}
	}
	return bal, nil
}

// scaleMinor turns mantissa×10^-places into minor units of exponent exp.
func scaleMinor(mantissa string, places, exp int) (int64, error) {
	m, ok := new(big.Int).SetString(mantissa, 10)
	if !ok {
		return 0, fmt.Errorf("mantissa %q", mantissa)
	}
	ten := big.NewInt(10)
	for ; places < exp; places++ {
		m.Mul(m, ten)
	}
	for ; places > exp; places-- {
		var r big.Int
		if m.QuoRem(m, ten, &r); r.Sign() != 0 {
			return 0, fmt.Errorf("not a whole number of minor units")
		}
	}
	return m.Int64(), nil
}

func nonZero(b map[string]map[backoffice.Currency]int64) map[string]map[backoffice.Currency]int64 {
	out := make(map[string]map[backoffice.Currency]int64)
	for acct, m := range b {
		for c, v := range m {
			if v != 0 {
				if out[acct] == nil {
					out[acct] = make(map[backoffice.Currency]int64)
				}
				out[acct][c] = v
			}
		}
	}
	return out
}

func sameBalances(a, b map[string]map[backoffice.Currency]int64) bool {
	return fmt.Sprint(sortedBalances(a)) == fmt.Sprint(sortedBalances(b))
}

func sortedBalances(b map[string]map[backoffice.Currency]int64) []string {
	var out []string
	for acct, m := range b {
		for c, v := range m {
			out = append(out, fmt.Sprintf("%s %s %d", acct, c, v))
		}
	}
	sort.Strings(out)
	return out
}
