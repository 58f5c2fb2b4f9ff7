package pdf_test

import (
	"bytes"
	"fmt"
	"time"

	"backoffice/pdf"
)

// A report: the heading, a table whose header repeats on every page, rows
// indented by tree level and a bold total under a rule.
func ExampleDocument() {
	d := pdf.New(pdf.Heading{Company: "Müller & Söhne GmbH", Title: "Balance sheet", Period: "At the end of 2026-12-31",
		Generated: time.Date(2027, 1, 5, 8, 0, 0, 0, time.UTC)})
	t := d.Table(pdf.Column{Header: "Account (EUR)", Width: 3}, pdf.Column{Header: "2026-12-31", Width: 1, Align: pdf.Right})
	t.Add(pdf.Row{Cells: []string{"Assets"}, Bold: true})
	t.Add(pdf.Row{Cells: []string{"1000 Current assets", pdf.Amount(1234567, "EUR")}, Level: 1})
	t.Add(pdf.Row{Cells: []string{"1110 Main bank account", pdf.Amount(1234567, "EUR")}, Level: 2})
	t.Add(pdf.Row{Cells: []string{"Total Assets", pdf.Amount(1234567, "EUR")}, Bold: true, Rule: true})
	d.Paragraph("Balanced: assets equal liabilities plus equity.")
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		fmt.Println(err)
	}
	fmt.Println(string(b.Bytes()[:8]))
	// Output: %PDF-1.3
}
