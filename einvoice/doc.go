// Package einvoice reads UBL 2.1 Invoice and CreditNote and UN/CEFACT CII
// CrossIndustryInvoice e-invoices into one normalised Document, and validates
// them against the EN 16931 business rules and the Peppol BIS Billing 3.0
// rules natively, with no Java at run time.
//
// Validation runs the rules as the official Schematron states them: the
// generator in internal/gen/einvoicerules turns every assert of the CEN
// EN 16931 Schematron (UBL and CII, code lists included) and of the Peppol
// BIS 3.0 Schematron into a Go table of rule id, flag, context, test and
// message, and a small XPath 2.0 interpreter in this package evaluates the
// tests on an element tree that keeps what was written: names with their
// namespaces, values and decimals as written, and line numbers.
package einvoice

// Namespaces of the syntaxes this package reads.
const (
	nsInvoice    = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
	nsCreditNote = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
	nsCBC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
	nsCAC        = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
	nsRSM        = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
	nsRAM        = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
	nsUDT        = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
	nsQDT        = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
)
