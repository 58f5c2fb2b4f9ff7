package backoffice_test

import (
	"encoding/json"
	"math"
	"testing"

	"backoffice"
)

func TestParseMoney_UsesTheCurrencyExponent(t *testing.T) {
	cases := []struct {
		in   string
		cur  backoffice.Currency
		want int64
	}{
		{"1234.56", "EUR", 123456},
		{"-0.5", "EUR", -50},
		{"+7", "EUR", 700},
		{"1.500", "EUR", 150}, // trailing zeros beyond the exponent carry no value
		{"1234", "JPY", 1234},
		{"1.234", "BHD", 1234},
		{"0.001", "BHD", 1},
		{"92233720368547758.07", "EUR", math.MaxInt64},
	}
	for _, c := range cases {
		m, err := backoffice.ParseMoney(c.in, c.cur)
		if err != nil || m.Amount != c.want || m.Currency != c.cur {
			t.Errorf("ParseMoney(%q, %s) = %+v, %v; want %d", c.in, c.cur, m, err, c.want)
		}
	}
}

func TestParseMoney_RefusesWhatItCannotHoldExactly(t *testing.T) {
	cases := []struct {
		in  string
		cur backoffice.Currency
	}{
		{"10.005", "EUR"}, {"1.5", "JPY"}, {"", "EUR"}, {"1,50", "EUR"}, {"1e3", "EUR"}, {"--1", "EUR"},
		{"92233720368547758.08", "EUR"}, {"1.00", "XAU"}, {"1.00", "ZZZ"}, {".", "EUR"},
	}
	for _, c := range cases {
		if m, err := backoffice.ParseMoney(c.in, c.cur); err == nil {
			t.Errorf("ParseMoney(%q, %s) = %+v, want an error", c.in, c.cur, m)
		} else if backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("ParseMoney(%q, %s): code %s, want invalid", c.in, c.cur, backoffice.ErrorCode(err))
		}
	}
}

func TestMoney_FormatsWithTheCurrencyDecimals(t *testing.T) {
	cases := []struct {
		m    backoffice.Money
		want string
	}{
		{backoffice.NewMoney(123456, "EUR"), "1234.56 EUR"},
		{backoffice.NewMoney(-5, "EUR"), "-0.05 EUR"},
		{backoffice.NewMoney(1234, "JPY"), "1234 JPY"},
		{backoffice.NewMoney(1, "BHD"), "0.001 BHD"},
		{backoffice.NewMoney(math.MinInt64, "EUR"), "-92233720368547758.08 EUR"},
	}
	for _, c := range cases {
		if got := c.m.String(); got != c.want {
			t.Errorf("%+v.String() = %q, want %q", c.m, got, c.want)
		}
	}
}

func TestMoney_AddRefusesMixedCurrenciesAndOverflow(t *testing.T) {
	eur := backoffice.NewMoney(100, "EUR")
	if _, err := eur.Add(backoffice.NewMoney(1, "USD")); err == nil {
		t.Error("EUR + USD accepted")
	}
	if _, err := backoffice.NewMoney(math.MaxInt64, "EUR").Add(backoffice.NewMoney(1, "EUR")); err == nil {
		t.Error("overflow accepted")
	}
	sum, err := (backoffice.Money{}).Add(eur)
	if err != nil || sum != eur {
		t.Errorf("zero + 1.00 EUR = %+v, %v", sum, err)
	}
	diff, err := eur.Sub(backoffice.NewMoney(250, "EUR"))
	if err != nil || diff.Amount != -150 {
		t.Errorf("1.00 - 2.50 = %+v, %v", diff, err)
	}
}

func TestMoney_JSONKeepsTheAmountAsAString(t *testing.T) {
	b, err := json.Marshal(backoffice.NewMoney(1050, "EUR"))
	if err != nil || string(b) != `{"amount":"10.50","currency":"EUR"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var m backoffice.Money
	if err := json.Unmarshal([]byte(`{"amount":10.5,"currency":"eur"}`), &m); err != nil || m != backoffice.NewMoney(1050, "EUR") {
		t.Fatalf("unmarshal number: %+v %v", m, err)
	}
	if err := json.Unmarshal([]byte(`{"amount":"10.555","currency":"EUR"}`), &m); err == nil {
		t.Fatal("three decimals in EUR accepted")
	}
}

func TestCurrency_TableComesFromISO4217(t *testing.T) {
	for code, exp := range map[backoffice.Currency]int{"EUR": 2, "JPY": 0, "KWD": 3, "CLF": 4, "USD": 2} {
		if !code.Valid() || code.Exponent() != exp {
			t.Errorf("%s: valid %v, exponent %d, want %d", code, code.Valid(), code.Exponent(), exp)
		}
	}
	if backoffice.Currency("XAU").Valid() {
		t.Error("gold has no minor unit and cannot carry Money")
	}
	if c, err := backoffice.ParseCurrency(" chf "); err != nil || c != "CHF" {
		t.Errorf("ParseCurrency(chf) = %q, %v", c, err)
	}
	if n := len(backoffice.Currencies()); n < 150 {
		t.Errorf("only %d currencies", n)
	}
}
