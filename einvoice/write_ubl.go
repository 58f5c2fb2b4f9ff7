package einvoice

import (
	"io"
)

// WriteUBL writes d as a UBL 2.1 Invoice, or as a CreditNote when its
// Format is FormatUBLCreditNote, with the elements in the order the UBL
// schema requires and only what the EN 16931 model holds. Amounts keep the
// decimals they have. An empty CustomizationID becomes Peppol BIS Billing 3.0.
func WriteUBL(out io.Writer, d *Document) error {
	if err := checkWritable(d); err != nil {
		return err
	}
	credit := d.Format == FormatUBLCreditNote
	root, ns, line, qty := "Invoice", nsInvoice, "cac:InvoiceLine", "cbc:InvoicedQuantity"
	if credit {
		root, ns, line, qty = "CreditNote", nsCreditNote, "cac:CreditNoteLine", "cbc:CreditedQuantity"
	}
	w := &xmlWriter{}
	w.open(root, "xmlns", ns, "xmlns:cac", nsCAC, "xmlns:cbc", nsCBC)
	cust, prof := d.CustomizationID, d.ProfileID
	if cust == "" {
		cust, prof = PeppolCustomizationID, PeppolProfileID
	}
	w.leaf("cbc:CustomizationID", cust)
	w.leaf("cbc:ProfileID", prof)
	w.leaf("cbc:ID", d.Number)
	w.leaf("cbc:IssueDate", dateISO(d.IssueDate))
	typeCode := d.TypeCode
	if credit {
		if typeCode == "" {
			typeCode = "381"
		}
		w.leaf("cbc:CreditNoteTypeCode", typeCode)
	} else {
		if typeCode == "" {
			typeCode = "380"
		}
		w.leaf("cbc:DueDate", dateISO(d.DueDate))
		w.leaf("cbc:InvoiceTypeCode", typeCode)
	}
	for _, n := range d.Notes {
		w.leaf("cbc:Note", n)
	}
	w.leaf("cbc:DocumentCurrencyCode", string(d.Currency))
	w.leaf("cbc:TaxCurrencyCode", string(d.TaxCurrency))
	w.leaf("cbc:BuyerReference", d.BuyerReference)
	if !d.PeriodStart.IsZero() || !d.PeriodEnd.IsZero() {
		w.open("cac:InvoicePeriod")
		w.leaf("cbc:StartDate", dateISO(d.PeriodStart))
		w.leaf("cbc:EndDate", dateISO(d.PeriodEnd))
		w.close("cac:InvoicePeriod")
	}
	if d.OrderReference != "" {
		w.open("cac:OrderReference")
		w.leaf("cbc:ID", d.OrderReference)
		w.close("cac:OrderReference")
	}
	for _, p := range d.PrecedingInvoice {
		w.open("cac:BillingReference")
		w.open("cac:InvoiceDocumentReference")
		w.leaf("cbc:ID", p)
		w.close("cac:InvoiceDocumentReference")
		w.close("cac:BillingReference")
	}
	w.open("cac:AccountingSupplierParty")
	ublParty(w, d.Seller)
	w.close("cac:AccountingSupplierParty")
	w.open("cac:AccountingCustomerParty")
	ublParty(w, d.Buyer)
	w.close("cac:AccountingCustomerParty")
	if !d.DeliveryDate.IsZero() || d.DeliveryCountry != "" {
		w.open("cac:Delivery")
		w.leaf("cbc:ActualDeliveryDate", dateISO(d.DeliveryDate))
		if d.DeliveryCountry != "" {
			w.open("cac:DeliveryLocation")
			w.open("cac:Address")
			w.open("cac:Country")
			w.leaf("cbc:IdentificationCode", d.DeliveryCountry)
			w.close("cac:Country")
			w.close("cac:Address")
			w.close("cac:DeliveryLocation")
		}
		w.close("cac:Delivery")
	}
	for _, pm := range d.PaymentMeans {
		w.open("cac:PaymentMeans")
		w.leaf("cbc:PaymentMeansCode", pm.Code)
		if credit {
			w.leaf("cbc:PaymentDueDate", dateISO(d.DueDate))
		}
		w.leaf("cbc:PaymentID", pm.ID)
		if pm.Account != "" {
			w.open("cac:PayeeFinancialAccount")
			w.leaf("cbc:ID", pm.Account)
			if pm.BIC != "" {
				w.open("cac:FinancialInstitutionBranch")
				w.leaf("cbc:ID", pm.BIC)
				w.close("cac:FinancialInstitutionBranch")
			}
			w.close("cac:PayeeFinancialAccount")
		}
		w.close("cac:PaymentMeans")
	}
	if d.PaymentTerms != "" {
		w.open("cac:PaymentTerms")
		w.leaf("cbc:Note", d.PaymentTerms)
		w.close("cac:PaymentTerms")
	}
	cur := "currencyID"
	for _, ac := range d.AllowanceCharges {
		ublAllowanceCharge(w, ac, string(d.Currency), true)
	}
	w.open("cac:TaxTotal")
	w.amount("cbc:TaxAmount", d.TaxAmount, cur, string(d.Currency))
	for _, st := range d.VATBreakdown {
		w.open("cac:TaxSubtotal")
		w.amount("cbc:TaxableAmount", st.TaxableAmount, cur, string(d.Currency))
		w.amount("cbc:TaxAmount", st.TaxAmount, cur, string(d.Currency))
		w.open("cac:TaxCategory")
		w.leaf("cbc:ID", st.Category)
		w.amount("cbc:Percent", st.Rate)
		w.leaf("cbc:TaxExemptionReasonCode", st.ExemptionReasonCode)
		w.leaf("cbc:TaxExemptionReason", st.ExemptionReason)
		vatScheme(w)
		w.close("cac:TaxCategory")
		w.close("cac:TaxSubtotal")
	}
	w.close("cac:TaxTotal")
	if d.TaxAmountInTaxCurrency.Present() {
		w.open("cac:TaxTotal")
		w.amount("cbc:TaxAmount", d.TaxAmountInTaxCurrency, cur, string(d.TaxCurrency))
		w.close("cac:TaxTotal")
	}
	w.open("cac:LegalMonetaryTotal")
	for _, t := range []struct {
		name string
		a    Amount
	}{{"cbc:LineExtensionAmount", d.LineTotal}, {"cbc:TaxExclusiveAmount", d.TaxExclusiveAmount}, {"cbc:TaxInclusiveAmount", d.TaxInclusiveAmount},
		{"cbc:AllowanceTotalAmount", d.AllowanceTotal}, {"cbc:ChargeTotalAmount", d.ChargeTotal}, {"cbc:PrepaidAmount", d.PrepaidAmount},
		{"cbc:PayableRoundingAmount", d.RoundingAmount}, {"cbc:PayableAmount", d.PayableAmount}} {
		w.amount(t.name, t.a, cur, string(d.Currency))
	}
	w.close("cac:LegalMonetaryTotal")
	for _, l := range d.Lines {
		w.open(line)
		w.leaf("cbc:ID", l.ID)
		w.leaf("cbc:Note", l.Note)
		w.amount(qty, l.Quantity, "unitCode", l.UnitCode)
		w.amount("cbc:LineExtensionAmount", l.NetAmount, cur, string(d.Currency))
		for _, ac := range l.AllowanceCharges {
			ublAllowanceCharge(w, ac, string(d.Currency), false)
		}
		w.open("cac:Item")
		w.leaf("cbc:Description", l.Description)
		w.leaf("cbc:Name", l.Name)
		if l.SellerItemID != "" {
			w.open("cac:SellersItemIdentification")
			w.leaf("cbc:ID", l.SellerItemID)
			w.close("cac:SellersItemIdentification")
		}
		w.open("cac:ClassifiedTaxCategory")
		w.leaf("cbc:ID", l.VATCategory)
		w.amount("cbc:Percent", l.VATRate)
		vatScheme(w)
		w.close("cac:ClassifiedTaxCategory")
		w.close("cac:Item")
		w.open("cac:Price")
		w.amount("cbc:PriceAmount", l.Price, cur, string(d.Currency))
		w.amount("cbc:BaseQuantity", l.BaseQuantity, "unitCode", l.UnitCode)
		w.close("cac:Price")
		w.close(line)
	}
	w.close(root)
	return w.writeTo(out)
}

func vatScheme(w *xmlWriter) {
	w.open("cac:TaxScheme")
	w.leaf("cbc:ID", "VAT")
	w.close("cac:TaxScheme")
}

// ublParty writes a seller or buyer (cac:Party).
func ublParty(w *xmlWriter, p Party) {
	w.open("cac:Party")
	w.leaf("cbc:EndpointID", p.EndpointID, "schemeID", p.EndpointScheme)
	if p.ID != "" {
		w.open("cac:PartyIdentification")
		w.leaf("cbc:ID", p.ID, "schemeID", p.IDScheme)
		w.close("cac:PartyIdentification")
	}
	if p.TradingName != "" {
		w.open("cac:PartyName")
		w.leaf("cbc:Name", p.TradingName)
		w.close("cac:PartyName")
	}
	w.open("cac:PostalAddress")
	lines := p.Address.Lines
	if len(lines) > 0 {
		w.leaf("cbc:StreetName", lines[0])
	}
	if len(lines) > 1 {
		w.leaf("cbc:AdditionalStreetName", lines[1])
	}
	w.leaf("cbc:CityName", p.Address.City)
	w.leaf("cbc:PostalZone", p.Address.PostalCode)
	w.leaf("cbc:CountrySubentity", p.Address.Subdivision)
	if len(lines) > 2 {
		w.open("cac:AddressLine")
		w.leaf("cbc:Line", lines[2])
		w.close("cac:AddressLine")
	}
	if p.Address.Country != "" {
		w.open("cac:Country")
		w.leaf("cbc:IdentificationCode", p.Address.Country)
		w.close("cac:Country")
	}
	w.close("cac:PostalAddress")
	if p.VATID != "" {
		w.open("cac:PartyTaxScheme")
		w.leaf("cbc:CompanyID", p.VATID)
		vatScheme(w)
		w.close("cac:PartyTaxScheme")
	}
	w.open("cac:PartyLegalEntity")
	w.leaf("cbc:RegistrationName", p.Name)
	w.leaf("cbc:CompanyID", p.LegalID, "schemeID", p.LegalIDScheme)
	w.close("cac:PartyLegalEntity")
	if p.Contact != (Contact{}) {
		w.open("cac:Contact")
		w.leaf("cbc:Name", p.Contact.Name)
		w.leaf("cbc:Telephone", p.Contact.Phone)
		w.leaf("cbc:ElectronicMail", p.Contact.Email)
		w.close("cac:Contact")
	}
	w.close("cac:Party")
}

// ublAllowanceCharge writes a document-level (with its tax category) or
// line-level allowance or charge.
func ublAllowanceCharge(w *xmlWriter, ac AllowanceCharge, currency string, document bool) {
	w.open("cac:AllowanceCharge")
	charge := "false"
	if ac.Charge {
		charge = "true"
	}
	w.leaf("cbc:ChargeIndicator", charge)
	w.leaf("cbc:AllowanceChargeReasonCode", ac.ReasonCode)
	w.leaf("cbc:AllowanceChargeReason", ac.Reason)
	w.amount("cbc:MultiplierFactorNumeric", ac.Percent)
	w.amount("cbc:Amount", ac.Amount, "currencyID", currency)
	w.amount("cbc:BaseAmount", ac.BaseAmount, "currencyID", currency)
	if document {
		w.open("cac:TaxCategory")
		w.leaf("cbc:ID", ac.VATCategory)
		w.amount("cbc:Percent", ac.VATRate)
		vatScheme(w)
		w.close("cac:TaxCategory")
	}
	w.close("cac:AllowanceCharge")
}
