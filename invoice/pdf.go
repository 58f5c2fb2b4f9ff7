package invoice

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/bank/reconcile"
	"backoffice/party"
	"backoffice/pdf"
)

// letterhead is what every printed document of a company shows: its legal
// details and logo.
type letterhead struct {
	seller party.Profile
	logo   []byte
}

// letterhead reads the company's details and logo.
func (s *Service) letterhead(ctx context.Context, companyID backoffice.ID) (letterhead, error) {
	p, err := s.Party.Profile(ctx, companyID)
	if err != nil {
		return letterhead{}, err
	}
	lh := letterhead{seller: p}
	if p.LogoType != "" {
		_, logo, err := s.Party.Logo(ctx, companyID)
		if err != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
			return letterhead{}, err
		}
		lh.logo = logo
	}
	return lh, nil
}

// heading is the page frame of a document in language l: the company
// with its logo, the title, and a footer of the company's details.
func (lh letterhead) heading(l lang, title, sub string, at time.Time) pdf.Heading {
	p := lh.seller
	join := func(parts ...string) string {
		var out []string
		for _, s := range parts {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, " · ")
	}
	labelled := func(key, v string) string {
		if v == "" {
			return ""
		}
		return l.label(key) + " " + v
	}
	addr := strings.Join(addressLines(p.Address), ", ")
	footer := []string{
		join(p.LegalName, addr, labelled("phone", p.Phone), labelled("email", p.Email), p.Website),
		join(labelled("vat_id", p.VATID), labelled("tax_id", p.TaxID), labelled("registration", p.RegistrationID)),
		join(p.BankName, labelled("iban", formatIBAN(p.IBAN)), labelled("bic", p.BIC)),
	}
	name := p.TradeName
	if name == "" {
		name = p.LegalName
	}
	return pdf.Heading{Company: name, Logo: lh.logo, Title: title, Period: sub, Generated: at,
		Footer: strings.Join(footer, "\n"), PageOf: l.label("page_of")}
}

// addressLines are an address as printed: its street lines, postal code
// and city, country.
func addressLines(a party.Address) []string {
	var out []string
	for _, l := range strings.Split(a.Lines, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	city := strings.TrimSpace(a.PostalCode + " " + a.City)
	if a.Region != "" {
		city = strings.TrimSpace(city + ", " + a.Region)
	}
	if city != "" {
		out = append(out, city)
	}
	if a.Country != "" {
		out = append(out, a.Country)
	}
	return out
}

// addressFrom is an address as printed on a letter sent from country
// home: the country is left out when it is home's.
func addressFrom(a party.Address, home string) []string {
	if a.Country == home {
		a.Country = ""
	}
	return addressLines(a)
}

// formatIBAN groups an IBAN by four characters, as it is printed.
func formatIBAN(iban string) string {
	var b strings.Builder
	for i, r := range iban {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// renderDocument prints an invoice or credit note in the buyer's language.
// A draft carries a watermark; credited is the number of the invoice a
// credit note credits, if any.
func renderDocument(d Document, buyer party.Party, lh letterhead, credited string, at time.Time) ([]byte, error) {
	l := langOf(buyer.Language)
	title := l.label("invoice")
	if d.Kind == KindCreditNote {
		title = l.label("credit_note")
	}
	h := lh.heading(l, title, d.Number, at)
	if d.State == StateDraft {
		h.Watermark = l.label("draft")
	}
	doc := pdf.New(h)
	cur := d.Currency

	home := lh.seller.Address.Country
	buyerBlock := pdf.Block{Title: l.label("bill_to"), Lines: append([]string{buyer.LegalName}, addressFrom(buyer.Billing, home)...)}
	sellerBlock := pdf.Block{Title: l.label("from"), Lines: append([]string{lh.seller.LegalName}, addressFrom(lh.seller.Address, buyer.Billing.Country)...)}
	var facts []pdf.Field
	if d.Number != "" {
		facts = append(facts, pdf.Field{Label: l.label("number"), Value: d.Number})
	}
	facts = append(facts, pdf.Field{Label: l.label("issue_date"), Value: l.date(d.IssueDate)})
	if d.Kind == KindInvoice && !d.DueDate.IsZero() {
		facts = append(facts, pdf.Field{Label: l.label("due_date"), Value: l.date(d.DueDate)})
	}
	if buyer.VATID != "" {
		facts = append(facts, pdf.Field{Label: l.label("customer_vat"), Value: buyer.VATID})
	}
	if credited != "" {
		facts = append(facts, pdf.Field{Label: l.label("credits"), Value: credited})
	}
	if lh.seller.VATID != "" {
		facts = append(facts, pdf.Field{Label: l.label("vat_id"), Value: lh.seller.VATID})
	}
	doc.Blocks(buyerBlock, sellerBlock, pdf.Block{Fields: facts})

	vatOf := map[string]TaxSubtotal{}
	for _, t := range d.Taxes {
		if t.Type != TaxWithholding {
			vatOf[t.TaxCode] = t
		}
	}
	rateOf := func(codes ...string) string {
		for _, c := range codes {
			if t, ok := vatOf[c]; ok {
				return l.pct(t.Rate)
			}
		}
		return ""
	}
	t := doc.Table(
		pdf.Column{Header: l.label("description"), Width: 5.2},
		pdf.Column{Header: l.label("quantity"), Width: 1.1, Align: pdf.Right},
		pdf.Column{Header: l.label("unit"), Width: 1.0},
		pdf.Column{Header: l.label("unit_price"), Width: 1.6, Align: pdf.Right},
		pdf.Column{Header: l.label("discount"), Width: 1.1, Align: pdf.Right},
		pdf.Column{Header: l.label("vat"), Width: 0.9, Align: pdf.Right},
		pdf.Column{Header: l.label("net_amount"), Width: 1.8, Align: pdf.Right},
	)
	for _, ln := range d.Lines {
		disc := ""
		if ln.DiscountPercent != 0 {
			disc = l.pct(ln.DiscountPercent)
		}
		t.Add(pdf.Row{Cells: []string{ln.Description, l.quantity(ln.Quantity), l.unit(ln.Unit), l.amount(ln.UnitPrice, cur), disc,
			rateOf(ln.TaxCodes...), l.amount(ln.NetAmount, cur)}})
	}
	for i, a := range d.Allowances {
		what, amount := l.label("allowance"), -a.Amount
		if a.Charge {
			what, amount = l.label("charge"), a.Amount
		}
		if a.Reason != "" {
			what += ": " + a.Reason
		}
		t.Add(pdf.Row{Cells: []string{what, "", "", "", "", rateOf(a.TaxCode), l.amount(amount, cur)}, Rule: i == 0})
	}

	var vatRows []TaxSubtotal
	for _, x := range d.Taxes {
		if x.Type != TaxWithholding {
			vatRows = append(vatRows, x)
		}
	}
	if len(vatRows) > 0 {
		bt := doc.Table(
			pdf.Column{Header: l.label("vat_breakdown"), Width: 4.2},
			pdf.Column{Header: l.label("rate"), Width: 1.2, Align: pdf.Right},
			pdf.Column{Header: l.label("taxable"), Width: 2.8, Align: pdf.Right},
			pdf.Column{Header: l.label("tax"), Width: 2, Align: pdf.Right},
		)
		for _, x := range vatRows {
			name := x.TaxCode
			if x.Category != "" {
				name += " (" + x.Category + ")"
			}
			bt.Add(pdf.Row{Cells: []string{name, l.pct(x.Rate), l.amount(x.TaxableAmount, cur), l.amount(x.TaxAmount, cur)}})
		}
	}

	tot := d.Totals
	var sum []pdf.SummaryRow
	if tot.AllowanceTotal != 0 || tot.ChargeTotal != 0 {
		sum = append(sum, pdf.SummaryRow{Label: l.label("line_total"), Value: l.money(tot.LineTotal, cur)})
		if tot.AllowanceTotal != 0 {
			sum = append(sum, pdf.SummaryRow{Label: l.label("allowance"), Value: l.money(-tot.AllowanceTotal, cur)})
		}
		if tot.ChargeTotal != 0 {
			sum = append(sum, pdf.SummaryRow{Label: l.label("charge"), Value: l.money(tot.ChargeTotal, cur)})
		}
	}
	sum = append(sum,
		pdf.SummaryRow{Label: l.label("net_total"), Value: l.money(tot.TaxExclusive, cur)},
		pdf.SummaryRow{Label: l.label("vat_total"), Value: l.money(tot.TaxTotal, cur)},
		pdf.SummaryRow{Label: l.label("total"), Value: l.money(tot.TaxInclusive, cur), Bold: true, Rule: true})
	if tot.Withheld != 0 {
		sum = append(sum, pdf.SummaryRow{Label: l.label("withheld"), Value: l.money(-tot.Withheld, cur)})
	}
	due := l.label("amount_due")
	if d.Kind == KindCreditNote {
		due = l.label("refund_due")
	}
	sum = append(sum, pdf.SummaryRow{Label: due, Value: l.money(tot.Payable, cur), Bold: true, Rule: true})
	doc.Summary(sum...)

	if pay := paymentText(d, l, lh.seller); pay != "" {
		doc.Note(l.label("payment"), pay)
	}
	var exempt []string
	for _, x := range vatRows {
		if x.ExemptionReason != "" || x.ExemptionCode != "" {
			exempt = append(exempt, strings.TrimSpace(strings.TrimSpace(x.ExemptionCode+" ")+" "+x.ExemptionReason))
		}
	}
	if len(exempt) > 0 {
		doc.Note(l.label("exemption"), strings.Join(exempt, "\n"))
	}
	var notes []string
	if terms := termsText(d, l); terms != "" {
		notes = append(notes, l.label("terms")+": "+terms)
	}
	if d.Notes != "" {
		notes = append(notes, d.Notes)
	}
	if len(notes) > 0 {
		doc.Note(l.label("notes"), strings.Join(notes, "\n"))
	}
	var b bytes.Buffer
	if err := doc.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// paymentText is how to pay an invoice (to the company's IBAN with the ISO
// 11649 reference bank reconciliation recognises, by the due date or per
// installment, less the early-payment discount when paid early) or how a
// credit note is settled.
func paymentText(d Document, l lang, seller party.Profile) string {
	cur := d.Currency
	if d.Totals.Payable <= 0 || d.State == StateCancelled && d.Kind == KindCreditNote {
		return ""
	}
	if d.Kind == KindCreditNote {
		return strings.ReplaceAll(l.label("pay_refund"), "%s", l.money(d.Totals.Payable, cur))
	}
	if seller.IBAN == "" {
		return ""
	}
	var lines []string
	if len(d.Installments) > 1 {
		for _, in := range d.Installments {
			lines = append(lines, l.date(in.DueDate)+": "+l.money(in.Amount, cur))
		}
		lines = append([]string{sprintf(l.label("pay_transfer"), l.money(d.Totals.Payable, cur), l.date(d.Installments[len(d.Installments)-1].DueDate))}, lines...)
	} else {
		lines = append(lines, sprintf(l.label("pay_transfer"), l.money(d.Totals.Payable, cur), l.date(d.DueDate)))
	}
	lines = append(lines, l.label("account_holder")+": "+seller.LegalName, l.label("iban")+": "+formatIBAN(seller.IBAN))
	if seller.BIC != "" {
		lines = append(lines, l.label("bic")+": "+seller.BIC)
	}
	if d.Number != "" {
		lines = append(lines, l.label("reference")+": "+reconcile.RFReference(d.Number))
	}
	if d.EarlyDiscountPercent > 0 && d.EarlyDiscountDays > 0 {
		if off, ok := taxOf(d.Totals.Payable, d.EarlyDiscountPercent); ok {
			lines = append(lines, sprintf(l.label("early_discount"), l.date(d.IssueDate.AddDays(d.EarlyDiscountDays)),
				l.money(off, cur), l.pct(d.EarlyDiscountPercent), l.money(d.Totals.Payable-off, cur)))
		}
	}
	return strings.Join(lines, "\n")
}

// termsText is the document's payment terms: the user's own words, or the
// terms invoicing wrote itself in the reader's language.
func termsText(d Document, l lang) string {
	days := d.IssueDate.DaysUntil(d.DueDate)
	generated := []string{fmt.Sprintf("Net %d days", days),
		fmt.Sprintf("%s %% discount if paid within %d days, net %d days", d.EarlyDiscountPercent, d.EarlyDiscountDays, days)}
	if d.PaymentTerms != generated[0] && d.PaymentTerms != generated[1] {
		return d.PaymentTerms
	}
	if d.Kind != KindInvoice {
		return ""
	}
	return sprintf(l.label("net_days"), strconv.Itoa(days))
}

// sprintf fills the %s of a label in order.
func sprintf(format string, args ...string) string {
	for _, a := range args {
		format = strings.Replace(format, "%s", a, 1)
	}
	return format
}
