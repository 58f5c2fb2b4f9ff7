package reconcile_test

import (
	"fmt"

	"backoffice"
	"backoffice/bank/reconcile"
)

// A customer pays invoice INV-2026-00042 quoting the RF reference printed on
// it, less a 7.50 bank fee; a second line is a bank charge that matches
// nothing.
func ExampleMatch() {
	due := backoffice.NewDate(2026, 3, 31)
	items := []reconcile.OpenItem{{
		ID: 42, PartyID: 7, PartyName: "ACME Trading GmbH", PartyIBANs: []string{"DE89370400440532013000"},
		Kind: reconcile.Receivable, DocumentNumber: "INV-2026-00042", Reference: reconcile.RFReference("INV-2026-00042"),
		DueDate: due, Amount: 119_000, Currency: "EUR",
	}}
	lines := []reconcile.StatementLine{
		{ID: 1, BookingDate: due.AddDays(2), Amount: 118_250, Currency: "EUR", CounterpartyName: "ACME TRADING",
			CounterpartyIBAN: "DE89370400440532013000", Remittance: "RF36 INV2 0260 0042"},
		{ID: 2, BookingDate: due.AddDays(2), Amount: -1_250, Currency: "EUR", Remittance: "Account fee"},
	}
	for _, p := range reconcile.Match(lines, items, reconcile.DefaultOptions()) {
		if len(p.Candidates) == 0 {
			fmt.Printf("line %s: no candidate\n", p.LineID)
			continue
		}
		c := p.Candidates[0]
		fmt.Printf("line %s: item %s, confidence %d, auto %v, difference %d\n", p.LineID, c.Items[0].ItemID, c.Confidence, c.Auto, c.Difference)
		for _, r := range c.Reasons {
			fmt.Println("  " + r)
		}
	}
	// Output:
	// line 1: item 42, confidence 100, auto true, difference -750
	//   RF reference RF36 INV2 0260 0042 matches INV-2026-00042
	//   IBAN DE89370400440532013000 known for ACME Trading GmbH
	//   amount short by 7.50, within the fee tolerance
	// line 2: no candidate
}
