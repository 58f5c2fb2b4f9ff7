package einvoice

import (
	"strings"

	"backoffice"
)

// ram follows a path of ram: child elements.
func ram(n *node, names ...string) *node {
	for _, name := range names {
		n = n.child(nsRAM, name)
	}
	return n
}

// ciiDate reads a udt:DateTimeString child, honouring its format attribute.
func (r *fieldReader) ciiDate(n *node) backoffice.Date {
	s := n.child(nsUDT, "DateTimeString")
	return r.date(s, strings.TrimSpace(s.attr("format")))
}

func (r *fieldReader) cii(el *node) *Document {
	ctx := el.child(nsRSM, "ExchangedDocumentContext")
	hd := el.child(nsRSM, "ExchangedDocument")
	tx := el.child(nsRSM, "SupplyChainTradeTransaction")
	agr := ram(tx, "ApplicableHeaderTradeAgreement")
	set := ram(tx, "ApplicableHeaderTradeSettlement")
	d := &Document{
		Format:          FormatCII,
		CustomizationID: text(ram(ctx, "GuidelineSpecifiedDocumentContextParameter", "ID")),
		ProfileID:       text(ram(ctx, "BusinessProcessSpecifiedDocumentContextParameter", "ID")),
		Number:          text(ram(hd, "ID")),
		TypeCode:        text(ram(hd, "TypeCode")),
		IssueDate:       r.ciiDate(ram(hd, "IssueDateTime")),
		Currency:        currency(ram(set, "InvoiceCurrencyCode")),
		TaxCurrency:     currency(ram(set, "TaxCurrencyCode")),
		BuyerReference:  text(ram(agr, "BuyerReference")),
		OrderReference:  text(ram(agr, "BuyerOrderReferencedDocument", "IssuerAssignedID")),
		PeriodStart:     r.ciiDate(ram(set, "BillingSpecifiedPeriod", "StartDateTime")),
		PeriodEnd:       r.ciiDate(ram(set, "BillingSpecifiedPeriod", "EndDateTime")),
		DeliveryDate:    r.ciiDate(ram(tx, "ApplicableHeaderTradeDelivery", "ActualDeliverySupplyChainEvent", "OccurrenceDateTime")),
		DeliveryCountry: text(ram(tx, "ApplicableHeaderTradeDelivery", "ShipToTradeParty", "PostalTradeAddress", "CountryID")),
		PaymentTerms:    text(ram(set, "SpecifiedTradePaymentTerms", "Description")),
		DueDate:         r.ciiDate(ram(set, "SpecifiedTradePaymentTerms", "DueDateDateTime")),
		Seller:          r.ciiParty(ram(agr, "SellerTradeParty")),
		Buyer:           r.ciiParty(ram(agr, "BuyerTradeParty")),
	}
	for _, n := range hd.childrenNamed(nsRAM, "IncludedNote") {
		d.Notes = append(d.Notes, text(ram(n, "Content")))
	}
	for _, n := range set.childrenNamed(nsRAM, "InvoiceReferencedDocument") {
		d.PrecedingInvoice = append(d.PrecedingInvoice, text(ram(n, "IssuerAssignedID")))
	}
	for _, n := range tx.childrenNamed(nsRAM, "IncludedSupplyChainTradeLineItem") {
		d.Lines = append(d.Lines, r.ciiLine(n))
	}
	r.ciiSettlement(set, d)
	return d
}

// ciiSettlement reads the header settlement: payment means, document
// allowances and charges, VAT breakdown and totals.
func (r *fieldReader) ciiSettlement(set *node, d *Document) {
	for _, n := range set.childrenNamed(nsRAM, "SpecifiedTradeSettlementPaymentMeans") {
		acct := ram(n, "PayeePartyCreditorFinancialAccount")
		pm := PaymentMeans{
			Code:    text(ram(n, "TypeCode")),
			ID:      text(ram(set, "PaymentReference")),
			Account: text(ram(acct, "IBANID")),
			BIC:     text(ram(n, "PayeeSpecifiedCreditorFinancialInstitution", "BICID")),
		}
		if pm.Account == "" {
			pm.Account = text(ram(acct, "ProprietaryID"))
		}
		d.PaymentMeans = append(d.PaymentMeans, pm)
	}
	for _, n := range set.childrenNamed(nsRAM, "SpecifiedTradeAllowanceCharge") {
		d.AllowanceCharges = append(d.AllowanceCharges, r.ciiAllowanceCharge(n))
	}
	for _, t := range set.childrenNamed(nsRAM, "ApplicableTradeTax") {
		d.VATBreakdown = append(d.VATBreakdown, VATSubtotal{
			Category:            text(ram(t, "CategoryCode")),
			Rate:                r.amount(ram(t, "RateApplicablePercent")),
			TaxableAmount:       r.amount(ram(t, "BasisAmount")),
			TaxAmount:           r.amount(ram(t, "CalculatedAmount")),
			ExemptionReason:     text(ram(t, "ExemptionReason")),
			ExemptionReasonCode: text(ram(t, "ExemptionReasonCode")),
		})
	}
	m := ram(set, "SpecifiedTradeSettlementHeaderMonetarySummation")
	d.LineTotal = r.amount(ram(m, "LineTotalAmount"))
	d.AllowanceTotal = r.amount(ram(m, "AllowanceTotalAmount"))
	d.ChargeTotal = r.amount(ram(m, "ChargeTotalAmount"))
	d.TaxExclusiveAmount = r.amount(ram(m, "TaxBasisTotalAmount"))
	d.TaxAmount = r.amount(inCurrency(m.childrenNamed(nsRAM, "TaxTotalAmount"), d.Currency))
	if d.TaxCurrency != "" && d.TaxCurrency != d.Currency {
		for _, t := range m.childrenNamed(nsRAM, "TaxTotalAmount") {
			if strings.EqualFold(strings.TrimSpace(t.attr("currencyID")), string(d.TaxCurrency)) {
				d.TaxAmountInTaxCurrency = r.amount(t)
			}
		}
	}
	d.TaxInclusiveAmount = r.amount(ram(m, "GrandTotalAmount"))
	d.PrepaidAmount = r.amount(ram(m, "TotalPrepaidAmount"))
	d.RoundingAmount = r.amount(ram(m, "RoundingAmount"))
	d.PayableAmount = r.amount(ram(m, "DuePayableAmount"))
}

func (r *fieldReader) ciiParty(p *node) Party {
	if p == nil {
		return Party{}
	}
	uri := ram(p, "URIUniversalCommunication", "URIID")
	party := Party{
		Name:           text(ram(p, "Name")),
		TradingName:    text(ram(p, "SpecifiedLegalOrganization", "TradingBusinessName")),
		LegalID:        text(ram(p, "SpecifiedLegalOrganization", "ID")),
		EndpointID:     text(uri),
		EndpointScheme: strings.TrimSpace(uri.attr("schemeID")),
		LegalIDScheme:  strings.TrimSpace(ram(p, "SpecifiedLegalOrganization", "ID").attr("schemeID")),
		Contact: Contact{Name: text(ram(p, "DefinedTradeContact", "PersonName")),
			Phone: text(ram(p, "DefinedTradeContact", "TelephoneUniversalCommunication", "CompleteNumber")),
			Email: text(ram(p, "DefinedTradeContact", "EmailURIUniversalCommunication", "URIID"))},
	}
	if id := ram(p, "GlobalID"); id != nil {
		party.ID, party.IDScheme = text(id), strings.TrimSpace(id.attr("schemeID"))
	} else if id := ram(p, "ID"); id != nil {
		party.ID = text(id)
	}
	for _, reg := range p.childrenNamed(nsRAM, "SpecifiedTaxRegistration") {
		if id := ram(reg, "ID"); strings.TrimSpace(id.attr("schemeID")) == "VA" {
			party.VATID = text(id)
		}
	}
	a := ram(p, "PostalTradeAddress")
	for _, name := range []string{"LineOne", "LineTwo", "LineThree"} {
		if s := text(ram(a, name)); s != "" {
			party.Address.Lines = append(party.Address.Lines, s)
		}
	}
	party.Address.City = text(ram(a, "CityName"))
	party.Address.PostalCode = text(ram(a, "PostcodeCode"))
	party.Address.Subdivision = text(ram(a, "CountrySubDivisionName"))
	party.Address.Country = text(ram(a, "CountryID"))
	return party
}

func (r *fieldReader) ciiLine(n *node) Line {
	prod := ram(n, "SpecifiedTradeProduct")
	qty := ram(n, "SpecifiedLineTradeDelivery", "BilledQuantity")
	price := ram(n, "SpecifiedLineTradeAgreement", "NetPriceProductTradePrice")
	set := ram(n, "SpecifiedLineTradeSettlement")
	tax := ram(set, "ApplicableTradeTax")
	l := Line{
		ID:           text(ram(n, "AssociatedDocumentLineDocument", "LineID")),
		Note:         text(ram(n, "AssociatedDocumentLineDocument", "IncludedNote", "Content")),
		Name:         text(ram(prod, "Name")),
		Description:  text(ram(prod, "Description")),
		SellerItemID: text(ram(prod, "SellerAssignedID")),
		Quantity:     r.amount(qty),
		UnitCode:     strings.TrimSpace(qty.attr("unitCode")),
		Price:        r.amount(ram(price, "ChargeAmount")),
		BaseQuantity: r.amount(ram(price, "BasisQuantity")),
		NetAmount:    r.amount(ram(set, "SpecifiedTradeSettlementLineMonetarySummation", "LineTotalAmount")),
		VATCategory:  text(ram(tax, "CategoryCode")),
		VATRate:      r.amount(ram(tax, "RateApplicablePercent")),
	}
	for _, ac := range set.childrenNamed(nsRAM, "SpecifiedTradeAllowanceCharge") {
		l.AllowanceCharges = append(l.AllowanceCharges, r.ciiAllowanceCharge(ac))
	}
	return l
}

func (r *fieldReader) ciiAllowanceCharge(n *node) AllowanceCharge {
	tax := ram(n, "CategoryTradeTax")
	return AllowanceCharge{
		Charge:      text(ram(n, "ChargeIndicator").child(nsUDT, "Indicator")) == "true",
		Amount:      r.amount(ram(n, "ActualAmount")),
		BaseAmount:  r.amount(ram(n, "BasisAmount")),
		Percent:     r.amount(ram(n, "CalculationPercent")),
		Reason:      text(ram(n, "Reason")),
		ReasonCode:  text(ram(n, "ReasonCode")),
		VATCategory: text(ram(tax, "CategoryCode")),
		VATRate:     r.amount(ram(tax, "RateApplicablePercent")),
	}
}
