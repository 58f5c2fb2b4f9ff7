package party

import (
	"strconv"
	"strings"
)

// ibanLengths is the IBAN length per country (ISO 13616 registry) for the
// countries our users meet most; an IBAN of another country is checked for
// its general shape and its check digits only.
var ibanLengths = map[string]int{
	"AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
	"ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
	"IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28,
	"PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}

// NormalizeIBAN removes spaces and hyphens and upper-cases s, as IBANs are
// printed in groups of four ("DE89 3704 …") but stored without them.
func NormalizeIBAN(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)))
}

// CheckIBAN returns "" when iban (normalised) is a valid IBAN, else what is
// wrong with it, in words a user can act on: the shape (country code, check
// digits, alphanumeric account part), the country's length when known, and
// the ISO 7064 mod-97 check digits.
func CheckIBAN(iban string) string {
	if len(iban) < 15 || len(iban) > 34 {
		return "must have 15 to 34 letters and digits"
	}
	if !isUpper(iban[0]) || !isUpper(iban[1]) || !isDigit(iban[2]) || !isDigit(iban[3]) {
		return "must start with a country code and two check digits, like DE89"
	}
	if !alnum(iban[4:]) {
		return "may hold only letters and digits"
	}
	if n, ok := ibanLengths[iban[:2]]; ok && len(iban) != n {
		return "has the wrong length for " + iban[:2] + " (" + strconv.Itoa(n) + " characters expected)"
	}
	if mod97(iban[4:]+iban[:4]) != 1 {
		return "has wrong check digits: check it for a typing error"
	}
	return ""
}

// mod97 is the remainder of s, read as a number with letters A=10 … Z=35,
// divided by 97; computed digit by digit so it never overflows.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUpper(c) {
			r = (r*100 + int(c-'A'+10)) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

// CheckBIC returns "" when bic is a syntactically valid BIC (ISO 9362:
// 4 letters bank code, 2 letters country, 2 letters or digits location,
// optionally 3 letters or digits branch), else what is wrong with it.
func CheckBIC(bic string) string {
	if len(bic) != 8 && len(bic) != 11 {
		return "must have 8 or 11 characters"
	}
	for i := 0; i < len(bic); i++ {
		c := bic[i]
		if i < 6 && !isUpper(c) || i >= 6 && !isUpper(c) && !isDigit(c) {
			return "must be 6 letters (bank and country) followed by 2 or 5 letters or digits"
		}
	}
	if !ValidCountry(bic[4:6]) {
		return "has " + bic[4:6] + " where the ISO country code belongs"
	}
	return ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
