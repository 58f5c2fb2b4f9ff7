package coa

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const samples = "../../../shared/testdata/coa"

// sample is one published chart and what parsing it must give beside the
// golden file.
type sample struct {
	parse    func(*os.File) (*Chart, error)
	warnings int // warnings expected; each sample that has any says why
}

func gnucash(f *os.File) (*Chart, error) { return ParseGnuCash(f) }
func frappe(f *os.File) (*Chart, error)  { return ParseFrappe(f) }
func odoo(f *os.File) (*Chart, error)    { return ParseOdoo(f) }

// samplesTable lists every sample file. A file not listed fails the test, so
// a new sample cannot go unchecked.
func samplesTable() map[string]sample {
	t := map[string]sample{
		// STOCK and MUTUAL accounts become plain assets.
		"gnucash/C/acctchrt_retiremt.gnucash-xea":     {gnucash, 4},
		"gnucash/C/acctchrt_spouseretire.gnucash-xea": {gnucash, 4},
		// Tax refunds (income) under tax expense accounts become expenses.
		"gnucash/de_DE/acctchrt_skr04.gnucash-xea": {gnucash, 5},
		// Input VAT (an asset) under the VAT liability becomes a liability.
		"gnucash/en_GB/uk-vat.gnucash-xea": {gnucash, 1},
		// 12 STOCK/MUTUAL accounts, and one CURRENCY account in DEM.
		"gnucash/nl/acctchrt_full.gnucash-xea": {gnucash, 14},
		// 25 sub-accounts repeat their parent's code.
		"gnucash/nl/acctchrt_rgs_1.1.gnucash-xea": {gnucash, 25},
		// Subtypes that do not fit the root type: round off on an asset,
		// cost of goods sold on income, depreciation on an asset, payable on an asset.
		"frappe-books/verified/gt.json":        {frappe, 1},
		"frappe-books/verified/id.json":        {frappe, 1},
		"frappe-books/verified/ni.json":        {frappe, 1},
		"frappe-books/verified/nl.json":        {frappe, 1},
		"odoo/account.account-generic_coa.csv": {odoo, 0},
	}
	for _, name := range []string{"brokerage", "business", "carloan", "cdmoneymkt", "checkbook", "childcare", "common",
		"eduloan", "fixedassets", "homeloan", "homeown", "otherloan", "renter", "spouseinc"} {
		t["gnucash/C/acctchrt_"+name+".gnucash-xea"] = sample{gnucash, 0}
	}
	for _, name := range []string{"de_DE/acctchrt_skr03", "en_GB/acctchrt_business", "es_ES/acctchrt_common", "fr_FR/acctchrt_business"} {
		t["gnucash/"+name+".gnucash-xea"] = sample{gnucash, 0}
	}
	for _, name := range []string{"ae", "ca", "ch", "fr", "hu", "in", "mx", "sg", "standardCOA"} {
		t["frappe-books/verified/"+name+".json"] = sample{frappe, 0}
	}
	return t
}

// sampleFiles lists the published chart files, relative to samples.
func sampleFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"gnucash/*/*.gnucash-xea", "frappe-books/verified/*.json", "odoo/account.account-*.csv"} {
		found, _ := filepath.Glob(filepath.Join(samples, pattern))
		for _, f := range found {
			rel, _ := filepath.Rel(samples, f)
			files = append(files, filepath.ToSlash(rel))
		}
	}
	if len(files) == 0 {
		t.Skip("shared chart samples are absent")
	}
	return files
}

func parseSample(t *testing.T, rel string) *Chart {
	t.Helper()
	s, ok := samplesTable()[rel]
	if !ok {
		t.Fatalf("%s is not in samplesTable: add it with the warnings it should give", rel)
	}
	f, err := os.Open(filepath.Join(samples, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := s.parse(f)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return c
}

// TestParse_EverySampleGivesItsGoldenChartAndValidates parses every published
// chart, checks that it passes Validate with the warnings the table expects,
// and compares the whole chart with its golden file.
func TestParse_EverySampleGivesItsGoldenChartAndValidates(t *testing.T) {
	for _, rel := range sampleFiles(t) {
		t.Run(rel, func(t *testing.T) {
			c := parseSample(t, rel)
			if err := c.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if want := samplesTable()[rel].warnings; len(c.Warnings) != want {
				t.Errorf("%d warnings, want %d: %+v", len(c.Warnings), want, c.Warnings)
			}
			name := strings.TrimSuffix(rel, filepath.Ext(rel))
			compareGolden(t, strings.ReplaceAll(name, "/", "__")+".json", goldenJSON(t, c))
		})
	}
}

// goldenJSON renders c as JSON with one account or warning per line, so a
// change shows as the lines of the accounts it touches.
func goldenJSON(t *testing.T, c *Chart) []byte {
	t.Helper()
	var b bytes.Buffer
	name, _ := json.Marshal(c.Name)
	fmt.Fprintf(&b, `{"name": %s, "country": %q, "currency": %q`, name, c.Country, c.Currency)
	list := func(key string, n int, item func(i int) any) {
		b.WriteString(",\n\"" + key + "\": [")
		for i := range n {
			line, err := json.Marshal(item(i))
			if err != nil {
				t.Fatal(err)
			}
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n  ")
			b.Write(line)
		}
		b.WriteString("\n]")
	}
	list("accounts", len(c.Accounts), func(i int) any { return c.Accounts[i] })
	list("warnings", len(c.Warnings), func(i int) any { return c.Warnings[i] })
	b.WriteString("\n}\n")
	if !json.Valid(b.Bytes()) {
		t.Fatalf("golden JSON is not valid:\n%s", b.Bytes())
	}
	return b.Bytes()
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("golden file missing (run go test -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s:\n%s", golden, got)
	}
}
