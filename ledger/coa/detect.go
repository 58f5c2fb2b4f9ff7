package coa

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// Formats Detect reports, named after the parser that reads them.
const (
	FormatGnuCash = "gnucash"
	FormatFrappe  = "frappe"
	FormatCSV     = "csv"
)

// detectWindow is how much of the file Detect looks at.
const detectWindow = 64 << 10

// Detect names the format of a chart file from its content, never its name:
// "gnucash" for gzip data or XML with GnuCash's accounts, "frappe" for a JSON
// object, "odoo" for a CSV header with code, name and account_type, "csv"
// when the first line names at least the code and name columns, and "" when
// it is none of them. A byte order mark and leading
// white space are skipped.
func Detect(data []byte) string {
	if len(data) > detectWindow {
		data = data[:detectWindow]
	}
	if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		return FormatGnuCash
	}
	data = bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\uFEFF")), " \t\r\n")
	switch {
	case len(data) == 0:
		return ""
	case data[0] == '<':
		if bytes.Contains(data, []byte("gnc-account-example")) || bytes.Contains(data, []byte("<gnc:account")) || bytes.Contains(data, []byte("<gnc-v2")) {
			return FormatGnuCash
		}
		return ""
	case data[0] == '{':
		return FormatFrappe
	}
	return csvFormat(data)
}

// csvFormat tells from the first line of data, separated by comma, semicolon
// or tab, whether it is an Odoo chart (code, name and account_type columns),
// our CSV (code and name columns) or neither.
func csvFormat(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	for _, sep := range []rune{',', ';', '\t'} {
		r := csv.NewReader(bytes.NewReader(line))
		r.Comma = sep
		r.LazyQuotes = true
		cells, err := r.Read()
		if err != nil {
			continue
		}
		seen := map[string]bool{}
		for _, c := range cells {
			seen[strings.ToLower(strings.TrimSpace(c))] = true
		}
		switch {
		case seen["code"] && seen["name"] && seen["account_type"]:
			return FormatOdoo
		case seen["code"] && seen["name"]:
			return FormatCSV
		}
	}
	return ""
}
