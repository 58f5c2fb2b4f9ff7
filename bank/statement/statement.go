// Package statement holds the normalised form of a bank statement, whatever
// format it arrived in (camt.05x, MT940/MT942, OFX/QFX, CSV). The format
// parsers in bank/camt, bank/mt940, bank/ofx and bank/csvimport produce it;
// the bank package imports and reconciles it.
package statement

import (
	"encoding/json"
	"fmt"

	"backoffice"
)

// Result is everything read from one file.
type Result struct {
	Format     string      `json:"format"` // "camt.053", "camt.052", "camt.054", "mt940", "mt942", "ofx", "csv"
	Statements []Statement `json:"statements"`
	Warnings   []Warning   `json:"warnings"`
}

// Warning is something the parser read around or could not read, with the
// 1-based line of the file where it happened (0 when no line applies).
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("line %d: %s", w.Line, w.Message)
	}
	return w.Message
}

// Account identifies the bank account a statement is for.
type Account struct {
	IBAN     string              `json:"iban"`
	Number   string              `json:"number"` // other identification: BBAN, account number, OFX ACCTID
	BIC      string              `json:"bic"`
	Currency backoffice.Currency `json:"currency"`
}

// Statement is one statement, report or notification of one account.
type Statement struct {
	Account        Account         `json:"account"`
	ID             string          `json:"id"` // the bank's statement id; with the account it identifies the statement
	FromDate       backoffice.Date `json:"from_date"`
	ToDate         backoffice.Date `json:"to_date"`
	OpeningBalance *Balance        `json:"opening_balance"` // nil when the file gives none
	ClosingBalance *Balance        `json:"closing_balance"`
	Entries        []Entry         `json:"entries"`
}

// Balance is a signed amount (credit positive) at the end or start of a date.
type Balance struct {
	Amount backoffice.Money
	Date   backoffice.Date
}

// MarshalJSON writes {"amount":"-12.30","date":"2026-01-31"}; the currency is the account's.
func (b Balance) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Amount string          `json:"amount"`
		Date   backoffice.Date `json:"date"`
	}{Decimal(b.Amount), b.Date})
}

// Party is the other side of an entry.
type Party struct {
	Name string `json:"name"`
	IBAN string `json:"iban"`
	BIC  string `json:"bic"`
}

// Entry is one booked (or, in intraday reports, pending) movement.
type Entry struct {
	BookingDate   backoffice.Date
	ValueDate     backoffice.Date
	Amount        backoffice.Money // signed: credit (money in) positive, debit negative
	Counterparty  Party
	Remittance    string // unstructured remittance text, or the structured reference when that is all there is
	EndToEndID    string // the payer's end-to-end reference (ISO 20022 EndToEndId, MT940 EREF)
	BankReference string // the bank's own reference (AcctSvcrRef, MT940 :61: bank reference, OFX FITID)
	MandateID     string // SEPA direct debit mandate (MREF)
	CreditorID    string // SEPA creditor identifier (CRED)
	BankTxCode    string // domain/family/subfamily, proprietary code, MT940 transaction type, or OFX TRNTYPE
}

// MarshalJSON writes the entry in the normalised JSON layout, with the amount
// as a signed decimal string and its currency beside it.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		BookingDate   backoffice.Date     `json:"booking_date"`
		ValueDate     backoffice.Date     `json:"value_date"`
		Amount        string              `json:"amount"`
		Currency      backoffice.Currency `json:"currency"`
		Counterparty  Party               `json:"counterparty"`
		Remittance    string              `json:"remittance"`
		EndToEndID    string              `json:"end_to_end_id"`
		BankReference string              `json:"bank_reference"`
		MandateID     string              `json:"mandate_id"`
		CreditorID    string              `json:"creditor_id"`
		BankTxCode    string              `json:"bank_tx_code"`
	}{e.BookingDate, e.ValueDate, Decimal(e.Amount), e.Amount.Currency, e.Counterparty, e.Remittance,
		e.EndToEndID, e.BankReference, e.MandateID, e.CreditorID, e.BankTxCode})
}

// Decimal formats m with its currency's decimals, or two decimals when the
// file did not say which currency it is in.
func Decimal(m backoffice.Money) string {
	return backoffice.FormatMinor(m.Amount, Exponent(m.Currency))
}

// Exponent is the number of decimals of c, or 2 when c is unknown or empty.
func Exponent(c backoffice.Currency) int {
	if c.Valid() {
		return c.Exponent()
	}
	return 2
}
