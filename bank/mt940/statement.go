package mt940

import (
	"fmt"
	"regexp"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// rawBalance is a balance field read before the statement currency is known.
type rawBalance struct {
	credit   bool
	date     backoffice.Date
	currency backoffice.Currency
	amount   string
	line     int
}

// pending is a :61: line with the :86: fields that follow it.
type pending struct {
	line    field
	details []field
}

// builder turns one message into a statement.
type builder struct {
	warns            *[]statement.Warning
	st               statement.Statement
	ref              string // :20:
	opening, closing *rawBalance
	reportDate       backoffice.Date     // MT942 :13D:
	otherCurrency    backoffice.Currency // from :34F: or :90D:/:90C:
	entries          []pending
}

func (b *builder) warn(line int, format string, args ...any) {
	*b.warns = append(*b.warns, statement.Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

// buildStatement assembles a statement; ok is false when the message holds
// nothing that belongs to a statement (only :20: or :NS:, say).
func buildStatement(m message, warns *[]statement.Warning) (statement.Statement, bool) {
	b := &builder{warns: warns}
	b.st.Entries = []statement.Entry{}
	prev := ""
	for _, f := range m.fields {
		b.field(f, prev)
		prev = f.tag
	}
	cur := b.currency()
	b.st.Account.Currency = cur
	b.st.OpeningBalance = b.balance(b.opening, cur)
	b.st.ClosingBalance = b.balance(b.closing, cur)
	for _, p := range b.entries {
		if e, ok := b.entry(p, cur); ok {
			b.st.Entries = append(b.st.Entries, e)
		}
	}
	if b.st.ID == "" {
		b.st.ID = b.ref
	}
	b.dates()
	ok := b.st.Account != (statement.Account{}) || b.opening != nil || b.closing != nil || len(b.entries) > 0
	return b.st, ok
}

func (b *builder) field(f field, prev string) {
	text := strings.TrimSpace(f.text(""))
	switch f.tag {
	case "20":
		b.ref = text
	case "25":
		b.st.Account = parseAccount(text)
	case "28", "28C":
		b.st.ID = text
	case "60", "60F", "60M":
		b.opening = b.rawBalance(f, text)
	case "62", "62F", "62M":
		b.closing = b.rawBalance(f, text)
	case "61":
		b.entries = append(b.entries, pending{line: f})
	case "86":
		if len(b.entries) > 0 && (prev == "61" || prev == "86") {
			last := &b.entries[len(b.entries)-1]
			last.details = append(last.details, f)
		}
	case "13", "13D":
		if d, err := parseDate(text, f.line, b); err == nil {
			b.reportDate = d
		}
	case "34", "34F", "90D", "90C":
		b.noteCurrency(text, f.tag)
	}
}

var balanceRe = regexp.MustCompile(`^([DC])\s*(\d{6})\s*([A-Z]{3})?\s*([0-9]*,?[0-9]*)`)

func (b *builder) rawBalance(f field, text string) *rawBalance {
	m := balanceRe.FindStringSubmatch(text)
	if m == nil || m[4] == "" {
		b.warn(f.line, "balance :%s: %q not read: expected D or C, YYMMDD date, currency and amount", f.tag, text)
		return nil
	}
	d, err := parseDate(m[2], f.line, b)
	if err != nil {
		b.warn(f.line, "balance :%s: %s", f.tag, backoffice.ErrorMessage(err))
		return nil
	}
	return &rawBalance{credit: m[1] == "C", date: d, currency: backoffice.Currency(m[3]), amount: m[4], line: f.line}
}

func (b *builder) noteCurrency(text, tag string) {
	s := text
	if tag == "90D" || tag == "90C" {
		s = strings.TrimLeft(s, "0123456789")
	}
	if len(s) >= 3 && b.otherCurrency == "" {
		b.otherCurrency = backoffice.Currency(s[:3])
	}
}

// currency is the statement currency: the opening balance's, else the
// closing balance's, else the :25: suffix, else the MT942 floor limit's.
func (b *builder) currency() backoffice.Currency {
	for _, c := range []backoffice.Currency{rawCurrency(b.opening), rawCurrency(b.closing), b.st.Account.Currency, b.otherCurrency} {
		if c != "" {
			if !c.Valid() {
				b.warn(0, "currency %s is not an active ISO 4217 currency; its amounts are read with 2 decimals", c)
			}
			return c
		}
	}
	return ""
}

func rawCurrency(r *rawBalance) backoffice.Currency {
	if r == nil {
		return ""
	}
	return r.currency
}

func (b *builder) balance(r *rawBalance, cur backoffice.Currency) *statement.Balance {
	if r == nil {
		return nil
	}
	minor, err := parseAmount(r.amount, cur)
	if err != nil {
		b.warn(r.line, "balance amount %q not read: %s", r.amount, backoffice.ErrorMessage(err))
		return nil
	}
	if !r.credit {
		minor = -minor
	}
	return &statement.Balance{Amount: backoffice.Money{Amount: minor, Currency: cur}, Date: r.date}
}

// dates sets FromDate and ToDate as the package comment describes.
func (b *builder) dates() {
	var first, last backoffice.Date
	for _, e := range b.st.Entries {
		if first.IsZero() || e.BookingDate.Before(first) {
			first = e.BookingDate
		}
		if last.IsZero() || e.BookingDate.After(last) {
			last = e.BookingDate
		}
	}
	b.st.FromDate, b.st.ToDate = first, last
	if b.st.OpeningBalance != nil {
		b.st.FromDate = b.st.OpeningBalance.Date
	}
	switch {
	case b.st.ClosingBalance != nil:
		b.st.ToDate = b.st.ClosingBalance.Date
	case b.reportDate.After(last):
		b.st.ToDate = b.reportDate
	}
}

var (
	ibanShape  = regexp.MustCompile(`^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$`)
	bicShape   = regexp.MustCompile(`^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$`)
	acctSuffix = regexp.MustCompile(`^(.*[0-9/ ])/?([A-Z]{3})$`)
)

// parseAccount reads :25: as described in the package comment.
func parseAccount(s string) statement.Account {
	var a statement.Account
	s = strings.TrimSpace(s)
	if m := acctSuffix.FindStringSubmatch(s); m != nil && backoffice.Currency(m[2]).Valid() {
		s, a.Currency = strings.TrimSpace(strings.TrimRight(m[1], "/")), backoffice.Currency(m[2])
	}
	if compact := strings.ReplaceAll(s, " ", ""); ibanShape.MatchString(compact) {
		a.IBAN = compact
	} else {
		a.Number = s
	}
	return a
}
