package csvimport

import (
	"encoding/csv"
	"regexp"
	"strings"

	"backoffice"
)

// headerWords name the columns in English, German, French and Dutch, in
// the normalised form of normalise. Exact matches win over contained ones.
var headerWords = []struct {
	field string
	words []string
}{
	{"date", []string{"date", "bookingdate", "transactiondate", "posteddate", "postingdate", "datum", "buchungstag", "buchungsdatum", "dateoperation", "dateopération", "datecomptable", "boekdatum", "transactiedatum", "boekingsdatum"}},
	{"value_date", []string{"valuedate", "valuta", "valutadatum", "wertstellung", "datedevaleur", "datevaleur", "rentedatum"}},
	{"sign", []string{"d/c", "dc", "c/d", "cd", "debit/credit", "afbij", "af/bij", "soll/haben", "s/h", "sens", "creditdebit", "debitcredit"}},
	{"debit", []string{"debit", "débit", "soll", "af", "debet", "withdrawal", "withdrawals", "moneyout", "paidout", "ausgang", "ausgaben"}},
	{"credit", []string{"credit", "crédit", "haben", "bij", "deposit", "deposits", "moneyin", "paidin", "eingang", "einnahmen"}},
	{"amount", []string{"amount", "betrag", "montant", "bedrag", "umsatz", "transactionamount", "bedrag(eur)", "betrag(eur)", "amount(eur)"}},
	{"currency", []string{"currency", "währung", "waehrung", "devise", "munt", "curr", "ccy"}},
	{"name", []string{"partnername", "name", "payee", "beneficiary", "counterparty", "empfänger", "auftraggeber", "beguenstigter/zahlungspflichtiger", "begünstigter/zahlungspflichtiger", "naam", "naamtegenpartij", "tegenpartij", "bénéficiaire", "beneficiaire", "nom", "description/name"}},
	{"iban", []string{"iban", "bankaccount", "counterpartyiban", "tegenrekening", "kontonummer", "kontonummer/iban", "ibanauftraggeber", "tegenrekeningiban", "compte", "account"}},
	{"bic", []string{"bic", "swift", "bic/swift", "bicauftraggeber", "blz/bic"}},
	{"remittance", []string{"label", "description", "memo", "verwendungszweck", "purpose", "mededelingen", "omschrijving", "libellé", "libelle", "detail", "details", "buchungstext", "communication", "text", "narrative"}},
	{"reference", []string{"reference", "operationnumber", "transactionid", "referenz", "kundenreferenz", "référence", "numérodopération", "transactiereferentie", "ref"}},
	{"end_to_end", []string{"endtoend", "endtoendid", "endtoendreference", "eref", "endezuendereferenz"}},
	{"balance", []string{"balance", "saldo", "solde", "kontostand", "saldonamutatie", "runningbalance"}},
}

var (
	numberish    = regexp.MustCompile(`^[(+-]?[^0-9]{0,4}[0-9][0-9., '’]*[)-]?$`)
	commaDecimal = regexp.MustCompile(`[0-9],[0-9]{1,2}\)?-?$`)
	dotDecimal   = regexp.MustCompile(`[0-9]\.[0-9]{1,2}\)?-?$`)
)

// Guess proposes a profile from the header (column names in English,
// German, French and Dutch) and sample values (delimiter, date format,
// decimal comma). It fails when it finds no date and amount columns; the
// user then writes the profile by hand.
func Guess(data []byte) (Profile, error) {
	text, err := decode(data, "")
	if err != nil {
		return Profile{}, err
	}
	p := Profile{Name: "guessed", Delimiter: detectDelimiter(text)}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = p.Delimiter, -1, true
	recs, _ := cr.ReadAll()
	for i, rec := range recs {
		if i >= 30 {
			break
		}
		if m := matchHeader(rec); m["date"] != "" && (m["amount"] != "" || m["debit"] != "" || m["credit"] != "") {
			p.HeaderRows = i + 1
			applyMatch(&p, m)
			break
		}
	}
	if p.HeaderRows == 0 && !guessByValues(&p, recs) {
		return Profile{}, backoffice.Errorf(backoffice.EInvalid, "no date and amount columns recognised; write the CSV profile by hand")
	}
	guessValues(&p, recs[p.HeaderRows:], recs)
	return p, nil
}

// matchHeader maps field names to the header cell naming them.
func matchHeader(rec []string) map[string]string {
	m := map[string]string{}
	used := map[int]bool{}
	for pass := 0; pass < 2; pass++ {
		for _, hw := range headerWords {
			if m[hw.field] != "" {
				continue
			}
			for i, cell := range rec {
				n := normalise(cell)
				if used[i] || n == "" || !matchesAny(n, hw.words, pass == 1) {
					continue
				}
				m[hw.field], used[i] = cell, true
				break
			}
		}
	}
	return m
}

func matchesAny(n string, words []string, contains bool) bool {
	for _, w := range words {
		if n == w || contains && len(w) >= 4 && strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func applyMatch(p *Profile, m map[string]string) {
	p.DateColumn, p.ValueDateColumn = m["date"], m["value_date"]
	p.AmountColumn, p.SignColumn = m["amount"], m["sign"]
	if p.AmountColumn == "" {
		p.DebitColumn, p.CreditColumn = m["debit"], m["credit"]
	} else if p.SignColumn == "" && m["debit"] != "" && m["credit"] == "" {
		p.SignColumn = m["debit"] // a "Debit" column beside "Amount" holding D/C marks
	}
	p.CurrencyColumn, p.CounterpartyNameColumn = m["currency"], m["name"]
	p.CounterpartyIBANColumn, p.CounterpartyBICColumn = m["iban"], m["bic"]
	if m["remittance"] != "" {
		p.RemittanceColumns = []string{m["remittance"]}
	}
	p.ReferenceColumn, p.EndToEndColumn, p.BalanceColumn = m["reference"], m["end_to_end"], m["balance"]
}
