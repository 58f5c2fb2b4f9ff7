package invoice

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/einvoice"
	"backoffice/party"
)

// EInvoiceImport says what ImportEInvoice made of a supplier's e-invoice:
// the draft bill (or refund), whether the supplier was created, which tax
// codes were created for VAT rates the company had none for, and every
// difference between the document's totals and ours, which are shown, not
// hidden.
type EInvoiceImport struct {
	Document        Document `json:"document"`
	Format          string   `json:"format"`
	SupplierCreated bool     `json:"supplier_created"`
	TaxCodesCreated []string `json:"tax_codes_created,omitempty"`
	Differences     []string `json:"differences,omitempty"`
	Warnings        []string `json:"warnings,omitempty"`
}

// ImportEInvoice turns a supplier's e-invoice (UBL Invoice or CreditNote,
// CII) into a draft bill, or a refund for a credit note. The supplier is
// found by VAT id, then Peppol endpoint, then exact legal name; else it is
// created from the document. Each VAT category and rate maps to the
// company's tax code of that category and rate, created when missing. A
// line whose quantity × price does not give its net amount in our minor
// units is taken as one unit at its net amount, with the original
// quantity and price in its description. The draft is checked like any
// other (a bill already imported is a duplicate).
func (s *Service) ImportEInvoice(ctx context.Context, companyID backoffice.ID, data []byte) (EInvoiceImport, error) {
	if bytes.HasPrefix(data, []byte("%PDF")) { // Factur-X / ZUGFeRD: the CII embedded in the PDF
		xml, err := einvoice.ExtractFacturX(data)
		if err != nil {
			return EInvoiceImport{}, err
		}
		data = xml
	}
	doc, err := einvoice.Read(data)
	if err != nil {
		return EInvoiceImport{}, err
	}
	out := EInvoiceImport{Format: doc.Format}
	if err := importable(doc); err != nil {
		return out, err
	}
	kind := KindBill
	if doc.Format == einvoice.FormatUBLCreditNote || doc.TypeCode == "381" {
		kind = KindRefund
	}
	// An invoice of a negative total is a refund (and a negative credit note
	// a bill): book it as such, every amount with its sign turned.
	sign := int64(1)
	if doc.TaxInclusiveAmount.Present() && doc.TaxInclusiveAmount.Decimal().IsNeg() {
		sign = -1
		kind = map[Kind]Kind{KindBill: KindRefund, KindRefund: KindBill}[kind]
		out.Warnings = append(out.Warnings, fmt.Sprintf("the document's total is negative: booked as a %s", kind))
	}
	exp := doc.Currency.Exponent()
	in := Input{Kind: kind, IssueDate: doc.IssueDate, DueDate: doc.DueDate, Currency: doc.Currency, SupplierReference: doc.Number,
		PaymentTerms: clip(doc.PaymentTerms, 500), Notes: clip(strings.Join(doc.Notes, "\n"), 5000)}
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return out, err
	}
	if doc.Currency != base {
		r, err := s.Ledger.RateOn(ctx, companyID, doc.Currency, doc.IssueDate)
		if err != nil {
			return out, backoffice.Errorf(backoffice.EInvalid, "the e-invoice is in %s and the company has no %s rate on %s: import exchange rates first (%v)",
				doc.Currency, doc.Currency, doc.IssueDate, backoffice.ErrorMessage(err))
		}
		in.Rate = r.Rate
	}
	supplier, created, err := s.supplierOf(ctx, companyID, doc.Seller, doc.Currency)
	if err != nil {
		return out, err
	}
	in.PartyID, out.SupplierCreated = supplier.ID, created
	codes := &taxCodeMap{s: s, ctx: ctx, company: companyID}
	for _, l := range doc.Lines {
		li, warn, err := importLine(l, exp, sign)
		if err != nil {
			return out, err
		}
		if warn != "" {
			out.Warnings = append(out.Warnings, warn)
		}
		code, err := codes.code(l.VATCategory, l.VATRate, fmt.Sprintf("line %s", l.ID))
		if err != nil {
			return out, err
		}
		li.TaxCodes = []string{code}
		in.Lines = append(in.Lines, li)
	}
	for _, ac := range doc.AllowanceCharges {
		amount, ok := minor(ac.Amount, exp)
		if !ok {
			return out, backoffice.Errorf(backoffice.EUnsupported, "a document-level allowance or charge of %s %s cannot be booked in %s", ac.Amount, doc.Currency, doc.Currency)
		}
		charge := ac.Charge
		if amount *= sign; amount < 0 { // a negative allowance is a charge
			amount, charge = -amount, !charge
		}
		if amount == 0 {
			out.Warnings = append(out.Warnings, fmt.Sprintf("an allowance or charge of 0 (%q) is left out", ac.Reason))
			continue
		}
		code, err := codes.code(ac.VATCategory, ac.VATRate, "an allowance or charge")
		if err != nil {
			return out, err
		}
		reason := ac.Reason
		if reason == "" {
			reason = map[bool]string{false: "Allowance", true: "Charge"}[ac.Charge]
		}
		in.Allowances = append(in.Allowances, AllowanceInput{Charge: charge, Amount: amount, Reason: clip(reason, 200), TaxCode: code})
	}
	out.TaxCodesCreated = codes.created
	d, err := s.Create(ctx, companyID, in)
	if err != nil {
		return out, err
	}
	out.Document = d
	out.Differences = differences(doc, d, exp, sign)
	return out, nil
}

// importable refuses what a bill cannot hold, naming the element.
func importable(doc *einvoice.Document) error {
	switch {
	case doc.Number == "":
		return backoffice.Errorf(backoffice.EInvalid, "the e-invoice has no number (BT-1)")
	case doc.IssueDate.IsZero():
		return backoffice.Errorf(backoffice.EInvalid, "the e-invoice has no issue date (BT-2)")
	case !doc.Currency.Valid():
		return backoffice.Errorf(backoffice.EInvalid, "the e-invoice's currency (BT-5) %q is not an ISO 4217 code", doc.Currency)
	case doc.Seller.Name == "":
		return backoffice.Errorf(backoffice.EInvalid, "the e-invoice names no seller (BT-27)")
	case len(doc.Lines) == 0:
		return backoffice.Errorf(backoffice.EInvalid, "the e-invoice has no lines (BG-25)")
	case doc.TaxCurrency != "" && doc.TaxCurrency != doc.Currency:
		// The bill is booked at the company's own rate; BT-6 and BT-111 are kept out.
	}
	return nil
}

// importLine is an e-invoice line as a bill line, its amounts times sign.
// A take-back (negative net amount) has a negative quantity and a positive
// price, as our lines do.
func importLine(l einvoice.Line, exp int, sign int64) (LineInput, string, error) {
	desc := strings.TrimSpace(l.Name)
	if desc == "" {
		desc = strings.TrimSpace(l.Description)
	}
	if desc == "" {
		desc = "Line " + l.ID
	}
	net, ok := minor(l.NetAmount, exp)
	if !ok {
		return LineInput{}, "", backoffice.Errorf(backoffice.EUnsupported, "line %s: its net amount (BT-131) %q has more decimals than the currency allows", l.ID, l.NetAmount)
	}
	net *= sign
	unit := l.UnitCode
	if unit == "" {
		unit = "C62"
	}
	li := LineInput{Description: clip(desc, 500), Unit: unit}
	// quantity × price per base quantity, when it gives the net amount exactly
	q, qok := fixed(l.Quantity)
	p, pok := minor(l.Price, exp)
	if qok && pok && q != 0 && (!l.BaseQuantity.Present() || l.BaseQuantity.Decimal().Cmp(decimal.One) == 0) {
		q *= sign
		if p < 0 {
			q, p = -q, -p
		}
		if mulFixed(q, p) == net {
			li.Quantity, li.UnitPrice = Quantity(q), &p
			return li, "", nil
		}
	}
	one := int64(fixedScale)
	if net < 0 {
		one, net = -one, -net
	}
	li.Quantity, li.UnitPrice = Quantity(one), &net
	li.Description = clip(fmt.Sprintf("%s (%s × %s)", desc, l.Quantity, l.Price), 500)
	return li, fmt.Sprintf("line %s booked as one unit at its net amount %s: quantity %s × price %s does not give it in cents", l.ID, l.NetAmount, l.Quantity, l.Price), nil
}

// minor is an amount in minor units of a currency with exp decimals; false
// when it is absent, has more decimals or is out of range.
func minor(a einvoice.Amount, exp int) (int64, bool) {
	if !a.Present() {
		return 0, false
	}
	d := a.Decimal().Trim(0)
	if d.Scale() > exp {
		return 0, false
	}
	whole, frac, ok := d.Int64(exp) // both carry the sign
	if !ok {
		return 0, false
	}
	pow := int64(1)
	for range exp {
		pow *= 10
	}
	if whole > (1<<53)/pow || whole < -(1<<53)/pow {
		return 0, false
	}
	return whole*pow + frac, true
}

// fixed is a quantity or percentage with at most four decimals.
func fixed(a einvoice.Amount) (int64, bool) { return minor(a, fixedPlaces) }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n {
		r = r[:len(r)-1]
	}
	return string(r)
}

// differences compares the document's totals with the draft's (whose
// amounts are the document's times sign).
func differences(doc *einvoice.Document, d Document, exp int, sign int64) []string {
	var out []string
	for _, c := range []struct {
		name string
		a    einvoice.Amount
		ours int64
	}{{"sum of line net amounts (BT-106)", doc.LineTotal, d.Totals.LineTotal}, {"total without VAT (BT-109)", doc.TaxExclusiveAmount, d.Totals.TaxExclusive},
		{"VAT (BT-110)", doc.TaxAmount, d.Totals.TaxTotal}, {"total with VAT (BT-112)", doc.TaxInclusiveAmount, d.Totals.TaxInclusive},
		{"amount due (BT-115)", doc.PayableAmount, d.Totals.Payable}} {
		theirs, ok := minor(c.a, exp)
		if c.a.Present() && (!ok || theirs != sign*c.ours) {
			out = append(out, fmt.Sprintf("%s: the document says %s, the bill computes %s", c.name, c.a, backoffice.FormatMinor(sign*c.ours, exp)))
		}
	}
	return out
}

// taxCodeMap finds the company's tax code for a VAT category and rate,
// creating one for bills when the company has none.
type taxCodeMap struct {
	s       *Service
	ctx     context.Context
	company backoffice.ID
	codes   []TaxCode
	created []string
}

func (m *taxCodeMap) code(category string, rate einvoice.Amount, where string) (string, error) {
	if category == "" {
		return "", backoffice.Errorf(backoffice.EUnsupported, "%s has no VAT category (BT-151/BT-95)", where)
	}
	r := int64(0)
	if rate.Present() {
		v, ok := fixed(rate)
		if !ok {
			return "", backoffice.Errorf(backoffice.EUnsupported, "%s: VAT rate %s has more than four decimals", where, rate)
		}
		r = v
	}
	if m.codes == nil {
		codes, err := m.s.ListTaxCodes(m.ctx, m.company, false)
		if err != nil {
			return "", err
		}
		m.codes = codes
	}
	var template *TaxCode
	for i, c := range m.codes {
		if c.Type == TaxVAT && c.Category == category && int64(c.Rate) == r && c.Active {
			return c.Code, nil
		}
		if c.Type == TaxVAT && template == nil {
			template = &m.codes[i]
		}
	}
	if !validCategory(category) {
		return "", backoffice.Errorf(backoffice.EUnsupported, "%s: VAT category %s is not one of EN 16931's (S, Z, E, AE, K, G, O, L, M)", where, category)
	}
	if template == nil {
		return "", backoffice.Errorf(backoffice.EInvalid, "%s: the company has no VAT tax code to take the tax accounts from: set up its tax codes first", where)
	}
	pct, _ := decimal.New(r, fixedPlaces)
	code := strings.ToUpper(fmt.Sprintf("IN-%s-%s", category, strings.ReplaceAll(pct.Trim(0).String(), ".", "_")))
	in := TaxCodeInput{Code: code, Name: fmt.Sprintf("Imported VAT %s %s %%", category, pct.Trim(0)), Rate: Percent(r), Type: TaxVAT,
		Category: category, Active: true, CollectedAccountID: template.CollectedAccountID, DeductibleAccountID: template.DeductibleAccountID}
	switch category {
	case "E", "AE", "K", "G", "O":
		in.ExemptionReason = "As stated on the supplier's e-invoice"
	}
	c, err := m.s.CreateTaxCode(m.ctx, m.company, in)
	if err != nil {
		return "", fmt.Errorf("%s: VAT category %s at %s %% has no tax code and one could not be created: %w", where, category, pct.Trim(0), err)
	}
	m.codes, m.created = append(m.codes, c), append(m.created, c.Code)
	return c.Code, nil
}

func validCategory(c string) bool {
	switch c {
	case "S", "Z", "E", "AE", "K", "G", "O", "L", "M":
		return true
	}
	return false
}

// supplierOf finds the seller among the company's suppliers by VAT id, then
// Peppol endpoint, then exact legal name, or creates it.
func (s *Service) supplierOf(ctx context.Context, companyID backoffice.ID, seller einvoice.Party, cur backoffice.Currency) (party.Party, bool, error) {
	all, err := s.Party.List(ctx, companyID, party.Filter{Kind: party.KindSupplier})
	if err != nil {
		return party.Party{}, false, err
	}
	vat := party.NormalizeVAT(seller.VATID)
	for _, match := range []func(p party.Party) bool{
		func(p party.Party) bool { return vat != "" && p.VATID == vat },
		func(p party.Party) bool {
			return seller.EndpointID != "" && p.PeppolID == seller.EndpointID && p.PeppolScheme == seller.EndpointScheme
		},
		func(p party.Party) bool { return strings.EqualFold(p.LegalName, strings.TrimSpace(seller.Name)) },
	} {
		for _, p := range all {
			if match(p) {
				return p, false, nil
			}
		}
	}
	in := party.Input{Kind: party.KindSupplier, LegalName: clip(strings.TrimSpace(seller.Name), 200), TradeName: clip(seller.TradingName, 200), Currency: cur}
	if party.CheckVAT(vat) == "" {
		in.VATID = vat
	}
	if party.ValidEAS(seller.EndpointScheme) && party.CheckEndpoint(seller.EndpointScheme, seller.EndpointID) == "" {
		in.PeppolScheme, in.PeppolID = seller.EndpointScheme, seller.EndpointID
	}
	if a := seller.Address; party.ValidCountry(strings.ToUpper(a.Country)) && a.City != "" {
		in.Billing = party.Address{Lines: strings.Join(a.Lines, "\n"), City: a.City, PostalCode: a.PostalCode, Region: a.Subdivision, Country: strings.ToUpper(a.Country)}
	}
	p, _, err := s.Party.Create(ctx, companyID, in)
	if err != nil {
		return party.Party{}, false, fmt.Errorf("create the supplier %q from the e-invoice: %w", seller.Name, err)
	}
	return p, true, nil
}
