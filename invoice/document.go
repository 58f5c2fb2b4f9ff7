package invoice

import (
	"time"

	"backoffice"
)

// Kind is the kind of a document: what we sell (invoice, credit note) or
// buy (bill, refund). A credit note reverses an invoice, a refund a bill.
type Kind string

// The kinds of document.
const (
	KindInvoice    Kind = "invoice"
	KindCreditNote Kind = "credit_note"
	KindBill       Kind = "bill"
	KindRefund     Kind = "refund"
)

// Kinds lists the document kinds.
func Kinds() []Kind { return []Kind{KindInvoice, KindCreditNote, KindBill, KindRefund} }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return k == KindInvoice || k == KindCreditNote || k == KindBill || k == KindRefund
}

// Sales reports whether k is a customer document (invoice or credit note).
func (k Kind) Sales() bool { return k == KindInvoice || k == KindCreditNote }

// Credit reports whether k reverses another kind (credit note, refund).
func (k Kind) Credit() bool { return k == KindCreditNote || k == KindRefund }

// Credits is the kind a credit document of kind k refers to: invoice for a
// credit note, bill for a refund; "" for the others.
func (k Kind) Credits() Kind {
	switch k {
	case KindCreditNote:
		return KindInvoice
	case KindRefund:
		return KindBill
	}
	return ""
}

// prefix starts the document number: INV-2026-00001.
func (k Kind) prefix() string {
	switch k {
	case KindInvoice:
		return "INV"
	case KindCreditNote:
		return "CN"
	case KindBill:
		return "BILL"
	}
	return "REF"
}

// State is where a document is in its life. A draft changes freely; a
// posted document never changes; a cancelled one is posted and fully
// credited by the credit note (or refund) that cancelled it.
type State string

// The document states.
const (
	StateDraft     State = "draft"
	StatePosted    State = "posted"
	StateCancelled State = "cancelled"
)

// LineInput is one line as a user writes it. Give a product (ProductID or
// ProductCode) or a free-text Description, or both. Fields left empty take
// the product's values, then the party's defaults, then the chart's: unit
// price (minor units of the document currency; nil = the product's price),
// unit (C62), tax codes, account. Quantity defaults to 1.
type LineInput struct {
	ProductID       backoffice.ID     `json:"product_id,omitempty"`
	ProductCode     string            `json:"product_code,omitempty"`
	Description     string            `json:"description,omitempty"`
	Quantity        Quantity          `json:"quantity"`
	Unit            string            `json:"unit,omitempty"`
	UnitPrice       *int64            `json:"unit_price,omitempty"`
	DiscountPercent Percent           `json:"discount_percent"`
	TaxCodes        []string          `json:"tax_codes,omitempty"` // one VAT or sales tax code, plus at most one withholding code
	AccountID       backoffice.ID     `json:"account_id,omitempty"`
	Dimensions      map[string]string `json:"dimensions,omitempty"`
}

// AllowanceInput is a document-level allowance (a discount on the whole
// document) or, with Charge set, a charge (freight, packing). Amount is
// positive minor units, without tax. TaxCode defaults to the lines' VAT
// code when they all share one; AccountID to the chart's discount or
// income (expense) account.
type AllowanceInput struct {
	Charge    bool          `json:"charge"`
	Amount    int64         `json:"amount"`
	Reason    string        `json:"reason"`
	TaxCode   string        `json:"tax_code,omitempty"`
	AccountID backoffice.ID `json:"account_id,omitempty"`
}

// InstallmentInput is one part of the payable amount due on one date.
type InstallmentInput struct {
	DueDate backoffice.Date `json:"due_date"`
	Amount  int64           `json:"amount"`
}

// Input is what a user gives to create a draft or to replace its fields.
// Empty fields take defaults: the due date from the party's payment terms
// (or the last installment), the currency from the party (or the company),
// the early-payment discount from the party's terms. Rate (company
// currency per unit of a foreign currency, a decimal) is required for a
// foreign currency. A credit note or refund may name the document it
// credits (CreditsID). DuplicateReason overrides the duplicate-bill check
// and is recorded in the change log.
type Input struct {
	Kind                 Kind                `json:"kind"`
	PartyID              backoffice.ID       `json:"party_id"`
	IssueDate            backoffice.Date     `json:"issue_date"`
	DueDate              backoffice.Date     `json:"due_date,omitzero"`
	Currency             backoffice.Currency `json:"currency,omitempty"`
	Rate                 string              `json:"rate,omitempty"`
	Lines                []LineInput         `json:"lines"`
	Allowances           []AllowanceInput    `json:"allowances,omitempty"`
	Installments         []InstallmentInput  `json:"installments,omitempty"`
	PaymentTerms         string              `json:"payment_terms,omitempty"`
	EarlyDiscountPercent Percent             `json:"early_discount_percent"`
	EarlyDiscountDays    int                 `json:"early_discount_days"`
	Notes                string              `json:"notes,omitempty"`
	SupplierReference    string              `json:"supplier_reference,omitempty"`
	CreditsID            backoffice.ID       `json:"credits_id,omitempty"`
	DuplicateReason      string              `json:"duplicate_reason,omitempty"`
}

// Line is a stored line with every default resolved and its net amount
// (EN 16931 BT-131: quantity × price − discount, without tax).
type Line struct {
	LineNo          int               `json:"line_no"`
	ProductID       backoffice.ID     `json:"product_id,omitempty"`
	Description     string            `json:"description"`
	Quantity        Quantity          `json:"quantity"`
	Unit            string            `json:"unit"`
	UnitPrice       int64             `json:"unit_price"`
	DiscountPercent Percent           `json:"discount_percent"`
	TaxCodes        []string          `json:"tax_codes"`
	AccountID       backoffice.ID     `json:"account_id"`
	Dimensions      map[string]string `json:"dimensions,omitempty"`
	NetAmount       int64             `json:"net_amount"`
}

// Allowance is a stored document-level allowance or charge.
type Allowance struct {
	Charge    bool          `json:"charge"`
	Amount    int64         `json:"amount"`
	Reason    string        `json:"reason"`
	TaxCode   string        `json:"tax_code"`
	AccountID backoffice.ID `json:"account_id"`
}

// TaxSubtotal is one row of the tax breakdown (EN 16931 BG-23): per tax
// code, which is per VAT category and rate, the taxable amount (BT-116) and
// the tax (BT-117).
type TaxSubtotal struct {
	TaxCode         string  `json:"tax_code"`
	Type            TaxType `json:"type"`
	Category        string  `json:"category"`
	Rate            Percent `json:"rate"`
	ExemptionCode   string  `json:"exemption_code,omitempty"`
	ExemptionReason string  `json:"exemption_reason,omitempty"`
	TaxableAmount   int64   `json:"taxable_amount"`
	TaxAmount       int64   `json:"tax_amount"`
}

// Installment is one due date of the document. EntryLine is the line
// number of its receivable (or payable) line in the posted entry, which
// payment matching uses.
type Installment struct {
	DueDate   backoffice.Date `json:"due_date"`
	Amount    int64           `json:"amount"`
	EntryLine int             `json:"entry_line,omitempty"`
}

// Totals are the document totals of EN 16931, in minor units of the
// document currency. Withheld is withholding tax the payer keeps back; it
// is not part of EN 16931 and is zero on EU VAT documents.
type Totals struct {
	LineTotal      int64 `json:"line_total"`      // BT-106 sum of line net amounts
	AllowanceTotal int64 `json:"allowance_total"` // BT-107
	ChargeTotal    int64 `json:"charge_total"`    // BT-108
	TaxExclusive   int64 `json:"tax_exclusive"`   // BT-109
	TaxTotal       int64 `json:"tax_total"`       // BT-110 VAT and sales tax
	TaxInclusive   int64 `json:"tax_inclusive"`   // BT-112
	Withheld       int64 `json:"withheld"`
	Payable        int64 `json:"payable"` // BT-115 = BT-112 − withheld
}

// Document is a stored invoice, credit note, bill or refund.
type Document struct {
	ID                   backoffice.ID       `json:"id"`
	CompanyID            backoffice.ID       `json:"company_id"`
	Kind                 Kind                `json:"kind"`
	State                State               `json:"state"`
	Number               string              `json:"number,omitempty"` // set at posting: INV-2026-00001
	FiscalYear           int                 `json:"fiscal_year,omitempty"`
	PartyID              backoffice.ID       `json:"party_id"`
	PartyName            string              `json:"party_name"`
	IssueDate            backoffice.Date     `json:"issue_date"`
	DueDate              backoffice.Date     `json:"due_date"`
	Currency             backoffice.Currency `json:"currency"`
	Rate                 string              `json:"rate,omitempty"` // company currency per unit; "" in company currency, or on a draft that takes the ledger's rate
	PaymentTerms         string              `json:"payment_terms"`
	EarlyDiscountPercent Percent             `json:"early_discount_percent"`
	EarlyDiscountDays    int                 `json:"early_discount_days"`
	Notes                string              `json:"notes"`
	SupplierReference    string              `json:"supplier_reference"`
	CreditsID            backoffice.ID       `json:"credits_id,omitempty"`
	Lines                []Line              `json:"lines"`
	Allowances           []Allowance         `json:"allowances"`
	Taxes                []TaxSubtotal       `json:"taxes"`
	Installments         []Installment       `json:"installments"`
	Totals               Totals              `json:"totals"`
	EntryID              backoffice.ID       `json:"entry_id,omitempty"`
	CancelledByID        backoffice.ID       `json:"cancelled_by_id,omitempty"`
	DuplicateReason      string              `json:"duplicate_reason,omitempty"`
	PostedAt             *time.Time          `json:"posted_at,omitempty"`
	Version              int64               `json:"version"`
	CreatedAt            time.Time           `json:"created_at"`
	UpdatedAt            time.Time           `json:"updated_at"`

	// childrenStored is set when the stored lines, allowances and taxes
	// are those of this value, so posting need not write them again.
	childrenStored bool
	// rateFromLedger is set when Rate is the ledger's rate of the issue
	// date rather than one the user gave: a draft stores no rate then.
	rateFromLedger bool
}

// EntryLines are the line numbers of the document's receivable (or
// payable) lines in its ledger entry, one per installment.
func (d Document) EntryLines() []int {
	out := make([]int, 0, len(d.Installments))
	for _, in := range d.Installments {
		if in.EntryLine != 0 {
			out = append(out, in.EntryLine)
		}
	}
	return out
}

// Input returns the document as the input that would write it again, for
// changing a draft: every resolved default is kept.
func (d Document) Input() Input {
	in := Input{Kind: d.Kind, PartyID: d.PartyID, IssueDate: d.IssueDate, DueDate: d.DueDate, Currency: d.Currency, Rate: d.Rate,
		PaymentTerms: d.PaymentTerms, EarlyDiscountPercent: d.EarlyDiscountPercent, EarlyDiscountDays: d.EarlyDiscountDays,
		Notes: d.Notes, SupplierReference: d.SupplierReference, CreditsID: d.CreditsID, DuplicateReason: d.DuplicateReason}
	for _, l := range d.Lines {
		price := l.UnitPrice
		in.Lines = append(in.Lines, LineInput{ProductID: l.ProductID, Description: l.Description, Quantity: l.Quantity, Unit: l.Unit,
			UnitPrice: &price, DiscountPercent: l.DiscountPercent, TaxCodes: l.TaxCodes, AccountID: l.AccountID, Dimensions: l.Dimensions})
	}
	for _, a := range d.Allowances {
		in.Allowances = append(in.Allowances, AllowanceInput(a))
	}
	if len(d.Installments) > 1 {
		for _, i := range d.Installments {
			in.Installments = append(in.Installments, InstallmentInput{DueDate: i.DueDate, Amount: i.Amount})
		}
	}
	return in
}
