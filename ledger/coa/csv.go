package coa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/csvio"
)

// csvHeader is the column order WriteCSV writes.
func csvHeader() []string {
	return []string{"code", "name", "type", "subtype", "parent", "currency", "reconcilable", "placeholder"}
}

// csvSchema describes our chart CSV for csvio.
func csvSchema() csvio.Schema[Account] {
	return csvio.Schema[Account]{
		Entity: "account",
		Columns: []csvio.Column{
			{Name: "code", Required: true, Help: "the account code, unique in the chart"},
			{Name: "name", Required: true, Help: "the account name"},
			{Name: "type", Required: true, Help: "asset, liability, equity, income or expense (or an Odoo account_type such as asset_receivable)"},
			{Name: "subtype", Help: "receivable, payable, bank, cash, tax, … (other when empty)"},
			{Name: "parent", Help: "the parent account's code, empty at the top"},
			{Name: "currency", Help: "ISO 4217 code the account is fixed to, empty for any"},
			{Name: "reconcilable", Help: "yes or no; empty: yes for bank, credit card, receivable and payable accounts"},
			{Name: "placeholder", Help: "yes for a grouping account that takes no postings; empty: no"},
		},
		Parse: parseCSVRow,
	}
}

// parseCSVRow turns one row into an Account, blaming every bad cell.
func parseCSVRow(r csvio.Row) (Account, error) {
	v := backoffice.Validation{}
	a := Account{
		Code:    cleanText(unquoteCell(r.Get("code"))),
		Name:    cleanText(unquoteCell(r.Get("name"))),
		Type:    Type(strings.ToLower(r.Get("type"))),
		Subtype: strings.ToLower(r.Get("subtype")),
		Parent:  cleanText(unquoteCell(r.Get("parent"))),
	}
	if t, subtype, ok := odooType(string(a.Type)); ok && !validType(a.Type) {
		// An Odoo account_type (asset_receivable, …) names both.
		a.Type = t
		if a.Subtype == "" {
			a.Subtype = subtype
		}
	}
	if a.Subtype == "" {
		a.Subtype = SubtypeOther
	}
	if !validType(a.Type) {
		v.Add("type", fmt.Sprintf("%q is not a type: use asset, liability, equity, income or expense", r.Get("type")))
	}
	if allowed, ok := allowedTypes(a.Subtype); !ok {
		v.Add("subtype", fmt.Sprintf("%q is not a subtype: use one of %s", r.Get("subtype"), strings.Join(subtypeNames(), ", ")))
	} else if validType(a.Type) && !subtypeAllowed(a.Subtype, a.Type) {
		v.Add("subtype", fmt.Sprintf("the subtype %s is for %s accounts, not %s", a.Subtype, typeList(allowed), a.Type))
	}
	if cur := r.Get("currency"); cur != "" {
		c, err := backoffice.ParseCurrency(cur)
		if err != nil {
			v.Add("currency", fmt.Sprintf("%q is not an ISO 4217 currency code", cur))
		}
		a.Currency = string(c)
	}
	var ok bool
	if a.Reconcilable, ok = parseYesNo(r.Get("reconcilable"), reconcilableByDefault(a.Subtype)); !ok {
		v.Add("reconcilable", "write yes or no")
	}
	if a.Placeholder, ok = parseYesNo(r.Get("placeholder"), false); !ok {
		v.Add("placeholder", "write yes or no")
	}
	return a, v.Err("account")
}

// parseYesNo reads a yes/no cell; empty gives def.
func parseYesNo(s string, def bool) (value, ok bool) {
	switch strings.ToLower(s) {
	case "":
		return def, true
	case "yes", "y", "true", "1", "x":
		return true, true
	case "no", "n", "false", "0":
		return false, true
	}
	return false, false
}

// unquoteCell undoes the apostrophe WriteCSV puts before a text that a
// spreadsheet would run as a formula (=, +, -, @) or that starts with an
// apostrophe itself; any other apostrophe is the user's.
func unquoteCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r'", rune(s[1])) {
		return s[1:]
	}
	return s
}

// ParseCSV reads our chart CSV: a header naming the columns code, name, type
// (required), subtype, parent, currency, reconcilable and placeholder (in any
// order), then one account per row, parents anywhere in the file. It goes
// through csvio like every import: every bad cell of every row, and every
// broken chart rule (duplicate code, unknown parent, a parent of another
// type, a cycle), is reported at once in an invalid *backoffice.Error whose
// Fields are keyed "line N, column" ("line N" for a whole row); nothing is
// returned then.
func ParseCSV(r io.Reader) (*Chart, error) {
	var all []Account // every row Parse saw, valid or not, for the chart rules
	var lines []int
	schema := csvSchema()
	schema.Parse = func(row csvio.Row) (Account, error) {
		a, err := parseCSVRow(row)
		all, lines = append(all, a), append(lines, row.Line)
		return a, err
	}
	c := &Chart{}
	broken := errors.New("the chart rules are broken")
	commit := func(_ context.Context, items []Account, _ []int) error {
		if len((&Chart{Accounts: items}).problems()) > 0 {
			return broken // csvError lists them, with the problems of bad rows
		}
		c.Accounts = items
		return nil
	}
	rep, err := csvio.Import(context.Background(), r, schema, csvio.Options{MaxFileSize: MaxFileSize}, commit)
	switch {
	case err == nil:
		return c, nil
	case errors.Is(err, broken) || len(rep.Errors) > 0:
		return nil, csvError(rep.Errors, (&Chart{Accounts: all}).problems(), lines)
	}
	return nil, err // the file could not be read at all
}

// csvError lists every row problem csvio found, and every chart rule the
// rows break, in one invalid error.
func csvError(rowErrs []csvio.RowError, probs []problem, lines []int) error {
	for _, p := range probs {
		rowErrs = append(rowErrs, csvio.RowError{Line: lines[p.index], Column: p.field, Message: p.message})
	}
	sort.SliceStable(rowErrs, func(i, j int) bool { return rowErrs[i].Line < rowErrs[j].Line })
	fields := map[string]string{}
	first := ""
	for _, e := range rowErrs {
		key := fmt.Sprintf("line %d", e.Line)
		if e.Column != "" {
			key += ", " + e.Column
		}
		if _, dup := fields[key]; dup {
			continue // the cell's own problem is said first
		}
		fields[key] = e.Message
		if first == "" {
			first = key + ": " + e.Message
		}
	}
	what := "1 problem"
	if len(fields) > 1 {
		what = strconv.Itoa(len(fields)) + " problems"
	}
	return &backoffice.Error{Code: backoffice.EInvalid, Fields: fields,
		Message: fmt.Sprintf("%s in the chart of accounts file, nothing was imported; the first: %s", what, first)}
}

// WriteCSV writes c's accounts, in c's order, as the CSV ParseCSV reads
// (through csvio.Export, so it is safe to open in a spreadsheet):
// ParseCSV(WriteCSV(c)) gives c's accounts back. The chart's name, country,
// currency and warnings are not part of the format.
func WriteCSV(w io.Writer, c *Chart) error {
	rows := func(yield func([]string) bool) {
		for _, a := range c.Accounts {
			row := []string{quoteCell(a.Code), quoteCell(a.Name), string(a.Type), a.Subtype, quoteCell(a.Parent), a.Currency, yesNo(a.Reconcilable), yesNo(a.Placeholder)}
			if !yield(row) {
				return
			}
		}
	}
	return csvio.Export(w, csvHeader(), rows)
}

// quoteCell doubles a leading apostrophe, which unquoteCell would otherwise
// take for the one csvio.Export adds before a formula.
func quoteCell(s string) string {
	if strings.HasPrefix(s, "'") {
		return "'" + s
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func typeList(ts []Type) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return strings.Join(out, " or ")
}
