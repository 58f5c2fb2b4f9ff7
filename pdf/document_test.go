package pdf_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/pdf"
	"backoffice/pdf/pdftest"
)

var generated = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

func heading() pdf.Heading {
	return pdf.Heading{Company: "Müller & Söhne GmbH", Title: "Trial balance", Period: "At 2026-12-31", Generated: generated}
}

// report builds a document with n account rows and a total.
func report(n int) *pdf.Document {
	d := pdf.New(heading())
	t := d.Table(pdf.Column{Header: "Account", Width: 4}, pdf.Column{Header: "Debit (EUR)", Width: 1.5, Align: pdf.Right},
		pdf.Column{Header: "Credit (EUR)", Width: 1.5, Align: pdf.Right})
	t.Add(pdf.Row{Cells: []string{"Assets"}, Bold: true})
	var total int64
	for i := range n {
		amount := int64(i+1) * 12345
		total += amount
		t.Add(pdf.Row{Cells: []string{fmt.Sprintf("%04d Account %d", 1000+i, i), pdf.Amount(amount, "EUR"), ""}, Level: i % 3})
	}
	t.Add(pdf.Row{Cells: []string{"Total", pdf.Amount(total, "EUR"), pdf.Amount(0, "EUR")}, Bold: true, Rule: true})
	return d
}

func write(t *testing.T, d *pdf.Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestWrite_SameInputGivesSameBytes(t *testing.T) {
	a, b := write(t, report(40)), write(t, report(40))
	if !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", a[:10])
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two documents from the same input differ")
	}
	if !bytes.Contains(a, []byte("D:20261123093000")) {
		t.Error("the creation date is not the Generated time")
	}
}

func TestTable_BreaksPagesAndRepeatsHeader(t *testing.T) {
	pages := pdftest.Read(t, write(t, report(500)))
	if len(pages) < 10 {
		t.Fatalf("500 rows on %d pages, want at least 10", len(pages))
	}
	seen := map[string]bool{}
	for i, p := range pages {
		if !p.Has("Account") || !p.Has("Credit (EUR)") {
			t.Errorf("page %d lacks the table header", i+1)
		}
		footer := fmt.Sprintf("Page %d of %d", i+1, len(pages))
		if !p.Has(footer) {
			t.Errorf("page %d lacks %q", i+1, footer)
		}
		if i > 0 && !p.Has("Müller & Söhne GmbH · Trial balance · At 2026-12-31") {
			t.Errorf("page %d lacks the running head", i+1)
		}
		top, bottom, last := at(p, "Account"), at(p, footer), 0.0
		for _, l := range p {
			if !strings.HasPrefix(l.Text, "1") || !strings.Contains(l.Text, " Account ") {
				continue
			}
			if seen[l.Text] {
				t.Errorf("row %q printed twice", l.Text)
			}
			seen[l.Text] = true
			// Rows go down the page between the header and the footer, none on another.
			if l.Y <= top+3 || l.Y >= bottom-3 || l.Y <= last+3 {
				t.Errorf("page %d: row %q at %.1f mm, header at %.1f, footer at %.1f, previous row at %.1f", i+1, l.Text, l.Y, top, bottom, last)
			}
			last = l.Y
		}
	}
	if len(seen) != 500 {
		t.Errorf("%d account rows printed, want 500", len(seen))
	}
	// 12,345 × (1 + … + 500) = 1,546,211,250 cents.
	if last := pages[len(pages)-1].Text(); !strings.Contains(last, "Total\n15,462,112.50\n0.00") {
		t.Errorf("the last page lacks the total row:\n%s", last)
	}
}

// at is how far down the page s is shown, in millimetres.
func at(p pdftest.Page, s string) float64 {
	for _, l := range p {
		if l.Text == s {
			return l.Y
		}
	}
	return -1
}

func TestText_PrintsGermanFrenchAndEuro(t *testing.T) {
	d := pdf.New(pdf.Heading{Company: "Société Générale d'Écritures", Title: "Kontoauszug für Straße", Generated: generated})
	d.Paragraph("Prix: 1 234,56 € — déjà payé; Grüße aus Köln; Œuvre, naïve, garçon.")
	tbl := d.Table(pdf.Column{Header: "Bénéficiaire", Width: 3}, pdf.Column{Header: "Betrag €", Width: 1, Align: pdf.Right})
	tbl.Add(pdf.Row{Cells: []string{"Müller-Lüdenscheidt Ärzte", "1,000.00"}})
	text := pdftest.Read(t, write(t, d)).Text()
	for _, want := range []string{"Société Générale d'Écritures", "Kontoauszug für Straße", "1 234,56 € — déjà payé",
		"Grüße aus Köln", "Œuvre, naïve, garçon.", "Bénéficiaire", "Betrag €", "Müller-Lüdenscheidt Ärzte"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q is not in the text:\n%s", want, text)
		}
	}
}

func TestText_LettersOutsideTheCodePageLoseOnlyTheirAccent(t *testing.T) {
	d := pdf.New(pdf.Heading{Company: "Kőbánya Kft.", Title: "Łódź − Ştefan", Generated: generated})
	text := pdftest.Read(t, write(t, d)).Text()
	for _, want := range []string{"Kobánya Kft.", "?ódz - Stefan"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q is not in the text:\n%s", want, text)
		}
	}
}

func TestTable_WrapsLongNamesAndKeepsAmountsWhole(t *testing.T) {
	d := pdf.New(heading())
	tbl := d.Table(pdf.Column{Header: "Account", Width: 2}, pdf.Column{Header: "Balance", Width: 1, Align: pdf.Right})
	long := "Forderungen aus Lieferungen und Leistungen gegen verbundene Unternehmen mit einer Restlaufzeit von mehr als einem Jahr " +
		"sowie gegen Unternehmen, mit denen ein Beteiligungsverhältnis besteht, einschließlich Wechsel und Schecks"
	tbl.Add(pdf.Row{Cells: []string{long, pdf.Amount(-98765432109876, "EUR")}, Level: 2})
	lines := strings.Split(pdftest.Read(t, write(t, d)).Text(), "\n")
	var name []string
	for _, l := range lines {
		if strings.HasPrefix(long, l) || strings.Contains(long, l) && len(l) > 10 || strings.HasSuffix(l, "…") {
			name = append(name, l)
		}
	}
	if len(name) != 3 {
		t.Fatalf("the name took %d lines, want 3 (wrapped, the last cut with …): %q", len(name), name)
	}
	if !strings.HasSuffix(name[2], "…") {
		t.Errorf("the last line %q does not end with an ellipsis", name[2])
	}
	if !slices.Contains(lines, "-987,654,321,098.76") {
		t.Errorf("the amount is not printed whole:\n%s", strings.Join(lines, "\n"))
	}
}

func TestNew_PrintsALogo(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		img.Set(x, x/2, color.RGBA{R: 200, A: 255})
	}
	var logo bytes.Buffer
	if err := png.Encode(&logo, img); err != nil {
		t.Fatal(err)
	}
	h := heading()
	h.Logo = logo.Bytes()
	out := write(t, pdf.New(h))
	if !bytes.Contains(out, []byte("/Subtype /Image")) {
		t.Error("the PDF holds no image")
	}
	h.Logo = []byte("GIF89a not a logo we take")
	if err := pdf.New(h).Write(&bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "PNG or JPEG") {
		t.Errorf("a logo that is no PNG or JPEG gave %v", err)
	}
}

func TestAmount_GroupsThousandsWithTheCurrencyDecimals(t *testing.T) {
	for _, tc := range []struct {
		minor int64
		cur   backoffice.Currency
		want  string
	}{
		{0, "EUR", "0.00"},
		{5, "EUR", "0.05"},
		{-5, "EUR", "-0.05"},
		{123456, "EUR", "1,234.56"},
		{-123456789, "EUR", "-1,234,567.89"},
		{100000, "EUR", "1,000.00"},
		{1234567, "JPY", "1,234,567"},
		{-1234, "KWD", "-1.234"},
		{999, "JPY", "999"},
	} {
		if got := pdf.Amount(tc.minor, tc.cur); got != tc.want {
			t.Errorf("Amount(%d, %s) = %q, want %q", tc.minor, tc.cur, got, tc.want)
		}
	}
}

func TestTable_KeepsAHeadingWithTheRowsAfterIt(t *testing.T) {
	d := pdf.New(heading())
	tbl := d.Table(pdf.Column{Header: "Account", Width: 3}, pdf.Column{Header: "Balance", Width: 1, Align: pdf.Right})
	for i := range 200 {
		if i%7 == 0 {
			tbl.Add(pdf.Row{Cells: []string{fmt.Sprintf("Group %d", i/7)}, Bold: true})
		}
		tbl.Add(pdf.Row{Cells: []string{fmt.Sprintf("Account %d", i), "1.00"}})
	}
	for n, p := range pdftest.Read(t, write(t, d)) {
		var rows []string // the table's rows on this page, without the header and the frame
		for _, l := range p {
			if strings.HasPrefix(l.Text, "Group ") || strings.HasPrefix(l.Text, "Account ") {
				rows = append(rows, l.Text)
			}
		}
		if last := rows[len(rows)-1]; strings.HasPrefix(last, "Group ") {
			t.Errorf("page %d ends with the heading %q", n+1, last)
		}
		if len(rows) > 1 && strings.HasPrefix(rows[len(rows)-2], "Group ") {
			t.Errorf("page %d ends with the heading %q and one row", n+1, rows[len(rows)-2])
		}
	}
}

func TestDocument_PrintsAnInvoiceShapedPage(t *testing.T) {
	d := pdf.New(pdf.Heading{Company: "Müller & Söhne GmbH", Title: "Invoice INV-2026-0042", Generated: generated})
	d.Paragraph("Café Aurora SARL\nRue de l'Église 12\n75004 Paris\nFrance")
	d.Fields(pdf.Field{Label: "Invoice date", Value: "2026-11-23"}, pdf.Field{Label: "Due date", Value: "2026-12-23"},
		pdf.Field{Label: "Payment reference", Value: "RF18 5390 0754 7034"})
	tbl := d.Table(pdf.Column{Header: "Description", Width: 4}, pdf.Column{Header: "Quantity", Width: 1, Align: pdf.Right},
		pdf.Column{Header: "Amount (EUR)", Width: 1.4, Align: pdf.Right})
	tbl.Add(pdf.Row{Cells: []string{"Espresso beans, 1 kg", "12", pdf.Amount(28800, "EUR")}})
	tbl.Add(pdf.Row{Cells: []string{"Total", "", pdf.Amount(28800, "EUR")}, Bold: true, Rule: true})
	pages := pdftest.Read(t, write(t, d))
	p := pages[0]
	for _, want := range []string{"Café Aurora SARL", "Rue de l'Église 12", "75004 Paris", "Invoice date", "2026-11-23", "Payment reference",
		"RF18 5390 0754 7034", "Espresso beans, 1 kg", "288.00"} {
		if !p.Has(want) {
			t.Errorf("%q is not a line of the page:\n%s", want, p.Text())
		}
	}
	// The address keeps its lines, in order; each value sits on its label's line.
	if !(at(p, "Café Aurora SARL") < at(p, "Rue de l'Église 12") && at(p, "Rue de l'Église 12") < at(p, "75004 Paris")) {
		t.Error("the address lines are out of order")
	}
	if at(p, "Due date") != at(p, "2026-12-23") {
		t.Errorf("the due date is at %.1f mm, its label at %.1f", at(p, "2026-12-23"), at(p, "Due date"))
	}
	if len(pages) != 1 {
		t.Errorf("%d pages, want 1", len(pages))
	}
}
