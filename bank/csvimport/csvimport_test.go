package csvimport

import (
	"strings"
	"testing"

	"backoffice"
)

func TestParseAmount_Styles(t *testing.T) {
	cases := []struct {
		in    string
		comma bool
		want  int64
	}{
		{"1.234,56", true, 123456}, {"-1,234.56", false, -123456}, {"(12.00)", false, -1200},
		{"12.00-", false, -1200}, {"€ 12,00", true, 1200}, {"+31070,11", true, 3107011},
		{"1'234.50", false, 123450}, {"1 234,5", true, 123450}, {"EUR -5", false, -500}, {"12,00 €", true, 1200},
	}
	for _, c := range cases {
		got, err := parseAmount(c.in, c.comma, "", 2)
		if err != nil || got != c.want {
			t.Errorf("parseAmount(%q, comma=%v) = %d, %v; want %d", c.in, c.comma, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "abc", "1.005", "12a34", "--5", "1-2"} {
		if _, err := parseAmount(bad, false, "", 2); err == nil {
			t.Errorf("parseAmount(%q) succeeded; want an error", bad)
		}
	}
}

func parse(t *testing.T, data string, p Profile) []string {
	t.Helper()
	res, err := Parse([]byte(data), p)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var out []string
	for _, e := range res.Statements[0].Entries {
		out = append(out, e.Amount.String())
	}
	for _, w := range res.Warnings {
		out = append(out, w.String())
	}
	return out
}

func TestParse_SignRules(t *testing.T) {
	base := Profile{HeaderRows: 1, DateColumn: "Date", DateFormat: "2006-01-02", Currency: "EUR"}
	sign := base
	sign.AmountColumn, sign.SignColumn = "Amount", "DC"
	dc := base
	dc.DebitColumn, dc.CreditColumn = "Debit", "Credit"
	neg := base
	neg.AmountColumn, neg.NegateAmounts = "Amount", true
	cases := []struct {
		name string
		p    Profile
		data string
		want string
	}{
		{"marker decides, amount sign dropped", sign, "Date,Amount,DC\n2026-01-01,5.00,D\n2026-01-01,-5.00,C\n2026-01-01,5,dbit\n", "-5.00 EUR|5.00 EUR|-5.00 EUR"},
		{"debit column is money out however written", dc, "Date,Debit,Credit\n2026-01-01,50.00,\n2026-01-01,-50.00,\n2026-01-01,,7.5\n2026-01-01,,-2\n", "-50.00 EUR|-50.00 EUR|7.50 EUR|-2.00 EUR"},
		{"negate for credit card exports", neg, "Date,Amount\n2026-01-01,12.00\n", "-12.00 EUR"},
	}
	for _, c := range cases {
		if got := strings.Join(parse(t, c.data, c.p), "|"); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestParse_ColumnsByIndexAndSkippedRows(t *testing.T) {
	p := Profile{Delimiter: ';', DateColumn: "#1", DateFormat: "02.01.2006", AmountColumn: "#3", DecimalComma: true, Currency: "EUR", RemittanceColumns: []string{"#2"}}
	got := parse(t, "01.02.2026;Miete;-1.200,00\n31.02.2026;bad;1,00\n02.02.2026;x;abc\n03.02.2026;Gehalt;3.000,50\n", p)
	want := []string{"-1200.00 EUR", "3000.50 EUR", `line 2: row skipped: date "31.02.2026" does not match the format 02.01.2006`, `line 3: row skipped: amount "abc" is not a number`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestParse_RefusesMissingColumn(t *testing.T) {
	_, err := Parse([]byte("Date,Amount\n"), Profile{HeaderRows: 1, DateColumn: "Datum", AmountColumn: "Amount"})
	var e *backoffice.Error
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), `no column "Datum"`) {
		t.Errorf("got %v (%T), want an invalid error naming the column", err, e)
	}
}

func TestParse_ConvertsWindows1252(t *testing.T) {
	data := []byte("Date;Name;Amount\n2026-01-01;M\xfcller;1,00\n")
	for _, enc := range []string{"", "windows-1252", "iso-8859-1"} {
		res, err := Parse(data, Profile{Encoding: enc, HeaderRows: 1, DateColumn: "Date", DateFormat: "2006-01-02", AmountColumn: "Amount", DecimalComma: true, CounterpartyNameColumn: "Name"})
		if err != nil || res.Statements[0].Entries[0].Counterparty.Name != "Müller" {
			t.Errorf("encoding %q: %v %+v", enc, err, res)
		}
	}
	if _, err := Parse(data, Profile{Encoding: "utf-8", HeaderRows: 1, DateColumn: "Date", AmountColumn: "Amount"}); err == nil {
		t.Error("a Windows-1252 file declared UTF-8 was accepted")
	}
}

func TestGuess_HeadersInFourLanguages(t *testing.T) {
	cases := []struct {
		name, data string
		want       Profile
	}{
		{"German", "Buchungstag;Valuta;Beguenstigter/Zahlungspflichtiger;IBAN;Verwendungszweck;Betrag;Waehrung\n31.01.2026;31.01.2026;Stadtwerke;DE89370400440532013000;Strom;-1.234,56;EUR\n",
			Profile{Delimiter: ';', DateColumn: "Buchungstag", ValueDateColumn: "Valuta", DateFormat: "02.01.2006", AmountColumn: "Betrag", DecimalComma: true, CounterpartyNameColumn: "Beguenstigter/Zahlungspflichtiger", CounterpartyIBANColumn: "IBAN", CurrencyColumn: "Waehrung", RemittanceColumns: []string{"Verwendungszweck"}}},
		{"French", "Date opération;Libellé;Débit;Crédit\n05/01/2026;CB;12,50;\n",
			Profile{Delimiter: ';', DateColumn: "Date opération", DateFormat: "02/01/2006", DebitColumn: "Débit", CreditColumn: "Crédit", DecimalComma: true, RemittanceColumns: []string{"Libellé"}}},
		{"Dutch", "Datum,Naam / Omschrijving,Tegenrekening,Af Bij,Bedrag (EUR),Mededelingen\n20260105,Albert Heijn,NL91ABNA0417164300,Af,\"12,50\",Boodschappen\n",
			Profile{Delimiter: ',', DateColumn: "Datum", DateFormat: "20060102", AmountColumn: "Bedrag (EUR)", SignColumn: "Af Bij", DecimalComma: true, CounterpartyNameColumn: "Naam / Omschrijving", CounterpartyIBANColumn: "Tegenrekening", RemittanceColumns: []string{"Mededelingen"}}},
		{"English", "Date,Description,Amount,Balance\n01/13/2026,Coffee,-3.50,100.00\n",
			Profile{Delimiter: ',', DateColumn: "Date", DateFormat: "01/02/2006", AmountColumn: "Amount", BalanceColumn: "Balance", RemittanceColumns: []string{"Description"}}},
	}
	for _, c := range cases {
		got, err := Guess([]byte(c.data))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		c.want.Name, c.want.HeaderRows = "guessed", 1
		if g, w := strings.Join(describe(got), " "), strings.Join(describe(c.want), " "); g != w {
			t.Errorf("%s:\ngot  %s\nwant %s", c.name, g, w)
		}
		if _, err := Parse([]byte(c.data), got); err != nil {
			t.Errorf("%s: the guessed profile does not parse its file: %v", c.name, err)
		}
	}
}

func describe(p Profile) []string {
	return []string{string(p.Delimiter), p.DateColumn, p.ValueDateColumn, p.DateFormat, p.AmountColumn, p.DebitColumn, p.CreditColumn, p.SignColumn,
		p.CurrencyColumn, p.CounterpartyNameColumn, p.CounterpartyIBANColumn, strings.Join(p.RemittanceColumns, "+"), p.BalanceColumn, map[bool]string{true: "comma", false: "dot"}[p.DecimalComma]}
}

func TestBuiltinProfiles_AreValid(t *testing.T) {
	for _, p := range BuiltinProfiles() {
		if err := p.validate(); err != nil || p.Name == "" || p.DateFormat == "" {
			t.Errorf("%q: %v", p.Name, err)
		}
	}
}

func TestSniff(t *testing.T) {
	cases := map[string]bool{"a;b;c\n1;2;3\n": true, "Date,Amount\n": true, "just one line of prose": false, "\x00\x01binary": false, "": false}
	for in, want := range cases {
		if Sniff([]byte(in)) != want {
			t.Errorf("Sniff(%q) != %v", in, want)
		}
	}
}

// FuzzParse proves Parse and Guess never panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("Datum;Betrag;Name\n01.02.2026;\"-1.234,56\";M\xfcller\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if p, err := Guess(data); err == nil {
			_, _ = Parse(data, p)
		}
		_, _ = Parse(data, Profile{DateColumn: "#1", AmountColumn: "#2", SignColumn: "#3", BalanceColumn: "#4"})
	})
}
