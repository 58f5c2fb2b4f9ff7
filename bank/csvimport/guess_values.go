package csvimport

import (
	"strconv"
	"strings"
	"time"

	"backoffice"
)

// guessByValues handles files without a header: the first column whose
// first-row value is a date is the date column, the first later one that
// reads as a number with decimals the amount.
func guessByValues(p *Profile, recs [][]string) bool {
	if len(recs) == 0 {
		return false
	}
	first := recs[0]
	date, amount := -1, -1
	for i, v := range first {
		v = strings.TrimSpace(v)
		switch {
		case date < 0 && guessLayout([]string{v}, false) != "":
			date = i
		case date >= 0 && amount < 0 && numberish.MatchString(v) && (commaDecimal.MatchString(v) || dotDecimal.MatchString(v)):
			amount = i
		}
	}
	if date < 0 || amount < 0 {
		return false
	}
	p.DateColumn, p.AmountColumn = "#"+strconv.Itoa(date+1), "#"+strconv.Itoa(amount+1)
	for i, v := range first {
		v = strings.TrimSpace(v)
		if i == date || i == amount {
			continue
		}
		if _, err := backoffice.ParseCurrency(v); err == nil && len(v) == 3 && p.CurrencyColumn == "" {
			p.CurrencyColumn = "#" + strconv.Itoa(i+1)
		} else if p.RemittanceColumns == nil && v != "" && !numberish.MatchString(v) {
			p.RemittanceColumns = []string{"#" + strconv.Itoa(i+1)}
		}
	}
	return true
}

// guessValues sets DecimalComma and DateFormat from the data rows.
func guessValues(p *Profile, data [][]string, all [][]string) {
	header := []string(nil)
	if p.HeaderRows > 0 {
		header = all[p.HeaderRows-1]
	}
	idx := func(ref string) int {
		if ref == "" {
			return -1
		}
		i, _ := columnIndex(ref, header, 1<<20)
		return i
	}
	comma, dot := 0, 0
	for _, ref := range []string{p.AmountColumn, p.DebitColumn, p.CreditColumn, p.BalanceColumn} {
		for _, v := range valuesAt(data, idx(ref)) {
			if commaDecimal.MatchString(v) {
				comma++
			} else if dotDecimal.MatchString(v) {
				dot++
			}
		}
	}
	p.DecimalComma = comma > dot
	p.DateFormat = guessLayout(valuesAt(data, idx(p.DateColumn)), p.DecimalComma)
	if p.DateFormat == "" {
		p.DateFormat = time.DateOnly
	}
}

func valuesAt(recs [][]string, i int) []string {
	var out []string
	for _, r := range recs {
		if i >= 0 && i < len(r) && strings.TrimSpace(r[i]) != "" {
			out = append(out, strings.TrimSpace(r[i]))
		}
		if len(out) == 50 {
			break
		}
	}
	return out
}

// BuiltinProfiles are generic layouts to start from; Guess usually does
// better on a real file.
func BuiltinProfiles() []Profile {
	return []Profile{
		{Name: "Generic, comma separated, US dates", Delimiter: ',', HeaderRows: 1, DateColumn: "Date", DateFormat: "01/02/2006",
			AmountColumn: "Amount", CounterpartyNameColumn: "Payee", RemittanceColumns: []string{"Description"}},
		{Name: "Generic, ISO dates", Delimiter: ',', HeaderRows: 1, DateColumn: "Date", DateFormat: "2006-01-02",
			AmountColumn: "Amount", CounterpartyNameColumn: "Name", RemittanceColumns: []string{"Description"}, ReferenceColumn: "Reference"},
		{Name: "Generic, semicolon separated, European (German headers)", Delimiter: ';', HeaderRows: 1, DateColumn: "Buchungstag",
			ValueDateColumn: "Valuta", DateFormat: "02.01.2006", AmountColumn: "Betrag", DecimalComma: true, ThousandsSep: ".",
			CounterpartyNameColumn: "Beguenstigter/Zahlungspflichtiger", CounterpartyIBANColumn: "IBAN", RemittanceColumns: []string{"Verwendungszweck"}},
		{Name: "Generic, debit and credit columns", Delimiter: ',', HeaderRows: 1, DateColumn: "Date", DateFormat: "02/01/2006",
			DebitColumn: "Debit", CreditColumn: "Credit", RemittanceColumns: []string{"Description"}, BalanceColumn: "Balance"},
	}
}
