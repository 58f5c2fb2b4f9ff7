package pdf_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/pdf"
	"backoffice/pdf/pdftest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestLayout_MatchesTheGoldenFile pins where every string of a two-page
// report lands (x and y in millimetres), so that a change of layout shows
// in review as a diff of testdata/report.golden. Run with -update to accept one.
func TestLayout_MatchesTheGoldenFile(t *testing.T) {
	d := report(45)
	d.Paragraph("Balanced: assets equal liabilities plus equity in every column.")
	tbl := d.Table(pdf.Column{Header: "Account", Width: 2}, pdf.Column{Header: "2026-01-01 – 2026-12-31", Width: 1, Align: pdf.Right})
	tbl.Add(pdf.Row{Cells: []string{"Forderungen aus Lieferungen und Leistungen gegen verbundene Unternehmen mit einer Restlaufzeit von mehr als einem Jahr",
		pdf.Amount(-98765432109876, "EUR")}, Level: 2})
	var b strings.Builder
	for i, p := range pdftest.Read(t, write(t, d)) {
		fmt.Fprintf(&b, "page %d\n", i+1)
		for _, l := range p {
			fmt.Fprintf(&b, "%6.1f %6.1f %s\n", l.X, l.Y, l.Text)
		}
	}
	golden := filepath.Join("testdata", "report.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("the layout differs from %s (run with -update if the change is meant):\n%s", golden, lineDiff(string(want), got))
	}
}

// lineDiff lists the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 10; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d: want %q, got %q", i+1, a, b))
		}
	}
	return strings.Join(out, "\n")
}
