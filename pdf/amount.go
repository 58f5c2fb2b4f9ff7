package pdf

import (
	"strings"

	"backoffice"
)

// Amount prints minor units the way a printed report shows them: the
// currency's decimals, thousands grouped with commas, a leading minus for
// negative figures: Amount(-123456789, EUR) is "-1,234,567.89".
func Amount(minor int64, c backoffice.Currency) string {
	s := backoffice.FormatMinor(minor, c.Exponent())
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}
