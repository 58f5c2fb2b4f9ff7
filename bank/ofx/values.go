package ofx

import (
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/bank/statement"
)

// parseAmount reads TRNAMT/BALAMT exactly: "-34.51", "1,234.56", "-.5",
// "+12", and the decimal comma of some European exports ("12,50",
// "1.234,56"). When both separators occur the last one is the decimal
// mark; a lone comma is a decimal comma unless exactly three digits follow
// it more than once ("1,234,567").
func parseAmount(s string, cur backoffice.Currency) (int64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if t == "" {
		return 0, backoffice.Errorf(backoffice.EInvalid, "the amount is empty")
	}
	dot, comma := strings.LastIndexByte(t, '.'), strings.LastIndexByte(t, ',')
	switch {
	case dot >= 0 && comma >= 0 && comma > dot:
		t = strings.ReplaceAll(t, ".", "")
		t = strings.Replace(t, ",", ".", 1)
	case dot >= 0 && comma >= 0:
		t = strings.ReplaceAll(t, ",", "")
	case comma >= 0 && strings.Count(t, ",") == 1:
		t = strings.Replace(t, ",", ".", 1)
	case comma >= 0:
		t = strings.ReplaceAll(t, ",", "")
	}
	t = strings.TrimPrefix(t, "+")
	minor, err := backoffice.ParseMinor(t, statement.Exponent(cur))
	if err != nil {
		return 0, backoffice.Errorf(backoffice.EInvalid, "amount %q is not a number", s)
	}
	return minor, nil
}

// parseDate reads the calendar date of YYYYMMDD[HHMMSS[.XXX]][[+-]h[.mm]:TZ]].
// Only the first eight digits count: see the package comment for why.
func parseDate(s string) (backoffice.Date, error) {
	t := strings.TrimSpace(s)
	if len(t) < 8 {
		return backoffice.Date{}, backoffice.Errorf(backoffice.EInvalid, "date %q is not YYYYMMDD", s)
	}
	y, err1 := strconv.Atoi(t[:4])
	m, err2 := strconv.Atoi(t[4:6])
	d, err3 := strconv.Atoi(t[6:8])
	if err1 != nil || err2 != nil || err3 != nil || t[4] == '-' || t[6] == '-' {
		return backoffice.Date{}, backoffice.Errorf(backoffice.EInvalid, "date %q is not YYYYMMDD", s)
	}
	tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if tm.Year() != y || int(tm.Month()) != m || tm.Day() != d {
		return backoffice.Date{}, backoffice.Errorf(backoffice.EInvalid, "date %q does not exist", s)
	}
	return backoffice.DateOf(tm), nil
}
