package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"backoffice"
	"backoffice/invoice"
)

// docTotals is the totals preview and the record page's totals: the tax
// breakdown and the document totals as text, or why they cannot be
// computed yet.
type docTotals struct {
	Problems []string
	Taxes    []docTaxRow
	Rows     []docTotalRow
}

// docTaxRow is one row of the tax breakdown (EN 16931 BG-23).
type docTaxRow struct{ Code, Category, Rate, Taxable, Tax string }

// docTotalRow is one document total, named in plain words.
type docTotalRow struct {
	Label, Amount string
	Due           bool
}

// totalsOf is the tax breakdown and the totals of a document (EN 16931
// BT-106 to BT-115), each amount with its currency.
func totalsOf(d invoice.Document) docTotals {
	m := func(n int64) string { return backoffice.NewMoney(n, d.Currency).String() }
	var out docTotals
	for _, t := range d.Taxes {
		cat := t.Category
		if t.ExemptionReason != "" {
			cat += " · " + t.ExemptionReason
		}
		out.Taxes = append(out.Taxes, docTaxRow{Code: t.TaxCode, Category: cat, Rate: t.Rate.String() + " %", Taxable: m(t.TaxableAmount), Tax: m(t.TaxAmount)})
	}
	t := d.Totals
	out.Rows = append(out.Rows, docTotalRow{Label: "Sum of the lines", Amount: m(t.LineTotal)})
	if t.AllowanceTotal != 0 {
		out.Rows = append(out.Rows, docTotalRow{Label: "Allowances", Amount: m(-t.AllowanceTotal)})
	}
	if t.ChargeTotal != 0 {
		out.Rows = append(out.Rows, docTotalRow{Label: "Charges", Amount: m(t.ChargeTotal)})
	}
	out.Rows = append(out.Rows, docTotalRow{Label: "Total without tax", Amount: m(t.TaxExclusive)}, docTotalRow{Label: "Tax", Amount: m(t.TaxTotal)},
		docTotalRow{Label: "Total with tax", Amount: m(t.TaxInclusive)})
	if t.Withheld != 0 {
		out.Rows = append(out.Rows, docTotalRow{Label: "Tax withheld by the payer", Amount: m(-t.Withheld)})
	}
	out.Rows = append(out.Rows, docTotalRow{Label: "Amount due", Amount: m(t.Payable), Due: true})
	return out
}

// docPreview computes the totals of what the form holds, or says what is
// missing before they can be computed.
func (s *Server) docPreview(r *http.Request, company backoffice.ID, f *docForm) docTotals {
	in, bad := docInput(f, baseCurrency(r), docAccounts(f.Accounts))
	if len(in.Lines) == 0 {
		return docTotals{Problems: []string{"Add a line to see the totals."}}
	}
	if len(bad) > 0 {
		return docTotals{Problems: fieldMessages(bad)}
	}
	d, err := s.Invoice.Preview(r.Context(), company, in)
	if err != nil {
		msgs := []string{backoffice.ErrorMessage(err)}
		if e, ok := err.(*backoffice.Error); ok && len(e.Fields) > 0 {
			msgs = fieldMessages(e.Fields)
		}
		return docTotals{Problems: msgs}
	}
	return totalsOf(d)
}

// fieldMessages lists field messages for people: "line 2 quantity: must be…".
func fieldMessages(fields map[string]string) []string {
	out := make([]string, 0, len(fields))
	for k, m := range fields {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(k, "lines[%d]", &i); n == 1 {
			_, rest, _ = strings.Cut(k, "].")
			k = fmt.Sprintf("line %d %s", i+1, rest)
		} else if n, _ := fmt.Sscanf(k, "allowances[%d]", &i); n == 1 {
			_, rest, _ = strings.Cut(k, "].")
			k = fmt.Sprintf("allowance %d %s", i+1, rest)
		}
		out = append(out, strings.ReplaceAll(k, "_", " ")+": "+m)
	}
	slices.Sort(out)
	return out
}

// documentPreview answers the totals partial of the form for htmx: the
// document's totals and tax breakdown as they would be stored, or what is
// missing. It stores nothing.
func (s *Server) documentPreview(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := readDocForm(r.PostForm)
	if !f.Kind.Valid() {
		f.Kind = invoice.KindInvoice
	}
	if s.Ledger != nil {
		if f.Accounts, err = s.postableAccounts(r, company); err != nil {
			return err
		}
	}
	t, ok := s.templates["invoice_form"]
	if !ok {
		return fmt.Errorf("no template invoice_form")
	}
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "invoice-totals", s.docPreview(r, company, f)); err != nil {
		return fmt.Errorf("render invoice totals: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write([]byte(buf.String()))
	return err
}
