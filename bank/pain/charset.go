package pain

import (
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// special maps the letters that do not decompose into a base letter and a
// mark, and the punctuation with a close SEPA equivalent. German umlauts
// follow German usage (ä→ae), as the EPC conversion guidance allows for
// national characters; other accents are dropped (é→e).
var special = map[rune]string{
	'ä': "ae", 'ö': "oe", 'ü': "ue", 'Ä': "Ae", 'Ö': "Oe", 'Ü': "Ue", 'ß': "ss", 'ẞ': "SS",
	'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L",
	'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D", 'þ': "th", 'Þ': "TH", 'ı': "i",
	'&': "+", '_': "-", '"': "'", '`': "'", '´': "'", '‘': "'", '’': "'", '“': "'", '”': "'",
	'[': "(", ']': ")", '{': "(", '}': ")", '<': "(", '>': ")", '\\': "/", ';': ",", '!': ".",
	'–': "-", '—': "-", '€': "EUR", '\t': " ", '\n': " ", '\r': " ", '\u00a0': " ",
}

// Latin converts s to the SEPA character set of the EPC implementation
// guidelines (a-z A-Z 0-9 / - ? : ( ) . , ' + and space): umlauts and
// ligatures are spelled out, other accents dropped, some punctuation mapped
// (& to +), anything else removed; runs of spaces collapse to one and the
// ends are trimmed. Latin("Müller & Søn, Zürich") is "Mueller + Son, Zuerich".
func Latin(s string) string {
	var b strings.Builder
	space := false
	emit := func(r rune) {
		if r == ' ' {
			space = b.Len() > 0
			return
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	for _, r := range s {
		if t, ok := special[r]; ok {
			for _, c := range t {
				emit(c)
			}
			continue
		}
		if sepaRune(r) {
			emit(r)
			continue
		}
		// Decompose (é = e + ◌́) and keep the base letter when it is one of ours.
		for _, c := range norm.NFD.String(string(r)) {
			if sepaRune(c) && !unicode.Is(unicode.Mn, c) {
				emit(c)
			}
		}
	}
	return b.String()
}

func sepaRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune("/-?:().,'+ ", r)
}

// eea holds the countries (IBAN prefixes) of the European Economic Area,
// where SEPA payments may leave out the BIC.
var eea = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true, "EE": true,
	"FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true, "IT": true, "LV": true,
	"LT": true, "LU": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SK": true,
	"SI": true, "ES": true, "SE": true, "IS": true, "LI": true, "NO": true,
	// French overseas departments and territories use FR IBANs or their own
	// prefixes and are part of the EEA for SEPA.
	"GF": true, "GP": true, "MQ": true, "RE": true, "YT": true, "BL": true, "MF": true, "PM": true,
	"AX": true, // Åland, part of Finland
}

// ibanSeparators are what people type between an IBAN's groups of four.
var ibanSeparators = strings.NewReplacer(" ", "", "-", "")

func normalizeIBAN(s string) string { return strings.ToUpper(ibanSeparators.Replace(s)) }

// checkIBAN returns "" for an IBAN of the right form with valid ISO 7064
// check digits, else what is wrong. The package sits below package party in
// the layers (deps_test.go), so it checks the form and digits itself; the
// country lengths are the party's concern when the account is stored.
func checkIBAN(iban string) string {
	if iban == "" {
		return "is required"
	}
	if len(iban) < 15 || len(iban) > 34 {
		return iban + " is not an IBAN: it has " + strconv.Itoa(len(iban)) + " characters (15 to 34)"
	}
	for i, r := range iban {
		letter, digit := r >= 'A' && r <= 'Z', r >= '0' && r <= '9'
		if i < 2 && !letter || i >= 2 && i < 4 && !digit || !letter && !digit {
			return iban + " is not an IBAN: it must be two letters, two check digits and then letters or digits"
		}
	}
	if mod97(iban[4:]+iban[:4]) != 1 {
		return iban + " has wrong check digits: please check it for a typo"
	}
	return ""
}

// checkBIC returns "" for a BIC of the ISO 9362 form (the schemas' pattern).
func checkBIC(bic string) string {
	if len(bic) != 8 && len(bic) != 11 {
		return bic + " is not a BIC: it has 8 or 11 characters"
	}
	for i, r := range bic {
		letter, digit := r >= 'A' && r <= 'Z', r >= '0' && r <= '9'
		switch {
		case i < 6 && !letter,
			i == 6 && !letter && !(r >= '2' && r <= '9'),
			i == 7 && (r == 'O' || !letter && !digit),
			i >= 8 && !letter && !digit:
			return bic + " is not a BIC: 6 letters (bank and country), then a 2-character location and an optional 3-character branch"
		}
	}
	return ""
}

// checkCreditorID returns "" for a valid SEPA creditor identifier: country,
// two check digits, a 3-character business code that the check ignores, and
// the national identifier; the check digits are ISO 7064 mod 97-10 over the
// national identifier followed by the country and "00" (EPC262-08).
func checkCreditorID(id string) string {
	if id == "" {
		return "is required"
	}
	if len(id) < 8 || len(id) > 35 {
		return id + " is not a SEPA creditor identifier: it has 8 to 35 characters (DE98ZZZ09999999999)"
	}
	for i, r := range id {
		letter, digit := r >= 'A' && r <= 'Z', r >= '0' && r <= '9'
		if i < 2 && !letter || i >= 2 && i < 4 && !digit || !letter && !digit {
			return id + " is not a SEPA creditor identifier: country, two check digits, business code, national id (DE98ZZZ09999999999)"
		}
	}
	national := id[7:]
	if mod97(national+id[:2]+"00") != 98-atoi2(id[2:4]) {
		return id + " has wrong check digits: please check the creditor identifier for a typo"
	}
	return ""
}

// mod97 is the ISO 7064 mod 97-10 remainder of s, letters counting as two
// digits (A=10 … Z=35). s holds only A-Z and 0-9.
func mod97(s string) int {
	r := 0
	for _, c := range s {
		if c >= 'A' && c <= 'Z' {
			r = (r*100 + int(c-'A') + 10) % 97
		} else {
			r = (r*10 + int(c-'0')) % 97
		}
	}
	return r
}

func atoi2(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
