package csvimport

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// Format is the name written to statement.Result.Format.
const Format = "csv"

// row is one data record with its 1-based file line.
type row struct {
	cells []string
	line  int
}

// Parse reads a CSV statement with profile p into one statement. Rows it
// cannot read are skipped with a warning naming their line; a profile that
// names a column the file lacks is refused.
func Parse(data []byte, p Profile) (*statement.Result, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	text, err := decode(data, p.Encoding)
	if err != nil {
		return nil, err
	}
	header, rows, err := readRecords(text, p)
	if err != nil {
		return nil, err
	}
	cols, err := resolveColumns(p, header, rows)
	if err != nil {
		return nil, err
	}
	if p.DateFormat == "" {
		p.DateFormat = guessLayout(columnValues(rows, cols.date, 50), p.DecimalComma)
		if p.DateFormat == "" {
			return nil, backoffice.Errorf(backoffice.EInvalid, "the date format could not be recognised; set date_format in the profile (for example 02.01.2006)")
		}
	}
	r := &reader{p: p, cols: cols, res: &statement.Result{Format: Format, Statements: []statement.Statement{}, Warnings: []statement.Warning{}}}
	return r.read(rows), nil
}

// readRecords splits the text into the header (nil without one) and data rows.
func readRecords(text string, p Profile) ([]string, []row, error) {
	delim := p.Delimiter
	if delim == 0 {
		delim = detectDelimiter(text)
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = delim, -1, true, false
	var header []string
	var rows []row
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, backoffice.Errorf(backoffice.EInvalid, "the file is not CSV as the profile describes it: %s", err.Error())
		}
		line, _ := cr.FieldPos(0)
		switch {
		case n < p.HeaderRows-1:
		case n == p.HeaderRows-1:
			header = rec
		default:
			rows = append(rows, row{cells: rec, line: line})
		}
	}
	if p.HeaderRows > 0 && header == nil {
		return nil, nil, backoffice.Errorf(backoffice.EInvalid, "the file has fewer than %d rows, so it has no header row", p.HeaderRows)
	}
	return header, rows, nil
}

func columnValues(rows []row, col, limit int) []string {
	var out []string
	for _, r := range rows {
		if col >= 0 && col < len(r.cells) && strings.TrimSpace(r.cells[col]) != "" {
			out = append(out, r.cells[col])
		}
		if len(out) == limit {
			break
		}
	}
	return out
}

// Sniff reports whether data looks like delimited text: no NUL bytes, and
// its first lines split into at least two columns by one delimiter.
func Sniff(data []byte) bool {
	if len(data) > 16<<10 {
		data = data[:16<<10]
	}
	if len(data) == 0 || strings.IndexByte(string(data), 0) >= 0 {
		return false
	}
	text, err := decode(data, "")
	if err != nil {
		return false
	}
	d := detectDelimiter(text)
	cr := csv.NewReader(strings.NewReader(sample(text, 5)))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = d, -1, true
	rec, err := cr.Read()
	return err == nil && len(rec) >= 2
}

func (r *reader) warn(line int, format string, args ...any) {
	r.res.Warnings = append(r.res.Warnings, statement.Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}
