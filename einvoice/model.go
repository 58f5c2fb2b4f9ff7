package einvoice

import (
	"strings"

	"github.com/govalues/decimal"

	"backoffice"
)

// Document is an e-invoice read into one model for UBL and CII alike. Fields
// the document does not hold are zero; Amounts say whether they were present.
type Document struct {
	Format           string // FormatUBLInvoice, FormatUBLCreditNote or FormatCII
	CustomizationID  string // BT-24 specification identifier
	ProfileID        string // BT-23 business process
	Number           string // BT-1
	TypeCode         string // BT-3, UNTDID 1001
	IssueDate        backoffice.Date
	DueDate          backoffice.Date
	Currency         backoffice.Currency // BT-5 as written (upper case)
	TaxCurrency      backoffice.Currency // BT-6
	BuyerReference   string              // BT-10
	OrderReference   string              // BT-13
	Notes            []string            // BT-22
	PrecedingInvoice []string            // BT-25
	PeriodStart      backoffice.Date     // BT-73
	PeriodEnd        backoffice.Date     // BT-74
	DeliveryDate     backoffice.Date     // BT-72
	DeliveryCountry  string              // BT-80 deliver-to country
	PaymentTerms     string              // BT-20
	PaymentMeans     []PaymentMeans
	Seller, Buyer    Party
	Lines            []Line
	VATBreakdown     []VATSubtotal
	AllowanceCharges []AllowanceCharge // document level

	LineTotal              Amount // BT-106
	AllowanceTotal         Amount // BT-107
	ChargeTotal            Amount // BT-108
	TaxExclusiveAmount     Amount // BT-109
	TaxAmount              Amount // BT-110, in the document currency
	TaxAmountInTaxCurrency Amount // BT-111, when a tax currency (BT-6) is given
	TaxInclusiveAmount     Amount // BT-112
	PrepaidAmount          Amount // BT-113
	RoundingAmount         Amount // BT-114
	PayableAmount          Amount // BT-115
}

// Party is a seller or buyer.
type Party struct {
	Name           string // legal registration name, else trading name
	TradingName    string
	VATID          string // BT-31 / BT-48
	LegalID        string // BT-30 / BT-47
	LegalIDScheme  string // its scheme (ISO 6523 ICD), when given
	ID             string // BT-29 / BT-46 seller or buyer identifier
	IDScheme       string // its scheme, when given
	EndpointID     string // BT-34 / BT-49 electronic address
	EndpointScheme string // its EAS scheme
	Address        Address
	Contact        Contact // BG-6 / BG-9
}

// Contact is a party's contact point (BT-41/56), telephone (BT-42/57) and
// e-mail (BT-43/58).
type Contact struct {
	Name, Phone, Email string
}

// Address is a postal address.
type Address struct {
	Lines       []string
	City        string
	PostalCode  string
	Subdivision string
	Country     string // ISO 3166-1 alpha-2 as written
}

// Line is an invoice or credit note line.
type Line struct {
	ID               string
	Note             string
	Name             string // BT-153 item name
	Description      string // BT-154 item description
	SellerItemID     string
	Quantity         Amount // BT-129, negative on corrections
	UnitCode         string // UN/ECE Rec 20
	Price            Amount // BT-146 net price
	BaseQuantity     Amount // BT-149
	NetAmount        Amount // BT-131
	VATCategory      string // BT-151, UNTDID 5305
	VATRate          Amount // BT-152
	AllowanceCharges []AllowanceCharge
}

// VATSubtotal is one row of the VAT breakdown (BG-23).
type VATSubtotal struct {
	Category            string
	Rate                Amount
	TaxableAmount       Amount
	TaxAmount           Amount
	ExemptionReason     string
	ExemptionReasonCode string
}

// AllowanceCharge is an allowance (Charge false) or charge on the document or a line.
type AllowanceCharge struct {
	Charge      bool
	Amount      Amount
	BaseAmount  Amount
	Percent     Amount
	Reason      string
	ReasonCode  string // UNTDID 5189 (allowance) or 7161 (charge)
	VATCategory string
	VATRate     Amount
}

// PaymentMeans is one way to pay (BG-16).
type PaymentMeans struct {
	Code    string // UNTDID 4461
	ID      string // remittance information (BT-83)
	Account string // IBAN or other account id (BT-84)
	BIC     string // BT-86
}

// Amount is an exact decimal as written in the document: "100.00" keeps
// its two decimals. The zero Amount means the element was absent.
type Amount struct {
	d   decimal.Decimal
	set bool
}

// ParseAmount reads a decimal such as "-12.50"; exponents, thousands
// separators and more than 19 digits are rejected.
func ParseAmount(s string) (Amount, error) {
	t := strings.TrimSpace(s)
	if !decimalLexical.MatchString(t) {
		return Amount{}, backoffice.Errorf(backoffice.EInvalid, "%q is not a decimal number", s)
	}
	d, err := decimal.Parse(strings.TrimPrefix(t, "+"))
	if err != nil {
		return Amount{}, backoffice.Errorf(backoffice.EInvalid, "%q is not a decimal number with at most 19 digits", s)
	}
	return Amount{d: d, set: true}, nil
}

// Present reports whether the document held the amount.
func (a Amount) Present() bool { return a.set }

// Decimal is the exact value.
func (a Amount) Decimal() decimal.Decimal { return a.d }

// Scale is the number of decimals written.
func (a Amount) Scale() int { return a.d.Scale() }

// String is the amount with the decimals written, "" when absent.
func (a Amount) String() string {
	if !a.set {
		return ""
	}
	return a.d.String()
}

// MarshalJSON writes the amount as a decimal string, or null when absent.
func (a Amount) MarshalJSON() ([]byte, error) {
	if !a.set {
		return []byte("null"), nil
	}
	return []byte(`"` + a.d.String() + `"`), nil
}
