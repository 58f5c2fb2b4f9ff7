package csvio

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"backoffice"
)

// record is one data row as read: its physical line and its cells, keyed by
// lower-case column name.
type record struct {
	line   int
	values map[string]string
}

// file is a read CSV file: the schema columns it has, its rows, and the
// problems found while reading (header problems and malformed rows).
type file struct {
	records []record
	errors  []RowError
}

// errFileTooLarge is returned by capReader once the size limit is passed.
var errFileTooLarge = errors.New("file too large")

// capReader fails once more than left bytes were read, so a huge upload
// cannot exhaust memory.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errFileTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// readFile reads the header and every row, checking structure but not
// content. It returns an error only for problems that stop reading.
func readFile(r io.Reader, columns []Column, opts Options) (*file, error) {
	br := bufio.NewReaderSize(&capReader{r: r, left: opts.MaxFileSize}, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	head, _ := br.Peek(64 << 10)
	cr := csv.NewReader(br)
	cr.Comma = detectDelimiter(head)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileError(backoffice.EInvalid, "the file is empty: its first line must name the columns (%s)", names(columns))
	}
	if err != nil {
		return nil, readError(err, opts)
	}
	f := &file{}
	index := f.mapHeader(header, columns)
	if len(f.errors) > 0 {
		return f, nil
	}
	for {
		cells, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError(err, opts)
		}
		if len(f.records) == opts.MaxRows {
			return nil, fileError(backoffice.ETooLarge, "the file has more than %d rows: split it into smaller files", opts.MaxRows)
		}
		line, _ := cr.FieldPos(0)
		f.addRecord(line, cells, index, opts.MaxFieldSize)
	}
	if len(f.records) == 0 {
		return nil, fileError(backoffice.EInvalid, "the file has a header line but no rows to import")
	}
	return f, nil
}

// detectDelimiter picks ',', ';' or tab, whichever occurs most often outside
// quotes on the first line; ',' when none does.
func detectDelimiter(head []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range head {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		if c == ',' || c == ';' || c == '\t' {
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

// mapHeader returns, for each file column, the schema column's lower-case
// name, recording unknown, duplicate, unnamed and missing columns.
func (f *file) mapHeader(header []string, columns []Column) []string {
	index := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
			f.errors = append(f.errors, RowError{Line: 1, Message: fmt.Sprintf("column %d has no name", i+1)})
		case !known(columns, name):
			f.errors = append(f.errors, RowError{Line: 1, Column: strings.TrimSpace(h), Message: "unknown column: expected one of " + names(columns)})
		case seen[name]:
			f.errors = append(f.errors, RowError{Line: 1, Column: strings.TrimSpace(h), Message: "the column appears more than once"})
		}
		seen[name] = true
		index[i] = name
	}
	for _, c := range columns {
		if c.Required && !seen[strings.ToLower(c.Name)] {
			f.errors = append(f.errors, RowError{Line: 1, Column: c.Name, Message: "required column is missing"})
		}
	}
	return index
}

// addRecord stores one row, or records why it is malformed.
func (f *file) addRecord(line int, cells, index []string, maxField int) {
	rec := record{line: line, values: make(map[string]string, len(index))}
	f.records = append(f.records, rec)
	if len(cells) != len(index) {
		f.errors = append(f.errors, RowError{Line: line, Message: fmt.Sprintf("the row has %d cells but the header has %d columns", len(cells), len(index))})
		return
	}
	for i, v := range cells {
		switch {
		case len(v) > maxField:
			f.errors = append(f.errors, RowError{Line: line, Column: index[i], Message: fmt.Sprintf("the value is %d bytes long; the limit is %d", len(v), maxField)})
		case !utf8.ValidString(v):
			f.errors = append(f.errors, RowError{Line: line, Column: index[i], Message: "the value is not valid UTF-8: save the file as UTF-8"})
		default:
			rec.values[index[i]] = strings.TrimSpace(v)
		}
	}
}

// readError explains a CSV syntax error or the size limit.
func readError(err error, opts Options) error {
	if errors.Is(err, errFileTooLarge) {
		return fileError(backoffice.ETooLarge, "the file is larger than %d bytes: split it into smaller files", opts.MaxFileSize)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: fmt.Sprintf("line %d, character %d: %s", pe.Line, pe.Column, csvMessage(pe.Err)), Err: err}
	}
	return fmt.Errorf("read CSV: %w", err)
}

func csvMessage(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote):
		return `a quoted value is not closed, or a quote inside it is not doubled ("")`
	case errors.Is(err, csv.ErrBareQuote):
		return `a quote (") appears inside an unquoted value: quote the value and double the quote`
	}
	return err.Error()
}

func fileError(code, format string, args ...any) error {
	return backoffice.Errorf(code, format, args...)
}

func known(columns []Column, name string) bool {
	for _, c := range columns {
		if strings.EqualFold(c.Name, name) {
			return true
		}
	}
	return false
}

func names(columns []Column) string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.Name
	}
	return strings.Join(out, ", ")
}

func lineCount(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return strconv.Itoa(n) + " problems"
}
