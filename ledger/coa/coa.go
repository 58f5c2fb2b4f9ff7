// Package coa reads charts of accounts from other programs — GnuCash account
// templates and books, Frappe Books / ERPNext JSON charts, Odoo account CSV —
// and from our own CSV layout, into one neutral Chart that the ledger can
// load. It has no database: it parses, checks and writes. Detect tells the
// formats apart by content.
//
// ParseGnuCash and ParseFrappe return accounts parents first, in the order of
// the source, with a Code on every account. When the source has no code for
// an account, one is generated from its place in the tree: the n-th top-level
// account (counting every sibling in source order) gets "n", the n-th child
// of the account coded "P" gets "P.n" (so "1", "1.1", "1.1.2", or "1200.3"
// under a coded parent). The same file always gives the same codes. A
// generated code that is already some other account's code gets "-2", "-3", …
// appended. What such a source says that a Chart cannot hold (a stock
// account, a child of another type than its parent, a duplicate code) is
// adapted and reported in Chart.Warnings with its line, so a parsed chart
// always passes Validate.
//
// ParseCSV and ParseOdoo keep the file's order and adapt nothing: like every
// CSV import (package csvio), they report every bad cell and every broken
// chart rule at once, by line and column, and return no chart then.
package coa

import (
	"slices"
	"strings"
)

// Type is the accounting class of an account; it decides where the account
// appears (balance sheet or income statement) and its normal balance.
type Type string

// The five account types.
const (
	Asset     Type = "asset"
	Liability Type = "liability"
	Equity    Type = "equity"
	Income    Type = "income"
	Expense   Type = "expense"
)

// Types lists every Type in the order of a balance sheet then an income statement.
func Types() []Type { return []Type{Asset, Liability, Equity, Income, Expense} }

// Subtypes: the role an account plays for the rest of the suite (where
// invoices post receivables, which accounts a bank statement reconciles, …).
// SubtypeOther is an account with no special role.
const (
	SubtypeReceivable              = "receivable"
	SubtypePayable                 = "payable"
	SubtypeBank                    = "bank"
	SubtypeCash                    = "cash"
	SubtypeCreditCard              = "credit_card"
	SubtypeTax                     = "tax"
	SubtypeInventory               = "inventory"
	SubtypeFixedAsset              = "fixed_asset"
	SubtypeAccumulatedDepreciation = "accumulated_depreciation"
	SubtypePrepayment              = "prepayment"
	SubtypeCurrentAsset            = "current_asset"
	SubtypeNonCurrentAsset         = "non_current_asset"
	SubtypeCurrentLiability        = "current_liability"
	SubtypeNonCurrentLiability     = "non_current_liability"
	SubtypeRetainedEarnings        = "retained_earnings"
	SubtypeOpeningBalance          = "opening_balance"
	SubtypeCostOfSales             = "cost_of_sales"
	SubtypeDepreciation            = "depreciation"
	SubtypeRoundOff                = "round_off"
	SubtypeOther                   = "other"
)

// Subtypes lists every subtype with the types it is allowed on.
func Subtypes() map[string][]Type {
	out := map[string][]Type{}
	for _, s := range subtypeNames() {
		out[s], _ = allowedTypes(s)
	}
	return out
}

// subtypeNames lists the subtypes in a stable order, for messages.
func subtypeNames() []string {
	return []string{SubtypeReceivable, SubtypePayable, SubtypeBank, SubtypeCash, SubtypeCreditCard, SubtypeTax,
		SubtypeInventory, SubtypeFixedAsset, SubtypeAccumulatedDepreciation, SubtypePrepayment, SubtypeCurrentAsset,
		SubtypeNonCurrentAsset, SubtypeCurrentLiability, SubtypeNonCurrentLiability, SubtypeRetainedEarnings,
		SubtypeOpeningBalance, SubtypeCostOfSales, SubtypeDepreciation, SubtypeRoundOff, SubtypeOther}
}

// allowedTypes returns the types subtype may be used on; ok is false for an
// unknown subtype.
func allowedTypes(subtype string) (types []Type, ok bool) {
	switch subtype {
	case SubtypeReceivable, SubtypeCash, SubtypeInventory, SubtypeFixedAsset, SubtypeAccumulatedDepreciation,
		SubtypePrepayment, SubtypeCurrentAsset, SubtypeNonCurrentAsset:
		return []Type{Asset}, true
	case SubtypePayable, SubtypeCreditCard, SubtypeCurrentLiability, SubtypeNonCurrentLiability:
		return []Type{Liability}, true
	case SubtypeBank: // a bank overdraft or credit line has a liability balance
		return []Type{Asset, Liability}, true
	case SubtypeTax:
		return []Type{Asset, Liability, Expense}, true
	case SubtypeRetainedEarnings, SubtypeOpeningBalance:
		return []Type{Equity}, true
	case SubtypeCostOfSales, SubtypeDepreciation:
		return []Type{Expense}, true
	case SubtypeRoundOff:
		return []Type{Expense, Income}, true
	case SubtypeOther:
		return Types(), true
	}
	return nil, false
}

// Account is one account of a chart.
type Account struct {
	Code         string `json:"code"`                   // unique within the chart
	Name         string `json:"name"`                   // as the source spells it, white space collapsed
	Type         Type   `json:"type"`                   // the same as the parent's
	Subtype      string `json:"subtype"`                // one of the Subtype… constants
	Parent       string `json:"parent,omitempty"`       // the parent's Code, "" at the top
	Currency     string `json:"currency,omitempty"`     // ISO 4217 code the account is fixed to, "" for any
	Placeholder  bool   `json:"placeholder,omitempty"`  // a grouping account that takes no postings
	Reconcilable bool   `json:"reconcilable,omitempty"` // postings are matched (bank lines, open items)
}

// Chart is a chart of accounts as read from one file.
type Chart struct {
	Name     string    `json:"name,omitempty"`     // the source's title
	Country  string    `json:"country,omitempty"`  // ISO 3166 alpha-2, upper case, when the source says
	Currency string    `json:"currency,omitempty"` // the currency the source was written for, when it says
	Accounts []Account `json:"accounts"`
	Warnings []Warning `json:"warnings,omitempty"` // what was adapted or left out, in line order
}

// Warning is something the source said that the chart could not hold as is.
type Warning struct {
	Line    int    `json:"line"` // line in the source file, 0 when not known
	Message string `json:"message"`
}

// subtypeAllowed reports whether subtype may be used on an account of type t.
func subtypeAllowed(subtype string, t Type) bool {
	types, _ := allowedTypes(subtype)
	return slices.Contains(types, t)
}

// validType reports whether t is one of the five types.
func validType(t Type) bool {
	switch t {
	case Asset, Liability, Equity, Income, Expense:
		return true
	}
	return false
}

// reconcilableByDefault reports whether accounts of subtype are matched
// against statements or open items unless the source says otherwise.
func reconcilableByDefault(subtype string) bool {
	switch subtype {
	case SubtypeBank, SubtypeCreditCard, SubtypeReceivable, SubtypePayable:
		return true
	}
	return false
}

// cleanText collapses runs of white space (new lines included) to one space,
// trims the ends and replaces invalid UTF-8, so names survive CSV and forms.
func cleanText(s string) string {
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}
