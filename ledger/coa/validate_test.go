package coa

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"backoffice"
)

func acct(code, name string, t Type, parent string) Account {
	return Account{Code: code, Name: name, Type: t, Subtype: SubtypeOther, Parent: parent}
}

func TestValidate_AcceptsParentsAnywhereInTheList(t *testing.T) {
	c := &Chart{Accounts: []Account{
		acct("1.1", "Cash", Asset, "1"),
		acct("1", "Assets", Asset, ""),
		{Code: "2", Name: "Bank", Type: Asset, Subtype: SubtypeBank, Parent: "1", Currency: "USD", Reconcilable: true},
	}}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestValidate_NamesEveryBrokenRuleAtOnce(t *testing.T) {
	c := &Chart{Accounts: []Account{
		acct("1", "Assets", Asset, ""),
		acct("1", "Again", Asset, ""),                // 1: duplicate code
		acct("2", "Orphan", Asset, "9"),              // 2: parent missing
		acct("3", "Income under asset", Income, "1"), // 3: wrong type
		acct("4", "Loop A", Expense, "5"),            // 4, 5: cycle
		acct("5", "Loop B", Expense, "4"),
		acct("6", "Self", Expense, "6"),                                                   // 6: own parent
		{Code: "", Name: "", Type: "revenue", Subtype: "magic", Currency: "EURO"},         // 7
		{Code: "8", Name: "Receivable debt", Type: Liability, Subtype: SubtypeReceivable}, // 8
	}}
	err := c.Validate()
	var be *backoffice.Error
	if !errors.As(err, &be) || be.Code != backoffice.EInvalid {
		t.Fatalf("error %v, want an invalid *backoffice.Error", err)
	}
	var keys []string
	for k := range be.Fields {
		keys = append(keys, k)
	}
	want := []string{
		"accounts[1].code", "accounts[2].parent", "accounts[3].type", "accounts[4].parent", "accounts[5].parent",
		"accounts[6].parent", "accounts[7].code", "accounts[7].name", "accounts[7].type", "accounts[7].subtype",
		"accounts[7].currency", "accounts[8].subtype",
	}
	if !sameSet(keys, want) {
		t.Fatalf("fields %v, want %v", be.Fields, want)
	}
	if be.Message != "the chart of accounts has 12 problems" {
		t.Errorf("message %q", be.Message)
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return len(a) == len(b)
}

func TestSorted_PutsParentsFirstThenSiblingsByCodeAsNumbers(t *testing.T) {
	c := &Chart{Accounts: []Account{
		acct("1.10", "j", Asset, "1"),
		acct("2", "b", Liability, ""),
		acct("1.2", "i", Asset, "1"),
		acct("1.2.1", "k", Asset, "1.2"),
		acct("10", "z", Equity, ""),
		acct("1", "a", Asset, ""),
		acct("x", "orphan", Asset, "missing"),
		acct("c2", "cycle", Asset, "c1"),
		acct("c1", "cycle", Asset, "c2"),
	}}
	var got []string
	for _, a := range c.Sorted() {
		got = append(got, a.Code)
	}
	want := []string{"1", "1.2", "1.2.1", "1.10", "2", "10", "x", "c1", "c2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("order %q, want %q", got, want)
	}
	if c.Accounts[0].Code != "1.10" {
		t.Errorf("Sorted changed the chart itself")
	}
}

func TestCompareCodes_ComparesDigitRunsAsNumbers(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1.2", "1.10", -1},
		{"999", "1000", -1},
		{"7", "07", -1},
		{"0027", "0027", 0},
		{"A10", "A9", 1},
		{"1", "1.1", -1},
		{"1000.0000", "1000.000", 1},
		{"99999999999999999999999", "100000000000000000000000", -1},
		{"a", "b", -1},
		{"", "0", -1},
	}
	for _, tc := range cases {
		if got := CompareCodes(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareCodes(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := CompareCodes(tc.b, tc.a); got != -tc.want {
			t.Errorf("CompareCodes(%q, %q) = %d, want %d", tc.b, tc.a, got, -tc.want)
		}
	}
}

func TestValidate_FindsCyclesInLongChainsInLinearTime(t *testing.T) {
	const n = 100_000
	c := &Chart{Accounts: make([]Account, n)}
	for i := range n {
		c.Accounts[i] = acct(strconv.Itoa(i), "A", Asset, strconv.Itoa(i+1))
	}
	c.Accounts[n-1].Parent = "" // one chain, 100,000 deep
	inCycle := c.cycles(map[string]int{})
	if slices.Contains(inCycle, true) {
		t.Fatalf("a chain without a loop was reported as a cycle")
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.Accounts[n-1].Parent = "50000" // the top half now loops
	err := c.Validate()
	var be *backoffice.Error
	if !errors.As(err, &be) || len(be.Fields) != n/2 {
		t.Fatalf("want %d accounts in the cycle, got %v fields", n/2, len(be.Fields))
	}
}
