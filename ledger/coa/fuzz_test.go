package coa

import (
	"bytes"
	"reflect"
	"testing"

	"backoffice"
)

// checkParsed is what every parser promises for any input: an error is a
// *backoffice.Error a user can read, and a chart passes Validate and
// survives the trip through our CSV.
func checkParsed(t *testing.T, c *Chart, err error) {
	t.Helper()
	if err != nil {
		if code := backoffice.ErrorCode(err); code != backoffice.EInvalid && code != backoffice.ETooLarge {
			t.Fatalf("error with code %q: %v", code, err)
		}
		return
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("parsed chart does not validate: %v", err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, c); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	back, err := ParseCSV(&buf)
	if err != nil {
		t.Fatalf("ParseCSV of WriteCSV: %v\n%q", err, buf.String())
	}
	if !reflect.DeepEqual(back.Accounts, c.Accounts) {
		t.Fatalf("round trip changed the accounts:\n%+v\n%+v", c.Accounts, back.Accounts)
	}
}

func FuzzParseGnuCash(f *testing.F) {
	f.Add([]byte(gncTemplate(
		gncAcct{id: "a", name: "Assets", typ: "ASSET", code: "1"},
		gncAcct{id: "b", parent: "a", name: "Bank", typ: "BANK", currency: "USD"},
		gncAcct{id: "c", parent: "b", name: "Shares", typ: "STOCK"},
		gncAcct{id: "t", name: "Trading", typ: "TRADING"},
		gncAcct{id: "i", parent: "t", name: "Income", typ: "INCOME", code: "1"},
	)))
	f.Add([]byte(`<gnc:account><act:name>=A</act:name><act:id>x</act:id><act:parent>x</act:parent><act:type>EXPENSE</act:type></gnc:account>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseGnuCash(bytes.NewReader(data))
		checkParsed(t, c, err)
	})
}

func FuzzParseFrappe(f *testing.F) {
	f.Add([]byte(`{"countryCode": "de", "name": "x", "tree": {"A": {"rootType": "Asset", "B": {"accountType": "Bank", "accountNumber": "1"}, "C": {"isGroup": 1}}}}`))
	f.Add([]byte(`{"A": {"root_type": "Income", "": {"account_number": 1.5}, "x": [1, {"y": null}]}, "B": {"rootType": "Expense", "A": {"accountNumber": "1"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseFrappe(bytes.NewReader(data))
		checkParsed(t, c, err)
	})
}

func FuzzParseCSV(f *testing.F) {
	f.Add([]byte("code,name,type,subtype,parent,currency,reconcilable,placeholder\n1,Assets,asset,,,,,yes\n1.1,Bank,asset,bank,1,EUR,,\n"))
	f.Add([]byte("code;name;type;parent\n'=1;'-x;income;2\n2;b;income;'=1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCSV(bytes.NewReader(data))
		checkParsed(t, c, err)
	})
}

func FuzzParseOdoo(f *testing.F) {
	f.Add([]byte("\"id\",\"name\",\"code\",\"account_type\",\"tag_ids\",\"reconcile\",\"non_trade\"\n\"a\",\"Cash\",\"1010\",\"asset_cash\",\"\",\"False\",\"False\"\n\"b\",\"Off\",\"9\",\"off_balance\",\"\",\"\",\"\"\n"))
	f.Add([]byte("name;code;account_type;currency_id\n=x;1;income;base.EUR\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseOdoo(bytes.NewReader(data))
		checkParsed(t, c, err)
	})
}
