package plaintext

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"backoffice"
)

// FuzzParse feeds arbitrary text to Parse under both dialects. Parse must
// not panic, must return a journal or an *Error but not both, and every
// journal it accepts must balance per currency after costs.
func FuzzParse(f *testing.F) {
	f.Add([]byte("2026-01-01 * Shop\n  expenses:food  $12.50\n  assets:cash\n"))
	f.Add([]byte("2026/01/02=01/05 ! (7) Pay | note ; tag:x\n  [a]  10 EUR @ $1.10\n  [b]\n  (c)  -1,5 EUR\n"))
	noOpen := func(string) (io.ReadCloser, error) { return nil, errors.New("no files while fuzzing") }
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dialect := range []string{DialectHledger, DialectLedger} {
			opts := Options{Dialect: dialect, DefaultYear: 2026, Open: noOpen,
				Commodities: map[string]backoffice.Currency{"$": "USD", "€": "EUR", "": "EUR"}}
			j, err := Parse("fuzz.journal", bytes.NewReader(data), opts)
			if (j == nil) == (err == nil) {
				t.Fatalf("journal %v with error %v", j, err)
			}
			var perr *Error
			if err != nil && !errors.As(err, &perr) && !strings.Contains(err.Error(), "journal format") {
				t.Fatalf("error is not an *Error: %v", err)
			}
			if j != nil {
				checkBalanced(t, j)
			}
		}
	})
}

// checkBalanced fails when an accepted transaction does not balance.
func checkBalanced(t *testing.T, j *Journal) {
	t.Helper()
	for _, tx := range j.Transactions {
		sum := map[string]int64{}
		for _, p := range tx.Postings {
			if !p.Amount.Currency.Valid() {
				t.Fatalf("line %d: posting without a currency: %+v", p.Line, p)
			}
			v := p.Amount
			if p.Cost != nil {
				v = *p.Cost
			}
			if p.Virtual != "()" {
				sum[p.Virtual+string(v.Currency)] += v.Amount
			}
		}
		for k, v := range sum {
			if v != 0 {
				t.Fatalf("line %d: accepted an unbalanced transaction (%s %d)", tx.Line, k, v)
			}
		}
	}
}
