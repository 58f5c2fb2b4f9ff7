package pdf

import (
	"strings"
)

// This file holds what a business letter needs beyond a report: address
// blocks side by side, a right-aligned summary of totals, a footer of
// company details and a watermark on drafts.

// watermark prints the heading's watermark diagonally across the page in
// light grey, under what the page shows (the header callback draws it first).
func (d *Document) watermark() {
	f := d.f
	w, h := f.GetPageSize()
	f.SetFont("Helvetica", "B", 110)
	f.SetTextColor(228, 228, 228)
	text := encode(d.h.Watermark)
	size := 110.0
	if tw := f.GetStringWidth(text); tw > w*1.1 {
		size = size * w * 1.1 / tw
		f.SetFontSize(size)
	}
	tw := f.GetStringWidth(text)
	f.TransformBegin()
	f.TransformRotate(45, w/2, h/2)
	f.Text(w/2-tw/2, h/2+size*0.35/2.83, text)
	f.TransformEnd()
	f.SetTextColor(0, 0, 0)
	f.SetFont("Helvetica", "", bodySize)
	f.SetXY(marginX, marginTop)
}

// footerText prints the heading's footer lines under a rule at the foot of
// every page, with "Page X of Y" at the right of the first line.
func (d *Document) footerText(pageOf string) {
	f := d.f
	_, h := f.GetPageSize()
	y := h - marginBottom + 3
	f.SetDrawColor(160, 160, 160)
	f.Line(marginX, y, marginX+d.width(), y)
	f.SetFont("Helvetica", "", 6.5)
	f.SetTextColor(grey, grey, grey)
	pw := f.GetStringWidth(pageOf) + 2*f.GetCellMargin()
	for i, l := range strings.Split(d.h.Footer, "\n") {
		if i == 3 {
			break
		}
		f.SetXY(marginX, y+0.5+float64(i)*3)
		w := d.width() - pw
		f.CellFormat(w, 3, fit(f, encode(l), w), "", 0, "L", false, 0, "")
		if i == 0 {
			f.CellFormat(pw, 3, pageOf, "", 0, "R", false, 0, "")
		}
	}
	f.SetTextColor(0, 0, 0)
}

// Block is a titled group of lines, as an address or a document's details.
type Block struct {
	Title  string // small grey caption; optional
	Lines  []string
	Fields []Field // labelled values after the lines, as number and dates
}

// Blocks prints blocks side by side in equal columns, each line wrapped to
// its column; the document continues under the tallest.
func (d *Document) Blocks(blocks ...Block) {
	d.endTable()
	if len(blocks) == 0 {
		return
	}
	f := d.f
	colW := (d.width() - 8*float64(len(blocks)-1)) / float64(len(blocks))
	d.need(6 * lineHeight)
	top := f.GetY()
	lowest := top
	for i, b := range blocks {
		x := marginX + float64(i)*(colW+8)
		y := top
		if b.Title != "" {
			f.SetFont("Helvetica", "", smallSize)
			f.SetTextColor(grey, grey, grey)
			f.SetXY(x, y)
			f.CellFormat(colW, 3.5, fit(f, encode(b.Title), colW), "", 0, "L", false, 0, "")
			y += 4
			f.SetTextColor(0, 0, 0)
		}
		for k, text := range b.Lines {
			style := ""
			if k == 0 {
				style = "B"
			}
			f.SetFont("Helvetica", style, bodySize)
			for _, l := range wrap(f, text, colW-2*f.GetCellMargin(), 2) {
				f.SetXY(x, y)
				f.CellFormat(colW, lineHeight, l, "", 0, "L", false, 0, "")
				y += lineHeight
			}
		}
		f.SetFont("Helvetica", "", bodySize)
		labelW := 0.0
		for _, fl := range b.Fields {
			labelW = max(labelW, f.GetStringWidth(encode(fl.Label))+2*f.GetCellMargin())
		}
		labelW = min(labelW, colW/2)
		for _, fl := range b.Fields {
			f.SetXY(x, y)
			f.SetTextColor(grey, grey, grey)
			f.CellFormat(labelW, lineHeight, fit(f, encode(fl.Label), labelW), "", 0, "L", false, 0, "")
			f.SetTextColor(0, 0, 0)
			f.CellFormat(colW-labelW, lineHeight, fit(f, encode(fl.Value), colW-labelW), "", 0, "L", false, 0, "")
			y += lineHeight
		}
		lowest = max(lowest, y)
	}
	f.SetXY(marginX, lowest)
	f.Ln(5)
}

// SummaryRow is one line of a Summary: a label and an amount.
type SummaryRow struct {
	Label, Value string
	Bold         bool // the total and the amount due
	Rule         bool // a line above, as over a total
}

// Summary prints label and amount pairs right-aligned in the right half of
// the page, as the totals under an invoice's lines.
func (d *Document) Summary(rows ...SummaryRow) {
	d.endTable()
	f := d.f
	d.need(float64(len(rows))*(lineHeight+0.6) + 2)
	w := d.width() * 0.5
	x := marginX + d.width() - w
	for _, r := range rows {
		style := ""
		if r.Bold {
			style = "B"
		}
		f.SetFont("Helvetica", style, bodySize)
		y := f.GetY()
		if r.Rule {
			f.SetDrawColor(60, 60, 60)
			f.Line(x, y, x+w, y)
			f.SetY(y + 0.6)
		}
		f.SetX(x)
		f.CellFormat(w*0.6, lineHeight+0.6, fit(f, encode(r.Label), w*0.6), "", 0, "L", false, 0, "")
		f.CellFormat(w*0.4, lineHeight+0.6, fit(f, encode(r.Value), w*0.4), "", 1, "R", false, 0, "")
	}
	f.Ln(3)
}

// Note prints small text across the page, wrapped, as payment
// instructions, exemption reasons and terms.
func (d *Document) Note(title, text string) {
	d.endTable()
	f := d.f
	if title != "" {
		d.need(5 + 2*lineHeight)
		f.SetFont("Helvetica", "B", bodySize)
		f.CellFormat(d.width(), lineHeight+0.5, fit(f, encode(title), d.width()), "", 1, "L", false, 0, "")
	}
	f.SetFont("Helvetica", "", bodySize)
	for _, para := range strings.Split(text, "\n") {
		for _, l := range wrap(f, para, d.width()-2*f.GetCellMargin(), 0) {
			d.need(lineHeight)
			f.CellFormat(d.width(), lineHeight, l, "", 1, "L", false, 0, "")
		}
	}
	f.Ln(2)
}
