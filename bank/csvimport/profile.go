// Package csvimport reads bank statements exported as CSV. Banks share no
// CSV layout, so a Profile says which column holds what; Guess proposes one
// from a file's header and sample values, and BuiltinProfiles lists generic
// ones to start from. Profiles are saved by users, hence the JSON tags.
//
// Sign rules: with one AmountColumn the amount is taken as signed (credit
// positive) unless SignColumn says otherwise; with SignColumn the amount's
// own sign is dropped and the marker decides (DebitMarkers, compared
// without case, mean money out). With DebitColumn/CreditColumn, a value in
// the debit column is money out whether written "50,00" or "-50,00" (banks
// do both), and a value in the credit column is taken as written, so a
// correction written "-13,50" there is money out.
// NegateAmounts turns every sign around, for credit card exports that list
// purchases as positive amounts.
//
// Balances: with a BalanceColumn the closing balance is the balance on the
// latest row, and the opening balance is the earliest row's balance less
// that row's amount; without one both stay nil.
package csvimport

import (
	"strings"

	"backoffice"
)

// Profile describes one bank's CSV layout. Column references are header
// names, matched without regard to case, spaces, "_", "-" or ".", or a
// 1-based column number written "#3".
type Profile struct {
	Name            string `json:"name"`
	Delimiter       rune   `json:"delimiter"`   // ',', ';', '\t', '|'; 0 = detect
	Encoding        string `json:"encoding"`    // "utf-8", "windows-1252", "iso-8859-1"; "" = detect
	HeaderRows      int    `json:"header_rows"` // records before the first data row; the last holds the column names (0 = no header)
	DateColumn      string `json:"date_column"`
	DateFormat      string `json:"date_format"` // Go layout such as "02.01.2006", "01/02/2006", "2006-01-02"; "" = detect
	ValueDateColumn string `json:"value_date_column"`

	AmountColumn  string   `json:"amount_column"`
	DebitColumn   string   `json:"debit_column"`
	CreditColumn  string   `json:"credit_column"`
	SignColumn    string   `json:"sign_column"`
	DebitMarkers  []string `json:"debit_markers"` // values of SignColumn meaning money out; default D, DBIT, DR, S, DEBIT, AF, "-"
	NegateAmounts bool     `json:"negate_amounts"`
	DecimalComma  bool     `json:"decimal_comma"`
	ThousandsSep  string   `json:"thousands_sep"` // removed before reading; "" = the other of "." and ","

	Currency       string `json:"currency"`        // ISO 4217 of the account, used when no CurrencyColumn value
	CurrencyColumn string `json:"currency_column"` // per-row ISO 4217 code

	CounterpartyNameColumn string   `json:"counterparty_name_column"`
	CounterpartyIBANColumn string   `json:"counterparty_iban_column"`
	CounterpartyBICColumn  string   `json:"counterparty_bic_column"`
	RemittanceColumns      []string `json:"remittance_columns"` // joined with " "
	ReferenceColumn        string   `json:"reference_column"`
	EndToEndColumn         string   `json:"end_to_end_column"`
	BalanceColumn          string   `json:"balance_column"`
	AccountIBAN            string   `json:"account_iban"`
}

// validate reports every missing setting at once.
func (p Profile) validate() error {
	v := backoffice.Validation{}
	v.Check(strings.TrimSpace(p.DateColumn) != "", "date_column", "name the column that holds the booking date")
	hasAmount := p.AmountColumn != "" || p.DebitColumn != "" || p.CreditColumn != ""
	v.Check(hasAmount, "amount_column", "name an amount column, or debit and credit columns")
	v.Check(p.HeaderRows >= 0, "header_rows", "must be 0 or more")
	if p.Currency != "" {
		_, err := backoffice.ParseCurrency(p.Currency)
		v.Check(err == nil, "currency", "must be an ISO 4217 code such as EUR")
	}
	switch strings.ToLower(p.Encoding) {
	case "", "utf-8", "utf8", "windows-1252", "cp1252", "iso-8859-1", "latin1", "iso-8859-15":
	default:
		v.Add("encoding", "must be utf-8, windows-1252, iso-8859-1 or iso-8859-15")
	}
	return v.Err("CSV profile")
}

// debitMarker reports whether a SignColumn value means money out.
func (p Profile) debitMarker(s string) bool {
	markers := p.DebitMarkers
	if len(markers) == 0 {
		markers = []string{"D", "DBIT", "DR", "S", "DEBIT", "AF", "-"}
	}
	s = strings.TrimSpace(s)
	for _, m := range markers {
		if strings.EqualFold(s, strings.TrimSpace(m)) {
			return true
		}
	}
	return false
}
