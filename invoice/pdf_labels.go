package invoice

import (
	"fmt"
	"strings"

	"backoffice"
)

// Printed documents speak the party's language: English, German or French,
// English for any other. A language is its labels and how it writes
// numbers and dates.

// lang is one language of printed documents.
type lang struct {
	code     string
	thousand string // "," in English, "." in German, a no-break space in French
	decimal  string
	date     func(backoffice.Date) string
	percent  string // between a number and "%": "" or a no-break space
	labels   map[string]string
}

// label is the text of key in l, the English text when l lacks it.
func (l lang) label(key string) string {
	if s, ok := l.labels[key]; ok {
		return s
	}
	return langs["en"].labels[key]
}

// langOf is the language of ISO 639-1 code, English for one without labels.
func langOf(code string) lang {
	if l, ok := langs[strings.ToLower(code)]; ok {
		return l
	}
	return langs["en"]
}

// amount writes minor units of c with the language's separators:
// 1,234.56, 1.234,56 or 1 234,56.
func (l lang) amount(minor int64, c backoffice.Currency) string {
	return l.number(backoffice.FormatMinor(minor, c.Exponent()))
}

// money is amount followed by the currency code.
func (l lang) money(minor int64, c backoffice.Currency) string {
	return l.amount(minor, c) + " " + string(c)
}

// number rewrites a decimal "-1234.5" with the language's separators.
func (l lang) number(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(l.thousand)
		}
		b.WriteRune(d)
	}
	if hasFrac {
		b.WriteString(l.decimal + frac)
	}
	return b.String()
}

// quantity writes a quantity without trailing zeros: 1.5, 1,5.
func (l lang) quantity(q Quantity) string { return l.number(q.String()) }

// pct writes a percentage: 19%, 19 %, 7,7 %.
func (l lang) pct(p Percent) string { return l.number(p.String()) + l.percent + "%" }

// unit names a UN/ECE Rec 20 unit code as a reader knows it.
func (l lang) unit(code string) string {
	if s, ok := l.labels["unit."+code]; ok {
		return s
	}
	if s, ok := langs["en"].labels["unit."+code]; ok {
		return s
	}
	return code
}

const nbsp = "\u00a0"

var langs = map[string]lang{
	"en": {code: "en", thousand: ",", decimal: ".", date: func(d backoffice.Date) string { return d.String() }, labels: map[string]string{
		"invoice": "Invoice", "credit_note": "Credit note", "statement": "Statement of account",
		"number": "Number", "issue_date": "Date", "due_date": "Due date", "customer_vat": "Your VAT ID", "customer_no": "Customer number",
		"credits": "Credits invoice", "bill_to": "Bill to", "from": "From",
		"description": "Description", "quantity": "Qty", "unit": "Unit", "unit_price": "Unit price", "discount": "Discount", "vat": "VAT", "net_amount": "Net amount",
		"allowance": "Allowance", "charge": "Charge",
		"vat_breakdown": "VAT breakdown", "rate": "Rate", "taxable": "Taxable amount", "tax": "Tax",
		"line_total": "Sum of lines", "net_total": "Total without VAT", "vat_total": "VAT", "total": "Total", "withheld": "Tax withheld", "amount_due": "Amount due",
		"refund_due": "Amount credited",
		"payment":    "Payment", "pay_transfer": "Please transfer %s by %s to:", "pay_refund": "%s is set off against your open items or refunded to your account.",
		"account_holder": "Account holder", "iban": "IBAN", "bic": "BIC", "bank": "Bank", "reference": "Reference",
		"early_discount": "If paid by %s you may deduct %s (%s) and pay %s.", "terms": "Terms", "net_days": "net %s days",
		"exemption": "VAT exemption", "notes": "Notes",
		"vat_id": "VAT ID", "registration": "Registration", "tax_id": "Tax number",
		"page_of": "Page %d of %s", "draft": "DRAFT", "phone": "Phone", "email": "Email",
		"as_of": "As of", "open_items": "Open items", "movements": "Movements of %s", "document": "Document", "date": "Date", "amount": "Amount",
		"open": "Open", "days_overdue": "Days overdue", "balance": "Balance owed", "opening": "Opening balance", "closing": "Closing balance",
		"no_open_items": "Nothing is open: thank you.", "no_movements": "No movements this month.", "debit": "Invoiced", "credit": "Paid / credited",
		"aging": "Ageing", "not_due": "Not yet due", "days_1_30": "1–30 days", "days_31_60": "31–60 days", "days_61_90": "61–90 days", "days_90": "Over 90 days",
		"statement_pay": "Please pay the overdue items to the account below, quoting the document number.",
		"unit.C62":      "pcs", "unit.H87": "pcs", "unit.EA": "each", "unit.HUR": "h", "unit.DAY": "days", "unit.MON": "months", "unit.KGM": "kg",
		"unit.MTR": "m", "unit.LTR": "l", "unit.KMT": "km", "unit.MIN": "min", "unit.ANN": "years", "unit.WEE": "weeks", "unit.LS": "lump sum",
	}},
	"de": {code: "de", thousand: ".", decimal: ",", percent: nbsp, date: func(d backoffice.Date) string { return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year) }, labels: map[string]string{
		"invoice": "Rechnung", "credit_note": "Gutschrift", "statement": "Kontoauszug",
		"number": "Nummer", "issue_date": "Datum", "due_date": "Fällig am", "customer_vat": "Ihre USt-IdNr.", "customer_no": "Kundennummer",
		"credits": "Gutschrift zu Rechnung", "bill_to": "Rechnungsempfänger", "from": "Von",
		"description": "Beschreibung", "quantity": "Menge", "unit": "Einheit", "unit_price": "Einzelpreis", "discount": "Rabatt", "vat": "USt.", "net_amount": "Nettobetrag",
		"allowance": "Nachlass", "charge": "Zuschlag",
		"vat_breakdown": "Umsatzsteuer", "rate": "Satz", "taxable": "Bemessungsgrundlage", "tax": "Steuer",
		"line_total": "Summe der Positionen", "net_total": "Summe netto", "vat_total": "Umsatzsteuer", "total": "Gesamtbetrag", "withheld": "Einbehaltene Steuer", "amount_due": "Zahlbetrag",
		"refund_due": "Gutgeschriebener Betrag",
		"payment":    "Zahlung", "pay_transfer": "Bitte überweisen Sie %s bis zum %s auf:", "pay_refund": "Der Betrag von %s wird mit Ihren offenen Posten verrechnet oder Ihrem Konto erstattet.",
		"account_holder": "Kontoinhaber", "iban": "IBAN", "bic": "BIC", "bank": "Bank", "reference": "Verwendungszweck",
		"early_discount": "Bei Zahlung bis zum %s können Sie %s (%s) Skonto abziehen und %s zahlen.", "terms": "Zahlungsbedingungen", "net_days": "zahlbar innerhalb von %s Tagen ohne Abzug",
		"exemption": "Steuerbefreiung", "notes": "Hinweise",
		"vat_id": "USt-IdNr.", "registration": "Handelsregister", "tax_id": "Steuernummer",
		"page_of": "Seite %d von %s", "draft": "ENTWURF", "phone": "Tel.", "email": "E-Mail",
		"as_of": "Stand", "open_items": "Offene Posten", "movements": "Bewegungen im %s", "document": "Beleg", "date": "Datum", "amount": "Betrag",
		"open": "Offen", "days_overdue": "Tage überfällig", "balance": "Offener Saldo", "opening": "Anfangssaldo", "closing": "Endsaldo",
		"no_open_items": "Es sind keine Posten offen. Vielen Dank.", "no_movements": "Keine Bewegungen in diesem Monat.", "debit": "Berechnet", "credit": "Bezahlt / gutgeschrieben",
		"aging": "Fälligkeit", "not_due": "Noch nicht fällig", "days_1_30": "1–30 Tage", "days_31_60": "31–60 Tage", "days_61_90": "61–90 Tage", "days_90": "Über 90 Tage",
		"statement_pay": "Bitte zahlen Sie die überfälligen Posten unter Angabe der Belegnummer auf das unten genannte Konto.",
		"unit.C62":      "Stk.", "unit.H87": "Stk.", "unit.EA": "Stk.", "unit.HUR": "Std.", "unit.DAY": "Tage", "unit.MON": "Monate", "unit.ANN": "Jahre", "unit.WEE": "Wochen", "unit.LS": "pauschal",
	}},
	"fr": {code: "fr", thousand: nbsp, decimal: ",", percent: nbsp, date: func(d backoffice.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }, labels: map[string]string{
		"invoice": "Facture", "credit_note": "Avoir", "statement": "Relevé de compte",
		"number": "Numéro", "issue_date": "Date", "due_date": "Échéance", "customer_vat": "Votre n° TVA", "customer_no": "N° client",
		"credits": "Avoir sur facture", "bill_to": "Facturé à", "from": "De",
		"description": "Désignation", "quantity": "Qté", "unit": "Unité", "unit_price": "Prix unitaire", "discount": "Remise", "vat": "TVA", "net_amount": "Montant HT",
		"allowance": "Remise", "charge": "Frais",
		"vat_breakdown": "Détail de la TVA", "rate": "Taux", "taxable": "Base HT", "tax": "TVA",
		"line_total": "Total des lignes", "net_total": "Total HT", "vat_total": "TVA", "total": "Total TTC", "withheld": "Retenue à la source", "amount_due": "Net à payer",
		"refund_due": "Montant crédité",
		"payment":    "Paiement", "pay_transfer": "Merci de virer %s au plus tard le %s sur le compte :", "pay_refund": "Le montant de %s est imputé sur vos pièces ouvertes ou remboursé sur votre compte.",
		"account_holder": "Titulaire", "iban": "IBAN", "bic": "BIC", "bank": "Banque", "reference": "Référence",
		"early_discount": "En cas de paiement avant le %s, vous pouvez déduire %s (%s) et payer %s.", "terms": "Conditions", "net_days": "paiement à %s jours net",
		"exemption": "Exonération de TVA", "notes": "Remarques",
		"vat_id": "N° TVA", "registration": "RCS", "tax_id": "N° fiscal",
		"page_of": "Page %d sur %s", "draft": "BROUILLON", "phone": "Tél.", "email": "E-mail",
		"as_of": "Au", "open_items": "Pièces non soldées", "movements": "Mouvements de %s", "document": "Pièce", "date": "Date", "amount": "Montant",
		"open": "Restant dû", "days_overdue": "Jours de retard", "balance": "Solde dû", "opening": "Solde d'ouverture", "closing": "Solde de clôture",
		"no_open_items": "Aucune pièce n'est ouverte : merci.", "no_movements": "Aucun mouvement ce mois-ci.", "debit": "Facturé", "credit": "Payé / crédité",
		"aging": "Échéancier", "not_due": "Non échu", "days_1_30": "1–30 jours", "days_31_60": "31–60 jours", "days_61_90": "61–90 jours", "days_90": "Plus de 90 jours",
		"statement_pay": "Merci de régler les pièces échues sur le compte ci-dessous en rappelant le numéro de pièce.",
		"unit.C62":      "pce", "unit.H87": "pce", "unit.EA": "pce", "unit.HUR": "h", "unit.DAY": "jours", "unit.MON": "mois", "unit.ANN": "ans", "unit.WEE": "semaines", "unit.LS": "forfait",
	}},
}

// monthName is the month of d as the language writes it: "March 2026",
// "März 2026", "mars 2026".
func (l lang) monthName(d backoffice.Date) string {
	names := map[string][12]string{
		"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	}
	if n, ok := names[l.code]; ok {
		return fmt.Sprintf("%s %d", n[d.Month-1], d.Year)
	}
	return d.Time().Format("January 2006")
}
