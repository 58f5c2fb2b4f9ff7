// Package pain writes SEPA payment initiation files and reads the banks'
// status reports on them, all ISO 20022 customer-to-bank messages:
//
//   - pain.001 credit transfers (versions 001.03 and 001.09) from a CreditTransfer,
//   - pain.008 direct debits (versions 008.02 and 008.08) from a DirectDebit,
//   - pain.002 payment status reports (001.03 … 001.10, later ones leniently) into a StatusReport.
//
// The input types are plain values; the package knows no database. The
// writers check everything a bank would reject the file for before writing
// a byte: IBAN check digits, BIC form, the creditor identifier's check
// digits, amounts (positive, EUR, at most 999,999,999.99), identifiers in the
// SEPA character set and the field lengths of the EPC implementation
// guidelines. A bad input returns a backoffice.Error (code invalid) whose
// fields name the payment and the field ("payments[2].creditor.iban").
//
// Free text (names, remittance) is transliterated to the SEPA character set
// (see Latin) instead of refused, because a supplier called "Müller & Söhne"
// must still be payable; identifiers are refused instead, because changing an
// end-to-end id would break the reconciliation that matches on it.
//
// Amounts and control sums are written from int64 minor units as exact
// decimals; floating point is never used.
package pain

import (
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"backoffice"
)

// Version names a message version by its ISO 20022 identifier.
type Version string

// The versions the writers produce.
const (
	CreditTransfer03 Version = "pain.001.001.03"
	CreditTransfer09 Version = "pain.001.001.09"
	DirectDebit02    Version = "pain.008.001.02"
	DirectDebit08    Version = "pain.008.001.08"
)

// Namespace is the XML namespace of the version's Document element.
func (v Version) Namespace() string { return "urn:iso:std:iso:20022:tech:xsd:" + string(v) }

// newSchema reports whether the version belongs to the 2019 message set
// (pain.001.001.09, pain.008.001.08), which names the BIC element BICFI and
// wraps a credit transfer's execution date in a Dt choice.
func (v Version) newSchema() bool { return v == CreditTransfer09 || v == DirectDebit08 }

// Account is one side's name and bank account.
type Account struct {
	Name string
	IBAN string
	BIC  string // optional for IBANs of EEA countries ("IBAN only")
}

// Maximum lengths of the EPC implementation guidelines (SEPA credit transfer
// and direct debit, customer-to-bank).
const (
	maxName       = 70
	maxID         = 35
	maxRemittance = 140
	// maxAmount is 999,999,999.99 EUR in cents, the largest SEPA amount.
	maxAmount = 99999999999
)

// sepaID is the EPC rule for identifiers (MsgId, PmtInfId, EndToEndId,
// MndtId): the SEPA character set without the space, not starting with "/"
// and not holding "//".
var sepaID = regexp.MustCompile(`^[A-Za-z0-9/\-?:().,'+]+$`)

func checkID(v backoffice.Validation, field, id string, max int) {
	switch {
	case id == "":
		v.Add(field, "is required")
	case len(id) > max:
		v.Add(field, fmt.Sprintf("%q is %d characters long; at most %d are allowed", id, len(id), max))
	case !sepaID.MatchString(id):
		v.Add(field, fmt.Sprintf("%q may hold only letters A-Z, digits and / - ? : ( ) . , ' + (no spaces or accents)", id))
	case strings.HasPrefix(id, "/") || strings.Contains(id, "//"):
		v.Add(field, fmt.Sprintf("%q must not start with \"/\" or hold \"//\"", id))
	}
}

// checkText transliterates s to the SEPA character set and checks its
// length afterwards, as transliteration can lengthen it (ä becomes ae).
func checkText(v backoffice.Validation, field, s string, max int, required bool) string {
	t := Latin(s)
	switch {
	case t == "" && required:
		if s == "" {
			v.Add(field, "is required")
		} else {
			v.Add(field, fmt.Sprintf("%q holds no character of the SEPA character set", s))
		}
	case len(t) > max:
		v.Add(field, fmt.Sprintf("is %d characters long in the SEPA character set; at most %d are allowed", len(t), max))
	}
	return t
}

// checkAccount validates and normalises an account; bicRequired says
// whether a missing BIC is an error whatever the IBAN's country.
func checkAccount(v backoffice.Validation, field string, a Account, bicRequired bool) Account {
	a.Name = checkText(v, field+".name", a.Name, maxName, true)
	a.IBAN = normalizeIBAN(a.IBAN)
	if msg := checkIBAN(a.IBAN); msg != "" {
		v.Add(field+".iban", msg)
	}
	a.BIC = strings.ToUpper(strings.TrimSpace(a.BIC))
	switch {
	case a.BIC != "":
		if msg := checkBIC(a.BIC); msg != "" {
			v.Add(field+".bic", msg)
		}
	case bicRequired:
		v.Add(field+".bic", "is required")
	case len(a.IBAN) >= 2 && !eea[a.IBAN[:2]]:
		// The EPC rulebooks allow "IBAN only" inside the EEA; a payment
		// to or from a SEPA country outside it (CH, GB, MC, SM …) needs the BIC.
		v.Add(field+".bic", fmt.Sprintf("is required for an account in %s, which is outside the EEA", a.IBAN[:2]))
	}
	return a
}

// checkAmount validates a payment's amount in cents and currency.
func checkAmount(v backoffice.Validation, field string, amount int64, c backoffice.Currency) {
	switch {
	case c != "EUR":
		v.Add(field+".currency", fmt.Sprintf("is %q; SEPA payments are in EUR only", c))
	case amount <= 0:
		v.Add(field+".amount", fmt.Sprintf("is %s; it must be more than zero", backoffice.FormatMinor(amount, 2)))
	case amount > maxAmount:
		v.Add(field+".amount", fmt.Sprintf("is %s; a SEPA payment is at most 999999999.99", backoffice.FormatMinor(amount, 2)))
	}
}

// decimal writes cents as the exact decimal the schemas want ("1234.50").
func decimal(cents int64) string { return backoffice.FormatMinor(cents, 2) }

// isoDateTime is the creation time as written in GrpHdr/CreDtTm: seconds,
// with the UTC offset, as the EPC guidelines show it.
func isoDateTime(t time.Time) string { return t.Format("2006-01-02T15:04:05Z07:00") }

// elem is one element of the document being written. Building a small tree
// and then encoding it keeps the version differences in plain ifs, where
// struct tags would need one struct per version.
type elem struct {
	name  string
	attrs []xml.Attr
	text  string
	kids  []*elem
}

func el(name string, kids ...*elem) *elem { return &elem{name: name, kids: kids} }

func leaf(name, text string) *elem { return &elem{name: name, text: text} }

// opt is leaf, or nil when text is empty: add drops nil children.
func opt(name, text string) *elem {
	if text == "" {
		return nil
	}
	return leaf(name, text)
}

func (e *elem) add(kids ...*elem) *elem {
	for _, k := range kids {
		if k != nil {
			e.kids = append(e.kids, k)
		}
	}
	return e
}

// write encodes the document with two-space indentation after the XML declaration.
func write(w io.Writer, v Version, body *elem) error {
	doc := &elem{name: "Document", attrs: []xml.Attr{
		{Name: xml.Name{Local: "xmlns"}, Value: v.Namespace()},
		{Name: xml.Name{Local: "xmlns:xsi"}, Value: "http://www.w3.org/2001/XMLSchema-instance"},
	}, kids: []*elem{body}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := doc.encode(enc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (e *elem) encode(enc *xml.Encoder) error {
	start := xml.StartElement{Name: xml.Name{Local: e.name}, Attr: e.attrs}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	if e.text != "" {
		if err := enc.EncodeToken(xml.CharData(e.text)); err != nil {
			return err
		}
	}
	for _, k := range e.kids {
		if err := k.encode(enc); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}

// agent is a bank: its BIC, or "NOTPROVIDED" for an IBAN-only payment, as
// the EPC guidelines ask where the agent element is mandatory.
func agent(name string, v Version, bic string) *elem {
	id := el("FinInstnId")
	switch {
	case bic == "":
		id.add(el("Othr", leaf("Id", "NOTPROVIDED")))
	case v.newSchema():
		id.add(leaf("BICFI", bic))
	default:
		id.add(leaf("BIC", bic))
	}
	return el(name, id)
}

// account is an IBAN account element (DbtrAcct, CdtrAcct).
func account(name, iban string) *elem { return el(name, el("Id", leaf("IBAN", iban))) }

// initiatingParty is GrpHdr/InitgPty: a name and, optionally, an id
// (such as the creditor id or a customer number the bank gave).
func initiatingParty(name, id string) *elem {
	p := el("InitgPty", leaf("Nm", name))
	if id != "" {
		p.add(el("Id", el("OrgId", el("Othr", leaf("Id", id)))))
	}
	return p
}

// remittance is RmtInf: a structured creditor reference (ISO 11649 "RF…")
// when given, else the unstructured text, else nothing.
func remittance(ustrd, ref string) *elem {
	switch {
	case ref != "":
		return el("RmtInf", el("Strd", el("CdtrRefInf",
			el("Tp", el("CdOrPrtry", leaf("Cd", "SCOR")), leaf("Issr", "ISO")),
			leaf("Ref", ref))))
	case ustrd != "":
		return el("RmtInf", leaf("Ustrd", ustrd))
	}
	return nil
}

// sumCents adds amounts already checked to be at most maxAmount each; with
// at most maxTransactions of them the sum cannot overflow an int64.
func sumCents(amounts []int64) int64 {
	var s int64
	for _, a := range amounts {
		s += a
	}
	return s
}

// maxTransactions bounds one file, far above what banks accept in one
// upload (100,000 at most for the German banks), so sums stay exact.
const maxTransactions = 1_000_000
