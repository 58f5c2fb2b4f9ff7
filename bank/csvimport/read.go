package csvimport

import (
	"regexp"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// reader turns data rows into one statement.
type reader struct {
	p    Profile
	cols columns
	res  *statement.Result
}

// booked is an entry with the balance its row gave, if any.
type booked struct {
	entry      statement.Entry
	balance    int64
	hasBalance bool
}

var ibanShape = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)

func (r *reader) read(rows []row) *statement.Result {
	st := statement.Statement{Entries: []statement.Entry{}}
	st.Account.IBAN = strings.ToUpper(strings.ReplaceAll(r.p.AccountIBAN, " ", ""))
	st.Account.Currency = backoffice.Currency(strings.ToUpper(r.p.Currency))
	var all []booked
	for _, rw := range rows {
		if strings.TrimSpace(strings.Join(rw.cells, "")) == "" {
			continue
		}
		if b, ok := r.row(rw); ok {
			all = append(all, b)
			st.Entries = append(st.Entries, b.entry)
		}
	}
	common, uniform := commonCurrency(st.Entries)
	if st.Account.Currency == "" {
		st.Account.Currency = common
	}
	if len(st.Entries) > 0 && common == "" && uniform {
		r.warn(0, "no currency in the file: set currency in the profile; amounts were read with 2 decimals")
	}
	for _, e := range st.Entries {
		if st.FromDate.IsZero() || e.BookingDate.Before(st.FromDate) {
			st.FromDate = e.BookingDate
		}
		if e.BookingDate.After(st.ToDate) {
			st.ToDate = e.BookingDate
		}
	}
	if r.cols.balance >= 0 && uniform {
		r.balances(&st, all)
	}
	r.res.Statements = append(r.res.Statements, st)
	return r.res
}

// commonCurrency is the entries' currency; uniform is false when they differ.
func commonCurrency(es []statement.Entry) (c backoffice.Currency, uniform bool) {
	for i, e := range es {
		if i > 0 && e.Amount.Currency != c {
			return "", false
		}
		c = e.Amount.Currency
	}
	return c, true
}

func (r *reader) cell(rw row, i int) string {
	if i < 0 || i >= len(rw.cells) {
		return ""
	}
	return strings.TrimSpace(rw.cells[i])
}

// row reads one data row; a row that cannot be read is a warning.
func (r *reader) row(rw row) (booked, bool) {
	var b booked
	d, err := parseDate(r.cell(rw, r.cols.date), r.p.DateFormat)
	if err != nil {
		r.warn(rw.line, "row skipped: %s", backoffice.ErrorMessage(err))
		return b, false
	}
	cur := backoffice.Currency(strings.ToUpper(r.p.Currency))
	if c := r.cell(rw, r.cols.currency); c != "" {
		if cur, err = backoffice.ParseCurrency(c); err != nil {
			r.warn(rw.line, "row skipped: %s", backoffice.ErrorMessage(err))
			return b, false
		}
	}
	exp := statement.Exponent(cur)
	minor, err := r.amount(rw, exp)
	if err != nil {
		r.warn(rw.line, "row skipped: %s", backoffice.ErrorMessage(err))
		return b, false
	}
	e := statement.Entry{BookingDate: d, ValueDate: d, Amount: backoffice.Money{Amount: minor, Currency: cur}}
	if v := r.cell(rw, r.cols.valueDate); v != "" {
		if e.ValueDate, err = parseDate(v, r.p.DateFormat); err != nil {
			r.warn(rw.line, "value date not read, the booking date is used: %s", backoffice.ErrorMessage(err))
			e.ValueDate = d
		}
	}
	r.details(rw, &e)
	b.entry = e
	if s := r.cell(rw, r.cols.balance); s != "" {
		if b.balance, err = parseAmount(s, r.p.DecimalComma, r.p.ThousandsSep, exp); err != nil {
			r.warn(rw.line, "balance not read: %s", backoffice.ErrorMessage(err))
		} else {
			b.hasBalance = true
		}
	}
	return b, true
}

// details fills the counterparty and references.
func (r *reader) details(rw row, e *statement.Entry) {
	e.Counterparty.Name = r.cell(rw, r.cols.name)
	if iban := strings.ToUpper(strings.ReplaceAll(r.cell(rw, r.cols.iban), " ", "")); ibanShape.MatchString(iban) {
		e.Counterparty.IBAN = iban
	}
	e.Counterparty.BIC = strings.ToUpper(r.cell(rw, r.cols.bic))
	var parts []string
	for _, i := range r.cols.remittance {
		if s := r.cell(rw, i); s != "" {
			parts = append(parts, s)
		}
	}
	e.Remittance = strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
	e.BankReference = r.cell(rw, r.cols.reference)
	e.EndToEndID = r.cell(rw, r.cols.endToEnd)
}

// amount applies the sign rules of the package comment.
func (r *reader) amount(rw row, exp int) (int64, error) {
	parse := func(s string) (int64, error) { return parseAmount(s, r.p.DecimalComma, r.p.ThousandsSep, exp) }
	var minor int64
	if r.cols.amount >= 0 {
		v, err := parse(r.cell(rw, r.cols.amount))
		if err != nil {
			return 0, err
		}
		if r.cols.sign >= 0 {
			v = max(v, -v)
			if r.p.debitMarker(r.cell(rw, r.cols.sign)) {
				v = -v
			}
		}
		minor = v
	} else {
		debit, credit := r.cell(rw, r.cols.debit), r.cell(rw, r.cols.credit)
		if debit == "" && credit == "" {
			return 0, backoffice.Errorf(backoffice.EInvalid, "both the debit and the credit column are empty")
		}
		if debit != "" {
			v, err := parse(debit)
			if err != nil {
				return 0, err
			}
			minor -= max(v, -v) // money out, whether written "50,00" or "-50,00"
		}
		if credit != "" {
			v, err := parse(credit)
			if err != nil {
				return 0, err
			}
			minor += v
		}
	}
	if r.p.NegateAmounts {
		minor = -minor
	}
	return minor, nil
}

// balances derives closing and opening balances from the balance column.
func (r *reader) balances(st *statement.Statement, all []booked) {
	if len(all) == 0 {
		return
	}
	first, last := all[0], all[len(all)-1]
	if first.entry.BookingDate.After(last.entry.BookingDate) {
		first, last = last, first // newest first
	}
	cur := st.Account.Currency
	if last.hasBalance {
		st.ClosingBalance = &statement.Balance{Amount: backoffice.Money{Amount: last.balance, Currency: cur}, Date: last.entry.BookingDate}
	}
	if first.hasBalance {
		st.OpeningBalance = &statement.Balance{Amount: backoffice.Money{Amount: first.balance - first.entry.Amount.Amount, Currency: cur}, Date: first.entry.BookingDate}
	}
}
