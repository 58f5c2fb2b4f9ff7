package mt940

import "testing"

// FuzzParse proves Parse never panics and that every statement it returns
// carries a currency-consistent set of amounts.
func FuzzParse(f *testing.F) {
	f.Add([]byte(":20:X\n:25:1\n:60F:C260101EUR1,\n:61:2601010101RD1,5NTRF//B\n:86:166?20SVWZ+x?32y\n:62F:C260101EUR2,5\n-"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		if err != nil {
			return
		}
		for _, s := range res.Statements {
			for _, e := range s.Entries {
				if e.Amount.Currency != s.Account.Currency {
					t.Fatalf("entry currency %q differs from account currency %q", e.Amount.Currency, s.Account.Currency)
				}
			}
		}
	})
}
