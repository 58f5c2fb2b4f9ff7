package einvoice

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/govalues/decimal"

	"backoffice"
)

// Customization and profile identifiers written by default: Peppol BIS
// Billing 3.0 (an EN 16931 CIUS) for UBL, the EN 16931 core for CII.
const (
	PeppolCustomizationID  = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
	PeppolProfileID        = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
	EN16931CustomizationID = "urn:cen.eu:en16931:2017"
)

// MinorAmount is an amount of minor units with exp decimals: (12345, 2) is
// 123.45, written with its two decimals.
func MinorAmount(minor int64, exp int) Amount {
	d, err := decimal.New(minor, exp)
	if err != nil {
		return Amount{}
	}
	return Amount{d: d, set: true}
}

// DecimalAmount is an exact decimal amount (a quantity, price or percent).
func DecimalAmount(d decimal.Decimal) Amount { return Amount{d: d, set: true} }

// xmlWriter builds an XML document with escaped text; the element order is
// the caller's, following the schema's sequences.
type xmlWriter struct {
	b     strings.Builder
	depth int
}

func (w *xmlWriter) indent() {
	w.b.WriteByte('\n')
	for range w.depth {
		w.b.WriteString("  ")
	}
}

// open starts an element; attrs are name, value pairs.
func (w *xmlWriter) open(name string, attrs ...string) {
	w.indent()
	w.b.WriteByte('<')
	w.b.WriteString(name)
	w.attrs(attrs)
	w.b.WriteByte('>')
	w.depth++
}

func (w *xmlWriter) close(name string) {
	w.depth--
	w.indent()
	w.b.WriteString("</" + name + ">")
}

func (w *xmlWriter) attrs(attrs []string) {
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.b.WriteString(" " + attrs[i] + `="`)
		_ = xml.EscapeText(&w.b, []byte(attrs[i+1]))
		w.b.WriteByte('"')
	}
}

// leaf writes <name attrs>text</name>, or nothing when text is empty.
func (w *xmlWriter) leaf(name, text string, attrs ...string) {
	if text == "" {
		return
	}
	w.indent()
	w.b.WriteString("<" + name)
	w.attrs(attrs)
	w.b.WriteByte('>')
	_ = xml.EscapeText(&w.b, []byte(text))
	w.b.WriteString("</" + name + ">")
}

// amount writes an amount element, or nothing when it is absent.
func (w *xmlWriter) amount(name string, a Amount, attrs ...string) {
	if a.Present() {
		w.leaf(name, a.String(), attrs...)
	}
}

func (w *xmlWriter) writeTo(out io.Writer) error {
	_, err := io.WriteString(out, `<?xml version="1.0" encoding="UTF-8"?>`+w.b.String()+"\n")
	return err
}

// checkWritable refuses a document no reader could make sense of: without
// a currency or without lines. Everything else EN 16931 asks for is
// Validate's to report, on the written document.
func checkWritable(d *Document) error {
	var missing []string
	if d.Currency == "" {
		missing = append(missing, "currency (BT-5)")
	}
	if len(d.Lines) == 0 {
		missing = append(missing, "lines (BG-25)")
	}
	if len(missing) > 0 {
		return backoffice.Errorf(backoffice.EInvalid, "the e-invoice cannot be written without its %s", strings.Join(missing, " and "))
	}
	return nil
}

// date102 is a date as CII's format 102 (YYYYMMDD).
func date102(d backoffice.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d%02d%02d", d.Year, int(d.Month), d.Day)
}

// dateISO is a date as UBL writes it, "" for none.
func dateISO(d backoffice.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
