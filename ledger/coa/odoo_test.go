package coa

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"backoffice"
)

func TestParseOdoo_MapsAccountTypesAndReconcile(t *testing.T) {
	c, err := ParseOdoo(strings.NewReader(`"id","name","code","account_type","reconcile","currency_id"
"r","Receivable","1210","asset_receivable","True",""
"b","Bank","1010","asset_cash","","base.USD"
"u","Current Year Earnings","3900","equity_unaffected","False",""
"c","COGS","5000","expense_direct_cost","False",""
"o","Guarantees","9000","off_balance","False",""
`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1210 Receivable asset/receivable ^ rec",
		"1010 Bank asset/bank ^ rec USD",
		"3900 Current Year Earnings equity/retained_earnings ^",
		"5000 COGS expense/cost_of_sales ^",
	}
	if got := summary(c.Accounts); !reflect.DeepEqual(got, want) {
		t.Fatalf("accounts\n%q\nwant\n%q", got, want)
	}
	if len(c.Warnings) != 1 || c.Warnings[0].Line != 6 {
		t.Errorf("warnings %+v, want one on line 6 for the off-balance account", c.Warnings)
	}
}

func TestParseOdoo_ReportsBadTypesAndDuplicateCodesByLine(t *testing.T) {
	_, err := ParseOdoo(strings.NewReader("name,code,account_type\nA,1,asset_current\nB,1,asset_current\n"))
	var be *backoffice.Error
	if !errors.As(err, &be) || be.Fields["line 3, code"] == "" {
		t.Fatalf("error %v, want the duplicate code on line 3", err)
	}
	_, err = ParseOdoo(strings.NewReader("name,code,account_type\nA,1,asset_magic\n"))
	if !errors.As(err, &be) || be.Fields["line 2, account_type"] == "" {
		t.Fatalf("error %v, want the account type on line 2", err)
	}
}

func TestParseCSV_AcceptsAnOdooAccountTypeAsType(t *testing.T) {
	c, err := ParseCSV(strings.NewReader("code,name,type,subtype\n1,Debtors,asset_receivable,\n2,Fees,liability_payable,tax\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1 Debtors asset/receivable ^ rec", "2 Fees liability/tax ^"}
	if got := summary(c.Accounts); !reflect.DeepEqual(got, want) {
		t.Fatalf("accounts %q, want %q", got, want)
	}
}
