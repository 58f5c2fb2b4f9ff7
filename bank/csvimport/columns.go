package csvimport

import (
	"strconv"
	"strings"

	"backoffice"
)

// columns holds resolved column indexes; -1 means not used.
type columns struct {
	date, valueDate, amount, debit, credit, sign, currency int
	name, iban, bic, reference, endToEnd, balance          int
	remittance                                             []int
}

// normalise folds a header name for comparison: lower case, without
// spaces, "_", "-", "." or quotes.
func normalise(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '.', '"', '\'', '\u00a0':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(s)))
}

// resolveColumns finds every column the profile names.
func resolveColumns(p Profile, header []string, rows []row) (columns, error) {
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r.cells))
	}
	v := backoffice.Validation{}
	find := func(field, ref string) int {
		if ref == "" {
			return -1
		}
		i, msg := columnIndex(ref, header, width)
		if msg != "" {
			v.Add(field, msg)
		}
		return i
	}
	c := columns{
		date: find("date_column", p.DateColumn), valueDate: find("value_date_column", p.ValueDateColumn),
		amount: find("amount_column", p.AmountColumn), debit: find("debit_column", p.DebitColumn),
		credit: find("credit_column", p.CreditColumn), sign: find("sign_column", p.SignColumn),
		currency: find("currency_column", p.CurrencyColumn), name: find("counterparty_name_column", p.CounterpartyNameColumn),
		iban: find("counterparty_iban_column", p.CounterpartyIBANColumn), bic: find("counterparty_bic_column", p.CounterpartyBICColumn),
		reference: find("reference_column", p.ReferenceColumn), endToEnd: find("end_to_end_column", p.EndToEndColumn),
		balance: find("balance_column", p.BalanceColumn),
	}
	for k, ref := range p.RemittanceColumns {
		if i := find("remittance_columns["+strconv.Itoa(k)+"]", ref); i >= 0 {
			c.remittance = append(c.remittance, i)
		}
	}
	return c, v.Err("CSV profile")
}

// columnIndex resolves "#3" or a header name; msg explains a failure.
func columnIndex(ref string, header []string, width int) (int, string) {
	if strings.HasPrefix(ref, "#") {
		n, err := strconv.Atoi(ref[1:])
		if err != nil || n < 1 || n > width {
			return -1, "column " + ref + " does not exist: the file has " + strconv.Itoa(width) + " columns"
		}
		return n - 1, ""
	}
	want := normalise(ref)
	for i, h := range header {
		if normalise(h) == want {
			return i, ""
		}
	}
	if header == nil {
		return -1, "the profile has no header row (header_rows 0): refer to columns as #1, #2, …"
	}
	return -1, "no column " + strconv.Quote(ref) + " in the header (" + strings.Join(header, ", ") + ")"
}
