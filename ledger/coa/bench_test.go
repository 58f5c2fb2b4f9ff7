package coa

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// benchmarkParse measures one parser on one published sample.
func benchmarkParse(b *testing.B, rel string, parse func(*bytes.Reader) (*Chart, error)) {
	data, err := os.ReadFile(filepath.Join(samples, rel))
	if err != nil {
		b.Skip("shared chart samples are absent")
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseGnuCash_RGS parses the largest template: 2,350 accounts, 1.3 MB.
func BenchmarkParseGnuCash_RGS(b *testing.B) {
	benchmarkParse(b, "gnucash/nl/acctchrt_rgs_1.1.gnucash-xea", func(r *bytes.Reader) (*Chart, error) { return ParseGnuCash(r) })
}

// BenchmarkParseFrappe_FR parses the largest Frappe chart: 993 accounts.
func BenchmarkParseFrappe_FR(b *testing.B) {
	benchmarkParse(b, "frappe-books/verified/fr.json", func(r *bytes.Reader) (*Chart, error) { return ParseFrappe(r) })
}

// BenchmarkParseCSV_RGS reads the RGS chart back from our CSV.
func BenchmarkParseCSV_RGS(b *testing.B) {
	f, err := os.Open(filepath.Join(samples, "gnucash/nl/acctchrt_rgs_1.1.gnucash-xea"))
	if err != nil {
		b.Skip("shared chart samples are absent")
	}
	defer f.Close()
	c, err := ParseGnuCash(f)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, c); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCSV(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
