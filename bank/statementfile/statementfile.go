// Package statementfile reads a bank statement file of any supported
// format — camt.052/053/054 XML, MT940/MT942, OFX/QFX or CSV — by looking
// at its content, never at its file name.
package statementfile

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"backoffice"
	"backoffice/bank/camt"
	"backoffice/bank/csvimport"
	"backoffice/bank/mt940"
	"backoffice/bank/ofx"
	"backoffice/bank/statement"
)

// Format names accepted in Options.Format.
const (
	FormatAuto  = "auto"
	FormatCamt  = "camt"
	FormatMT940 = "mt940"
	FormatOFX   = "ofx"
	FormatCSV   = "csv"
)

// Options choose how a file is read. The zero value detects the format and,
// for CSV, guesses the profile.
type Options struct {
	Format     string             // "auto" or "" to detect, else "camt", "mt940", "ofx" or "csv"
	CSVProfile *csvimport.Profile // the CSV layout; nil = csvimport.Guess
}

// Parse detects the format (unless opts.Format names one) and reads the file.
// Detection order: camt XML, OFX, MT940, then CSV; the checks look at the
// content after a UTF-8 byte order mark and leading white space.
func Parse(data []byte, opts Options) (*statement.Result, error) {
	format := strings.ToLower(strings.TrimSpace(opts.Format))
	if format == "" || format == FormatAuto {
		format = Detect(data)
	}
	switch format {
	case FormatCamt:
		return camt.Parse(data)
	case FormatMT940:
		return mt940.Parse(data)
	case FormatOFX:
		return ofx.Parse(data)
	case FormatCSV:
		return parseCSV(data, opts.CSVProfile)
	case "":
		return nil, backoffice.Errorf(backoffice.EInvalid,
			"not a bank statement: expected camt XML, MT940, OFX or CSV; the file starts with %q", start(data))
	}
	return nil, backoffice.Errorf(backoffice.EInvalid, "unknown statement format %q: use auto, camt, mt940, ofx or csv", opts.Format)
}

// Detect names the format of data ("camt", "ofx", "mt940", "csv"), or ""
// when it is none of them.
func Detect(data []byte) string {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	switch {
	case len(body) == 0:
		return ""
	case camt.Sniff(body):
		return FormatCamt
	case ofx.Sniff(body):
		return FormatOFX
	case mt940.Sniff(body):
		return FormatMT940
	case csvimport.Sniff(body):
		return FormatCSV
	}
	return ""
}

func parseCSV(data []byte, p *csvimport.Profile) (*statement.Result, error) {
	if p != nil {
		return csvimport.Parse(data, *p)
	}
	guessed, err := csvimport.Guess(data)
	if err != nil {
		return nil, err
	}
	return csvimport.Parse(data, guessed)
}

// start is the first 40 characters of the file, for error messages.
func start(data []byte) string {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(body) > 40 {
		body = body[:40]
	}
	if !utf8.Valid(body) {
		return strings.ToValidUTF8(string(body), "?")
	}
	return string(body)
}
