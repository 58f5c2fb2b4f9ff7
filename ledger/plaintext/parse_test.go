package plaintext

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"backoffice"
)

// files is an in-memory file system for includes.
type files map[string]string

func (fs files) open(path string) (io.ReadCloser, error) {
	s, ok := fs[path]
	if !ok {
		return nil, os.ErrNotExist
	}
	return io.NopCloser(strings.NewReader(s)), nil
}

func testOptions(dialect string, fs files) Options {
	return Options{
		Dialect:     dialect,
		Commodities: map[string]backoffice.Currency{"$": "USD", "€": "EUR"},
		DefaultYear: 2026,
		Open:        fs.open,
	}
}

func parseText(dialect, text string) (*Journal, error) {
	return Parse("f.journal", strings.NewReader(text), testOptions(dialect, nil))
}

func mustParse(t *testing.T, dialect, text string) *Journal {
	t.Helper()
	j, err := parseText(dialect, text)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return j
}

// wantProblems checks that Parse refused the text with every fragment in
// the error, and returned no journal.
func wantProblems(t *testing.T, dialect, text string, fragments ...string) {
	t.Helper()
	j, err := parseText(dialect, text)
	if err == nil {
		t.Fatalf("Parse accepted it: %+v", j.Transactions)
	}
	if j != nil {
		t.Error("Parse returned a journal along with its error")
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error lacks %q:\n%v", f, err)
		}
	}
}

// balances renders Balances() sorted, for comparisons.
func balances(j *Journal) string {
	return strings.Join(sortedBalances(nonZero(j.Balances())), "; ")
}

func TestParse_ReadsEveryDateFormat(t *testing.T) {
	j := mustParse(t, DialectHledger, `
2025-01-31 a
  x  $1
  y
2025/02/01 b
  x  $1
  y
2025.2.3 c
  x  $1
  y
3/4 default year
  x  $1
  y
Y 2024
3/5 year directive
  x  $1
  y
year 2023
2025-03-06=3/7 secondary date takes the primary's year
  x  $1
  y
`)
	want := []string{"2025-01-31", "2025-02-01", "2025-02-03", "2026-03-04", "2024-03-05", "2025-03-06"}
	for i, w := range want {
		if got := j.Transactions[i].Date.String(); got != w {
			t.Errorf("transaction %d date %s, want %s", i, got, w)
		}
	}
	if got := j.Transactions[5].Date2.String(); got != "2025-03-07" {
		t.Errorf("secondary date %s, want 2025-03-07", got)
	}
}

func TestParse_RejectsImpossibleDates(t *testing.T) {
	for _, d := range []string{"2026-02-30", "2026-13-01", "2026-01/02", "31", "2026-1-1-1", "99999-01-01"} {
		wantProblems(t, DialectHledger, d+" x\n  a  $1\n  b\n", "f.journal:1:", "is not a date")
	}
}

func TestParse_ReadsStatusCodeDescriptionAndComments(t *testing.T) {
	text := "2026-01-02 * (42) Shop | groceries ; tx comment, kind:food\n" +
		"  ; second line trip:paris\n" +
		"  ! expenses:food  $5 ; posting comment\n" +
		"  ; receipt:yes\n" +
		"  assets:cash\n"
	j := mustParse(t, DialectHledger, text)
	tx := j.Transactions[0]
	if tx.Status != "*" || tx.Code != "42" || tx.Payee != "Shop" || tx.Note != "groceries" {
		t.Errorf("status %q code %q payee %q note %q", tx.Status, tx.Code, tx.Payee, tx.Note)
	}
	if tx.Comment != "tx comment, kind:food\nsecond line trip:paris" {
		t.Errorf("comment %q", tx.Comment)
	}
	if tx.Tags["kind"] != "food" || tx.Tags["trip"] != "paris" || len(tx.Tags) != 2 {
		t.Errorf("tags %v", tx.Tags)
	}
	p := tx.Postings[0]
	if p.Status != "!" || p.Comment != "posting comment\nreceipt:yes" || p.Tags["receipt"] != "yes" || p.Line != 3 {
		t.Errorf("posting %+v", p)
	}
	led := mustParse(t, DialectLedger, strings.Replace(text, "Shop | groceries", "Shop | groceries", 1))
	if led.Transactions[0].Payee != "Shop | groceries" || led.Transactions[0].Note != "" {
		t.Errorf("ledger dialect split the description: %+v", led.Transactions[0])
	}
}

func TestParse_ReadsLedgerTags(t *testing.T) {
	j := mustParse(t, DialectLedger, `
2026-01-02 Shop
    ; :nobudget:food:
    ; Sample: Some Value
    expenses  $5
    ; :MyTag:
    assets
`)
	tx := j.Transactions[0]
	if _, ok := tx.Tags["nobudget"]; !ok || tx.Tags["Sample"] != "Some Value" {
		t.Errorf("tags %v", tx.Tags)
	}
	if _, ok := tx.Postings[0].Tags["MyTag"]; !ok {
		t.Errorf("posting tags %v", tx.Postings[0].Tags)
	}
}

func TestParse_SkipsCommentLinesAndBlocks(t *testing.T) {
	j := mustParse(t, DialectHledger, `; semicolon
# hash
% percent
| bar
* star
comment
2026-01-01 not read
  a  $1
end comment
2026-01-01 read
  a  $1
  b
`)
	if len(j.Transactions) != 1 || j.Transactions[0].Payee != "read" {
		t.Fatalf("transactions %+v", j.Transactions)
	}
}

func TestParse_AccountNameEndsAtTwoSpacesOrTab(t *testing.T) {
	j := mustParse(t, DialectLedger, "2026-01-01 x\n  Equity:Opening Balances  $1\n\tAssets:Cash Box\t$-1\n")
	if got := j.Transactions[0].Postings[0].Account; got != "Equity:Opening Balances" {
		t.Errorf("account %q", got)
	}
	if got := j.Transactions[0].Postings[1].Account; got != "Assets:Cash Box" {
		t.Errorf("account %q", got)
	}
}

func TestParse_AmountLeftOutTakesTheBalance(t *testing.T) {
	j := mustParse(t, DialectHledger, "2026-01-01 x\n  a  $10.50\n  b  $2\n  c\n")
	if got := balances(j); got != "a USD 1050; b USD 200; c USD -1250" {
		t.Errorf("balances %s", got)
	}
}

func TestParse_AmountLeftOutSplitsPerCurrency(t *testing.T) {
	for _, dialect := range []string{DialectHledger, DialectLedger} {
		j := mustParse(t, dialect, "2026-01-01 x\n  a  10 EUR\n  b  5 USD\n  c\n")
		ps := j.Transactions[0].Postings
		if len(ps) != 4 || ps[2].Account != "c" || ps[3].Account != "c" || ps[2].Line != 4 || ps[3].Line != 4 {
			t.Fatalf("%s: postings %+v", dialect, ps)
		}
		if got := balances(j); got != "a EUR 1000; b USD 500; c EUR -1000; c USD -500" {
			t.Errorf("%s: balances %s", dialect, got)
		}
	}
}

func TestParse_VirtualPostings(t *testing.T) {
	j := mustParse(t, DialectHledger, "2026-01-01 x\n  (budget:food)  $-5\n  [saving]  $3\n  [checking]\n  a  $1\n  b\n")
	ps := j.Transactions[0].Postings
	if ps[0].Virtual != "()" || ps[1].Virtual != "[]" || ps[4].Virtual != "" {
		t.Errorf("virtual kinds %q %q %q", ps[0].Virtual, ps[1].Virtual, ps[4].Virtual)
	}
	if got := balances(j); got != "a USD 100; b USD -100; budget:food USD -500; checking USD -300; saving USD 300" {
		t.Errorf("balances %s", got)
	}
	wantProblems(t, DialectHledger, "2026-01-01 x\n  [s]  $3\n  [c]  $-2\n  a  $1\n  b\n", "f.journal:1:", "[bracketed] postings sum to 1.00 USD")
	wantProblems(t, DialectHledger, "2026-01-01 x\n  (v)\n  a  $1\n  b\n", "f.journal:2:", "(v) needs an amount")
	wantProblems(t, DialectLedger, "2026-01-01 x\n  [s]  $3\n  [c]\n  a  $1\n  b\n", "f.journal:5:", "only one posting")
}

func TestParse_ReadsAmountStyles(t *testing.T) {
	cases := []struct {
		amount string
		want   backoffice.Money
	}{
		{"$1,234.56", backoffice.NewMoney(123456, "USD")},
		{"-$5", backoffice.NewMoney(-500, "USD")},
		{"$-5", backoffice.NewMoney(-500, "USD")},
		{"$ -225.00", backoffice.NewMoney(-22500, "USD")},
		{"1234.56 USD", backoffice.NewMoney(123456, "USD")},
		{"USD 1234.56", backoffice.NewMoney(123456, "USD")},
		{"-USD 3", backoffice.NewMoney(-300, "USD")},
		{"€5,00", backoffice.NewMoney(500, "EUR")},
		{"1.234,56 EUR", backoffice.NewMoney(123456, "EUR")},
		{"1.234.567 JPY", backoffice.NewMoney(1234567, "JPY")},
		{"$18,000,000", backoffice.NewMoney(1800000000, "USD")},
		{"0.125 BHD", backoffice.NewMoney(125, "BHD")},
		{`"ACME Co" 10`, backoffice.NewMoney(1000, "CHF")},
		{"$1.000", backoffice.NewMoney(100, "USD")},
	}
	for _, c := range cases {
		opts := testOptions(DialectHledger, nil)
		opts.Commodities["ACME Co"] = "CHF"
		j, err := Parse("f.journal", strings.NewReader("2026-01-01 x\n  a  "+c.amount+"\n  b\n"), opts)
		if err != nil {
			t.Errorf("%s: %v", c.amount, err)
			continue
		}
		if got := j.Transactions[0].Postings[0].Amount; got != c.want {
			t.Errorf("%s read as %v, want %v", c.amount, got, c.want)
		}
	}
}

func TestParse_DecimalMarkFromDirectives(t *testing.T) {
	for _, directive := range []string{"commodity 1.000,00 EUR", "commodity EUR\n  format 1.000,00 EUR", "decimal-mark ,", "D 1.000,00 EUR"} {
		j, err := parseText(DialectHledger, directive+"\n2026-01-01 x\n  a  1,500 EUR\n  b  1.000 EUR\n  c\n")
		if err != nil {
			t.Errorf("%q: %v", directive, err)
			continue
		}
		if got := balances(j); got != "a EUR 150; b EUR 100000; c EUR -100150" {
			t.Errorf("%q: balances %s", directive, got)
		}
	}
}

func TestParse_LoneCommaBeforeThreeDigitsFollowsTheDialect(t *testing.T) {
	text := "2026-01-01 x\n  a  $1,000\n  b\n"
	if got := balances(mustParse(t, DialectLedger, text)); got != "a USD 100000; b USD -100000" {
		t.Errorf("ledger reads $1,000 as %s", got)
	}
	wantProblems(t, DialectHledger, text, "f.journal:2:", "ambiguous", "decimal-mark")
	if got := balances(mustParse(t, DialectHledger, "commodity $1,000.00\n"+text)); got != "a USD 100000; b USD -100000" {
		t.Errorf("hledger with a commodity directive reads $1,000 as %s", got)
	}
}

func TestParse_RejectsMoreDecimalsThanTheCurrencyHas(t *testing.T) {
	wantProblems(t, DialectHledger, "2026-01-01 x\n  a  $1.005\n  b\n", "f.journal:2:", "more decimals than USD allows (2)")
	wantProblems(t, DialectHledger, "2026-01-01 x\n  a  5.5 JPY\n  b\n", "f.journal:2:", "JPY allows (0)")
}

func TestParse_RejectsCommoditiesThatAreNotCurrencies(t *testing.T) {
	wantProblems(t, DialectLedger, "2026-01-01 x\n  a  10 AAPL @ $50\n  b\n", "f.journal:2:", `"AAPL"`, "--commodity 'AAPL=")
	wantProblems(t, DialectLedger, "2026-01-01 x\n  a  £10\n  b\n", "f.journal:2:", `"£"`, "--commodity")
	wantProblems(t, DialectLedger, "2026-01-01 x\n  a  10\n  b\n", "f.journal:2:", "no commodity", "--commodity '=USD'")
	opts := testOptions(DialectLedger, nil)
	opts.Commodities["AAPL"] = "XYZ"
	_, err := Parse("f.journal", strings.NewReader("2026-01-01 x\n  a  10 AAPL\n  b\n"), opts)
	if err == nil || !strings.Contains(err.Error(), `"XYZ", which is not an ISO 4217 currency`) {
		t.Errorf("mapping to a non-currency: %v", err)
	}
}

func TestParse_CostIsThePostingsValueForBalancing(t *testing.T) {
	j := mustParse(t, DialectHledger, `
2026-01-01 unit cost
  assets:eur  100 EUR @ $1.0823
  assets:usd  $-108.23
2026-01-02 total cost
  assets:eur  -50 EUR @@ $60
  assets:usd
`)
	c0, c1 := j.Transactions[0].Postings[0].Cost, j.Transactions[1].Postings[0].Cost
	if c0 == nil || *c0 != backoffice.NewMoney(10823, "USD") || c1 == nil || *c1 != backoffice.NewMoney(-6000, "USD") {
		t.Errorf("costs %v %v", c0, c1)
	}
	if got := balances(j); got != "assets:eur EUR 5000; assets:usd USD -4823" {
		t.Errorf("balances %s", got)
	}
	wantProblems(t, DialectHledger, "2026-01-01 x\n  a  1 EUR @ $1.005\n  b\n", "f.journal:2:", "not a whole number", "@@")
	wantProblems(t, DialectHledger, "2026-01-01 x\n  a  1 EUR @ $-1\n  b\n", "f.journal:2:", "must not be negative")
	wantProblems(t, DialectHledger, "2026-01-01 x\n  a  1 EUR @ $1\n  b  $-2\n", "f.journal:1:", "sum to -1.00 USD")
}

func TestParse_RejectsUnbalancedTransactions(t *testing.T) {
	wantProblems(t, DialectLedger, "\n2026-01-01 x\n  a  $1\n  b  $-0.99\n", "f.journal:2:", "does not balance", "0.01 USD")
	wantProblems(t, DialectLedger, "2026-01-01 x\n  a  $1\n  b  -1 EUR\n", "1.00 USD, -1.00 EUR", "@ (rate) or @@ (total)")
	wantProblems(t, DialectLedger, "2026-01-01 x\n  a\n", "f.journal:2:", "no amount")
}

func TestParse_ChecksBalanceAssertions(t *testing.T) {
	ok := `
2026-01-01 x
  a  $10 = $10
  a  5 EUR = 5 EUR
  b
2026-01-02 x
  a:sub  $1
  a  $-10 =* $1
  b
2026-01-03 x
  a  $0 == $0
  b
`
	wantProblems(t, DialectHledger, ok, "f.journal:11:", "should hold only USD but also holds 5.00 EUR")
	mustParse(t, DialectHledger, strings.Replace(ok, "a  $0 == $0", "a  $0 = $0", 1))
	wantProblems(t, DialectHledger, strings.Replace(ok, "=* $1", "= $1", 1), "f.journal:8:", "a should be 1.00 USD but is 0.00 USD")
	wantProblems(t, DialectHledger, "2026-01-01 x\n  a  $10 = $9\n  b\n", "f.journal:2:", "balance assertion failed: a should be 9.00 USD but is 10.00 USD")
}

func TestParse_AssertionOrderFollowsTheDialect(t *testing.T) {
	text := `
2026-01-03 later
  a  $1 = $2
  b
2026-01-02 earlier
  a  $1 = $1
  b
`
	mustParse(t, DialectHledger, text)
	wantProblems(t, DialectLedger, text, "f.journal:3:", "should be 2.00 USD but is 1.00 USD")
}

func TestParse_BalanceAssignmentSetsTheAmount(t *testing.T) {
	j := mustParse(t, DialectHledger, "2026-01-01 x\n  a  $4\n  b\n2026-01-02 y\n  a  = $10\n  b\n")
	if got := j.Transactions[1].Postings[0].Amount; got != backoffice.NewMoney(600, "USD") {
		t.Errorf("assigned amount %v", got)
	}
}

func TestParse_Includes(t *testing.T) {
	fs := files{
		"dir/sub/part.journal": "2026-01-02 from include\n  b  $2\n  c\n",
		"dir/loop.journal":     "include loop.journal\n",
	}
	j, err := Parse("dir/main.journal", strings.NewReader("include sub/part.journal\n2026-01-01 x\n  a  $1\n  c\n"), testOptions(DialectHledger, fs))
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Transactions) != 2 || j.Transactions[0].File != "dir/sub/part.journal" || j.Transactions[0].Line != 1 {
		t.Errorf("transactions %+v", j.Transactions)
	}
	_, err = Parse("dir/main.journal", strings.NewReader("include loop.journal\n"), testOptions(DialectHledger, fs))
	if err == nil || !strings.Contains(err.Error(), "dir/loop.journal:1: include \"loop.journal\" makes a cycle") {
		t.Errorf("cycle: %v", err)
	}
	_, err = Parse("dir/main.journal", strings.NewReader("\ninclude missing.journal\ninclude x.csv\n"), testOptions(DialectHledger, fs))
	if err == nil || !strings.Contains(err.Error(), "dir/main.journal:2: include \"missing.journal\": cannot open") ||
		!strings.Contains(err.Error(), "dir/main.journal:3:") {
		t.Errorf("missing include: %v", err)
	}
}

func TestParse_AppliesAliasesAndParentAccounts(t *testing.T) {
	// hledger prefixes the parent first, then applies aliases to the full name.
	j := mustParse(t, DialectHledger, `
alias checking = assets:bank:checking
alias personal:exp = expenses
apply account personal
2026-01-01 x
  exp:food  $1
  checking:joint
end apply account
end aliases
2026-01-02 y
  checking  $1
  exp:food
`)
	if got := strings.Join(j.Accounts, ","); got != "expenses:food,personal:checking:joint,checking,exp:food" {
		t.Errorf("accounts %s", got)
	}
	j = mustParse(t, DialectHledger, "alias checking = assets:bank:checking\nalias /^e(x)p:/ = \\1:\n2026-01-01 x\n  exp:food  $1\n  checking:joint\n  checkingx  $0\n")
	if a := j.Transactions[0].Postings; a[0].Account != "x:food" || a[1].Account != "assets:bank:checking:joint" || a[2].Account != "checkingx" {
		t.Errorf("hledger aliases: %q %q %q", a[0].Account, a[1].Account, a[2].Account)
	}
	// ledger-cli 3 (checked with 3.3.0): aliases first, then the parent; a
	// whole name or its first component; no alias applies to another's result.
	j = mustParse(t, DialectLedger, `
apply account Personal
alias Food=Expenses:Food
2026-01-01 x
  Food:Tips  $1
  Cash
end apply account
alias A:B=X
alias X=Y
2026-01-02 y
  A:B:C  $1
  A:B  $1
  Cash
`)
	if got := strings.Join(j.Accounts, ","); got != "Personal:Expenses:Food:Tips,Personal:Cash,A:B:C,X,Cash" {
		t.Errorf("ledger aliases: %s", got)
	}
}

func TestParse_ListsDeclaredAndUsedAccounts(t *testing.T) {
	j := mustParse(t, DialectHledger, "account assets:cash  ; type:A\n  note: petty cash\naccount income\npayee Shop\ntag trip\n2026-01-01 x\n  expenses  $1\n  assets:cash\n")
	if got := strings.Join(j.Accounts, ","); got != "assets:cash,income,expenses" {
		t.Errorf("accounts %s", got)
	}
}

func TestParse_IgnoresPricesWithAWarning(t *testing.T) {
	j := mustParse(t, DialectLedger, "P 2026-01-01 EUR $1.08\nN $\n2026-01-01 x\n  a  $1\n  b\n")
	if len(j.Warnings) != 2 || j.Warnings[0].Line != 1 || !strings.Contains(j.Warnings[0].Message, "price") {
		t.Errorf("warnings %+v", j.Warnings)
	}
}

func TestParse_RejectsUnsupportedEntriesWithFileAndLine(t *testing.T) {
	cases := map[string]string{
		"= /^Income/\n  (Tithe)  0.12\n":              "f.journal:1: automated transactions",
		"~ monthly\n  a  $1\n  b\n":                   "f.journal:1: periodic transactions",
		"bucket Assets:Cash\n":                        `f.journal:1: directive "bucket" is not supported`,
		"2026-01-01 x\n  a  1 EUR {$1}\n  b\n":        "f.journal:2:",
		"2026-01-01 x\n  a  ($1 * 2)\n  b\n":          "value expressions",
		"2026-01-01 x\n  a  $1 = $1 @ $1\n  b  $-1\n": "assertions with a cost",
		"  a  $1\n":            "f.journal:1: indented line outside a transaction",
		"apply fixed EUR $1\n": `"apply fixed" is not supported`,
		"end apply account\n":  "without \"apply account\"",
	}
	for text, want := range cases {
		wantProblems(t, DialectLedger, text, want)
	}
}

func TestParse_ReportsEveryProblemAtOnce(t *testing.T) {
	_, err := parseText(DialectHledger, "2026-01-01 x\n  a  $1.001\n  b\n\nfoo bar\n2026-13-01 y\n  a  $1\n  b\n")
	var perr *Error
	if !errors.As(err, &perr) || len(perr.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	lines := []int{perr.Problems[0].Line, perr.Problems[1].Line, perr.Problems[2].Line}
	if lines[0] != 2 || lines[1] != 5 || lines[2] != 6 {
		t.Errorf("problem lines %v", lines)
	}
	if backoffice.ErrorCode(err) != backoffice.EInvalid {
		t.Errorf("error code %q", backoffice.ErrorCode(err))
	}
	var be *backoffice.Error
	if errors.As(err, &be) && be.Fields["f.journal:5"] == "" {
		t.Errorf("fields %v", be.Fields)
	}
}

func TestParse_RejectsUnknownDialect(t *testing.T) {
	if _, err := Parse("f", strings.NewReader(""), Options{Dialect: "beancount"}); backoffice.ErrorCode(err) != backoffice.EInvalid {
		t.Errorf("err %v", err)
	}
}

func TestJournal_BalancesSumPerAccountAndCurrency(t *testing.T) {
	j := mustParse(t, DialectHledger, "2026-01-01 x\n  a  $1\n  a  2 EUR\n  b\n2026-01-02 y\n  a  $3\n  b\n")
	if got := balances(j); got != "a EUR 200; a USD 400; b EUR -200; b USD -400" {
		t.Errorf("balances %s", got)
	}
}

func TestParse_SkipsTransactionsWithoutPostingsWithAWarning(t *testing.T) {
	j := mustParse(t, DialectHledger, "2026-01-01 nothing\n\n2026-01-02 x\n  a  $1\n  b\n")
	if len(j.Transactions) != 1 || len(j.Warnings) != 1 || j.Warnings[0].Line != 1 {
		t.Errorf("transactions %d, warnings %+v", len(j.Transactions), j.Warnings)
	}
}
