package reconcile

import (
	"strconv"
	"strings"
)

// RefKind names a structured payment reference scheme.
type RefKind string

// The structured reference schemes the engine reads. Each carries check
// digits, so a reference that validates was copied without a typo.
const (
	RefRF RefKind = "rf"     // ISO 11649 creditor reference: RF, two check digits, up to 21 alphanumerics
	RefBE RefKind = "be_ogm" // Belgian structured communication +++123/4567/89002+++: 10 digits, mod 97
	RefQR RefKind = "ch_qrr" // Swiss QR reference: 27 digits, the last a recursive mod 10 check digit
)

// Reference is a validated structured reference in electronic form: no
// spaces, no separators, letters upper case.
type Reference struct {
	Kind  RefKind
	Value string // RF18539007547034, 090933755493, 210000000003139471430009017
}

// key is the reference's index key.
func (r Reference) key() string { return string(r.Kind) + ":" + r.Value }

// String prints the reference as it is printed on an invoice.
func (r Reference) String() string {
	switch r.Kind {
	case RefRF:
		return groupsOf(r.Value, 4)
	case RefBE:
		return "+++" + r.Value[:3] + "/" + r.Value[3:7] + "/" + r.Value[7:] + "+++"
	case RefQR:
		return r.Value[:2] + " " + groupsOf(r.Value[2:], 5)
	}
	return r.Value
}

// groupsOf splits s into blocks of n characters separated by spaces.
func groupsOf(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

// compact upper-cases s and drops spaces and the separators people print
// between groups of a reference (+, /, -, ., *).
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		case r == ' ', r == '+', r == '/', r == '-', r == '.', r == '*', r == '\t':
			return -1
		}
		return '!' // any other character makes the reference invalid
	}, s)
}

// ParseReference reads s as one structured reference in any of its printed
// forms ("RF18 5390 0754 7034", "+++090/9337/55493+++", "***090/9337/55493***",
// "21 00000 00003 13947 14300 09017") and reports whether its check digits
// are right.
func ParseReference(s string) (Reference, bool) {
	c := compact(s)
	switch {
	case CheckRF(c):
		return Reference{RefRF, c}, true
	case len(c) == 12 && CheckBelgian(c):
		return Reference{RefBE, c}, true
	case len(c) == 27 && CheckQR(c):
		return Reference{RefQR, c}, true
	}
	return Reference{}, false
}

// CheckRF reports whether s (electronic form) is an ISO 11649 creditor
// reference: "RF", two check digits, 1 to 21 letters or digits, and the
// ISO 7064 mod 97-10 remainder of body+"RF"+check digits equal to 1.
func CheckRF(s string) bool {
	if len(s) < 5 || len(s) > 25 || s[0] != 'R' || s[1] != 'F' || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	for i := 4; i < len(s); i++ {
		if !isDigit(s[i]) && (s[i] < 'A' || s[i] > 'Z') {
			return false
		}
	}
	return mod97(s[4:]+s[:4]) == 1
}

// RFReference returns the ISO 11649 creditor reference for a document
// number, in print form ("RF18 5390 0754 7034"): the number's letters and
// digits, upper-cased, make the body; an empty or over-long (more than 21
// letters and digits) number has no reference and gives "".
func RFReference(documentNumber string) string {
	body := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return -1
	}, documentNumber)
	if body == "" || len(body) > 21 {
		return ""
	}
	check := 98 - mod97(body+"RF00")
	return groupsOf("RF"+twoDigits(check)+body, 4)
}

// CheckBelgian reports whether s is a Belgian structured communication in
// electronic form: 12 digits whose last two are the first ten mod 97, with
// 97 standing for a remainder of 0.
func CheckBelgian(s string) bool {
	if len(s) != 12 || !allDigits(s) {
		return false
	}
	n, _ := strconv.ParseUint(s[:10], 10, 64)
	check := n % 97
	if check == 0 {
		check = 97
	}
	return s[10:] == twoDigits(int(check))
}

// BelgianReference returns the structured communication for a number of at
// most ten digits (left-padded with zeros), in print form
// "+++090/9337/55493+++", or "" when n does not fit.
func BelgianReference(n uint64) string {
	if n > 9_999_999_999 {
		return ""
	}
	check := n % 97
	if check == 0 {
		check = 97
	}
	s := strconv.FormatUint(n, 10)
	s = strings.Repeat("0", 10-len(s)) + s + twoDigits(int(check))
	return Reference{RefBE, s}.String()
}

// CheckQR reports whether s is a Swiss QR reference in electronic form:
// 27 digits, the last one the recursive mod 10 check digit of the others.
func CheckQR(s string) bool {
	return len(s) == 27 && allDigits(s) && mod10Recursive(s[:26]) == s[26]-'0'
}

// QRReference returns the Swiss QR reference for up to 26 digits
// (left-padded with zeros), in print form "21 00000 00003 13947 14300 09017",
// or "" when digits is empty, too long or not all digits.
func QRReference(digits string) string {
	if digits == "" || len(digits) > 26 || !allDigits(digits) {
		return ""
	}
	s := strings.Repeat("0", 26-len(digits)) + digits
	s += string('0' + mod10Recursive(s))
	return Reference{RefQR, s}.String()
}

// mod10Table is the carry table of the recursive mod 10 check (Swiss ISR and
// QR references).
var mod10Table = [10]byte{0, 9, 4, 6, 8, 2, 7, 1, 3, 5}

func mod10Recursive(digits string) byte {
	carry := byte(0)
	for i := 0; i < len(digits); i++ {
		carry = mod10Table[(carry+digits[i]-'0')%10]
	}
	return (10 - carry) % 10
}

// mod97 is the ISO 7064 mod 97-10 remainder of s, letters counting as two
// digits (A=10 … Z=35), as IBANs and RF references compute it.
func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			r = (r*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
