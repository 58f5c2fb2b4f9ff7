package coa

import (
	"reflect"
	"strings"
	"testing"

	"backoffice"
)

func mustParseFrappe(t *testing.T, doc string) *Chart {
	t.Helper()
	c, err := ParseFrappe(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ParseFrappe: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("the parsed chart does not validate: %v", err)
	}
	return c
}

// summary renders accounts as "code name type/subtype parent [flags]".
func summary(accounts []Account) []string {
	var out []string
	for _, a := range accounts {
		s := a.Code + " " + a.Name + " " + string(a.Type) + "/" + a.Subtype + " ^" + a.Parent
		if a.Placeholder {
			s += " group"
		}
		if a.Reconcilable {
			s += " rec"
		}
		if a.Currency != "" {
			s += " " + a.Currency
		}
		out = append(out, s)
	}
	return out
}

func TestParseFrappe_ScalarKeysArePropertiesObjectKeysAreAccounts(t *testing.T) {
	c := mustParseFrappe(t, `{"countryCode": "nl", "name": "Test", "tree": {
	  "Assets": {
	    "rootType": "Asset",
	    "Bank": {"accountType": "Bank", "isGroup": 1, "account_currency": "usd"},
	    "Tax": {"accountType": "Tax", "taxRate": 21},
	    "accountType": {},
	    "Debtors": {"account_type": "Receivable", "account_number": 1300}
	  }}}`)
	want := []string{
		"1 Assets asset/other ^ group",
		"1.1 Bank asset/bank ^1 group rec USD",
		"1.2 Tax asset/tax ^1",
		"1.3 accountType asset/other ^1", // an object: an account, whatever its name
		"1300 Debtors asset/receivable ^1 rec",
	}
	if got := summary(c.Accounts); !reflect.DeepEqual(got, want) {
		t.Fatalf("accounts\n%q\nwant\n%q", got, want)
	}
	if c.Name != "Test" || c.Country != "NL" || len(c.Warnings) != 0 {
		t.Errorf("chart %q %q warnings %+v", c.Name, c.Country, c.Warnings)
	}
}

func TestParseFrappe_SubAccountsInheritTheTopRootType(t *testing.T) {
	c := mustParseFrappe(t, `{
	  "Income": {"Sales": {"Domestic": {}}, "rootType": "Income"},
	  "Costs": {"rootType": "Expense", "COGS": {"accountType": "Cost of Goods Sold"}, "Odd": {"rootType": "Asset"}}
	}`)
	want := []string{
		"1 Income income/other ^ group",
		"1.1 Sales income/other ^1 group",
		"1.1.1 Domestic income/other ^1.1",
		"2 Costs expense/other ^ group",
		"2.1 COGS expense/cost_of_sales ^2",
		"2.2 Odd expense/other ^2",
	}
	if got := summary(c.Accounts); !reflect.DeepEqual(got, want) {
		t.Fatalf("accounts\n%q\nwant\n%q", got, want)
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Line != 3 || !strings.Contains(c.Warnings[0].Message, "Odd") {
		t.Errorf("warnings %+v, want one on line 3 about Odd", c.Warnings)
	}
}

func TestParseFrappe_MapsAccountTypesToSubtypes(t *testing.T) {
	cases := []struct {
		root, accountType, subtype string
		warned                     bool
	}{
		{"Asset", "Bank", SubtypeBank, false},
		{"Asset", "Cash", SubtypeCash, false},
		{"Asset", "Receivable", SubtypeReceivable, false},
		{"Liability", "Payable", SubtypePayable, false},
		{"Liability", "Tax", SubtypeTax, false},
		{"Asset", "Stock", SubtypeInventory, false},
		{"Asset", "Fixed Asset", SubtypeFixedAsset, false},
		{"Asset", "Accumulated Depreciation", SubtypeAccumulatedDepreciation, false},
		{"Expense", "Depreciation", SubtypeDepreciation, false},
		{"Expense", "Cost of Goods Sold", SubtypeCostOfSales, false},
		{"Expense", "Round Off", SubtypeRoundOff, false},
		{"Expense", "Chargeable", SubtypeOther, false},
		{"Liability", "Stock Received But Not Billed", SubtypeOther, false},
		{"Expense", "Something New", SubtypeOther, true},
		{"Asset", "Payable", SubtypeOther, true}, // does not fit an asset
	}
	for _, tc := range cases {
		t.Run(tc.root+" "+tc.accountType, func(t *testing.T) {
			c := mustParseFrappe(t, `{"Top": {"rootType": "`+tc.root+`", "A": {"accountType": "`+tc.accountType+`"}}}`)
			if got := c.Accounts[1].Subtype; got != tc.subtype {
				t.Errorf("subtype %q, want %q", got, tc.subtype)
			}
			if (len(c.Warnings) > 0) != tc.warned {
				t.Errorf("warnings %+v, want a warning: %v", c.Warnings, tc.warned)
			}
		})
	}
}

func TestParseFrappe_WarnsAboutWhatItSkips(t *testing.T) {
	c := mustParseFrappe(t, `{"tree": {
	  "No type": {"A": {}},
	  "Assets": {"rootType": "Asset", "colour": "red", "list": [1, {"x": 2}],
	    "Bank": {"accountCurrency": "XYZ"}},
	  "stray": "value"
	}}`)
	want := []string{"1 Assets asset/other ^ group", "1.1 Bank asset/other ^1"}
	if got := summary(c.Accounts); !reflect.DeepEqual(got, want) {
		t.Fatalf("accounts %q, want %q", got, want)
	}
	var lines []int
	for _, w := range c.Warnings {
		lines = append(lines, w.Line)
	}
	// no rootType (2), unknown property (3), list (3), bad currency (4), stray (5)
	if want := []int{2, 3, 3, 4, 5}; !reflect.DeepEqual(lines, want) {
		t.Errorf("warning lines %v, want %v: %+v", lines, want, c.Warnings)
	}
}

func TestParseFrappe_RejectsWhatIsNotAChart(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 70) + "{}" + strings.Repeat("}", 70)
	cases := map[string]struct{ doc, want string }{
		"broken JSON":         {"{\n\"A\": {\"rootType\": \"Asset\",\n}", "line 3"},
		"not an object":       {`["A"]`, "not a JSON object"},
		"empty":               {``, "cannot be read"},
		"no accounts":         {`{"countryCode": "de", "name": "x", "tree": {}}`, "no accounts"},
		"no valid root type":  {`{"A": {"rootType": "Stuff"}}`, "no accounts"},
		"trailing data":       {`{"A": {"rootType": "Asset"}} {}`, "followed by more data"},
		"nested far too deep": {deep, "nested more than"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseFrappe(strings.NewReader(tc.doc))
			if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want an invalid error saying %q", err, tc.want)
			}
		})
	}
}
