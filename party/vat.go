package party

import (
	"strings"
)

// NormalizeVAT removes spaces, dots and hyphens and upper-cases s; a Greek
// number keeps its EL prefix.
func NormalizeVAT(s string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", ".", "", "-", "", "\t", "").Replace(strings.TrimSpace(s)))
}

// vatRule is the syntax and checksum of one country's VAT number, without
// the country prefix.
type vatRule struct {
	shape string            // in words, for the message
	check func(string) bool // syntax and checksum
}

// vatRules holds the EU countries whose VAT number we check in full. A VAT
// id of another country needs its two-letter prefix and 2 to 13 letters or
// digits.
var vatRules = map[string]vatRule{
	"AT": {"U followed by 8 digits", vatAT},
	"BE": {"10 digits starting with 0 or 1", vatBE},
	"DE": {"9 digits", vatDE},
	"DK": {"8 digits", vatDK},
	"ES": {"9 characters: a NIF, NIE or CIF", vatES},
	"FI": {"8 digits", vatFI},
	"FR": {"2 check characters and the 9-digit SIREN", vatFR},
	"IE": {"7 digits and 1 or 2 letters", vatIE},
	"IT": {"11 digits", vatIT},
	"LU": {"8 digits", vatLU},
	"NL": {"9 digits, B and 2 digits", vatNL},
	"PL": {"10 digits", vatPL},
	"PT": {"9 digits", vatPT},
	"SE": {"12 digits ending in 01", vatSE},
}

// CheckVAT returns "" when vat (normalised, with its country prefix) is a
// valid VAT id, else what is wrong with it.
func CheckVAT(vat string) string {
	if len(vat) < 4 || !isUpper(vat[0]) || !isUpper(vat[1]) {
		return "must start with the two-letter country prefix, like DE136695976"
	}
	cc, num := vat[:2], vat[2:]
	r, ok := vatRules[cc]
	if !ok {
		if len(num) > 13 || !alnum(num) {
			return "must be the country prefix and 2 to 13 letters or digits"
		}
		return ""
	}
	if !r.check(num) {
		return "is not a valid " + cc + " VAT number (" + r.shape + " with a valid check digit): check it for a typing error"
	}
	return ""
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// digits returns the digits of s as ints.
func digits(s string) []int {
	d := make([]int, len(s))
	for i := 0; i < len(s); i++ {
		d[i] = int(s[i] - '0')
	}
	return d
}

// weighted is the sum of d[i]*w[i].
func weighted(d, w []int) int {
	sum := 0
	for i, x := range w {
		sum += d[i] * x
	}
	return sum
}

// luhn checks the Luhn (mod 10) checksum of a digit string.
func luhn(s string) bool {
	sum := 0
	for i, x := range digits(s) {
		if (len(s)-i)%2 == 0 {
			x *= 2
			if x > 9 {
				x -= 9
			}
		}
		sum += x
	}
	return sum%10 == 0
}

// vatAT: U + 8 digits; the last is (10 - (4 + cross sums of d1..d7 with
// weights 1,2,1,2,1,2,1) mod 10) mod 10.
func vatAT(s string) bool {
	if len(s) != 9 || s[0] != 'U' || !allDigits(s[1:]) {
		return false
	}
	d := digits(s[1:])
	sum := 0
	for i := 0; i < 7; i++ {
		x := d[i] * (1 + i%2)
		sum += x/10 + x%10
	}
	return (10-(sum+4)%10)%10 == d[7]
}

// vatBE: 10 digits; the last two are 97 - (the first eight mod 97).
func vatBE(s string) bool {
	if len(s) == 9 {
		s = "0" + s // old 9-digit numbers
	}
	if len(s) != 10 || !allDigits(s) || s[0] > '1' {
		return false
	}
	n, m := 0, 0
	for i := 0; i < 8; i++ {
		n = n*10 + int(s[i]-'0')
	}
	m = int(s[8]-'0')*10 + int(s[9]-'0')
	return 97-n%97 == m
}

// vatDE: 9 digits, ISO 7064 MOD 11,10.
func vatDE(s string) bool {
	if len(s) != 9 || !allDigits(s) || s[0] == '0' {
		return false
	}
	p := 10
	for _, x := range digits(s[:8]) {
		sum := (x + p) % 10
		if sum == 0 {
			sum = 10
		}
		p = 2 * sum % 11
	}
	c := 11 - p
	if c == 10 {
		c = 0
	}
	return c == int(s[8]-'0')
}

// vatDK: 8 digits, weights 2 7 6 5 4 3 2 1, sum divisible by 11.
func vatDK(s string) bool {
	return len(s) == 8 && allDigits(s) && s[0] != '0' && weighted(digits(s), []int{2, 7, 6, 5, 4, 3, 2, 1})%11 == 0
}

// vatFI: 8 digits, weights 7 9 10 5 8 4 2, check 11 - sum mod 11 (0 when
// the remainder is 0; remainder 1 is never issued).
func vatFI(s string) bool {
	if len(s) != 8 || !allDigits(s) {
		return false
	}
	d := digits(s)
	r := weighted(d, []int{7, 9, 10, 5, 8, 4, 2}) % 11
	c := 0
	if r == 1 {
		return false
	} else if r > 1 {
		c = 11 - r
	}
	return c == d[7]
}

// vatFR: 2 key characters and the SIREN (9 digits, Luhn); a numeric key is
// (12 + 3 × (SIREN mod 97)) mod 97. Letter keys (new-style) are checked for
// shape only.
func vatFR(s string) bool {
	if len(s) != 11 || !allDigits(s[2:]) || !luhn(s[2:]) && s[2:] != "356000000" {
		return false
	}
	if !allDigits(s[:2]) {
		return alnum(s[:2]) && !strings.ContainsAny(s[:2], "IO")
	}
	siren := 0
	for _, x := range digits(s[2:]) {
		siren = (siren*10 + x) % 97
	}
	return (12+3*siren)%97 == int(s[0]-'0')*10+int(s[1]-'0')
}

// vatIE: 7 digits, a check letter and optionally a second letter (A–I, W);
// old style: a digit, a letter or + or *, 5 digits and the check letter.
// The check letter is "WABCDEFGHIJKLMNOPQRSTUV"[sum mod 23] with weights
// 8..2 on the digits and 9 on the second letter (A=1 … I=9, W=0).
func vatIE(s string) bool {
	const letters = "WABCDEFGHIJKLMNOPQRSTUV"
	if len(s) == 8 && s[0] >= '0' && s[0] <= '9' && strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZ+*", rune(s[1])) && allDigits(s[2:7]) {
		s = "0" + s[2:7] + s[:1] + s[7:] // old style to new: 0, digits 3-7, digit 1
	}
	if (len(s) != 8 && len(s) != 9) || !allDigits(s[:7]) || !isUpper(s[7]) {
		return false
	}
	sum := weighted(digits(s[:7]), []int{8, 7, 6, 5, 4, 3, 2})
	if len(s) == 9 {
		i := strings.IndexByte("WABCDEFGHI", s[8])
		if i < 0 {
			return false
		}
		sum += 9 * i
	}
	return letters[sum%23] == s[7]
}

// vatIT: 11 digits (Luhn); digits 8-10 are the tax office, 001-100, 120,
// 121, 888 or 999.
func vatIT(s string) bool {
	if len(s) != 11 || !allDigits(s) || s[:7] == "0000000" {
		return false
	}
	office := int(s[7]-'0')*100 + int(s[8]-'0')*10 + int(s[9]-'0')
	if (office < 1 || office > 100) && office != 120 && office != 121 && office != 888 && office != 999 {
		return false
	}
	return luhn(s)
}

// vatLU: 8 digits; the last two are the first six mod 89.
func vatLU(s string) bool {
	if len(s) != 8 || !allDigits(s) {
		return false
	}
	n := 0
	for _, x := range digits(s[:6]) {
		n = n*10 + x
	}
	return n%89 == int(s[6]-'0')*10+int(s[7]-'0')
}

// vatNL: 9 digits, B and 2 digits. The digits pass the mod-11 test
// (weights 9..2, check = sum mod 11), or, for sole traders' numbers since
// 2020, the whole "NL…" id passes ISO 7064 mod 97.
func vatNL(s string) bool {
	if len(s) != 12 || s[9] != 'B' || !allDigits(s[:9]) || !allDigits(s[10:]) {
		return false
	}
	d := digits(s[:9])
	if c := weighted(d, []int{9, 8, 7, 6, 5, 4, 3, 2}) % 11; c < 10 && c == d[8] {
		return true
	}
	return mod97("NL"+s) == 1
}

// vatPL: 10 digits, weights 6 5 7 2 3 4 5 6 7, check = sum mod 11 (never 10).
func vatPL(s string) bool {
	if len(s) != 10 || !allDigits(s) {
		return false
	}
	d := digits(s)
	return weighted(d, []int{6, 5, 7, 2, 3, 4, 5, 6, 7})%11 == d[9]
}

// vatPT: 9 digits, weights 9..2, check = 11 - sum mod 11 (0 for 10 and 11).
func vatPT(s string) bool {
	if len(s) != 9 || !allDigits(s) || s[0] == '0' {
		return false
	}
	d := digits(s)
	c := 11 - weighted(d, []int{9, 8, 7, 6, 5, 4, 3, 2})%11
	if c >= 10 {
		c = 0
	}
	return c == d[8]
}

// vatSE: the 10-digit organisation number (Luhn) followed by 01.
func vatSE(s string) bool {
	return len(s) == 12 && allDigits(s) && s[10:] == "01" && luhn(s[:10])
}

// vatES: a CIF (letter, 7 digits, check digit or letter), a DNI (8 digits
// and a check letter) or a NIE (X, Y or Z, 7 digits and a check letter).
func vatES(s string) bool {
	const dni = "TRWAGMYFPDXBNJZSQVHLCKE"
	if len(s) != 9 {
		return false
	}
	if p := strings.IndexByte("XYZ", s[0]); p >= 0 {
		s = string(rune('0'+p)) + s[1:]
	}
	if allDigits(s[:8]) && isUpper(s[8]) {
		n := 0
		for _, x := range digits(s[:8]) {
			n = n*10 + x
		}
		return dni[n%23] == s[8]
	}
	if !strings.ContainsRune("ABCDEFGHJKLMNPQRSUVW", rune(s[0])) || !allDigits(s[1:8]) {
		return false
	}
	sum := 0
	for i, x := range digits(s[1:8]) {
		if i%2 == 0 {
			x *= 2
			x = x/10 + x%10
		}
		sum += x
	}
	c := (10 - sum%10) % 10
	return s[8] == byte('0'+c) || s[8] == "JABCDEFGHI"[c]
}
