package ofx

import (
	"strings"
	"testing"

	"backoffice"
)

const sgmlHeader = "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\nCHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"

func bank(trn string) string {
	return "<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR" +
		"<BANKACCTFROM><BANKID>BNPAFRPPXXX<ACCTID>FR7630006000011234567890189<ACCTTYPE>CHECKING</BANKACCTFROM>" +
		"<BANKTRANLIST><DTSTART>20260101<DTEND>20260131235959[-5:EST]" + trn + "</BANKTRANLIST>" +
		"<LEDGERBAL><BALAMT>1.234,56<DTASOF>20260131</LEDGERBAL><AVAILBAL><BALAMT>99<DTASOF>20260131</AVAILBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
}

func TestParse_SGMLWithoutEndTags(t *testing.T) {
	data := sgmlHeader + bank("<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105120000.000[-8:PST]<DTUSER>20260104<TRNAMT>-.5<FITID>F1<PAYEE><NAME>Shop &amp; Co</PAYEE><MEMO><CHECKNUM>12</STMTTRN>")
	res, err := Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	st := res.Statements[0]
	if st.Account.IBAN != "FR7630006000011234567890189" || st.Account.BIC != "BNPAFRPPXXX" || st.Account.Currency != "EUR" {
		t.Errorf("account %+v", st.Account)
	}
	if st.OpeningBalance != nil || st.ClosingBalance == nil || st.ClosingBalance.Amount.Amount != 123456 {
		t.Errorf("balances %+v %+v: want no opening and ledger 1234.56 closing", st.OpeningBalance, st.ClosingBalance)
	}
	if st.FromDate.String() != "2026-01-01" || st.ToDate.String() != "2026-01-31" {
		t.Errorf("dates %s %s", st.FromDate, st.ToDate)
	}
	e := st.Entries[0]
	got := []string{e.Amount.String(), e.BookingDate.String(), e.ValueDate.String(), e.Counterparty.Name, e.Remittance, e.BankReference, e.BankTxCode}
	want := []string{"-0.50 EUR", "2026-01-05", "2026-01-04", "Shop & Co", "check 12", "F1", "DEBIT"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("entry %q, want %q", got, want)
	}
}

func TestParse_XMLAndCreditCard(t *testing.T) {
	data := `<?xml version="1.0" encoding="UTF-8"?><?OFX OFXHEADER="200" VERSION="211"?><OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><CCSTMTRS>` +
		`<CURDEF>USD</CURDEF><CCACCTFROM><ACCTID>4111</ACCTID></CCACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT</TRNTYPE>` +
		`<DTPOSTED>20260105</DTPOSTED><TRNAMT>-1,234.50</TRNAMT><FITID>A</FITID><NAME>Café</NAME><CURRENCY><CURRATE>1.1</CURRATE><CURSYM>EUR</CURSYM></CURRENCY></STMTTRN>` +
		`</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>`
	res, err := Parse([]byte(data))
	if err != nil || len(res.Statements) != 1 {
		t.Fatal(err, res)
	}
	e := res.Statements[0].Entries[0]
	if e.Amount.String() != "-1234.50 EUR" || e.Counterparty.Name != "Café" || res.Statements[0].Account.Number != "4111" {
		t.Errorf("got %s %q %+v", e.Amount, e.Counterparty.Name, res.Statements[0].Account)
	}
}

func TestParse_ConvertsDeclaredCharset(t *testing.T) {
	data := append([]byte(sgmlHeader+"<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR<BANKTRANLIST><STMTTRN><TRNTYPE>OTHER<DTPOSTED>20260101<TRNAMT>1<NAME>M"), 0xFC)
	data = append(data, []byte("ller</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>")...)
	res, err := Parse(data)
	if err != nil || res.Statements[0].Entries[0].Counterparty.Name != "Müller" {
		t.Fatalf("got %v %+v", err, res)
	}
}

func TestParseAmount_Styles(t *testing.T) {
	cases := map[string]int64{"1,234.56": 123456, "-.5": -50, "+12": 1200, "12,50": 1250, "1.234,56": 123456, "-1,234,567": -123456700, "0": 0}
	for in, want := range cases {
		got, err := parseAmount(in, "EUR")
		if err != nil || got != want {
			t.Errorf("parseAmount(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"$120", "", "1.005", "abc"} {
		if _, err := parseAmount(bad, "EUR"); err == nil {
			t.Errorf("parseAmount(%q) succeeded; want an error", bad)
		}
	}
}

func TestParseDate_KeepsTheBanksCalendarDate(t *testing.T) {
	cases := map[string]string{
		"20130831":                      "2013-08-31",
		"20130831165153.000[-8:PST]":    "2013-08-31", // would be 09-01 in UTC
		"20130831230000[+10:AEST]":      "2013-08-31",
		"20130831000000.000[-3.30:NST]": "2013-08-31",
	}
	for in, want := range cases {
		if d, err := parseDate(in); err != nil || d.String() != want {
			t.Errorf("parseDate(%q) = %s, %v; want %s", in, d, err, want)
		}
	}
	for _, bad := range []string{"20120231", "2012", "2012-01-01"} {
		if _, err := parseDate(bad); err == nil {
			t.Errorf("parseDate(%q) succeeded; want an error", bad)
		}
	}
}

func TestParse_WarnsAndSkipsBadTransaction(t *testing.T) {
	res, err := Parse([]byte(sgmlHeader + bank("<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>$5<FITID>X</STMTTRN>\r\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>5<FITID>Y</STMTTRN>")))
	if err != nil || len(res.Statements[0].Entries) != 1 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].Message, "transaction X skipped") {
		t.Fatalf("got %v %+v", err, res)
	}
}

func TestParse_RefusesNonOFX(t *testing.T) {
	if _, err := Parse([]byte("date,amount\n")); backoffice.ErrorCode(err) != backoffice.EInvalid {
		t.Errorf("got %v, want an invalid error", err)
	}
}

func TestSniff(t *testing.T) {
	cases := map[string]bool{sgmlHeader: true, "<?xml version='1.0'?><OFX>": true, ":20:X\n:25:Y": false, "a,b\n": false}
	for in, want := range cases {
		if Sniff([]byte(in)) != want {
			t.Errorf("Sniff(%.20q) != %v", in, want)
		}
	}
}

// FuzzParse proves Parse never panics on any input.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sgmlHeader + bank("<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260105<TRNAMT>-1,5<FITID>1</STMTTRN>")))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		if err == nil && res.Format != Format {
			t.Fatalf("format %q", res.Format)
		}
	})
}
