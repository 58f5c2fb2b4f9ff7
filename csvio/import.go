package csvio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"backoffice"
)

// progressEvery is how many rows pass between Progress calls.
const progressEvery = 1000

// Import reads a CSV file of s.Entity rows and, when every row is valid and
// opts.DryRun is false, calls commit once with all parsed items and the line
// each came from. The caller runs commit in one transaction, so an import
// stores everything or nothing.
//
// The file is UTF-8, with or without a byte order mark; the delimiter (',',
// ';' or tab) is detected from the header line; header names are trimmed and
// matched case-insensitively. Every problem is collected before returning:
// Report.Errors lists each bad row with its physical line and column, and the
// returned error is an invalid *backoffice.Error saying nothing was imported.
// A problem that stops reading altogether (empty file, header only, broken
// quoting, size limits) is returned as the error alone, with its line.
//
// A commit error that blames items through *ItemError becomes RowErrors on
// those items' lines; any other commit error is returned as is.
func Import[T any](ctx context.Context, r io.Reader, s Schema[T], opts Options, commit func(ctx context.Context, items []T, lines []int) error) (Report, error) {
	opts = opts.withDefaults()
	rep := Report{DryRun: opts.DryRun}
	if s.Parse == nil || len(s.Columns) == 0 {
		return rep, fmt.Errorf("csvio: schema for %q lacks columns or a Parse function", s.Entity)
	}
	f, err := readFile(r, s.Columns, opts)
	if err != nil {
		return rep, err
	}
	rep.Rows = len(f.records)
	rep.Errors = f.errors
	if len(rep.Errors) > 0 && len(f.records) == 0 {
		return rep, rejected(s.Entity, &rep)
	}
	items, lines, err := parseAll(ctx, f, s, opts, &rep)
	if err != nil {
		return rep, err
	}
	if len(rep.Errors) > 0 {
		return rep, rejected(s.Entity, &rep)
	}
	if opts.DryRun {
		return rep, nil
	}
	if err := commit(ctx, items, lines); err != nil {
		blamed := itemErrors(err)
		if len(blamed) == 0 {
			return rep, fmt.Errorf("import %s rows: %w", s.Entity, err)
		}
		for _, ie := range blamed {
			line := 0
			if ie.Index >= 0 && ie.Index < len(lines) {
				line = lines[ie.Index]
			}
			rep.Errors = append(rep.Errors, RowError{Line: line, Column: ie.Column, Message: message(ie.Err)})
		}
		return rep, rejected(s.Entity, &rep)
	}
	rep.Imported = len(items)
	return rep, nil
}

func (o Options) withDefaults() Options {
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.MaxFieldSize <= 0 {
		o.MaxFieldSize = DefaultMaxFieldSize
	}
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	return o
}

// parseAll checks required cells and runs s.Parse on every row, adding every
// problem to rep.Errors.
func parseAll[T any](ctx context.Context, f *file, s Schema[T], opts Options, rep *Report) ([]T, []int, error) {
	items := make([]T, 0, len(f.records))
	lines := make([]int, 0, len(f.records))
	malformed := map[int]map[string]bool{} // line -> columns already blamed while reading
	for _, e := range f.errors {
		if malformed[e.Line] == nil {
			malformed[e.Line] = map[string]bool{}
		}
		malformed[e.Line][e.Column] = true
	}
	for i, rec := range f.records {
		if i%progressEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			if opts.Progress != nil && i > 0 {
				opts.Progress(i, len(f.records))
			}
		}
		blamed := malformed[rec.line]
		if blamed == nil {
			blamed = map[string]bool{}
		}
		if blamed[""] {
			continue // malformed row: its cells are not aligned with the header
		}
		for _, c := range s.Columns {
			if name := strings.ToLower(c.Name); c.Required && !blamed[name] && rec.values[name] == "" {
				rep.Errors = append(rep.Errors, RowError{Line: rec.line, Column: name, Message: "required: " + help(c)})
				blamed[name] = true
			}
		}
		item, err := s.Parse(Row{Line: rec.line, values: rec.values})
		if err != nil {
			rep.Errors = append(rep.Errors, rowErrors(rec.line, err, blamed)...)
			continue
		}
		items = append(items, item)
		lines = append(lines, rec.line)
	}
	if opts.Progress != nil {
		opts.Progress(len(f.records), len(f.records))
	}
	return items, lines, nil
}

// rowErrors turns a Parse error into RowErrors, one per blamed column, leaving
// out columns that already have a message.
func rowErrors(line int, err error, blamed map[string]bool) []RowError {
	var be *backoffice.Error
	if !errors.As(err, &be) || len(be.Fields) == 0 {
		return []RowError{{Line: line, Message: message(err)}}
	}
	cols := make([]string, 0, len(be.Fields))
	for c := range be.Fields {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	var out []RowError
	for _, c := range cols {
		if !blamed[strings.ToLower(c)] {
			out = append(out, RowError{Line: line, Column: strings.ToLower(c), Message: be.Fields[c]})
		}
	}
	return out
}

// message is the text shown for err: a *backoffice.Error's message, or the
// error itself (Parse functions describe cell content, not internals).
func message(err error) string {
	var be *backoffice.Error
	if errors.As(err, &be) {
		if len(be.Fields) > 0 {
			return be.Error()
		}
		return be.Message
	}
	return err.Error()
}

func help(c Column) string {
	if c.Help != "" {
		return c.Help
	}
	return "this column must not be empty"
}

// rejected sorts the report's errors by line and returns the error that says
// nothing was imported.
func rejected(entity string, rep *Report) error {
	sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Line < rep.Errors[j].Line })
	rep.Imported = 0
	first := rep.Errors[0].String()
	return backoffice.Errorf(backoffice.EInvalid, "%s in the %s file, nothing was imported; the first: %s", lineCount(len(rep.Errors)), entity, first)
}
