package pdf

import "math"

// Align places a cell's text in its column.
type Align int

// Alignments: text left, amounts right.
const (
	Left Align = iota
	Right
	Center
)

func (a Align) fpdf() string {
	switch a {
	case Right:
		return "R"
	case Center:
		return "C"
	}
	return "L"
}

// Column is one column of a table.
type Column struct {
	Header string
	Width  float64 // share of the table's width; the widths are scaled to fill the page
	Align  Align   // Right for amounts: they never wrap, and shrink before they would be cut
}

// Row is one row of a table. A row with a single cell is a heading across
// the whole table, kept on a page with at least two rows after it.
type Row struct {
	Cells []string
	Level int  // indents the first cell one step per level, as in an account tree
	Bold  bool // totals and headings
	Rule  bool // a line above the row, as over a total
}

// Table is a table being added to a document; rows go onto the page in
// the order they are added, starting a new page (and repeating the header
// there) when the next row does not fit.
type Table struct {
	d      *Document
	cols   []Column
	widths []float64 // in millimetres
}

const (
	indentStep  = 4.0 // millimetres per tree level
	maxLines    = 3   // a text cell wraps onto at most this many lines
	rowPad      = 0.7 // space above and below a row's text
	headerFill  = 236
	minAmountPt = 6.0 // an amount shrinks down to this size rather than be cut
)

// Table starts a table with these columns below what the document holds
// so far, and prints its header.
func (d *Document) Table(cols ...Column) *Table {
	d.endTable()
	var sum float64
	for _, c := range cols {
		sum += c.Width
	}
	t := &Table{d: d, cols: cols, widths: make([]float64, len(cols))}
	for i, c := range cols {
		t.widths[i] = d.width() * c.Width / sum
	}
	d.need(2*lineHeight + 3*(lineHeight+2*rowPad)) // a header with nothing under it is no use
	t.header()
	d.table = t
	return t
}

// header prints the column headers, bold on a light band.
func (t *Table) header() {
	f := t.d.f
	f.SetFont("Helvetica", "B", bodySize)
	f.SetFillColor(headerFill, headerFill, headerFill)
	f.SetDrawColor(160, 160, 160)
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		lines[i] = wrap(f, c.Header, t.widths[i]-2*f.GetCellMargin(), 2)
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lineHeight + 2*rowPad
	x, y := marginX, f.GetY()
	f.Rect(x, y, t.d.width(), h, "F")
	for i, c := range t.cols {
		for k, l := range lines[i] {
			f.SetXY(x, y+rowPad+float64(k)*lineHeight)
			f.CellFormat(t.widths[i], lineHeight, l, "", 0, c.Align.fpdf(), false, 0, "")
		}
		x += t.widths[i]
	}
	f.Line(marginX, y+h, marginX+t.d.width(), y+h)
	f.SetXY(marginX, y+h)
}

// Add puts a row under the previous one, on a new page when it does not fit.
func (t *Table) Add(r Row) {
	d := t.d
	if d.err != nil {
		return
	}
	f := d.f
	style := ""
	if r.Bold {
		style = "B"
	}
	f.SetFont("Helvetica", style, bodySize)
	cells := t.layout(r)
	n := 1
	for _, c := range cells {
		n = max(n, len(c.lines))
	}
	h := float64(n)*lineHeight + 2*rowPad
	room := h
	if len(r.Cells) == 1 {
		room += 2 * (lineHeight + 2*rowPad) // a heading is no use alone at the foot of a page
	}
	if f.GetY()+room > d.bottom() {
		f.AddPage()
		f.SetFont("Helvetica", style, bodySize)
	}
	y := f.GetY()
	if r.Rule {
		f.SetDrawColor(60, 60, 60)
		f.Line(marginX, y, marginX+d.width(), y)
	}
	for _, c := range cells {
		if c.size != bodySize {
			f.SetFontSize(c.size)
		}
		for k, l := range c.lines {
			f.SetXY(c.x, y+rowPad+float64(k)*lineHeight)
			f.CellFormat(c.w, lineHeight, l, "", 0, c.align, false, 0, "")
		}
		if c.size != bodySize {
			f.SetFontSize(bodySize)
		}
	}
	f.SetXY(marginX, y+h)
}

// cell is one laid-out cell of a row.
type cell struct {
	x, w  float64
	align string
	size  float64 // font size in points
	lines []string
}

// layout places and wraps a row's cells: the first indented by level, a
// single cell across the table, text wrapped, amounts on one line.
func (t *Table) layout(r Row) []cell {
	f := t.d.f
	margin := f.GetCellMargin()
	indent := float64(max(r.Level, 0)) * indentStep
	if len(r.Cells) == 1 {
		w := t.d.width() - indent
		return []cell{{x: marginX + indent, w: w, align: "L", size: bodySize, lines: wrap(f, r.Cells[0], w-2*margin, maxLines)}}
	}
	out := make([]cell, 0, len(t.cols))
	x := marginX
	for i, col := range t.cols {
		c := cell{x: x, w: t.widths[i], align: col.Align.fpdf(), size: bodySize}
		x += t.widths[i]
		text := ""
		if i < len(r.Cells) {
			text = r.Cells[i]
		}
		if i == 0 {
			c.x, c.w = c.x+indent, c.w-indent
		}
		room := c.w - 2*margin
		if col.Align == Left {
			c.lines = wrap(f, text, room, maxLines)
		} else {
			s := encode(text)
			c.size = shrink(t.d, s, room)
			f.SetFontSize(c.size)
			c.lines = []string{fit(f, s, room)}
			f.SetFontSize(bodySize)
		}
		out = append(out, c)
	}
	return out
}

// shrink is the font size at which encoded s fits in w: the body size, or
// smaller down to minAmountPt.
func shrink(d *Document, s string, w float64) float64 {
	width := d.f.GetStringWidth(s)
	if width <= w {
		return bodySize
	}
	return max(minAmountPt, math.Floor(bodySize*w/width*10)/10)
}
