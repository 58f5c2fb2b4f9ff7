package bank_test

import (
	"testing"

	"backoffice/bank"
)

func TestCheckIBAN_AcceptsValidIBANsOfSeveralCountries(t *testing.T) {
	for _, iban := range []string{
		"DE89 3704 0044 0532 0130 00",
		"GB29 NWBK 6016 1331 9268 19",
		"FR14 2004 1010 0505 0001 3M02 606",
		"NL91 ABNA 0417 1643 00",
		"BE68 5390 0754 7034",
		"CH93 0076 2011 6238 5295 7",
		"AT61 1904 3002 3457 3201",
		"ES91 2100 0418 4502 0005 1332",
		"IT60 X054 2811 1010 0000 0123 456",
		"NO93 8601 1117 947",
		"MT84 MALT 0110 0001 2345 MTLC AST0 01S",
		"CH28 0123 4000 1234 5678 9",
		"nl77abna0574908765",
	} {
		if msg := bank.CheckIBAN(bank.NormalizeIBAN(iban)); msg != "" {
			t.Errorf("%s: %s", iban, msg)
		}
	}
}

func TestCheckIBAN_RejectsWrongCheckDigitsAndShapes(t *testing.T) {
	for _, tc := range []struct{ iban, want string }{
		{"DE88 3704 0044 0532 0130 00", "has wrong check digits: check it for a typing error"},
		{"GB29 NWBK 6016 1331 9268 18", "has wrong check digits: check it for a typing error"},
		{"NL91 ABNA 0417 1643 01", "has wrong check digits: check it for a typing error"},
		{"FR14 2004 1010 0505 0001 3M02 607", "has wrong check digits: check it for a typing error"},
		{"CH11 1100 0000 1234 5678 9", "has wrong check digits: check it for a typing error"},
		{"DE89 3704 0044 0532 0130 0", "has the wrong length for DE (22 characters expected)"},
		{"1289 3704 0044 0532 0130 00", "must start with a country code and two check digits, like DE89"},
		{"DE89 3704 0044 0532 0130 0!", "may hold only letters and digits"},
		{"DE89", "must have 15 to 34 letters and digits"},
	} {
		if got := bank.CheckIBAN(bank.NormalizeIBAN(tc.iban)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.iban, got, tc.want)
		}
	}
}

func TestCheckBIC_AcceptsEightOrElevenCharactersOnly(t *testing.T) {
	for _, tc := range []struct {
		bic string
		ok  bool
	}{
		{"DEUTDEFF", true}, {"DEUTDEFF500", true}, {"ABNANL2A", true}, {"NWBKGB2L", true},
		{"DEUTDEF", false}, {"DEUTDEFF50", false}, {"DEU1DEFF", false}, {"DEUTDEF!", false},
	} {
		if got := bank.CheckBIC(tc.bic) == ""; got != tc.ok {
			t.Errorf("%s: valid = %v, want %v (%s)", tc.bic, got, tc.ok, bank.CheckBIC(tc.bic))
		}
	}
}
