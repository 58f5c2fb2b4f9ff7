// Package ofx reads OFX bank and credit card statements into the normalised
// statement.Result: OFX 1.x SGML (the "OFXHEADER:100" header block, leaf
// elements without end tags, any CHARSET converted to UTF-8), OFX 2.x XML
// (the <?OFX …?> processing instruction), and Intuit's QFX, which is OFX
// with <INTU.*> elements that are read around.
//
// Each STMTRS (BANKMSGSRSV1/STMTTRNRS) and CCSTMTRS
// (CREDITCARDMSGSRSV1/CCSTMTTRNRS) becomes one statement; a file may hold
// several. Investment statements are not read and yield a warning.
//
// Decisions, and why:
//   - Opening balance: OFX carries none, so OpeningBalance stays nil; no
//     figure is invented from the ledger balance and the entries.
//     LEDGERBAL is the closing balance; AVAILBAL (money available, including
//     credit lines) is not a statement balance and is ignored.
//   - Statement ID: OFX has no statement number, so ID stays empty; FITID
//     (in BankReference) identifies each entry for de-duplication.
//   - Account: an IBAN-shaped ACCTID goes to IBAN; otherwise Number is
//     "BANKID/BRANCHID/ACCTID" with the empty parts left out, because a US
//     routing number or a French bank/branch code is part of what
//     identifies the account. A BANKID shaped like a BIC goes to BIC instead.
//   - Dates: the calendar date written in the file (YYYYMMDD, before any
//     time and [offset:TZ]) is taken as is, without converting to UTC:
//     banks write their own business date, and converting
//     "20130831000000[-8:PST]" would move the entry to another day.
//   - TRNAMT is already signed (credit positive). CHECKNUM and REFNUM are
//     kept in Remittance ("check 1234", "ref 5678") after MEMO, since
//     BankReference holds FITID.
//   - Entry currency: a <CURRENCY> aggregate means TRNAMT is in CURSYM, so
//     the entry is in CURSYM; <ORIGCURRENCY> means TRNAMT was already
//     converted to CURDEF, so the entry stays in CURDEF.
package ofx

import (
	"regexp"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// Format is the name written to statement.Result.Format.
const Format = "ofx"

// Parse reads an OFX, QFX or OFX 2.x XML file.
func Parse(data []byte) (*statement.Result, error) {
	text := decode(data)
	root, found := parseTree(text)
	if !found {
		return nil, backoffice.Errorf(backoffice.EInvalid, "not an OFX file: no <OFX> element found (line 1: %q)", firstLine(text))
	}
	b := &builder{res: &statement.Result{Format: Format, Statements: []statement.Statement{}, Warnings: []statement.Warning{}}}
	b.signonStatus(root)
	for _, rs := range root.all("STMTTRNRS", nil) {
		b.transactionStatus(rs)
	}
	for _, rs := range root.all("CCSTMTTRNRS", nil) {
		b.transactionStatus(rs)
	}
	for _, st := range append(root.all("STMTRS", nil), root.all("CCSTMTRS", nil)...) {
		b.res.Statements = append(b.res.Statements, b.statement(st))
	}
	if len(b.res.Statements) == 0 {
		msg := "the OFX file holds no bank or credit card statement"
		if len(root.all("INVSTMTRS", nil)) > 0 {
			msg = "investment statements (INVSTMTRS) are not read; the file holds no bank or credit card statement"
		}
		b.warn(0, "%s", msg)
	}
	return b.res, nil
}

var sniffHeader = regexp.MustCompile(`(?i)OFXHEADER|<OFX>`)

// Sniff reports whether data looks like OFX: an "OFXHEADER" header or an
// <OFX> element within the first 4 KiB.
func Sniff(data []byte) bool {
	if len(data) > 4096 {
		data = data[:4096]
	}
	return sniffHeader.Match(data)
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(l); t != "" {
			if len(t) > 40 {
				t = t[:40]
			}
			return t
		}
	}
	return ""
}
