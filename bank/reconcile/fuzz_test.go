package reconcile

import (
	"testing"

	"backoffice"
)

// FuzzMatch feeds arbitrary statement lines to the engine against the
// fixture's open items: it must not panic, and its proposals must keep
// their promises (confidences in 0–100, best first, Auto only on the first
// candidate, only known items, each item at most once per candidate).
func FuzzMatch(f *testing.F) {
	f.Add("RF36 INV2 0260 0042", "ACME TRADING", "DE89370400440532013000", "", int64(119_000))
	f.Add("INV-2026-00042 ./. CN-2026-00009", "acme", "", "RF36INV202600042", int64(100_000))
	f.Add("+++090/9337/55493+++", "Dupont", "BE68539007547034", "", int64(50_000))
	f.Add("", "", "", "", int64(-9_223_372_036_854_775_808))
	f.Add("1NV 2O26 OOO43 2026-00044", "Zeller", "", "21 00000 00003 13947 14300 09017", int64(43_030))
	f.Fuzz(func(t *testing.T, text, name, iban, ref string, amount int64) {
		items := append(fixtureItems(), acmeCredit())
		known := map[backoffice.ID]bool{}
		for _, it := range items {
			known[it.ID] = true
		}
		l := StatementLine{ID: 1, BookingDate: due, Amount: amount, Currency: "EUR", CounterpartyName: name,
			CounterpartyIBAN: iban, Remittance: text, StructuredRef: ref}
		p := Match([]StatementLine{l, l}, items, Options{})
		for _, prop := range p {
			for k, c := range prop.Candidates {
				if c.Confidence < 0 || c.Confidence > 100 || (k > 0 && c.Confidence > prop.Candidates[k-1].Confidence) {
					t.Fatalf("confidences out of order or range: %+v", prop.Candidates)
				}
				if c.Auto && k > 0 {
					t.Fatalf("candidate %d of %+v is Auto", k, prop.Candidates)
				}
				seen := map[backoffice.ID]bool{}
				for _, a := range c.Items {
					if !known[a.ItemID] || seen[a.ItemID] {
						t.Fatalf("candidate settles unknown or repeated item %s: %+v", a.ItemID, c)
					}
					seen[a.ItemID] = true
				}
			}
		}
		if p[0].Auto() != nil && p[1].Auto() != nil {
			t.Fatalf("one item confirmed for two identical lines: %+v", p)
		}
	})
}
