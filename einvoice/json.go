package einvoice

import (
	"encoding/json"

	"backoffice"
)

// The JSON layout of `backoffice parse einvoice --json`: amounts are
// decimal strings with the decimals written, null when the document does
// not give them; dates are YYYY-MM-DD, "" when absent.
type (
	jsonDocument struct {
		Format             string     `json:"format"`
		CustomizationID    string     `json:"customization_id"`
		Number             string     `json:"number"`
		TypeCode           string     `json:"type_code"`
		IssueDate          string     `json:"issue_date"`
		DueDate            string     `json:"due_date"`
		Currency           string     `json:"currency"`
		Seller             jsonParty  `json:"seller"`
		Buyer              jsonParty  `json:"buyer"`
		Lines              []jsonLine `json:"lines"`
		VATBreakdown       []jsonVAT  `json:"vat_breakdown"`
		LineTotal          Amount     `json:"line_total"`
		AllowanceTotal     Amount     `json:"allowance_total"`
		ChargeTotal        Amount     `json:"charge_total"`
		TaxExclusiveAmount Amount     `json:"tax_exclusive_amount"`
		TaxAmount          Amount     `json:"tax_amount"`
		TaxInclusiveAmount Amount     `json:"tax_inclusive_amount"`
		PrepaidAmount      Amount     `json:"prepaid_amount"`
		PayableAmount      Amount     `json:"payable_amount"`
	}
	jsonParty struct {
		Name       string `json:"name"`
		VATID      string `json:"vat_id"`
		EndpointID string `json:"endpoint_id"`
	}
	jsonLine struct {
		ID          string `json:"id"`
		Description string `json:"description"`
		Quantity    Amount `json:"quantity"`
		UnitCode    string `json:"unit_code"`
		Price       Amount `json:"price"`
		NetAmount   Amount `json:"net_amount"`
		VATCategory string `json:"vat_category"`
		VATRate     Amount `json:"vat_rate"`
	}
	jsonVAT struct {
		Category      string `json:"category"`
		Rate          Amount `json:"rate"`
		TaxableAmount Amount `json:"taxable_amount"`
		TaxAmount     Amount `json:"tax_amount"`
	}
)

// NormalisedJSON writes the document in the layout of `backoffice parse
// einvoice --json`, indented. A line's description is the item name (BT-153),
// or the item description (BT-154) when the name is missing.
func (d *Document) NormalisedJSON() ([]byte, error) {
	out := jsonDocument{
		Format: d.Format, CustomizationID: d.CustomizationID, Number: d.Number, TypeCode: d.TypeCode,
		IssueDate: d.IssueDate.String(), DueDate: d.DueDate.String(), Currency: string(d.Currency),
		Seller: partyJSON(d.Seller), Buyer: partyJSON(d.Buyer),
		Lines: []jsonLine{}, VATBreakdown: []jsonVAT{},
		LineTotal: d.LineTotal, AllowanceTotal: d.AllowanceTotal, ChargeTotal: d.ChargeTotal,
		TaxExclusiveAmount: d.TaxExclusiveAmount, TaxAmount: d.TaxAmount, TaxInclusiveAmount: d.TaxInclusiveAmount,
		PrepaidAmount: d.PrepaidAmount, PayableAmount: d.PayableAmount,
	}
	for _, l := range d.Lines {
		desc := l.Name
		if desc == "" {
			desc = l.Description
		}
		out.Lines = append(out.Lines, jsonLine{ID: l.ID, Description: desc, Quantity: l.Quantity, UnitCode: l.UnitCode,
			Price: l.Price, NetAmount: l.NetAmount, VATCategory: l.VATCategory, VATRate: l.VATRate})
	}
	for _, v := range d.VATBreakdown {
		out.VATBreakdown = append(out.VATBreakdown, jsonVAT{Category: v.Category, Rate: v.Rate, TaxableAmount: v.TaxableAmount, TaxAmount: v.TaxAmount})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, backoffice.Errorf(backoffice.EInternal, "cannot write the document as JSON: %v", err)
	}
	return append(b, '\n'), nil
}

func partyJSON(p Party) jsonParty {
	return jsonParty{Name: p.Name, VATID: p.VATID, EndpointID: p.EndpointID}
}
