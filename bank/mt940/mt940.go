// Package mt940 reads SWIFT MT940 customer statements and MT942 interim
// transaction reports into the normalised statement.Result.
//
// The reader is lenient the way bank files demand: it accepts files with or
// without SWIFT envelopes ({1:…}{2:…}{4: … -}), several messages per file,
// CRLF or LF line ends, bank header lines before the first field, and text
// fields wrapped onto following lines. What it cannot read it skips with a
// statement.Warning naming the 1-based line; it refuses a file only when it
// finds no MT940 field at all.
//
// Sign rule of :61: marks: C (credit) is positive, D (debit) negative. A
// reversal takes the sign of what it undoes turned around: RC (reversal of a
// credit) takes money out and is negative, RD (reversal of a debit) gives it
// back and is positive.
//
// Account (:25:): an IBAN-shaped value goes to Account.IBAN; anything else,
// such as the German "BLZ/Konto" form, is kept whole in Account.Number. A
// trailing ISO currency code ("…/HUF", "…EUR") is split off into
// Account.Currency.
//
// Dates: FromDate is the opening balance date (else the first booking date),
// ToDate the closing balance date (else the later of the MT942 :13D: date and
// the last booking date). Two-digit years 70–99 are 19xx, 00–69 are 20xx.
package mt940

import (
	"regexp"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// Format names written to statement.Result.Format.
const (
	FormatMT940 = "mt940"
	FormatMT942 = "mt942"
)

// Parse reads an MT940 or MT942 file. Result.Format is "mt942" when the file
// holds interim reports (:13D: or :34F: fields, or an O942 envelope), else
// "mt940".
func Parse(data []byte) (*statement.Result, error) {
	lines := splitLines(decodeText(data))
	msgs, warns, found := readMessages(lines)
	if !found {
		return nil, backoffice.Errorf(backoffice.EInvalid,
			"not an MT940 file: no field such as :20:, :25:, :60F: or :61: found (line 1: %q)", firstText(lines))
	}
	res := &statement.Result{Format: FormatMT940, Statements: []statement.Statement{}, Warnings: append([]statement.Warning{}, warns...)}
	for _, m := range msgs {
		if m.interim {
			res.Format = FormatMT942
		}
		st, ok := buildStatement(m, &res.Warnings)
		if ok {
			res.Statements = append(res.Statements, st)
		}
	}
	if len(res.Statements) == 0 {
		res.Warnings = append(res.Warnings, statement.Warning{Message: "the file holds MT940 fields but no statement (no :25:, balance or :61: line)"})
	}
	return res, nil
}

var (
	sniffTag      = regexp.MustCompile(`(?m)^:(25|28C?|60[FM]|61):`)
	sniffEnvelope = regexp.MustCompile(`\{1:F01[A-Z0-9]{8}`)
)

// Sniff reports whether data looks like MT940/MT942: a SWIFT basic header
// block "{1:F01…", or a ":20:" field together with a ":25:", ":28C:",
// ":60F:" or ":61:" field at the start of a line, within the first 64 KiB.
func Sniff(data []byte) bool {
	if len(data) > 64<<10 {
		data = data[:64<<10]
	}
	s := strings.ReplaceAll(string(data), "\r", "")
	if sniffEnvelope.MatchString(s) {
		return true
	}
	return (strings.HasPrefix(s, ":20:") || strings.Contains(s, "\n:20:")) && sniffTag.MatchString(s)
}

func firstText(lines []string) string {
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" {
			if len(t) > 40 {
				t = t[:40]
			}
			return t
		}
	}
	return ""
}
