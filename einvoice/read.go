package einvoice

import (
	"strings"
	"time"

	"backoffice"
)

// Read parses a UBL 2.1 Invoice or CreditNote or a CII CrossIndustryInvoice,
// recognised by its root element and namespace. Anything else, XML that is
// not well-formed, and amounts or dates that cannot be read give an invalid
// *backoffice.Error; Read does not check business rules (Validate does).
func Read(data []byte) (*Document, error) {
	root, format, err := readTree(data)
	if err != nil {
		return nil, err
	}
	r := &fieldReader{bad: backoffice.Validation{}}
	var doc *Document
	if format == FormatCII {
		doc = r.cii(root.rootElement())
	} else {
		doc = r.ubl(root.rootElement(), format)
	}
	if err := r.bad.Err("the e-invoice"); err != nil {
		return nil, err
	}
	return doc, nil
}

// fieldReader converts element values, recording every value it cannot
// read under the element's XPath.
type fieldReader struct {
	bad backoffice.Validation
}

// text is the trimmed string value of n, "" when n is absent.
func text(n *node) string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.stringValue())
}

// at follows a path of child elements, each given as namespace and local name pairs.
func at(n *node, steps ...string) *node {
	for i := 0; i+1 < len(steps) && n != nil; i += 2 {
		n = n.child(steps[i], steps[i+1])
	}
	return n
}

func (r *fieldReader) amount(n *node) Amount {
	if n == nil {
		return Amount{}
	}
	a, err := ParseAmount(n.stringValue())
	if err != nil {
		r.bad.Add(n.path(), backoffice.ErrorMessage(err))
		return Amount{}
	}
	return a
}

// date reads an ISO 8601 date (UBL) or, with format "102", YYYYMMDD (CII).
func (r *fieldReader) date(n *node, format string) backoffice.Date {
	s := text(n)
	if s == "" {
		return backoffice.Date{}
	}
	layout := "2006-01-02"
	if format == "102" {
		layout = "20060102"
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		r.bad.Add(n.path(), "\""+s+"\" is not a date ("+layout+")")
		return backoffice.Date{}
	}
	return backoffice.DateOf(t)
}

func currency(n *node) backoffice.Currency {
	return backoffice.Currency(strings.ToUpper(text(n)))
}

func (r *fieldReader) ubl(el *node, format string) *Document {
	cbc := func(name string) *node { return el.child(nsCBC, name) }
	d := &Document{
		Format:          format,
		CustomizationID: text(cbc("CustomizationID")),
		ProfileID:       text(cbc("ProfileID")),
		Number:          text(cbc("ID")),
		IssueDate:       r.date(cbc("IssueDate"), ""),
		DueDate:         r.date(cbc("DueDate"), ""),
		Currency:        currency(cbc("DocumentCurrencyCode")),
		TaxCurrency:     currency(cbc("TaxCurrencyCode")),
		BuyerReference:  text(cbc("BuyerReference")),
		OrderReference:  text(at(el, nsCAC, "OrderReference", nsCBC, "ID")),
		PeriodStart:     r.date(at(el, nsCAC, "InvoicePeriod", nsCBC, "StartDate"), ""),
		PeriodEnd:       r.date(at(el, nsCAC, "InvoicePeriod", nsCBC, "EndDate"), ""),
		DeliveryDate:    r.date(at(el, nsCAC, "Delivery", nsCBC, "ActualDeliveryDate"), ""),
		DeliveryCountry: text(at(el, nsCAC, "Delivery", nsCAC, "DeliveryLocation", nsCAC, "Address", nsCAC, "Country", nsCBC, "IdentificationCode")),
		PaymentTerms:    text(at(el, nsCAC, "PaymentTerms", nsCBC, "Note")),
		Seller:          r.ublParty(at(el, nsCAC, "AccountingSupplierParty", nsCAC, "Party")),
		Buyer:           r.ublParty(at(el, nsCAC, "AccountingCustomerParty", nsCAC, "Party")),
	}
	line := "InvoiceLine"
	d.TypeCode = text(cbc("InvoiceTypeCode"))
	if format == FormatUBLCreditNote {
		d.TypeCode, line = text(cbc("CreditNoteTypeCode")), "CreditNoteLine"
	}
	for _, n := range el.childrenNamed(nsCBC, "Note") {
		d.Notes = append(d.Notes, text(n))
	}
	for _, n := range el.childrenNamed(nsCAC, "BillingReference") {
		d.PrecedingInvoice = append(d.PrecedingInvoice, text(at(n, nsCAC, "InvoiceDocumentReference", nsCBC, "ID")))
	}
	for _, n := range el.childrenNamed(nsCAC, "PaymentMeans") {
		if d.DueDate.IsZero() {
			d.DueDate = r.date(n.child(nsCBC, "PaymentDueDate"), "")
		}
		d.PaymentMeans = append(d.PaymentMeans, PaymentMeans{
			Code:    text(n.child(nsCBC, "PaymentMeansCode")),
			ID:      text(n.child(nsCBC, "PaymentID")),
			Account: text(at(n, nsCAC, "PayeeFinancialAccount", nsCBC, "ID")),
			BIC:     text(at(n, nsCAC, "PayeeFinancialAccount", nsCAC, "FinancialInstitutionBranch", nsCBC, "ID")),
		})
	}
	for _, n := range el.childrenNamed(nsCAC, line) {
		d.Lines = append(d.Lines, r.ublLine(n))
	}
	for _, n := range el.childrenNamed(nsCAC, "AllowanceCharge") {
		d.AllowanceCharges = append(d.AllowanceCharges, r.ublAllowanceCharge(n))
	}
	r.ublTax(el, d)
	r.ublTotals(el.child(nsCAC, "LegalMonetaryTotal"), d)
	return d
}

// ublTotals reads the document totals (BG-22).
func (r *fieldReader) ublTotals(m *node, d *Document) {
	d.LineTotal = r.amount(m.child(nsCBC, "LineExtensionAmount"))
	d.AllowanceTotal = r.amount(m.child(nsCBC, "AllowanceTotalAmount"))
	d.ChargeTotal = r.amount(m.child(nsCBC, "ChargeTotalAmount"))
	d.TaxExclusiveAmount = r.amount(m.child(nsCBC, "TaxExclusiveAmount"))
	d.TaxInclusiveAmount = r.amount(m.child(nsCBC, "TaxInclusiveAmount"))
	d.PrepaidAmount = r.amount(m.child(nsCBC, "PrepaidAmount"))
	d.RoundingAmount = r.amount(m.child(nsCBC, "PayableRoundingAmount"))
	d.PayableAmount = r.amount(m.child(nsCBC, "PayableAmount"))
}

// ublTax reads the VAT total in the document currency and its breakdown.
func (r *fieldReader) ublTax(el *node, d *Document) {
	var totals []*node
	for _, tt := range el.childrenNamed(nsCAC, "TaxTotal") {
		totals = append(totals, tt.child(nsCBC, "TaxAmount"))
		for _, st := range tt.childrenNamed(nsCAC, "TaxSubtotal") {
			cat := st.child(nsCAC, "TaxCategory")
			d.VATBreakdown = append(d.VATBreakdown, VATSubtotal{
				Category:            text(cat.child(nsCBC, "ID")),
				Rate:                r.amount(cat.child(nsCBC, "Percent")),
				TaxableAmount:       r.amount(st.child(nsCBC, "TaxableAmount")),
				TaxAmount:           r.amount(st.child(nsCBC, "TaxAmount")),
				ExemptionReason:     text(cat.child(nsCBC, "TaxExemptionReason")),
				ExemptionReasonCode: text(cat.child(nsCBC, "TaxExemptionReasonCode")),
			})
		}
	}
	d.TaxAmount = r.amount(inCurrency(totals, d.Currency))
	if d.TaxCurrency != "" && d.TaxCurrency != d.Currency {
		for _, t := range totals {
			if t != nil && strings.EqualFold(strings.TrimSpace(t.attr("currencyID")), string(d.TaxCurrency)) {
				d.TaxAmountInTaxCurrency = r.amount(t)
			}
		}
	}
}

// inCurrency picks the VAT total in the document currency from the totals
// a document gives (one more in the tax currency when BT-6 is used), or
// the first when none names its currency.
func inCurrency(totals []*node, cur backoffice.Currency) *node {
	var first *node
	for _, t := range totals {
		if t == nil {
			continue
		}
		if first == nil {
			first = t
		}
		if strings.EqualFold(strings.TrimSpace(t.attr("currencyID")), string(cur)) {
			return t
		}
	}
	return first
}

func (r *fieldReader) ublParty(p *node) Party {
	if p == nil {
		return Party{}
	}
	party := Party{
		TradingName: text(at(p, nsCAC, "PartyName", nsCBC, "Name")),
		LegalID:     text(at(p, nsCAC, "PartyLegalEntity", nsCBC, "CompanyID")),
		EndpointID:  text(p.child(nsCBC, "EndpointID")),
	}
	party.EndpointScheme = strings.TrimSpace(p.child(nsCBC, "EndpointID").attr("schemeID"))
	party.LegalIDScheme = strings.TrimSpace(at(p, nsCAC, "PartyLegalEntity", nsCBC, "CompanyID").attr("schemeID"))
	party.Contact = Contact{Name: text(at(p, nsCAC, "Contact", nsCBC, "Name")), Phone: text(at(p, nsCAC, "Contact", nsCBC, "Telephone")),
		Email: text(at(p, nsCAC, "Contact", nsCBC, "ElectronicMail"))}
	if id := at(p, nsCAC, "PartyIdentification", nsCBC, "ID"); id != nil {
		party.ID, party.IDScheme = text(id), strings.TrimSpace(id.attr("schemeID"))
	}
	party.Name = text(at(p, nsCAC, "PartyLegalEntity", nsCBC, "RegistrationName"))
	if party.Name == "" {
		party.Name = party.TradingName
	}
	for _, ts := range p.childrenNamed(nsCAC, "PartyTaxScheme") {
		if strings.EqualFold(text(at(ts, nsCAC, "TaxScheme", nsCBC, "ID")), "VAT") {
			party.VATID = text(ts.child(nsCBC, "CompanyID"))
		}
	}
	a := p.child(nsCAC, "PostalAddress")
	for _, name := range []string{"StreetName", "AdditionalStreetName"} {
		if s := text(a.child(nsCBC, name)); s != "" {
			party.Address.Lines = append(party.Address.Lines, s)
		}
	}
	if s := text(at(a, nsCAC, "AddressLine", nsCBC, "Line")); s != "" {
		party.Address.Lines = append(party.Address.Lines, s)
	}
	party.Address.City = text(a.child(nsCBC, "CityName"))
	party.Address.PostalCode = text(a.child(nsCBC, "PostalZone"))
	party.Address.Subdivision = text(a.child(nsCBC, "CountrySubentity"))
	party.Address.Country = text(at(a, nsCAC, "Country", nsCBC, "IdentificationCode"))
	return party
}

func (r *fieldReader) ublLine(n *node) Line {
	qty := n.child(nsCBC, "InvoicedQuantity")
	if qty == nil {
		qty = n.child(nsCBC, "CreditedQuantity")
	}
	item := n.child(nsCAC, "Item")
	tax := item.child(nsCAC, "ClassifiedTaxCategory")
	l := Line{
		ID:           text(n.child(nsCBC, "ID")),
		Note:         text(n.child(nsCBC, "Note")),
		Name:         text(item.child(nsCBC, "Name")),
		Description:  text(item.child(nsCBC, "Description")),
		SellerItemID: text(at(item, nsCAC, "SellersItemIdentification", nsCBC, "ID")),
		Quantity:     r.amount(qty),
		UnitCode:     strings.TrimSpace(qty.attr("unitCode")),
		Price:        r.amount(at(n, nsCAC, "Price", nsCBC, "PriceAmount")),
		BaseQuantity: r.amount(at(n, nsCAC, "Price", nsCBC, "BaseQuantity")),
		NetAmount:    r.amount(n.child(nsCBC, "LineExtensionAmount")),
		VATCategory:  text(tax.child(nsCBC, "ID")),
		VATRate:      r.amount(tax.child(nsCBC, "Percent")),
	}
	for _, ac := range n.childrenNamed(nsCAC, "AllowanceCharge") {
		l.AllowanceCharges = append(l.AllowanceCharges, r.ublAllowanceCharge(ac))
	}
	return l
}

func (r *fieldReader) ublAllowanceCharge(n *node) AllowanceCharge {
	tax := n.child(nsCAC, "TaxCategory")
	return AllowanceCharge{
		Charge:      text(n.child(nsCBC, "ChargeIndicator")) == "true",
		Amount:      r.amount(n.child(nsCBC, "Amount")),
		BaseAmount:  r.amount(n.child(nsCBC, "BaseAmount")),
		Percent:     r.amount(n.child(nsCBC, "MultiplierFactorNumeric")),
		Reason:      text(n.child(nsCBC, "AllowanceChargeReason")),
		ReasonCode:  text(n.child(nsCBC, "AllowanceChargeReasonCode")),
		VATCategory: text(tax.child(nsCBC, "ID")),
		VATRate:     r.amount(tax.child(nsCBC, "Percent")),
	}
}
