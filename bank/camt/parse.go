// Package camt reads ISO 20022 bank-to-customer cash management messages:
// camt.053 statements, camt.052 intraday account reports and camt.054
// debit/credit notifications, in every version from .001.02 to .001.13,
// into the normalised bank/statement form.
//
// Real files break their schemas, so the reader is lenient and says so:
// elements are matched by local name whatever the namespace, an unknown or
// missing namespace is read with a warning, a file that breaks off is read up
// to the break, and every detail it could not read becomes a Warning with the
// line it is on. Parse refuses a file only when there is nothing it can
// understand (not XML, not camt) or when an entry's amount cannot be read:
// importing a statement with an entry left out would post a wrong balance.
//
// Decisions a reader of the output should know:
//   - Amounts are signed by CdtDbtInd (DBIT negative). RvslInd does not flip
//     the sign: ISO 20022 defines CdtDbtInd as the direction of the reversal
//     booking itself ("if CdtDbtInd is CRDT and RvslInd is true, the original
//     operation was a debit"). It flips the side the counterparty is taken
//     from, as do return details (RtrInf): the parties named are those of the
//     original payment.
//   - An entry with several TxDtls (a batch booking) is split into one Entry
//     per transaction when every transaction carries its own amount in the
//     entry's currency and these add up to the entry; otherwise it stays one
//     Entry with the batch's booking data, and a warning says why.
//   - Opening balance: OPBD, else PRCD. Closing balance: CLBD, else, in a
//     camt.052 intraday report only, the last ITBD (interim booked), which is
//     the booked balance at the end of the report. Other types are ignored.
//   - Entries with status INFO (information only, never booked) are left out
//     with a warning; PDNG and FUTR entries are kept, as the statement
//     package allows pending entries in intraday reports.
package camt

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// kinds maps the message element under Document to its format and the name
// of the repeated record element.
var kinds = []struct{ message, record, format string }{
	{"BkToCstmrStmt", "Stmt", "camt.053"},
	{"BkToCstmrAcctRpt", "Rpt", "camt.052"},
	{"BkToCstmrDbtCdtNtfctn", "Ntfctn", "camt.054"},
}

// newestVersion is the last camt.05x.001 version this parser was checked against.
const newestVersion = 13

var versionSuffix = regexp.MustCompile(`V\d+$`)

var namespaceVersion = regexp.MustCompile(`camt\.(05[234])\.001\.(\d+)$`)

// warnings collects the warnings of one parse.
type warnings struct{ list []statement.Warning }

func (w *warnings) add(line int, msg string) {
	w.list = append(w.list, statement.Warning{Line: line, Message: msg})
}

func (w *warnings) addf(line int, format string, args ...any) {
	w.add(line, fmt.Sprintf(format, args...))
}

// Parse reads a camt.052, camt.053 or camt.054 document (any version .001.02 … .001.13, and later versions leniently).
func Parse(data []byte) (*statement.Result, error) {
	w := &warnings{}
	data = clean(data, w)
	lines := newLineIndex(data)
	root := readTree(data, lines, w)
	if root == nil {
		if len(bytes.TrimSpace(data)) == 0 {
			return nil, refuse(w, "the file is empty")
		}
		return nil, refuse(w, "line 1: the file holds no XML element; it is not a camt document")
	}
	msg, kind := message(root)
	if msg == nil {
		return nil, refuse(w, fmt.Sprintf("line %d: <%s> holds no BkToCstmrStmt, BkToCstmrAcctRpt or BkToCstmrDbtCdtNtfctn; this is not a camt.052, camt.053 or camt.054 file", root.line, describe(root)))
	}
	if msg != root.child(msg.name) && msg != root {
		w.addf(msg.line, "<%s> is not directly under <Document>; read anyway", msg.name)
	} else if msg == root {
		w.addf(root.line, "the <Document> wrapper is missing; read <%s> as the document", root.name)
	}
	checkNamespace(root, msg, kind.format, w)
	res := &statement.Result{Format: kind.format, Statements: []statement.Statement{}}
	var bad []problem
	records := msg.children(kind.record)
	for _, rec := range records {
		st, probs := readStatement(rec, kind.format, w)
		bad = append(bad, probs...)
		res.Statements = append(res.Statements, st)
	}
	if len(records) == 0 {
		w.addf(msg.line, "<%s> holds no <%s>: the file has no statement to import", msg.name, kind.record)
	}
	if len(bad) > 0 {
		return nil, unreadable(kind.format, bad)
	}
	res.Warnings = w.list
	if res.Warnings == nil {
		res.Warnings = []statement.Warning{}
	}
	return res, nil
}

// Sniff reports whether data looks like a camt document (root Document with a BkToCstmr… child, whatever the namespace).
func Sniff(data []byte) bool {
	head := data[:min(len(data), 64<<10)]
	w := &warnings{}
	root := readTree(clean(head, w), nil, w)
	if root == nil {
		return false
	}
	if root.name != "Document" {
		return false
	}
	for _, k := range root.kids {
		if strings.HasPrefix(k.name, "BkToCstmr") {
			return true
		}
	}
	return false
}

// message finds the message element: normally the child of Document, but
// also a bare message element without the Document wrapper, or one nested
// one level deeper in an envelope (a bank's AppHdr/Document pairing).
func message(root *node) (*node, struct{ message, record, format string }) {
	candidates := []*node{root}
	candidates = append(candidates, root.kids...)
	for _, k := range root.kids {
		candidates = append(candidates, k.kids...)
	}
	for _, c := range candidates {
		// camt.05x.001.01 suffixes the message element: BkToCstmrAcctRptV01.
		name := versionSuffix.ReplaceAllString(c.name, "")
		for _, k := range kinds {
			if name == k.message {
				return c, k
			}
		}
	}
	return nil, kinds[0]
}

// describe names an element for a message, with what it holds when that
// helps the user recognise the file (a pain.001 is a common wrong upload).
func describe(n *node) string {
	if len(n.kids) > 0 && n.name == "Document" {
		return "Document> with <" + n.kids[0].name
	}
	return n.name
}

// checkNamespace warns when the namespace is missing, of another message, or
// of a version this parser does not know.
func checkNamespace(root, msg *node, format string, w *warnings) {
	ns := msg.space
	if ns == "" {
		ns = root.space
	}
	m := namespaceVersion.FindStringSubmatch(ns)
	switch {
	case ns == "":
		w.addf(root.line, "the document has no namespace; read as %s", format)
		return
	case m == nil:
		w.addf(root.line, "unknown namespace %q; read as %s", ns, format)
		return
	case "camt."+m[1] != format:
		w.addf(root.line, "the namespace says camt.%s but the document holds a %s message; read as %s", m[1], format, format)
	}
	v, _ := strconv.Atoi(m[2])
	switch {
	case v > newestVersion:
		w.addf(root.line, "version %s.001.%s is newer than the versions this reader knows (up to .%d); read leniently", format, m[2], newestVersion)
	case v < 2:
		w.addf(root.line, "version %s.001.%s predates the published .001.02; read leniently", format, m[2])
	}
}

// problem is something that makes the file unusable, at a line.
type problem struct {
	line int
	msg  string
}

func refuse(w *warnings, msg string) error {
	e := backoffice.Errorf(backoffice.EInvalid, "%s", msg)
	if len(w.list) > 0 {
		e.Message += " (" + w.list[len(w.list)-1].String() + ")"
	}
	return e
}

// unreadable is the error for entries whose amount cannot be read: it names
// every one, with its line, in the message and in Fields.
func unreadable(format string, bad []problem) error {
	parts := make([]string, 0, len(bad))
	for _, p := range bad {
		parts = append(parts, fmt.Sprintf("line %d: %s", p.line, p.msg))
	}
	return backoffice.Errorf(backoffice.EInvalid, "%s file cannot be imported, %d entr%s cannot be read: %s",
		format, len(bad), plural(len(bad), "y", "ies"), strings.Join(parts, "; "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
