package coa

import (
	"strings"

	"backoffice"
)

// gnucashType maps a GnuCash account type to ours. keep is false for types
// that have no place in the chart; note, when not empty, says why the account
// was adapted or left out.
func gnucashType(t string) (typ Type, subtype string, keep bool, note string) {
	switch t {
	case "ASSET":
		return Asset, SubtypeOther, true, ""
	case "BANK":
		return Asset, SubtypeBank, true, ""
	case "CASH":
		return Asset, SubtypeCash, true, ""
	case "RECEIVABLE":
		return Asset, SubtypeReceivable, true, ""
	case "STOCK", "MUTUAL":
		return Asset, SubtypeOther, true, "it counts securities in units, which the ledger does not track: it is imported as an asset of subtype other"
	case "CURRENCY":
		return Asset, SubtypeOther, true, "GnuCash's former type for foreign currency holdings: it is imported as an asset of subtype other"
	case "LIABILITY":
		return Liability, SubtypeOther, true, ""
	case "CREDIT":
		return Liability, SubtypeCreditCard, true, ""
	case "PAYABLE":
		return Liability, SubtypePayable, true, ""
	case "EQUITY":
		return Equity, SubtypeOther, true, ""
	case "INCOME":
		return Income, SubtypeOther, true, ""
	case "EXPENSE":
		return Expense, SubtypeOther, true, ""
	case "ROOT":
		return "", "", false, "" // GnuCash's invisible top account
	case "TRADING":
		return "", "", false, "trading accounts balance currency trades in GnuCash and have no use in this ledger: it is left out and its sub-accounts move up"
	}
	return "", "", false, "the GnuCash type is unknown: it is left out and its sub-accounts move up"
}

// gnucashNode adds raw account a to the builder and returns its index, or -1
// when the account is left out.
func gnucashNode(b *builder, a *gncAccount, chartCurrency string) int {
	name := cleanText(a.Name)
	kind := strings.ToUpper(strings.TrimSpace(a.Type))
	typ, subtype, keep, note := gnucashType(kind)
	if note != "" {
		b.warn(a.line, "%q is a GnuCash %s account: %s", name, kind, note)
	}
	if !keep {
		return -1
	}
	if typ == Equity && a.slot("equity-type") == "opening-balance" {
		subtype = SubtypeOpeningBalance
	}
	acc := Account{
		Code:         cleanText(a.Code),
		Name:         name,
		Type:         typ,
		Subtype:      subtype,
		Placeholder:  strings.EqualFold(a.slot("placeholder"), "true"),
		Reconcilable: reconcilableByDefault(subtype),
		Currency:     gnucashAccountCurrency(b, a, name, chartCurrency),
	}
	return b.add(acc, -1, a.line)
}

// gnucashAccountCurrency is the currency account a is fixed to: "" when its
// commodity is the chart's currency or is not a currency we know.
func gnucashAccountCurrency(b *builder, a *gncAccount, name, chartCurrency string) string {
	id := strings.ToUpper(strings.TrimSpace(a.Commodity.ID))
	switch {
	case id == "" || id == chartCurrency:
		return ""
	case !isCurrencySpace(a.Commodity.Space):
		b.warn(a.line, "%q is kept in %s (%s), which is not a currency: the account takes any currency", name, cleanText(a.Commodity.ID), cleanText(a.Commodity.Space))
		return ""
	case !backoffice.Currency(id).Valid():
		b.warn(a.line, "%q is kept in %s, which is not a current ISO 4217 currency: the account takes any currency", name, cleanText(a.Commodity.ID))
		return ""
	}
	return id
}
