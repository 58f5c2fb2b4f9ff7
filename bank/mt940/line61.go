package mt940

import (
	"strconv"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
)

// stmtLine is a :61: statement line.
type stmtLine struct {
	value, booking backoffice.Date
	negative       bool
	amount         string
	txType         string // N/F/S + 3 characters, e.g. "NTRF"
	customerRef    string // up to "//"
	bankRef        string // after "//"
	extra          string // supplementary details on the next line
}

// parseLine61 reads value date, optional entry date, mark, optional funds
// code, amount, transaction type and references. It returns an error the
// caller turns into a warning; the entry is then skipped.
func parseLine61(f field, b *builder) (stmtLine, error) {
	var sl stmtLine
	s, rest := f.lines[0], f.lines[1:]
	bad := func(what string) error {
		return backoffice.Errorf(backoffice.EInvalid, "statement line %q not read: %s", strings.TrimSpace(f.text(" ")), what)
	}
	var err error
	if sl.value, err = parseDate(s, f.line, b); err != nil {
		return sl, bad("it must start with the value date YYMMDD")
	}
	sl.booking = sl.value
	i := skipSpaces(s, 6)
	if i+4 <= len(s) && allDigits(s[i:i+4]) {
		mm, _ := strconv.Atoi(s[i : i+2])
		dd, _ := strconv.Atoi(s[i+2 : i+4])
		d, fixed, err := entryDate(sl.value, mm, dd)
		if err != nil {
			return sl, bad("the entry date " + s[i:i+4] + " is not MMDD")
		}
		if fixed {
			b.warn(f.line, "entry date %s has no day %d; read as %s", s[i:i+4], dd, d)
		}
		sl.booking = d
		i = skipSpaces(s, i+4)
	}
	n, negative := readMark(s[i:])
	if n == 0 {
		return sl, bad("expected the debit/credit mark D, C, RD or RC after the dates")
	}
	sl.negative, i = negative, i+n
	if i < len(s) && s[i] >= 'A' && s[i] <= 'Z' {
		i++ // funds code: third letter of the currency code
	}
	// Some Sparkassen wrap the line between the mark and the amount.
	if strings.TrimSpace(s[i:]) == "" && len(rest) > 0 {
		s, rest = s[:i]+strings.TrimSpace(rest[0]), rest[1:]
	}
	i = skipSpaces(s, i)
	j := i
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ',') {
		j++
	}
	if j == i {
		return sl, bad("the amount is missing")
	}
	sl.amount = s[i:j]
	sl.readReferences(s[j:], rest)
	return sl, nil
}

func (sl *stmtLine) readReferences(s string, rest []string) {
	if len(s) >= 4 && s[0] >= 'A' && s[0] <= 'Z' {
		sl.txType, s = s[:4], s[4:]
	} else {
		sl.txType, s = strings.TrimSpace(s), ""
	}
	cust, bank, _ := strings.Cut(s, "//")
	sl.customerRef, sl.bankRef = strings.TrimSpace(cust), strings.TrimSpace(bank)
	sl.extra = collapse(strings.Join(rest, " "))
}

// readMark reads the debit/credit mark at the start of s: its length (0
// when there is none) and whether the amount is money out.
func readMark(s string) (int, bool) {
	switch {
	case strings.HasPrefix(s, "RC"):
		return 2, true // reversal of a credit takes money out
	case strings.HasPrefix(s, "RD"):
		return 2, false // reversal of a debit gives money back
	case strings.HasPrefix(s, "C"):
		return 1, false
	case strings.HasPrefix(s, "D"):
		return 1, true
	}
	return 0, false
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

// entry turns a :61: line and its :86: details into a statement entry.
// The :61: customer reference (the account owner's reference, "NONREF"
// for none) is the remittance when :86: gives no text.
func (b *builder) entry(p pending, cur backoffice.Currency) (statement.Entry, bool) {
	sl, err := parseLine61(p.line, b)
	if err != nil {
		b.warn(p.line.line, "%s", backoffice.ErrorMessage(err))
		return statement.Entry{}, false
	}
	minor, err := parseAmount(sl.amount, cur)
	if err != nil {
		b.warn(p.line.line, "statement line amount not read: %s", backoffice.ErrorMessage(err))
		return statement.Entry{}, false
	}
	if sl.negative {
		minor = -minor
	}
	var lines []string
	for _, d := range p.details {
		lines = append(lines, d.linesTrimmed()...)
	}
	d := parseDetails(lines)
	e := statement.Entry{
		BookingDate: sl.booking, ValueDate: sl.value,
		Amount:       backoffice.Money{Amount: minor, Currency: cur},
		Counterparty: d.party, Remittance: d.remittance,
		EndToEndID: d.endToEnd, MandateID: d.mandate, CreditorID: d.creditor,
		BankReference: ref(sl.bankRef), BankTxCode: sl.txType,
	}
	if d.gvc != "" && sl.txType != "" {
		e.BankTxCode = sl.txType + "/" + d.gvc
	}
	if e.Remittance == "" {
		e.Remittance = ref(strings.TrimPrefix(sl.customerRef, "KREF+"))
	}
	switch {
	case sl.extra == "":
	case isIBAN(sl.extra) && e.Counterparty.IBAN == "":
		e.Counterparty.IBAN = strings.ReplaceAll(sl.extra, " ", "")
	case e.Remittance == "":
		e.Remittance = sl.extra
	}
	return e, true
}

// ref drops the placeholder NONREF.
func ref(s string) string {
	if strings.EqualFold(s, "NONREF") {
		return ""
	}
	return s
}

// linesTrimmed is the field's lines without trailing blank lines.
func (f field) linesTrimmed() []string {
	ls := f.lines
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

func isIBAN(s string) bool { return ibanShape.MatchString(strings.ReplaceAll(s, " ", "")) }

// collapse trims s and folds each run of white space into one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
