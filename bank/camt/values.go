package camt

import (
	"fmt"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// currencyOf reads a Ccy attribute or element. An empty code gives the
// fallback; a code that is not ISO 4217 is kept as written (the importer
// compares it with the bank account) and reported.
func currencyOf(raw string, fallback backoffice.Currency, line int, w *warnings) backoffice.Currency {
	if raw == "" {
		return fallback
	}
	c, err := backoffice.ParseCurrency(raw)
	if err != nil {
		w.addf(line, "currency %q is not an ISO 4217 code; amounts in it are read with 2 decimals", raw)
		return backoffice.Currency(strings.ToUpper(strings.TrimSpace(raw)))
	}
	return c
}

// signedAmount reads <Amt Ccy="…">…</Amt> and signs it with the
// CdtDbtInd beside it (DBIT negative). It returns a message instead of an
// amount when the figure cannot be read exactly; the caller decides whether
// that is fatal (an entry) or not (a balance).
func signedAmount(amt, indicator *node, fallback backoffice.Currency, what string, w *warnings) (backoffice.Money, string) {
	if amt == nil {
		return backoffice.Money{}, what + " has no <Amt>"
	}
	c := currencyOf(amt.attr("Ccy"), fallback, amt.line, w)
	if c == "" {
		w.addf(amt.line, "%s has no currency and the account gives none; read with 2 decimals", what)
	}
	text := strings.TrimSpace(amt.text.String())
	minor, err := backoffice.ParseMinor(text, statement.Exponent(c))
	if err != nil {
		return backoffice.Money{}, fmt.Sprintf("%s %q cannot be read as an amount in %s: %s", what, text, currencyName(c), backoffice.ErrorMessage(err))
	}
	ind := strings.ToUpper(strings.TrimSpace(indicatorText(indicator)))
	if minor < 0 && ind != "" {
		// ISO amounts are unsigned and CdtDbtInd gives the direction; a
		// minus sign is a bank's own habit and must not flip a debit back.
		w.addf(amt.line, "%s %q carries a minus sign; CdtDbtInd %s gives the direction", what, text, ind)
		minor = -minor
	}
	switch ind {
	case "DBIT":
		minor = -minor
	case "CRDT":
	case "":
		if minor != 0 {
			w.addf(amt.line, "%s has no CdtDbtInd; read as a credit", what)
		}
	default:
		w.addf(indicator.line, "%s has CdtDbtInd %q, neither CRDT nor DBIT; read as a credit", what, ind)
	}
	return backoffice.Money{Amount: minor, Currency: c}, ""
}

func indicatorText(n *node) string {
	if n == nil {
		return ""
	}
	return n.text.String()
}

func currencyName(c backoffice.Currency) string {
	if c == "" {
		return "an unknown currency"
	}
	return string(c)
}

// dateOf reads a date choice: <Dt>2026-01-31</Dt> or <DtTm>2026-01-31T10:00:00+01:00</DtTm>
// (also the FrDtTm/ToDtTm pair of FrToDt). A date-time keeps the calendar
// date written in the file: it is the bank's business day, which converting
// to UTC could move to the day before.
func dateOf(n *node, what string, w *warnings) backoffice.Date {
	if n == nil {
		return backoffice.Date{}
	}
	text := strings.TrimSpace(n.text.String())
	if len(n.kids) > 0 {
		text = n.first([]string{"Dt"}, []string{"DtTm"})
	}
	return parseDate(text, n.line, what, w)
}

func parseDate(text string, line int, what string, w *warnings) backoffice.Date {
	if text == "" {
		return backoffice.Date{}
	}
	day := text
	if len(day) > 10 && (day[10] == 'T' || day[10] == ' ') {
		day = day[:10]
	}
	d, err := backoffice.ParseDate(day)
	if err != nil {
		w.addf(line, "%s %q is not a date; left empty", what, text)
		return backoffice.Date{}
	}
	return d
}

// reference drops the placeholders banks write where a reference is optional.
func reference(s string) string {
	switch strings.ToUpper(s) {
	case "NOTPROVIDED", "NONREF", "NOT PROVIDED":
		return ""
	}
	return s
}

// amountText writes an amount for a warning: "-12.30 EUR".
func amountText(m backoffice.Money) string {
	return strings.TrimSpace(statement.Decimal(m) + " " + string(m.Currency))
}
