package einvoice

import (
	"io"

	"backoffice"
)

// WriteCII writes d as a UN/CEFACT Cross Industry Invoice (D16B) in the
// element order of its schema, holding what the EN 16931 model holds. An
// empty CustomizationID becomes the EN 16931 core specification. The
// document type code (BT-3) says invoice (380) or credit note (381).
func WriteCII(out io.Writer, d *Document) error {
	if err := checkWritable(d); err != nil {
		return err
	}
	w := &xmlWriter{}
	w.open("rsm:CrossIndustryInvoice", "xmlns:rsm", nsRSM, "xmlns:ram", nsRAM, "xmlns:udt", nsUDT, "xmlns:qdt", nsQDT)
	w.open("rsm:ExchangedDocumentContext")
	if d.ProfileID != "" {
		w.open("ram:BusinessProcessSpecifiedDocumentContextParameter")
		w.leaf("ram:ID", d.ProfileID)
		w.close("ram:BusinessProcessSpecifiedDocumentContextParameter")
	}
	cust := d.CustomizationID
	if cust == "" {
		cust = EN16931CustomizationID
	}
	w.open("ram:GuidelineSpecifiedDocumentContextParameter")
	w.leaf("ram:ID", cust)
	w.close("ram:GuidelineSpecifiedDocumentContextParameter")
	w.close("rsm:ExchangedDocumentContext")

	w.open("rsm:ExchangedDocument")
	w.leaf("ram:ID", d.Number)
	typeCode := d.TypeCode
	if typeCode == "" {
		typeCode = "380"
		if d.Format == FormatUBLCreditNote {
			typeCode = "381"
		}
	}
	w.leaf("ram:TypeCode", typeCode)
	ciiDate(w, "ram:IssueDateTime", d.IssueDate)
	for _, n := range d.Notes {
		w.open("ram:IncludedNote")
		w.leaf("ram:Content", n)
		w.close("ram:IncludedNote")
	}
	w.close("rsm:ExchangedDocument")

	w.open("rsm:SupplyChainTradeTransaction")
	for _, l := range d.Lines {
		ciiLine(w, l)
	}
	w.open("ram:ApplicableHeaderTradeAgreement")
	w.leaf("ram:BuyerReference", d.BuyerReference)
	ciiParty(w, "ram:SellerTradeParty", d.Seller)
	ciiParty(w, "ram:BuyerTradeParty", d.Buyer)
	if d.OrderReference != "" {
		w.open("ram:BuyerOrderReferencedDocument")
		w.leaf("ram:IssuerAssignedID", d.OrderReference)
		w.close("ram:BuyerOrderReferencedDocument")
	}
	w.close("ram:ApplicableHeaderTradeAgreement")
	w.open("ram:ApplicableHeaderTradeDelivery")
	if d.DeliveryCountry != "" {
		w.open("ram:ShipToTradeParty")
		w.open("ram:PostalTradeAddress")
		w.leaf("ram:CountryID", d.DeliveryCountry)
		w.close("ram:PostalTradeAddress")
		w.close("ram:ShipToTradeParty")
	}
	if !d.DeliveryDate.IsZero() {
		w.open("ram:ActualDeliverySupplyChainEvent")
		ciiDate(w, "ram:OccurrenceDateTime", d.DeliveryDate)
		w.close("ram:ActualDeliverySupplyChainEvent")
	}
	w.close("ram:ApplicableHeaderTradeDelivery")
	ciiSettlement(w, d)
	w.close("rsm:SupplyChainTradeTransaction")
	w.close("rsm:CrossIndustryInvoice")
	return w.writeTo(out)
}

// ciiDate writes a date element in format 102.
func ciiDate(w *xmlWriter, name string, d backoffice.Date) {
	if d.IsZero() {
		return
	}
	w.open(name)
	w.leaf("udt:DateTimeString", date102(d), "format", "102")
	w.close(name)
}

func ciiSettlement(w *xmlWriter, d *Document) {
	w.open("ram:ApplicableHeaderTradeSettlement")
	var paymentRef string
	for _, pm := range d.PaymentMeans {
		if pm.ID != "" {
			paymentRef = pm.ID
			break
		}
	}
	w.leaf("ram:PaymentReference", paymentRef)
	if d.TaxCurrency != d.Currency { // CII's BR-53 wants them different when given
		w.leaf("ram:TaxCurrencyCode", string(d.TaxCurrency))
	}
	w.leaf("ram:InvoiceCurrencyCode", string(d.Currency))
	for _, pm := range d.PaymentMeans {
		w.open("ram:SpecifiedTradeSettlementPaymentMeans")
		w.leaf("ram:TypeCode", pm.Code)
		if pm.Account != "" {
			w.open("ram:PayeePartyCreditorFinancialAccount")
			w.leaf("ram:IBANID", pm.Account)
			w.close("ram:PayeePartyCreditorFinancialAccount")
		}
		if pm.BIC != "" {
			w.open("ram:PayeeSpecifiedCreditorFinancialInstitution")
			w.leaf("ram:BICID", pm.BIC)
			w.close("ram:PayeeSpecifiedCreditorFinancialInstitution")
		}
		w.close("ram:SpecifiedTradeSettlementPaymentMeans")
	}
	for _, st := range d.VATBreakdown {
		w.open("ram:ApplicableTradeTax")
		w.amount("ram:CalculatedAmount", st.TaxAmount)
		w.leaf("ram:TypeCode", "VAT")
		w.leaf("ram:ExemptionReason", st.ExemptionReason)
		w.amount("ram:BasisAmount", st.TaxableAmount)
		w.leaf("ram:CategoryCode", st.Category)
		w.leaf("ram:ExemptionReasonCode", st.ExemptionReasonCode)
		w.amount("ram:RateApplicablePercent", st.Rate)
		w.close("ram:ApplicableTradeTax")
	}
	if !d.PeriodStart.IsZero() || !d.PeriodEnd.IsZero() {
		w.open("ram:BillingSpecifiedPeriod")
		ciiDate(w, "ram:StartDateTime", d.PeriodStart)
		ciiDate(w, "ram:EndDateTime", d.PeriodEnd)
		w.close("ram:BillingSpecifiedPeriod")
	}
	for _, ac := range d.AllowanceCharges {
		ciiAllowanceCharge(w, ac, true)
	}
	if d.PaymentTerms != "" || !d.DueDate.IsZero() {
		w.open("ram:SpecifiedTradePaymentTerms")
		w.leaf("ram:Description", d.PaymentTerms)
		ciiDate(w, "ram:DueDateDateTime", d.DueDate)
		w.close("ram:SpecifiedTradePaymentTerms")
	}
	w.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	w.amount("ram:LineTotalAmount", d.LineTotal)
	w.amount("ram:ChargeTotalAmount", d.ChargeTotal)
	w.amount("ram:AllowanceTotalAmount", d.AllowanceTotal)
	w.amount("ram:TaxBasisTotalAmount", d.TaxExclusiveAmount)
	w.amount("ram:TaxTotalAmount", d.TaxAmount, "currencyID", string(d.Currency))
	w.amount("ram:TaxTotalAmount", d.TaxAmountInTaxCurrency, "currencyID", string(d.TaxCurrency))
	w.amount("ram:RoundingAmount", d.RoundingAmount)
	w.amount("ram:GrandTotalAmount", d.TaxInclusiveAmount)
	w.amount("ram:TotalPrepaidAmount", d.PrepaidAmount)
	w.amount("ram:DuePayableAmount", d.PayableAmount)
	w.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation")
	if len(d.PrecedingInvoice) > 0 { // D16B allows one; UBL may name several
		w.open("ram:InvoiceReferencedDocument")
		w.leaf("ram:IssuerAssignedID", d.PrecedingInvoice[0])
		w.close("ram:InvoiceReferencedDocument")
	}
	w.close("ram:ApplicableHeaderTradeSettlement")
}

func ciiParty(w *xmlWriter, name string, p Party) {
	w.open(name)
	if p.IDScheme != "" {
		w.leaf("ram:GlobalID", p.ID, "schemeID", p.IDScheme)
	} else {
		w.leaf("ram:ID", p.ID)
	}
	w.leaf("ram:Name", p.Name)
	if p.LegalID != "" || p.TradingName != "" {
		w.open("ram:SpecifiedLegalOrganization")
		w.leaf("ram:ID", p.LegalID, "schemeID", p.LegalIDScheme)
		w.leaf("ram:TradingBusinessName", p.TradingName)
		w.close("ram:SpecifiedLegalOrganization")
	}
	if p.Contact != (Contact{}) {
		w.open("ram:DefinedTradeContact")
		w.leaf("ram:PersonName", p.Contact.Name)
		if p.Contact.Phone != "" {
			w.open("ram:TelephoneUniversalCommunication")
			w.leaf("ram:CompleteNumber", p.Contact.Phone)
			w.close("ram:TelephoneUniversalCommunication")
		}
		if p.Contact.Email != "" {
			w.open("ram:EmailURIUniversalCommunication")
			w.leaf("ram:URIID", p.Contact.Email)
			w.close("ram:EmailURIUniversalCommunication")
		}
		w.close("ram:DefinedTradeContact")
	}
	w.open("ram:PostalTradeAddress")
	w.leaf("ram:PostcodeCode", p.Address.PostalCode)
	for i, n := range []string{"ram:LineOne", "ram:LineTwo", "ram:LineThree"} {
		if i < len(p.Address.Lines) {
			w.leaf(n, p.Address.Lines[i])
		}
	}
	w.leaf("ram:CityName", p.Address.City)
	w.leaf("ram:CountryID", p.Address.Country)
	w.leaf("ram:CountrySubDivisionName", p.Address.Subdivision)
	w.close("ram:PostalTradeAddress")
	if p.EndpointID != "" {
		w.open("ram:URIUniversalCommunication")
		w.leaf("ram:URIID", p.EndpointID, "schemeID", p.EndpointScheme)
		w.close("ram:URIUniversalCommunication")
	}
	if p.VATID != "" {
		w.open("ram:SpecifiedTaxRegistration")
		w.leaf("ram:ID", p.VATID, "schemeID", "VA")
		w.close("ram:SpecifiedTaxRegistration")
	}
	w.close(name)
}

func ciiLine(w *xmlWriter, l Line) {
	w.open("ram:IncludedSupplyChainTradeLineItem")
	w.open("ram:AssociatedDocumentLineDocument")
	w.leaf("ram:LineID", l.ID)
	if l.Note != "" {
		w.open("ram:IncludedNote")
		w.leaf("ram:Content", l.Note)
		w.close("ram:IncludedNote")
	}
	w.close("ram:AssociatedDocumentLineDocument")
	w.open("ram:SpecifiedTradeProduct")
	w.leaf("ram:SellerAssignedID", l.SellerItemID)
	w.leaf("ram:Name", l.Name)
	w.leaf("ram:Description", l.Description)
	w.close("ram:SpecifiedTradeProduct")
	w.open("ram:SpecifiedLineTradeAgreement")
	w.open("ram:NetPriceProductTradePrice")
	w.amount("ram:ChargeAmount", l.Price)
	w.amount("ram:BasisQuantity", l.BaseQuantity, "unitCode", l.UnitCode)
	w.close("ram:NetPriceProductTradePrice")
	w.close("ram:SpecifiedLineTradeAgreement")
	w.open("ram:SpecifiedLineTradeDelivery")
	w.amount("ram:BilledQuantity", l.Quantity, "unitCode", l.UnitCode)
	w.close("ram:SpecifiedLineTradeDelivery")
	w.open("ram:SpecifiedLineTradeSettlement")
	w.open("ram:ApplicableTradeTax")
	w.leaf("ram:TypeCode", "VAT")
	w.leaf("ram:CategoryCode", l.VATCategory)
	w.amount("ram:RateApplicablePercent", l.VATRate)
	w.close("ram:ApplicableTradeTax")
	for _, ac := range l.AllowanceCharges {
		ciiAllowanceCharge(w, ac, false)
	}
	w.open("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.amount("ram:LineTotalAmount", l.NetAmount)
	w.close("ram:SpecifiedTradeSettlementLineMonetarySummation")
	w.close("ram:SpecifiedLineTradeSettlement")
	w.close("ram:IncludedSupplyChainTradeLineItem")
}

// ciiAllowanceCharge writes an allowance or charge; one on the document
// carries its tax category.
func ciiAllowanceCharge(w *xmlWriter, ac AllowanceCharge, document bool) {
	w.open("ram:SpecifiedTradeAllowanceCharge")
	w.open("ram:ChargeIndicator")
	ind := "false"
	if ac.Charge {
		ind = "true"
	}
	w.leaf("udt:Indicator", ind)
	w.close("ram:ChargeIndicator")
	w.amount("ram:CalculationPercent", ac.Percent)
	w.amount("ram:BasisAmount", ac.BaseAmount)
	w.amount("ram:ActualAmount", ac.Amount)
	w.leaf("ram:ReasonCode", ac.ReasonCode)
	w.leaf("ram:Reason", ac.Reason)
	if document {
		w.open("ram:CategoryTradeTax")
		w.leaf("ram:TypeCode", "VAT")
		w.leaf("ram:CategoryCode", ac.VATCategory)
		w.amount("ram:RateApplicablePercent", ac.VATRate)
		w.close("ram:CategoryTradeTax")
	}
	w.close("ram:SpecifiedTradeAllowanceCharge")
}
