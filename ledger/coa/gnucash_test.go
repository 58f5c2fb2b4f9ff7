package coa

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"backoffice"
)

// gncAcct describes one account of a test template.
type gncAcct struct {
	id, parent, name, typ, code, currency string
	placeholder                           bool
	slots                                 string // raw <slot> elements
}

// gncTemplate writes a GnuCash account template with a root account "r".
func gncTemplate(accounts ...gncAcct) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<gnc-account-example xmlns="http://www.gnucash.org/XML/" xmlns:act="http://www.gnucash.org/XML/act"
  xmlns:cmdty="http://www.gnucash.org/XML/cmdty" xmlns:gnc="http://www.gnucash.org/XML/gnc"
  xmlns:gnc-act="http://www.gnucash.org/XML/gnc-act" xmlns:slot="http://www.gnucash.org/XML/slot">
<gnc-act:title>
  Test  chart
</gnc-act:title>
<gnc:account version="2.0.0"><act:name>Root Account</act:name><act:id type="new">r</act:id><act:type>ROOT</act:type></gnc:account>
`)
	for _, a := range accounts {
		cur := a.currency
		if cur == "" {
			cur = "EUR"
		}
		slots := a.slots
		if a.placeholder {
			slots += `<slot><slot:key>placeholder</slot:key><slot:value type="string">true</slot:value></slot>`
		}
		parent := a.parent
		if parent == "" {
			parent = "r"
		}
		fmt.Fprintf(&b, `<gnc:account version="2.0.0">
  <act:name>%s</act:name>
  <act:id type="new">%s</act:id>
  <act:type>%s</act:type>
  <act:commodity><cmdty:space>ISO4217</cmdty:space><cmdty:id>%s</cmdty:id></act:commodity>
  <act:code>%s</act:code>
  <act:slots>%s</act:slots>
  <act:parent type="new">%s</act:parent>
</gnc:account>
`, a.name, a.id, a.typ, cur, a.code, slots, parent)
	}
	b.WriteString("</gnc-account-example>\n")
	return b.String()
}

func mustParseGnuCash(t *testing.T, doc string) *Chart {
	t.Helper()
	c, err := ParseGnuCash(strings.NewReader(doc))
	if err != nil {
		t.Fatalf("ParseGnuCash: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("the parsed chart does not validate: %v", err)
	}
	return c
}

func TestParseGnuCash_MapsEveryGnuCashTypeToTypeAndSubtype(t *testing.T) {
	cases := []struct {
		gnc          string
		typ          Type
		subtype      string
		reconcilable bool
		warned       bool
	}{
		{"ASSET", Asset, SubtypeOther, false, false},
		{"BANK", Asset, SubtypeBank, true, false},
		{"CASH", Asset, SubtypeCash, false, false},
		{"RECEIVABLE", Asset, SubtypeReceivable, true, false},
		{"STOCK", Asset, SubtypeOther, false, true},
		{"MUTUAL", Asset, SubtypeOther, false, true},
		{"CURRENCY", Asset, SubtypeOther, false, true},
		{"LIABILITY", Liability, SubtypeOther, false, false},
		{"CREDIT", Liability, SubtypeCreditCard, true, false},
		{"PAYABLE", Liability, SubtypePayable, true, false},
		{"EQUITY", Equity, SubtypeOther, false, false},
		{"INCOME", Income, SubtypeOther, false, false},
		{"EXPENSE", Expense, SubtypeOther, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.gnc, func(t *testing.T) {
			c := mustParseGnuCash(t, gncTemplate(gncAcct{id: "a", name: "A", typ: tc.gnc}))
			want := Account{Code: "1", Name: "A", Type: tc.typ, Subtype: tc.subtype, Reconcilable: tc.reconcilable}
			if len(c.Accounts) != 1 || c.Accounts[0] != want {
				t.Fatalf("accounts %+v, want [%+v]", c.Accounts, want)
			}
			if (len(c.Warnings) > 0) != tc.warned {
				t.Errorf("warnings %v, want a warning: %v", c.Warnings, tc.warned)
			}
		})
	}
}

func TestParseGnuCash_LeavesOutTradingAndRootAccountsAndMovesTheirChildrenUp(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(
		gncAcct{id: "t", name: "Trading", typ: "TRADING"},
		gncAcct{id: "a", parent: "t", name: "Assets", typ: "ASSET"},
		gncAcct{id: "n", name: "Nested root", typ: "ROOT"},
		gncAcct{id: "b", parent: "n", name: "Bank", typ: "BANK"},
	))
	got := []string{}
	for _, a := range c.Accounts {
		got = append(got, a.Code+" "+a.Name+" parent="+a.Parent)
	}
	if want := []string{"1 Assets parent=", "2 Bank parent="}; !reflect.DeepEqual(got, want) {
		t.Fatalf("accounts %q, want %q", got, want)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Message, "Trading") {
		t.Errorf("warnings %+v, want one about the trading account", c.Warnings)
	}
}

func TestParseGnuCash_GeneratesCodesFromTreePositionAndKeepsGivenCodes(t *testing.T) {
	doc := gncTemplate(
		gncAcct{id: "a", name: "Assets", typ: "ASSET", placeholder: true},
		gncAcct{id: "a1", parent: "a", name: "Current", typ: "ASSET"},
		gncAcct{id: "a2", parent: "a", name: "Bank", typ: "BANK", code: "1200"},
		gncAcct{id: "a21", parent: "a2", name: "Savings", typ: "BANK"},
		gncAcct{id: "x", name: "Expenses", typ: "EXPENSE"},
		gncAcct{id: "x1", parent: "x", name: "Rent", typ: "EXPENSE"},
	)
	first := mustParseGnuCash(t, doc)
	want := []string{"1 Assets", "1.1 Current", "1200 Bank", "1200.1 Savings", "2 Expenses", "2.1 Rent"}
	var got []string
	for _, a := range first.Accounts {
		got = append(got, a.Code+" "+a.Name)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("codes %q, want %q", got, want)
	}
	if first.Accounts[3].Parent != "1200" || !first.Accounts[0].Placeholder || first.Accounts[1].Placeholder {
		t.Errorf("parent or placeholder lost: %+v", first.Accounts)
	}
	again := mustParseGnuCash(t, doc)
	if !reflect.DeepEqual(first, again) {
		t.Errorf("the same file gave other codes the second time")
	}
}

func TestParseGnuCash_DuplicateOrTakenCodesGetAnotherCodeWithAWarning(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(
		gncAcct{id: "a", name: "Assets", typ: "ASSET", code: "100"},
		gncAcct{id: "a1", parent: "a", name: "Cash", typ: "CASH", code: "100"},
		gncAcct{id: "b", name: "Liabilities", typ: "LIABILITY", code: "3"},
		gncAcct{id: "c", name: "Equity", typ: "EQUITY"},
	))
	var got []string
	for _, a := range c.Accounts {
		got = append(got, a.Code)
	}
	// Cash repeats its parent's code: it gets 100.1. Equity, third at the
	// top, would be 3, which Liabilities has: it gets 3-2.
	if want := []string{"100", "100.1", "3", "3-2"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("codes %q, want %q", got, want)
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Line == 0 || !strings.Contains(c.Warnings[0].Message, "code 100") {
		t.Errorf("warnings %+v, want one with its line about code 100", c.Warnings)
	}
}

func TestParseGnuCash_ChildOfAnotherTypeTakesItsParentsType(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(
		gncAcct{id: "v", name: "VAT", typ: "LIABILITY"},
		gncAcct{id: "i", parent: "v", name: "Input", typ: "RECEIVABLE"},
	))
	in := c.Accounts[1]
	if in.Type != Liability || in.Subtype != SubtypeOther {
		t.Fatalf("Input is %s/%s, want liability/other", in.Type, in.Subtype)
	}
	if len(c.Warnings) != 2 {
		t.Errorf("warnings %+v, want one for the type and one for the subtype", c.Warnings)
	}
}

func TestParseGnuCash_ForeignCurrencyAccountIsFixedToItsCurrency(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(
		gncAcct{id: "a", name: "Assets", typ: "ASSET"},
		gncAcct{id: "u", parent: "a", name: "USD account", typ: "BANK", currency: "USD"},
		gncAcct{id: "e", parent: "a", name: "Cash", typ: "CASH"},
		gncAcct{id: "d", parent: "a", name: "Marks", typ: "BANK", currency: "DEM"},
	))
	if c.Currency != "EUR" || c.Name != "Test chart" {
		t.Errorf("chart %q in %q, want \"Test chart\" in EUR", c.Name, c.Currency)
	}
	got := []string{c.Accounts[0].Currency, c.Accounts[1].Currency, c.Accounts[2].Currency, c.Accounts[3].Currency}
	if want := []string{"", "USD", "", ""}; !reflect.DeepEqual(got, want) {
		t.Errorf("currencies %q, want %q", got, want)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0].Message, "DEM") {
		t.Errorf("warnings %+v, want one about DEM", c.Warnings)
	}
}

func TestParseGnuCash_OpeningBalanceSlotMakesAnOpeningBalanceAccount(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(gncAcct{id: "o", name: "Opening Balances", typ: "EQUITY",
		slots: `<slot><slot:key>equity-type</slot:key><slot:value type="string">opening-balance</slot:value></slot>`}))
	if c.Accounts[0].Subtype != SubtypeOpeningBalance {
		t.Errorf("subtype %q, want %q", c.Accounts[0].Subtype, SubtypeOpeningBalance)
	}
}

func TestParseGnuCash_ReadsGzipCompressedFiles(t *testing.T) {
	doc := gncTemplate(gncAcct{id: "a", name: "Assets", typ: "ASSET"})
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(doc))
	zw.Close()
	plain := mustParseGnuCash(t, doc)
	zipped, err := ParseGnuCash(&z)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plain, zipped) {
		t.Errorf("gzip gave %+v, plain %+v", zipped, plain)
	}
}

func TestParseGnuCash_ParentLoopIsBrokenWithAWarning(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(
		gncAcct{id: "a", parent: "b", name: "A", typ: "ASSET"},
		gncAcct{id: "b", parent: "a", name: "B", typ: "ASSET"},
		gncAcct{id: "c", parent: "missing", name: "C", typ: "ASSET"},
	))
	if len(c.Accounts) != 3 || len(c.Warnings) != 2 {
		t.Fatalf("accounts %+v warnings %+v, want 3 accounts and 2 warnings", c.Accounts, c.Warnings)
	}
}

func TestParseGnuCash_RejectsWhatIsNotATemplate(t *testing.T) {
	cases := map[string]struct{ doc, want string }{
		"broken XML":        {"<gnc-account-example>\n<gnc:account>\n<act:name>A</act:nam>", "line 3"},
		"no accounts":       {`<?xml version="1.0"?><gnc-account-example/>`, "no GnuCash accounts"},
		"only a root":       {gncTemplate(), "no accounts that can be imported"},
		"another encoding":  {`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, "save it as UTF-8"},
		"broken gzip":       {"\x1f\x8b\x00\x00", "gzip"},
		"empty file":        {"", "no GnuCash accounts"},
		"not XML, but JSON": {`{"tree": {}}`, "no GnuCash accounts"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseGnuCash(strings.NewReader(tc.doc))
			if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want an invalid error saying %q", err, tc.want)
			}
		})
	}
}

func TestParseGnuCash_ChildOfALoopOfLeftOutAccountsGoesToTheTop(t *testing.T) {
	c := mustParseGnuCash(t, gncTemplate(
		gncAcct{id: "x", parent: "y", name: "X", typ: "TRADING"},
		gncAcct{id: "y", parent: "x", name: "Y", typ: "TRADING"},
		gncAcct{id: "c", parent: "x", name: "Cash", typ: "CASH"},
	))
	if len(c.Accounts) != 1 || c.Accounts[0].Parent != "" || c.Accounts[0].Code != "1" {
		t.Fatalf("accounts %+v, want Cash alone at the top", c.Accounts)
	}
}

func TestParseGnuCash_ReadsABookButNotItsScheduledTransactionAccounts(t *testing.T) {
	book := `<?xml version="1.0" encoding="utf-8" ?>
<gnc-v2 xmlns:gnc="http://www.gnucash.org/XML/gnc" xmlns:act="http://www.gnucash.org/XML/act"
  xmlns:cmdty="http://www.gnucash.org/XML/cmdty" xmlns:split="http://www.gnucash.org/XML/split">
<gnc:book version="2.0.0">
<gnc:account version="2.0.0"><act:name>Root Account</act:name><act:id type="guid">r</act:id><act:type>ROOT</act:type></gnc:account>
<gnc:account version="2.0.0"><act:name>Checking</act:name><act:id type="guid">c</act:id><act:type>BANK</act:type>
  <act:commodity><cmdty:space>CURRENCY</cmdty:space><cmdty:id>CHF</cmdty:id></act:commodity><act:parent type="guid">r</act:parent></gnc:account>
<gnc:transaction><split:account type="guid">c</split:account></gnc:transaction>
<gnc:template-transactions>
<gnc:account version="2.0.0"><act:name>Template Root</act:name><act:id type="guid">t</act:id><act:type>ROOT</act:type></gnc:account>
<gnc:account version="2.0.0"><act:name>0a1b</act:name><act:id type="guid">s</act:id><act:type>BANK</act:type><act:parent type="guid">t</act:parent></gnc:account>
</gnc:template-transactions>
</gnc:book>
</gnc-v2>`
	c := mustParseGnuCash(t, book)
	if len(c.Accounts) != 1 || c.Accounts[0].Name != "Checking" || c.Currency != "CHF" {
		t.Fatalf("chart %+v, want Checking alone, in CHF", c)
	}
}
