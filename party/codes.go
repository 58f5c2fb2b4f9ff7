package party

import "strings"

// countryCodes holds every ISO 3166-1 alpha-2 code, space separated.
// TestCountryCodes_MatchISO3166 compares it with the iso-codes reference file.
const countryCodes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE " +
	"BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD " +
	"CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM " +
	"DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF " +
	"GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN " +
	"KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME " +
	"MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA " +
	"NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM " +
	"PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI " +
	"SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK " +
	"TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI " +
	"VN VU WF WS YE YT ZA ZM ZW"

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country code
// (upper case, as stored).
func ValidCountry(code string) bool {
	return len(code) == 2 && strings.Contains(" "+countryCodes+" ", " "+code+" ")
}

// easCodes is the CEF Electronic Address Scheme code list as the EN 16931
// rule BR-CL-25 accepts it (the list in einvoice's generated rules).
const easCodes = "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 " +
	"0183 0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 " +
	"0210 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230 0235 0240 0244 0242 0245 0246 0248 " +
	"9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 " +
	"9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 " +
	"9959 AN AQ AS AU EM"

// ValidEAS reports whether scheme is a code of the EAS list.
func ValidEAS(scheme string) bool {
	return (len(scheme) == 4 || len(scheme) == 2) && strings.Contains(" "+easCodes+" ", " "+scheme+" ")
}

// easVATCountry maps the EAS schemes whose identifier is a VAT number to
// that number's country, so the id gets the VAT checksum.
var easVATCountry = map[string]string{
	"9914": "AT", "9925": "BE", "9930": "DE", "9944": "NL", "9957": "FR", "9920": "ES", "0211": "IT",
}

// CheckEndpoint returns "" when id is a plausible identifier in the EAS
// scheme, else what is wrong. GLN (0088), Norwegian organisation numbers
// (0192), Belgian enterprise numbers (0208) and VAT-number schemes get
// their checksum; other schemes need a non-empty id without spaces.
func CheckEndpoint(scheme, id string) string {
	if !ValidEAS(scheme) {
		return "is not an EAS code (0088 GLN, 0192 Norway, 0208 Belgium, 9930 German VAT, …)"
	}
	if id == "" || strings.ContainsAny(id, " \t") {
		return "must be an identifier without spaces"
	}
	switch scheme {
	case "0088":
		if !allDigits(id) || len(id) != 13 || !gs1CheckDigit(id) {
			return "must be a 13-digit GLN with a valid GS1 check digit"
		}
	case "0192":
		if !allDigits(id) || len(id) != 9 || !norwegianOrg(id) {
			return "must be a 9-digit Norwegian organisation number with a valid check digit"
		}
	case "0208":
		if !allDigits(id) || len(id) != 10 || !vatBE(id) {
			return "must be a 10-digit Belgian enterprise number with valid check digits"
		}
	}
	if c, ok := easVATCountry[scheme]; ok {
		if msg := CheckVAT(c + strings.TrimPrefix(strings.ToUpper(id), c)); msg != "" {
			return "must be a " + c + " VAT number: " + msg
		}
	}
	return ""
}

// gs1CheckDigit checks the GS1 mod-10 check digit (weights 3,1 from the
// right, the check digit excluded).
func gs1CheckDigit(s string) bool {
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		w := 1
		if (len(s)-2-i)%2 == 0 {
			w = 3
		}
		sum += int(s[i]-'0') * w
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// norwegianOrg checks the mod-11 check digit of a Norwegian organisation
// number (weights 3 2 7 6 5 4 3 2).
func norwegianOrg(s string) bool {
	w := []int{3, 2, 7, 6, 5, 4, 3, 2}
	sum := 0
	for i, x := range w {
		sum += int(s[i]-'0') * x
	}
	c := 11 - sum%11
	if c == 11 {
		c = 0
	}
	return c != 10 && c == int(s[8]-'0')
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
