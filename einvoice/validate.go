package einvoice

import (
	"strings"
	"sync"

	"backoffice"
)

// Finding is one failed business rule.
type Finding struct {
	Rule     string `json:"rule"`     // rule id, such as "BR-CO-10" or "PEPPOL-EN16931-R001"
	Flag     string `json:"flag"`     // "fatal" or "warning"
	Location string `json:"location"` // XPath to the element the rule was checked on
	Message  string `json:"message"`  // the rule's text from the Schematron
}

// Report is the outcome of Validate.
type Report struct {
	Valid  bool      `json:"valid"`  // no fatal finding
	Errors []Finding `json:"errors"` // every failed rule, fatal and warning
}

// peppolBilling marks a Peppol BIS Billing 3.0 specification identifier;
// documents that claim it are also checked against the Peppol rules.
const peppolBilling = "urn:fdc:peppol.eu:2017:poacc:billing:3.0"

// ruleSets holds the compiled Schematron tables. They are immutable once
// built and compiled on first use, so a program that never validates pays
// nothing; compiling takes a few milliseconds.
type ruleSets struct {
	cenUBL, cenCII, peppolUBL, peppolCII *ruleSet
}

var compiledRules = sync.OnceValues(func() (*ruleSets, error) {
	var rs ruleSets
	for _, x := range []struct {
		dst **ruleSet
		src func() *schema
	}{{&rs.cenUBL, cenUBL}, {&rs.cenCII, cenCII}, {&rs.peppolUBL, peppolUBL}, {&rs.peppolCII, peppolCII}} {
		set, err := compileSchema(x.src())
		if err != nil {
			return nil, err
		}
		*x.dst = set
	}
	return &rs, nil
})

// Validate checks an e-invoice against the EN 16931 business rules (core,
// calculation, decimals, VAT categories and code lists) and, when its
// specification identifier names Peppol BIS Billing 3.0, the Peppol rules.
// The error is non-nil only when the file cannot be read as a UBL Invoice,
// UBL CreditNote or CII CrossIndustryInvoice at all.
func Validate(data []byte) (Report, error) {
	root, format, err := readTree(data)
	if err != nil {
		return Report{}, err
	}
	return validateTree(root, format)
}

// validateTree runs the rule sets that apply to a parsed document.
func validateTree(root *node, format string) (Report, error) {
	sets, err := compiledRules()
	if err != nil {
		return Report{}, backoffice.Errorf(backoffice.EInternal, "the validation rules do not compile: %v", err)
	}
	var run []*ruleSet
	if format == FormatCII {
		run = append(run, sets.cenCII)
		if strings.Contains(ciiGuideline(root), peppolBilling) {
			run = append(run, sets.peppolCII)
		}
	} else {
		run = append(run, sets.cenUBL)
		id := root.rootElement().child(nsCBC, "CustomizationID")
		if id != nil && strings.Contains(id.stringValue(), peppolBilling) {
			run = append(run, sets.peppolUBL)
		}
	}
	rep := Report{Valid: true, Errors: []Finding{}}
	for _, rs := range run {
		for _, f := range rs.run(root) {
			if f.Flag == "fatal" {
				rep.Valid = false
			}
			rep.Errors = append(rep.Errors, f)
		}
	}
	return rep, nil
}

func ciiGuideline(root *node) string {
	ctx := root.rootElement().child(nsRSM, "ExchangedDocumentContext")
	return ctx.child(nsRAM, "GuidelineSpecifiedDocumentContextParameter").child(nsRAM, "ID").stringValueOrEmpty()
}

func (n *node) stringValueOrEmpty() string {
	if n == nil {
		return ""
	}
	return n.stringValue()
}

// Formats that Read and Validate recognise.
const (
	FormatUBLInvoice    = "ubl-invoice"
	FormatUBLCreditNote = "ubl-creditnote"
	FormatCII           = "cii"
)

// readTree parses data and names its format from the root element.
func readTree(data []byte) (*node, string, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, "", err
	}
	el := root.rootElement()
	switch {
	case el.space == nsInvoice && el.local == "Invoice":
		return root, FormatUBLInvoice, nil
	case el.space == nsCreditNote && el.local == "CreditNote":
		return root, FormatUBLCreditNote, nil
	case el.space == nsRSM && el.local == "CrossIndustryInvoice":
		return root, FormatCII, nil
	}
	what := el.local
	if el.space != "" {
		what += " in namespace " + el.space
	}
	return nil, "", backoffice.Errorf(backoffice.EInvalid,
		"the root element is %s; expected a UBL 2.1 Invoice or CreditNote or a CII CrossIndustryInvoice", what)
}
