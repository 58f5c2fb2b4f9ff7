package csvio

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
)

// Export writes header and rows as RFC 4180 CSV (comma, CRLF, quotes where
// needed) that Import reads back. Text cells that a spreadsheet would run as
// a formula (starting with =, +, -, @, tab or carriage return) get a leading
// apostrophe; plain numbers such as -12.50 are written as they are.
func Export(w io.Writer, header []string, rows iter.Seq[[]string]) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	cells := make([]string, 0, len(header))
	n := 0
	for row := range rows {
		n++
		if len(row) != len(header) {
			return fmt.Errorf("export row %d has %d cells, the header %d", n, len(row), len(header))
		}
		cells = cells[:0]
		for _, c := range row {
			cells = append(cells, Neutralize(c))
		}
		if err := cw.Write(cells); err != nil {
			return fmt.Errorf("write CSV row %d: %w", n, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	return nil
}

// plainNumber reports whether s is a signed decimal number (-12.50, +3,
// -0,5), which spreadsheets read as a number, not a formula.
func plainNumber(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	digits, sep := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case (c == '.' || c == ',') && !sep && digits > 0 && i < len(s)-1:
			sep = true
		default:
			return false
		}
	}
	return digits > 0
}

// Neutralize returns cell with a leading apostrophe when a spreadsheet would
// otherwise treat it as a formula (CSV injection); numbers pass unchanged.
func Neutralize(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if plainNumber(cell) {
			return cell
		}
		return "'" + cell
	}
	return cell
}
