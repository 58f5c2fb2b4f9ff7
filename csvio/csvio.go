// Package csvio is the one CSV import and export framework for master data
// (users, accounts, parties, products, …). An entity describes its columns and
// how to turn a row into a value (a Schema); Import reads a file, reports every
// bad row at once with its line number and column, and hands all values to
// the caller's commit function only when every row is valid. Export writes
// RFC 4180 CSV that spreadsheets cannot mistake for formulas.
package csvio

import (
	"errors"
	"strconv"
	"strings"
)

// Default limits, used when Options leaves them zero.
const (
	DefaultMaxRows      = 100_000
	DefaultMaxFieldSize = 64 << 10  // bytes in one cell
	DefaultMaxFileSize  = 128 << 20 // bytes in the whole file
)

// Column describes one column an entity accepts.
type Column struct {
	Name     string // header name, matched case-insensitively
	Required bool   // the header must have it and every row must fill it
	Help     string // what goes in it, for --help, templates and error messages
}

// Schema describes how one entity is imported.
type Schema[T any] struct {
	Entity  string   // singular, for messages: "user"
	Columns []Column // every column the file may have
	// Parse turns one row into a value. Return a *backoffice.Error with
	// Fields keyed by column name (a backoffice.Validation) to blame cells;
	// any other error is reported against the whole row.
	Parse func(r Row) (T, error)
}

// Row is one data row of the file, as Parse sees it.
type Row struct {
	Line   int // physical line in the file where the row starts (the header is line 1)
	values map[string]string
}

// Get returns the trimmed value of the named column, "" when the file does
// not have that column. The name is matched case-insensitively.
func (r Row) Get(name string) string { return r.values[strings.ToLower(name)] }

// Has reports whether the file has the named column at all, so Parse can tell
// "left empty" (clear the field) from "not in the file" (keep it).
func (r Row) Has(name string) bool {
	_, ok := r.values[strings.ToLower(name)]
	return ok
}

// Options tune one import.
type Options struct {
	DryRun       bool                  // validate everything, commit nothing
	Progress     func(done, total int) // called while rows are parsed; nil for none
	MaxRows      int                   // data rows allowed; DefaultMaxRows when 0
	MaxFieldSize int                   // bytes per cell; DefaultMaxFieldSize when 0
	MaxFileSize  int64                 // bytes per file; DefaultMaxFileSize when 0
}

// RowError is one problem, on one line, possibly in one column.
type RowError struct {
	Line    int    `json:"line"`             // physical line in the file; 1 is the header
	Column  string `json:"column,omitempty"` // column name, "" for the whole row or file
	Message string `json:"message"`
}

func (e RowError) String() string {
	if e.Column == "" {
		return "line " + strconv.Itoa(e.Line) + ": " + e.Message
	}
	return "line " + strconv.Itoa(e.Line) + ", " + e.Column + ": " + e.Message
}

// Report says what an import did or, on a dry run, would do.
type Report struct {
	Rows     int        `json:"rows"`     // data rows read
	Imported int        `json:"imported"` // rows committed; 0 on a dry run or any error
	DryRun   bool       `json:"dry_run"`
	Errors   []RowError `json:"errors,omitempty"` // every problem found, in line order
}

// ItemError lets a commit function blame one item (by its index in the items
// slice) instead of failing the whole import, e.g. on a unique violation.
// Import turns it into a RowError on that item's line. Several may be joined
// with errors.Join.
type ItemError struct {
	Index  int    // index into the items passed to commit
	Column string // the column to blame, "" for the whole row
	Err    error  // what went wrong; a *backoffice.Error's message is shown
}

func (e *ItemError) Error() string { return "item " + strconv.Itoa(e.Index) + ": " + e.Err.Error() }

func (e *ItemError) Unwrap() error { return e.Err }

// itemErrors collects every *ItemError in err's tree, following errors.Join.
func itemErrors(err error) []*ItemError {
	var out []*ItemError
	var walk func(error)
	walk = func(err error) {
		var ie *ItemError
		if e, ok := err.(*ItemError); ok {
			out = append(out, e)
			return
		}
		if joined, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range joined.Unwrap() {
				walk(e)
			}
			return
		}
		if errors.As(err, &ie) {
			out = append(out, ie)
		}
	}
	walk(err)
	return out
}
