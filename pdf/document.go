// Package pdf holds Backoffice's printed documents: reports today, and
// invoices, credit notes, statements and letters later. A Document is an A4
// page frame (company name and logo, title, period, "Page X of Y") around
// paragraphs and tables whose header repeats on every page they cross.
//
// It wraps github.com/go-pdf/fpdf with its core fonts (Helvetica in the
// Windows-1252 code page): no font files to ship, and German, French and
// Scandinavian letters and the euro sign print as they are. The same input
// gives the same bytes: the creation date is the Heading's Generated time.
package pdf

import (
	"bytes"
	"fmt"
	"image"
	_ "image/jpeg" // logos may be JPEG
	_ "image/png"  // or PNG
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Heading is what a document says about itself on its pages.
type Heading struct {
	Company   string    // printed on every page
	Logo      []byte    // PNG or JPEG, optional; printed at the top right of the first page
	Title     string    // "Balance sheet"
	Period    string    // "At 2026-12-31", "2026-01-01 – 2026-12-31"
	Generated time.Time // printed in the footer and set as the creation date; zero prints none and dates the file when written
	Landscape bool      // for wide tables
	Footer    string    // a line above the page number on every page, as a letter's company details; replaces "Generated …"
	PageOf    string    // "Page %d of %s" in the document's language; the default is English
	Watermark string    // printed large and light across every page, as "DRAFT"
}

// Page geometry in millimetres.
const (
	marginX      = 15.0
	marginTop    = 14.0
	marginBottom = 16.0 // the footer lives inside it
	lineHeight   = 4.2  // of 9-point table text
	bodySize     = 9.0
	smallSize    = 7.5
	grey         = 110
)

// Document is a PDF being built. Add paragraphs and tables in reading
// order, then Write it. Errors are kept and reported by Write, so building
// code need not check every call.
type Document struct {
	f     *fpdf.Fpdf
	h     Heading
	table *Table // the table whose header repeats on a new page, if any
	logo  string // registered image name, "" without a logo
	err   error
}

// New starts a document with its first page.
func New(h Heading) *Document {
	orientation := "P"
	if h.Landscape {
		orientation = "L"
	}
	f := fpdf.New(orientation, "mm", "A4", "")
	d := &Document{f: f, h: h}
	gen := h.Generated.UTC()
	f.SetCreationDate(gen)
	f.SetModificationDate(gen)
	f.SetCatalogSort(true)
	f.SetProducer("Backoffice", true)
	f.SetCreator("Backoffice", true)
	f.SetTitle(h.Title, true)
	f.SetAuthor(h.Company, true)
	f.SetMargins(marginX, marginTop, marginX)
	// Rows break pages themselves (see Table.Add); fpdf's own break is a
	// safety net for text that ends lower than planned.
	f.SetAutoPageBreak(true, marginBottom)
	f.AliasNbPages("{nb}")
	f.SetHeaderFunc(d.pageHeader)
	f.SetFooterFunc(d.pageFooter)
	if len(h.Logo) > 0 {
		d.registerLogo(h.Logo)
	}
	f.AddPage()
	d.titleBlock()
	return d
}

// registerLogo reads the logo as PNG or JPEG; anything else is an error
// reported by Write.
func (d *Document) registerLogo(b []byte) {
	_, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || (format != "png" && format != "jpeg") {
		d.err = fmt.Errorf("pdf: the logo is not a PNG or JPEG image")
		return
	}
	d.logo = "logo"
	d.f.RegisterImageOptionsReader(d.logo, fpdf.ImageOptions{ImageType: format, ReadDpi: false}, bytes.NewReader(b))
}

// width is the width between the side margins.
func (d *Document) width() float64 {
	w, _ := d.f.GetPageSize()
	return w - 2*marginX
}

// bottom is the lowest y a row may reach.
func (d *Document) bottom() float64 {
	_, h := d.f.GetPageSize()
	return h - marginBottom
}

// titleBlock prints the first page's heading: company, title, period, and
// the logo at the right.
func (d *Document) titleBlock() {
	f := d.f
	textW := d.width()
	if d.logo != "" {
		const logoH = 16.0
		info := f.GetImageInfo(d.logo)
		w := logoH * info.Width() / info.Height()
		w = min(w, 50)
		f.ImageOptions(d.logo, marginX+d.width()-w, marginTop, w, 0, false, fpdf.ImageOptions{}, 0, "")
		textW -= w + 4
	}
	f.SetTextColor(grey, grey, grey)
	f.SetFont("Helvetica", "B", 10)
	f.CellFormat(textW, 5, fit(f, encode(d.h.Company), textW), "", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetFont("Helvetica", "B", 16)
	for _, l := range wrap(f, d.h.Title, textW, 2) {
		f.CellFormat(textW, 7.5, l, "", 1, "L", false, 0, "")
	}
	if d.h.Period != "" {
		f.SetFont("Helvetica", "", 10)
		f.CellFormat(textW, 5.5, fit(f, encode(d.h.Period), textW), "", 1, "L", false, 0, "")
	}
	if d.logo != "" {
		f.SetY(max(f.GetY(), marginTop+17))
	}
	f.Ln(4)
}

// pageHeader is fpdf's header callback: on every page after the first a
// running head (company · title · period) and, inside a table, its header.
func (d *Document) pageHeader() {
	f := d.f
	if d.h.Watermark != "" {
		d.watermark()
	}
	if f.PageNo() == 1 {
		return
	}
	f.SetFont("Helvetica", "", smallSize)
	f.SetTextColor(grey, grey, grey)
	head := d.h.Company + " · " + d.h.Title
	if d.h.Period != "" {
		head += " · " + d.h.Period
	}
	f.CellFormat(d.width(), 4, fit(f, encode(head), d.width()), "B", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.Ln(3)
	if d.table != nil {
		d.table.header()
	}
}

// pageFooter is fpdf's footer callback: when the document was made, and
// "Page X of Y".
func (d *Document) pageFooter() {
	f := d.f
	f.SetY(-marginBottom + 5)
	f.SetFont("Helvetica", "", smallSize)
	f.SetTextColor(grey, grey, grey)
	half := d.width() / 2
	generated := ""
	if !d.h.Generated.IsZero() {
		generated = "Generated " + d.h.Generated.UTC().Format("2006-01-02 15:04 UTC")
	}
	pageOf := "Page %d of %s"
	if d.h.PageOf != "" {
		pageOf = d.h.PageOf
	}
	if d.h.Footer != "" {
		d.footerText(encode(fmt.Sprintf(pageOf, f.PageNo(), "{nb}")))
		return
	}
	f.CellFormat(half, 4, generated, "T", 0, "L", false, 0, "")
	f.CellFormat(half, 4, encode(fmt.Sprintf(pageOf, f.PageNo(), "{nb}")), "T", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// Paragraph adds text across the page, wrapped at word boundaries; a
// newline starts a new line, as in an address.
func (d *Document) Paragraph(text string) {
	d.endTable()
	f := d.f
	f.SetFont("Helvetica", "", bodySize)
	for _, para := range strings.Split(text, "\n") {
		for _, l := range wrap(f, para, d.width(), 0) {
			d.need(lineHeight)
			f.CellFormat(d.width(), lineHeight, l, "", 1, "L", false, 0, "")
		}
	}
	f.Ln(2)
}

// Field is one labelled value of a Fields block.
type Field struct {
	Label, Value string
}

// Fields adds labelled values one a line, labels on the left in grey and
// values after them, as an invoice shows its number, date and due date.
func (d *Document) Fields(fields ...Field) {
	d.endTable()
	f := d.f
	f.SetFont("Helvetica", "", bodySize)
	labelW := 0.0
	for _, x := range fields {
		labelW = max(labelW, f.GetStringWidth(encode(x.Label))+2*f.GetCellMargin())
	}
	labelW = min(labelW, d.width()/3)
	for _, x := range fields {
		lines := wrap(f, x.Value, d.width()-labelW-2*f.GetCellMargin(), 0)
		d.need(float64(len(lines)) * lineHeight)
		f.SetTextColor(grey, grey, grey)
		f.CellFormat(labelW, lineHeight, fit(f, encode(x.Label), labelW), "", 0, "L", false, 0, "")
		f.SetTextColor(0, 0, 0)
		for i, l := range lines {
			if i > 0 {
				f.SetX(marginX + labelW)
			}
			f.CellFormat(d.width()-labelW, lineHeight, l, "", 1, "L", false, 0, "")
		}
	}
	f.Ln(2)
}

// Subheading adds a bold line that stays with what follows it.
func (d *Document) Subheading(text string) {
	d.endTable()
	f := d.f
	d.need(6 + 3*lineHeight)
	f.SetFont("Helvetica", "B", 11)
	f.CellFormat(d.width(), 6, fit(f, encode(text), d.width()), "", 1, "L", false, 0, "")
	f.Ln(1)
}

// need starts a new page unless h millimetres fit below the current line.
func (d *Document) need(h float64) {
	if d.f.GetY()+h > d.bottom() {
		d.f.AddPage()
	}
}

// endTable stops the open table's header from repeating.
func (d *Document) endTable() {
	if d.table != nil {
		d.table = nil
		d.f.Ln(4)
	}
}

// Write finishes the document and writes it to w.
func (d *Document) Write(w io.Writer) error {
	if d.err != nil {
		return d.err
	}
	d.endTable()
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}
