package mt940

import (
	"strings"
	"testing"

	"backoffice"
)

// stmt wraps :61:/:86: lines in a minimal EUR statement.
func stmt(body string) []byte {
	return []byte(":20:REF\r\n:25:DE89370400440532013000\r\n:28C:1/1\r\n:60F:C260101EUR100,00\r\n" + body + ":62F:C260131EUR100,00\r\n-\r\n")
}

func parseOne(t *testing.T, data []byte) (amounts, warns []string) {
	t.Helper()
	res, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, s := range res.Statements {
		for _, e := range s.Entries {
			amounts = append(amounts, e.Amount.String()+" "+e.BookingDate.String()+" "+e.ValueDate.String())
		}
	}
	for _, w := range res.Warnings {
		warns = append(warns, w.String())
	}
	return amounts, warns
}

func TestParse_MarkGivesSign(t *testing.T) {
	cases := map[string]string{
		"C":  ":61:2601050105C12,5NTRFNONREF\r\n",
		"D":  ":61:2601050105D12,5NTRFNONREF\r\n",
		"RC": ":61:2601050105RC12,5NTRFNONREF\r\n", // reversal of a credit: money out
		"RD": ":61:2601050105RD12,5NTRFNONREF\r\n", // reversal of a debit: money back
		"CR": ":61:2601050105CR12,5NTRFNONREF\r\n", // C with funds code R
		"DR": ":61:2601050105DR12,5NTRFNONREF\r\n",
	}
	want := map[string]string{"C": "12.50", "D": "-12.50", "RC": "-12.50", "RD": "12.50", "CR": "12.50", "DR": "-12.50"}
	for mark, line := range cases {
		got, _ := parseOne(t, stmt(line))
		if len(got) != 1 || !strings.HasPrefix(got[0], want[mark]+" EUR") {
			t.Errorf("mark %s: got %v, want %s EUR", mark, got, want[mark])
		}
	}
}

func TestParse_EntryDateTakesNearestYear(t *testing.T) {
	cases := []struct{ line, want string }{
		{":61:2601021231D1,NTRFNONREF\r\n", "-1.00 EUR 2025-12-31 2026-01-02"}, // booked in the old year
		{":61:2512310102D1,NTRFNONREF\r\n", "-1.00 EUR 2026-01-02 2025-12-31"}, // booked in the new year
		{":61:260115D1,NTRFNONREF\r\n", "-1.00 EUR 2026-01-15 2026-01-15"},     // no entry date
		{":61:260115    D1,NTRFNONREF\r\n", "-1.00 EUR 2026-01-15 2026-01-15"}, // spaces for the entry date
	}
	for _, c := range cases {
		got, _ := parseOne(t, stmt(c.line))
		if len(got) != 1 || got[0] != c.want {
			t.Errorf("%q: got %v, want %q", c.line, got, c.want)
		}
	}
}

func TestParse_AmountsAreExactWithCurrencyDecimals(t *testing.T) {
	cases := []struct{ balance, want string }{
		{":60F:C260101EUR1234,56", "1234.56 EUR"},
		{":60F:D260101EUR380115,", "-380115.00 EUR"},
		{":60F:C260101EUR,5", "0.50 EUR"},
		{":60F:C260101JPY1234,", "1234 JPY"},
		{":60F:C260101BHD1,234", "1.234 BHD"},
		{":60F:C260101EUR000000000147,64", "147.64 EUR"},
	}
	for _, c := range cases {
		res, err := Parse([]byte(":20:X\n:25:1\n" + c.balance + "\n-"))
		if err != nil || len(res.Statements) != 1 || res.Statements[0].OpeningBalance == nil {
			t.Fatalf("%s: %v %+v", c.balance, err, res)
		}
		if got := res.Statements[0].OpeningBalance.Amount.String(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.balance, got, c.want)
		}
	}
}

func TestParse_WarnsWithLineAndReadsTheRest(t *testing.T) {
	data := stmt(":61:2601050105C1,001NTRF\r\n:61:2613050105C1,NTRF\r\n:99:junk\r\n:61:2601050105C2,NTRF\r\n")
	got, warns := parseOne(t, data)
	if len(got) != 1 || !strings.HasPrefix(got[0], "2.00 EUR") {
		t.Errorf("entries %v, want only the good line", got)
	}
	want := []string{"line 5: statement line amount not read", "line 7: unknown field :99: skipped", "line 6: statement line"}
	for _, w := range want {
		found := false
		for _, g := range warns {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("no warning %q in %q", w, warns)
		}
	}
}

func TestParse_ClampsImpossibleDayWithWarning(t *testing.T) {
	got, warns := parseOne(t, stmt(":61:1602300301D6,NTRF\r\n"))
	if len(got) != 1 || got[0] != "-6.00 EUR 2016-03-01 2016-02-29" || len(warns) != 1 || !strings.Contains(warns[0], "line 5: date 160230 has no day 30") {
		t.Errorf("got %v, warnings %v", got, warns)
	}
}

func TestParse_RefusesFileWithoutFields(t *testing.T) {
	_, err := Parse([]byte("1\n2\n3\n"))
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("got %v, want an invalid error naming line 1", err)
	}
}

func TestParse_EnvelopesAndSeveralMessages(t *testing.T) {
	data := "{1:F01ABNANL2AXXXX0000000000}{2:O940ABNANL2AXXXXN}{4:\n:20:A\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C260101EUR1,\n:62F:C260101EUR1,\n-}{5:}\n" +
		"{1:F01ABNANL2AXXXX0000000000}{2:O940ABNANL2AXXXXN}{4:\n:20:B\n:25:NL91ABNA0417164300\n:28C:2/1\n:60F:C260102EUR1,\n:62F:C260102EUR1,\n-}"
	res, err := Parse([]byte(data))
	if err != nil || len(res.Statements) != 2 || res.Statements[1].ID != "2/1" || res.Statements[0].Account.IBAN != "NL91ABNA0417164300" {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestParse_AccountForms(t *testing.T) {
	cases := map[string]string{
		"DE89370400440532013000":             "iban=DE89370400440532013000 number= cur=",
		"51210600/9223382012EUR":             "iban= number=51210600/9223382012 cur=EUR",
		"UBRTHUHB/123456789150ABCDEF002/HUF": "iban= number=UBRTHUHB/123456789150ABCDEF002 cur=HUF",
		"1291.99.348EUR":                     "iban= number=1291.99.348 cur=EUR",
	}
	for in, want := range cases {
		a := parseAccount(in)
		if got := "iban=" + a.IBAN + " number=" + a.Number + " cur=" + string(a.Currency); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestSniff_RecognisesMT940Only(t *testing.T) {
	cases := map[string]bool{
		":20:X\r\n:25:1\r\n":               true,
		"{1:F01ABNANL2AXXXX0000000000}":    true,
		"ABNANL2A\n940\n:20:X\n:60F:C2601": true,
		"date;amount\n2026-01-01;1,00":     false,
		"<OFX>":                            false,
		":20:only a reference":             false,
	}
	for in, want := range cases {
		if got := Sniff([]byte(in)); got != want {
			t.Errorf("Sniff(%q) = %v, want %v", in, got, want)
		}
	}
}
