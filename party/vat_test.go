package party

import "testing"

// Valid numbers are published examples (python-stdnum documentation and
// the companies' own registrations); each invalid one changes one digit or
// breaks the shape.
func TestCheckVAT_AcceptsValidAndRejectsWrongChecksumPerCountry(t *testing.T) {
	tests := []struct {
		vat   string
		valid bool
	}{
		{"ATU13585627", true}, {"ATU13585626", false}, {"AT13585627", false},
		{"BE0403019261", true}, {"BE403019261", true}, {"BE0403019262", false}, {"BE2403019261", false},
		{"DE136695976", true}, {"DE136695977", false}, {"DE13669597", false},
		{"DK13585628", true}, {"DK13585627", false},
		{"ESJ99216582", true}, {"ESJ99216583", false}, {"ES54362315K", true}, {"ES54362315Z", false}, {"ESX5253868R", true}, {"ESB58378431", true}, {"ESB58378432", false},
		{"FI20774740", true}, {"FI20774741", false},
		{"FR40303265045", true}, {"FR23334175221", true}, {"FRK7399859412", true}, {"FR41303265045", false}, {"FR4030326504", false},
		{"IE6433435F", true}, {"IE6433435E", false}, {"IE8Z49289F", true}, {"IE3628739UA", true}, {"IE3628739UB", false},
		{"IT00743110157", true}, {"IT00743110158", false}, {"IT00743112005", false},
		{"LU15027442", true}, {"LU15027443", false},
		{"NL004495445B01", true}, {"NL004495446B01", false}, {"NL004495445X01", false},
		{"PL8567346215", true}, {"PL8567346216", false},
		{"PT501964843", true}, {"PT501964842", false},
		{"SE123456789701", true}, {"SE123456789801", false}, {"SE123456789702", false},
		{"CHE123456789", true}, {"GB", false}, {"1234", false},
	}
	for _, tt := range tests {
		msg := CheckVAT(tt.vat)
		if (msg == "") != tt.valid {
			t.Errorf("CheckVAT(%q) = %q, want valid=%v", tt.vat, msg, tt.valid)
		}
	}
}

func TestNormalizeVAT_RemovesSeparators(t *testing.T) {
	if got := NormalizeVAT(" de 136.695-976 "); got != "DE136695976" {
		t.Errorf("NormalizeVAT = %q", got)
	}
}

func TestCheckIBANAndBIC_RejectWrongCheckDigitsAndShapes(t *testing.T) {
	ibans := []struct {
		iban  string
		valid bool
	}{
		{"DE89370400440532013000", true}, {"DE89370400440532013001", false}, {"DE8937040044053201300", false},
		{"GB29NWBK60161331926819", true}, {"FR1420041010050500013M02606", true}, {"XX00", false}, {"DE89 3704", false},
	}
	for _, tt := range ibans {
		if msg := CheckIBAN(NormalizeIBAN(tt.iban)); (msg == "") != tt.valid {
			t.Errorf("CheckIBAN(%q) = %q, want valid=%v", tt.iban, msg, tt.valid)
		}
	}
	bics := []struct {
		bic   string
		valid bool
	}{{"COBADEFFXXX", true}, {"DEUTDEFF", true}, {"DEUTDEF", false}, {"DEUTXXFF", false}, {"DEU1DEFF", false}}
	for _, tt := range bics {
		if msg := CheckBIC(tt.bic); (msg == "") != tt.valid {
			t.Errorf("CheckBIC(%q) = %q, want valid=%v", tt.bic, msg, tt.valid)
		}
	}
}

func TestCheckEndpoint_ValidatesSchemeAndSimpleIDs(t *testing.T) {
	tests := []struct {
		scheme, id string
		valid      bool
	}{
		{"0088", "7300010000001", true}, {"0088", "7300010000002", false}, {"0088", "73000100000A1", false},
		{"0192", "974760673", true}, {"0192", "974760674", false},
		{"0208", "0403019261", true}, {"0208", "0403019262", false},
		{"9930", "DE136695976", true}, {"9930", "136695976", true}, {"9930", "DE136695977", false},
		{"0060", "123456789", true}, {"1234", "x", false}, {"0088", "", false},
	}
	for _, tt := range tests {
		if msg := CheckEndpoint(tt.scheme, tt.id); (msg == "") != tt.valid {
			t.Errorf("CheckEndpoint(%q, %q) = %q, want valid=%v", tt.scheme, tt.id, msg, tt.valid)
		}
	}
}
