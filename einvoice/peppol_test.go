package einvoice

import (
	"strings"
	"testing"
)

// peppolInvoice is a small Peppol BIS 3.0 invoice whose seller endpoint
// is given by scheme and id.
func peppolInvoice(customization, scheme, id string) []byte {
	return []byte(`<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
 <cbc:CustomizationID>` + customization + `</cbc:CustomizationID>
 <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
 <cbc:ID>1</cbc:ID><cbc:IssueDate>2026-01-31</cbc:IssueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
 <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:BuyerReference>X</cbc:BuyerReference>
 <cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="` + scheme + `">` + id + `</cbc:EndpointID>
  <cac:PostalAddress><cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  <cac:PartyLegalEntity><cbc:RegistrationName>S</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party></cac:AccountingSupplierParty>
 <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">0</cbc:PayableAmount></cac:LegalMonetaryTotal>
</Invoice>`)
}

const peppolCustomization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"

// TestValidate_PeppolIdentifierChecks proves the PEPPOL-COMMON check-digit
// rules (GS1 GLN, Norwegian, Belgian, Swedish and Australian numbers), which
// run as the Schematron's own XSLT functions. Valid values were checked
// with independent implementations of each algorithm.
func TestValidate_PeppolIdentifierChecks(t *testing.T) {
	for _, tc := range []struct {
		rule, scheme, id string
		fires            bool
	}{
		{"PEPPOL-COMMON-R040", "0088", "7300010000001", false},
		{"PEPPOL-COMMON-R040", "0088", "7300010000002", true},
		{"PEPPOL-COMMON-R040", "0088", "73000100000A1", true},
		{"PEPPOL-COMMON-R041", "0192", "987654325", false},
		{"PEPPOL-COMMON-R041", "0192", "987654321", true},
		{"PEPPOL-COMMON-R043", "0208", "0417497106", false},
		{"PEPPOL-COMMON-R043", "0208", "0123456748", true},
		{"PEPPOL-COMMON-R049", "0007", "5566778899", false},
		{"PEPPOL-COMMON-R049", "0007", "1234567890", true},
		{"PEPPOL-COMMON-R050", "0151", "51824753556", false},
		{"PEPPOL-COMMON-R050", "0151", "51824753557", true},
		{"PEPPOL-COMMON-R042", "0184", "DK12345678", false},
		{"PEPPOL-COMMON-R042", "0184", "DK1234567X", true},
	} {
		t.Run(tc.rule+"/"+tc.id, func(t *testing.T) {
			rep, err := Validate(peppolInvoice(peppolCustomization, tc.scheme, tc.id))
			if err != nil {
				t.Fatal(err)
			}
			if got := fired(rep, tc.rule); got != tc.fires {
				t.Errorf("%s fired = %v, want %v; findings %v", tc.rule, got, tc.fires, rep.Errors)
			}
		})
	}
}

// TestValidate_PeppolRulesOnlyForPeppolDocuments: a document that does not
// claim Peppol BIS Billing 3.0 is checked against EN 16931 alone.
func TestValidate_PeppolRulesOnlyForPeppolDocuments(t *testing.T) {
	rep, err := Validate(peppolInvoice("urn:cen.eu:en16931:2017", "0088", "7300010000002"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Errors {
		if strings.HasPrefix(f.Rule, "PEPPOL-") {
			t.Errorf("Peppol rule on a plain EN 16931 document: %+v", f)
		}
	}
	if !fired(rep, "BR-CO-25") && !fired(rep, "BR-02") && len(rep.Errors) == 0 {
		t.Errorf("expected EN 16931 findings on the skeleton invoice, got none")
	}
}

// TestValidate_FindingCarriesLocationAndMessage: a finding names the
// element as an XPath and quotes the Schematron's message.
func TestValidate_FindingCarriesLocationAndMessage(t *testing.T) {
	rep, err := Validate(peppolInvoice(peppolCustomization, "0088", "7300010000002"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Errors {
		if f.Rule == "PEPPOL-COMMON-R040" {
			if f.Location != "/ubl:Invoice[1]/cac:AccountingSupplierParty[1]/cac:Party[1]/cbc:EndpointID[1]" || f.Flag != "fatal" ||
				f.Message != "GLN must have a valid format according to GS1 rules." {
				t.Errorf("finding %+v", f)
			}
			if rep.Valid {
				t.Error("Valid with a fatal finding")
			}
			return
		}
	}
	t.Fatalf("PEPPOL-COMMON-R040 did not fire: %v", rep.Errors)
}

func fired(rep Report, rule string) bool {
	for _, f := range rep.Errors {
		if f.Rule == rule {
			return true
		}
	}
	return false
}
