package pain

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"backoffice"
)

// StatusReport is a pain.002 customer payment status report: the bank's
// answer to a payment file, for the whole file, per payment group and per
// transaction.
type StatusReport struct {
	Version             string `json:"version"` // "pain.002.001.10"; "" when the namespace names none
	MessageID           string `json:"message_id"`
	CreationTime        string `json:"creation_time"` // as the bank wrote it
	OriginalMessageID   string `json:"original_message_id"`
	OriginalMessageType string `json:"original_message_type"` // pain.001, pain.008
	// GroupStatus is the status of the whole file: ACCP, ACTC, ACSC, PART,
	// PDNG, RJCT … ("" when the bank reports per transaction only).
	GroupStatus  string              `json:"group_status"`
	GroupReasons []Reason            `json:"group_reasons,omitempty"`
	Transactions []TransactionStatus `json:"transactions"`
	Warnings     []Warning           `json:"warnings,omitempty"`
}

// Reason is one StsRsnInf: an ISO reason code (AC01 wrong IBAN, AM04
// insufficient funds, MS03 not specified …) or a bank's proprietary one,
// and the bank's text.
type Reason struct {
	Code string `json:"code,omitempty"`
	Text string `json:"text,omitempty"`
}

// TransactionStatus is the status of one transaction of the original file.
type TransactionStatus struct {
	OriginalPaymentInfoID string `json:"original_payment_info_id,omitempty"`
	OriginalEndToEndID    string `json:"original_end_to_end_id"`
	// Status is the transaction's TxSts or, when the bank left it out, the
	// status of its payment group, else of the file: ISO 20022 reports a
	// transaction's status at the lowest level that carries one.
	Status     string `json:"status"`
	ReasonCode string `json:"reason_code,omitempty"`
	ReasonText string `json:"reason_text,omitempty"`
	// OriginalAmount is the original instructed amount when the bank
	// quotes it (OrgnlTxRef/Amt), else zero with no currency.
	OriginalAmount backoffice.Money `json:"original_amount,omitzero"`
}

// Warning is something the reader could not read or had to guess.
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (w Warning) String() string { return fmt.Sprintf("%d: %s", w.Line, w.Message) }

// newestStatusVersion is the last pain.002.001 version the reader was checked against.
const newestStatusVersion = 10

var statusNamespace = regexp.MustCompile(`pain\.002\.\d{3}\.(\d{2})$`)

// maxStatusBytes bounds a report read into memory; real ones are far smaller.
const maxStatusBytes = 64 << 20

// Read reads a pain.002 payment status report of any version 001.03 …
// 001.10. Elements are matched by local name, so a report without
// namespace, with an unknown version or with extra elements is read, with
// a warning. Read refuses (code invalid) a report that is not well-formed
// XML, naming the line, or whose root is not a status report.
func Read(r io.Reader) (*StatusReport, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxStatusBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxStatusBytes {
		return nil, backoffice.Errorf(backoffice.ETooLarge, "the status report is larger than %d MB", maxStatusBytes>>20)
	}
	root, err := readXML(data)
	if err != nil {
		return nil, err
	}
	rpt := &StatusReport{}
	msg := root.child("CstmrPmtStsRpt")
	if root.name == "CstmrPmtStsRpt" {
		msg = root
	}
	if msg == nil {
		return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: <%s> is not a pain.002 payment status report (no CstmrPmtStsRpt)", root.line, root.name)
	}
	rpt.version(root)
	rpt.MessageID = msg.str("GrpHdr", "MsgId")
	rpt.CreationTime = msg.str("GrpHdr", "CreDtTm")
	grp := msg.child("OrgnlGrpInfAndSts")
	if grp == nil {
		rpt.warn(msg.line, "the report has no OrgnlGrpInfAndSts: it does not say which file it answers")
	}
	rpt.OriginalMessageID = grp.str("OrgnlMsgId")
	rpt.OriginalMessageType = grp.str("OrgnlMsgNmId")
	rpt.GroupStatus = grp.str("GrpSts")
	for _, r := range grp.children("StsRsnInf") {
		rpt.GroupReasons = append(rpt.GroupReasons, reason(r))
	}
	// pain.002.001.02 put transactions directly under the message.
	for _, tx := range msg.children("TxInfAndSts") {
		rpt.transaction(tx, "", rpt.GroupStatus)
	}
	for _, pmt := range msg.children("OrgnlPmtInfAndSts") {
		status := pmt.str("PmtInfSts")
		if status == "" {
			status = rpt.GroupStatus
		}
		for _, tx := range pmt.children("TxInfAndSts") {
			rpt.transaction(tx, pmt.str("OrgnlPmtInfId"), status)
		}
	}
	if rpt.GroupStatus == "" && len(rpt.Transactions) == 0 {
		rpt.warn(msg.line, "the report holds no status, neither for the file nor for a transaction")
	}
	return rpt, nil
}

func (rpt *StatusReport) warn(line int, format string, args ...any) {
	rpt.Warnings = append(rpt.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (rpt *StatusReport) version(root *node) {
	m := statusNamespace.FindStringSubmatch(root.space)
	if m == nil {
		if root.space == "" {
			rpt.warn(root.line, "the report names no namespace; it was read as pain.002 of an unknown version")
		} else {
			rpt.warn(root.line, "namespace %q is not a pain.002 one; the report was read leniently", root.space)
		}
		return
	}
	rpt.Version = m[0]
	if n, _ := strconv.Atoi(m[1]); n > newestStatusVersion || n < 3 {
		rpt.warn(root.line, "%s is a version this reader was not checked against; it was read leniently", m[0])
	}
}

func (rpt *StatusReport) transaction(tx *node, pmtInfID, inherited string) {
	t := TransactionStatus{
		OriginalPaymentInfoID: pmtInfID,
		OriginalEndToEndID:    tx.str("OrgnlEndToEndId"),
		Status:                tx.str("TxSts"),
	}
	if t.Status == "" {
		t.Status = inherited
	}
	if rs := tx.children("StsRsnInf"); len(rs) > 0 {
		r := reason(rs[0])
		t.ReasonCode, t.ReasonText = r.Code, r.Text
		for _, more := range rs[1:] {
			if r := reason(more); r.Text != "" {
				t.ReasonText = strings.TrimSpace(t.ReasonText + " " + r.Text)
			}
		}
	}
	if amt := tx.at("OrgnlTxRef", "Amt", "InstdAmt"); amt != nil {
		c, err := backoffice.ParseCurrency(amt.attr("Ccy"))
		var minor int64
		if err == nil {
			minor, err = backoffice.ParseMinor(strings.TrimSpace(amt.text), c.Exponent())
		}
		if err != nil {
			rpt.warn(amt.line, "the original amount %q %q could not be read; it was left out", amt.text, amt.attr("Ccy"))
		} else {
			t.OriginalAmount = backoffice.NewMoney(minor, c)
		}
	}
	if t.OriginalEndToEndID == "" {
		rpt.warn(tx.line, "a transaction status names no OrgnlEndToEndId; it cannot be matched to a payment")
	}
	rpt.Transactions = append(rpt.Transactions, t)
}

// reason reads StsRsnInf: Rsn/Cd or Rsn/Prtry, and the AddtlInf lines, which
// banks use to split one long text into 105-character pieces.
func reason(n *node) Reason {
	r := Reason{Code: n.str("Rsn", "Cd")}
	if r.Code == "" {
		r.Code = n.str("Rsn", "Prtry")
	}
	var parts []string
	for _, a := range n.children("AddtlInf") {
		if s := strings.TrimSpace(a.text); s != "" {
			parts = append(parts, s)
		}
	}
	r.Text = strings.Join(parts, " ")
	return r
}

// node is an element known by its local name: reports come with every
// pain.002 namespace, with none, or with a bank's own.
type node struct {
	name, space string
	attrs       []xml.Attr
	text        string
	buf         []byte // text while the element is being read
	line        int
	kids        []*node
}

func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func (n *node) children(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

func (n *node) at(path ...string) *node {
	for _, p := range path {
		n = n.child(p)
	}
	return n
}

func (n *node) str(path ...string) string {
	if m := n.at(path...); m != nil {
		return strings.TrimSpace(m.text)
	}
	return ""
}

func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// maxDepth bounds nesting: pain.002 nests about 12 levels.
const maxDepth = 64

// readXML reads the element tree, refusing broken XML with its line.
func readXML(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	// Reports declare UTF-8 or ISO-8859-1; the text we keep is IDs and codes.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	// Lines are counted incrementally: offsets only grow.
	line, counted := 1, 0
	lineAt := func(off int64) int {
		end := min(int(off), len(data))
		if end > counted {
			line += bytes.Count(data[counted:end], []byte("\n"))
			counted = end
		}
		return line
	}
	var root *node
	var stack []*node
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			// The decoder reports a file ending inside an element as a
			// syntax error ("unexpected EOF"), so EOF here is a clean end.
			break
		}
		if err != nil {
			at := lineAt(dec.InputOffset())
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				at = se.Line
				err = errors.New(se.Msg)
				if se.Msg == "unexpected EOF" {
					return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: the file ends inside an element; it is not a complete status report", at)
				}
			}
			return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: the status report is not well-formed XML: %v", at, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: elements nest deeper than %d levels; this is not a status report", lineAt(off), maxDepth)
			}
			n := &node{name: t.Name.Local, space: t.Name.Space, attrs: t.Attr, line: lineAt(off)}
			switch {
			case len(stack) > 0:
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			case root == nil:
				root = n
			default:
				return nil, backoffice.Errorf(backoffice.EInvalid, "line %d: a second root element <%s> follows the document", n.line, n.name)
			}
			stack = append(stack, n)
		case xml.EndElement:
			top := stack[len(stack)-1]
			top.text, top.buf = string(top.buf), nil
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.buf = append(top.buf, t...)
			}
		}
	}
	if root == nil {
		return nil, backoffice.Errorf(backoffice.EInvalid, "line 1: the file holds no XML element; it is not a status report")
	}
	return root, nil
}
