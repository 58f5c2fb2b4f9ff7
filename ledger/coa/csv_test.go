package coa

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"backoffice"
)

// roundTrip writes c as CSV and reads it back.
func roundTrip(t *testing.T, c *Chart) *Chart {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, c); err != nil {
		t.Fatalf("WriteCSV: %v", err)
	}
	back, err := ParseCSV(&buf)
	if err != nil {
		t.Fatalf("ParseCSV of what WriteCSV wrote: %v\n%s", err, buf.String())
	}
	return back
}

func TestWriteCSV_ParseCSVGivesEverySampleChartBack(t *testing.T) {
	for _, rel := range sampleFiles(t) {
		t.Run(rel, func(t *testing.T) {
			c := parseSample(t, rel)
			if back := roundTrip(t, c); !reflect.DeepEqual(back.Accounts, c.Accounts) {
				t.Fatalf("accounts differ after the round trip")
			}
		})
	}
}

func TestWriteCSV_ParseCSVKeepsTextThatLooksLikeAFormula(t *testing.T) {
	c := &Chart{Accounts: []Account{
		{Code: "=1", Name: "=SUM(A1)", Type: Asset, Subtype: SubtypeBank, Currency: "USD", Reconcilable: true, Placeholder: true},
		{Code: "-2", Name: "+plus", Type: Asset, Subtype: SubtypeOther, Parent: "=1"},
		{Code: "'3", Name: "'quoted", Type: Asset, Subtype: SubtypeOther, Parent: "=1"},
		{Code: "4", Name: "@at, \"comma\"", Type: Asset, Subtype: SubtypeOther, Parent: "'3"},
		{Code: "5", Name: "Bank, not reconciled", Type: Asset, Subtype: SubtypeBank, Parent: "=1"},
	}}
	if back := roundTrip(t, c); !reflect.DeepEqual(back.Accounts, c.Accounts) {
		t.Fatalf("got\n%+v\nwant\n%+v", back.Accounts, c.Accounts)
	}
}

func TestParseCSV_FillsSubtypeAndReconcilableDefaults(t *testing.T) {
	c, err := ParseCSV(strings.NewReader("Code;Name;Type;Subtype;Parent\n1;Assets;Asset;;\n1.1;Bank;asset;bank;1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Account{
		{Code: "1", Name: "Assets", Type: Asset, Subtype: SubtypeOther},
		{Code: "1.1", Name: "Bank", Type: Asset, Subtype: SubtypeBank, Parent: "1", Reconcilable: true},
	}
	if !reflect.DeepEqual(c.Accounts, want) {
		t.Fatalf("accounts %+v, want %+v", c.Accounts, want)
	}
}

func TestParseCSV_ReportsEveryBadCellAndChartRuleByLineAndColumn(t *testing.T) {
	in := "code,name,type,subtype,parent,currency,reconcilable,placeholder\n" +
		"1,Assets,asset,,,,,\n" + // line 2: fine
		"1,Again,asset,,,,,\n" + // line 3: duplicate code
		"2,Orphan,asset,,9,,,\n" + // line 4: unknown parent
		"3,Sales,income,,1,,,\n" + // line 5: parent of another type
		"4,Bad,revenue,magic,,EURO,maybe,perhaps\n" + // line 6: every cell wrong
		",,asset,,,,,\n" + // line 7: code and name missing
		"5,Debts,liability,receivable,,,,\n" // line 8: subtype not for liabilities
	_, err := ParseCSV(strings.NewReader(in))
	var be *backoffice.Error
	if !errors.As(err, &be) || be.Code != backoffice.EInvalid {
		t.Fatalf("error %v, want an invalid *backoffice.Error", err)
	}
	var keys []string
	for k := range be.Fields {
		keys = append(keys, k)
	}
	want := []string{
		"line 3, code", "line 4, parent", "line 5, type",
		"line 6, type", "line 6, subtype", "line 6, currency", "line 6, reconcilable", "line 6, placeholder",
		"line 7, code", "line 7, name", "line 8, subtype",
	}
	if !sameSet(keys, want) {
		t.Fatalf("fields %v\nwant keys %v", be.Fields, want)
	}
}

func TestParseCSV_RejectsFilesWithoutTheRequiredColumns(t *testing.T) {
	_, err := ParseCSV(strings.NewReader("code,title\n1,Assets\n"))
	if backoffice.ErrorCode(err) != backoffice.EInvalid {
		t.Fatalf("error %v, want invalid", err)
	}
	for _, want := range []string{"title", "name", "type"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
