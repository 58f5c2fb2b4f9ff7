package mt940

import (
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/bank/statement"
)

// parseDate reads the YYMMDD at the start of s. A day past the end of its
// month (banks write "February 30" for month-end charges) or day 00 is
// moved to the nearest real day with a warning; a bad month is an error.
func parseDate(s string, line int, b *builder) (backoffice.Date, error) {
	if len(s) < 6 || !allDigits(s[:6]) {
		return backoffice.Date{}, backoffice.Errorf(backoffice.EInvalid, "%q is not a YYMMDD date", s)
	}
	yy, _ := strconv.Atoi(s[:2])
	mm, _ := strconv.Atoi(s[2:4])
	dd, _ := strconv.Atoi(s[4:6])
	d, fixed, err := makeDate(century(yy), mm, dd)
	if err != nil {
		return d, backoffice.Errorf(backoffice.EInvalid, "%q is not a YYMMDD date: %s", s[:6], err.Error())
	}
	if fixed && b != nil {
		b.warn(line, "date %s has no day %d; read as %s", s[:6], dd, d)
	}
	return d, nil
}

// makeDate builds a date, clamping the day into its month; fixed says it did.
func makeDate(y, m, d int) (backoffice.Date, bool, error) {
	if m < 1 || m > 12 {
		return backoffice.Date{}, false, backoffice.Errorf(backoffice.EInvalid, "month %02d does not exist", m)
	}
	last := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	switch {
	case d < 1:
		return backoffice.Date{Year: y, Month: time.Month(m), Day: 1}, true, nil
	case d > last:
		return backoffice.Date{Year: y, Month: time.Month(m), Day: last}, true, nil
	}
	return backoffice.Date{Year: y, Month: time.Month(m), Day: d}, false, nil
}

// century maps a two-digit SWIFT year: 70–99 are 19xx, 00–69 are 20xx.
func century(yy int) int {
	if yy >= 70 {
		return 1900 + yy
	}
	return 2000 + yy
}

// entryDate places the :61: entry date MMDD in the year that puts it
// nearest the value date, so a booking on 31 December valued on 2 January
// falls in the year before, and one on 2 January valued on 31 December in
// the year after.
func entryDate(value backoffice.Date, mm, dd int) (backoffice.Date, bool, error) {
	var best backoffice.Date
	bestDist, fixedBest := -1, false
	for _, y := range []int{value.Year - 1, value.Year, value.Year + 1} {
		d, fixed, err := makeDate(y, mm, dd)
		if err != nil {
			return d, false, err
		}
		dist := value.DaysUntil(d)
		if dist < 0 {
			dist = -dist
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist, fixedBest = d, dist, fixed
		}
	}
	return best, fixedBest, nil
}

// parseAmount reads an MT940 amount ("1234,56", "380115,", ",5") exactly in
// minor units of cur (two decimals when cur is unknown).
func parseAmount(s string, cur backoffice.Currency) (int64, error) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") > 1 || strings.Contains(s, ".") {
		return 0, backoffice.Errorf(backoffice.EInvalid, "%q is not an MT940 amount (digits with one decimal comma)", s)
	}
	if s == "," {
		return 0, backoffice.Errorf(backoffice.EInvalid, "%q is not an amount", s)
	}
	return backoffice.ParseMinor(strings.Replace(s, ",", ".", 1), statement.Exponent(cur))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
