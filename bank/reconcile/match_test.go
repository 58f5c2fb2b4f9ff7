package reconcile

import (
	"slices"
	"strings"
	"testing"

	"backoffice"
)

// The fixtures: ACME (customer, known IBAN) with three open invoices, Dupont
// (Belgian customer), Zeller (Swiss customer) and Nordwind (supplier we pay
// through our own payment files).
const acmeIBAN = "DE89370400440532013000"

var due = backoffice.NewDate(2026, 3, 31)

func acmeInvoice(id backoffice.ID, number string, amount int64) OpenItem {
	return OpenItem{ID: id, PartyID: 1, PartyName: "ACME Trading GmbH", PartyIBANs: []string{"DE89 3704 0044 0532 0130 00"},
		Kind: Receivable, DocumentNumber: number, Reference: RFReference(number), DueDate: due, Amount: amount, Currency: "EUR"}
}

func fixtureItems() []OpenItem {
	return []OpenItem{
		acmeInvoice(1, "INV-2026-00042", 119_000),
		acmeInvoice(2, "INV-2026-00043", 35_700),
		acmeInvoice(3, "INV-2026-00044", 8_330),
		{ID: 4, PartyID: 2, PartyName: "Dupont & Fils SPRL", PartyIBANs: []string{"BE68539007547034"}, Kind: Receivable,
			DocumentNumber: "INV-2026-00050", Reference: BelgianReference(909337554), DueDate: due, Amount: 50_000, Currency: "EUR"},
		{ID: 5, PartyID: 3, PartyName: "Zeller Optik AG", PartyIBANs: []string{"CH9300762011623852957"}, Kind: Receivable,
			DocumentNumber: "INV-2026-00051", Reference: "21 00000 00003 13947 14300 09017", DueDate: due, Amount: 72_000, Currency: "CHF"},
		{ID: 6, PartyID: 4, PartyName: "Nordwind Logistik GmbH", PartyIBANs: []string{"DE02120300000000202051"}, Kind: Payable,
			DocumentNumber: "BILL-2026-00007", Reference: "RE-2026/4711", EndToEndID: "PMT-2026-0000007", DueDate: due, Amount: -245_050, Currency: "EUR"},
	}
}

// paid is a line paying on the due date, from ACME unless set says otherwise.
func paid(amount int64, set func(l *StatementLine)) StatementLine {
	l := StatementLine{ID: 100, BookingDate: due.AddDays(3), Amount: amount, Currency: "EUR",
		CounterpartyName: "ACME TRADING GMBH", CounterpartyIBAN: acmeIBAN}
	if set != nil {
		set(&l)
	}
	return l
}

func matchOne(t *testing.T, l StatementLine, items []OpenItem) Proposal {
	t.Helper()
	props := Match([]StatementLine{l}, items, Options{})
	if len(props) != 1 || props[0].LineID != l.ID {
		t.Fatalf("Match returned %+v, want one proposal for line %s", props, l.ID)
	}
	return props[0]
}

func ids(c Candidate) []backoffice.ID {
	out := make([]backoffice.ID, len(c.Items))
	for k, a := range c.Items {
		out[k] = a.ItemID
	}
	slices.Sort(out)
	return out
}

// wantTop checks the best candidate's items and Auto flag.
func wantTop(t *testing.T, p Proposal, auto bool, items ...backoffice.ID) Candidate {
	t.Helper()
	if len(p.Candidates) == 0 {
		t.Fatalf("no candidate, want %v", items)
	}
	c := p.Candidates[0]
	if !slices.Equal(ids(c), items) || c.Auto != auto {
		t.Fatalf("best candidate %v (auto %v, confidence %d, %q), want %v with auto %v", ids(c), c.Auto, c.Confidence, c.Reasons, items, auto)
	}
	return c
}

func TestMatch_RFReferenceConfirmsAutomatically(t *testing.T) {
	for _, l := range []StatementLine{
		paid(119_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" }),
		paid(119_000, func(l *StatementLine) { l.Remittance = "Payment RF36 INV2 0260 0042, thanks" }),
		paid(119_000, func(l *StatementLine) {
			l.Remittance = "rf36inv202600042"
			l.CounterpartyIBAN, l.CounterpartyName = "", ""
		}),
	} {
		c := wantTop(t, matchOne(t, l, fixtureItems()), true, 1)
		if c.Confidence < 90 || c.Difference != 0 || c.Partial {
			t.Errorf("%q: confidence %d, difference %d, partial %v", l.Remittance, c.Confidence, c.Difference, c.Partial)
		}
	}
}

func TestMatch_ReasonsExplainTheMatch(t *testing.T) {
	c := wantTop(t, matchOne(t, paid(119_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" }), fixtureItems()), true, 1)
	for _, want := range []string{"RF reference RF36 INV2 0260 0042 matches INV-2026-00042", "IBAN " + acmeIBAN + " known for ACME Trading GmbH", "amount equal"} {
		if !slices.Contains(c.Reasons, want) {
			t.Errorf("reasons %q lack %q", c.Reasons, want)
		}
	}
}

func TestMatch_BelgianStructuredCommunicationConfirmsAutomatically(t *testing.T) {
	l := paid(50_000, func(l *StatementLine) {
		l.CounterpartyName, l.CounterpartyIBAN, l.Remittance = "DUPONT ET FILS", "BE68539007547034", "+++090/9337/55493+++"
	})
	c := wantTop(t, matchOne(t, l, fixtureItems()), true, 4)
	if !strings.Contains(c.Reasons[0], "structured communication +++090/9337/55493+++ matches INV-2026-00050") {
		t.Errorf("reasons %q", c.Reasons)
	}
}

func TestMatch_SwissQRReferenceConfirmsAutomatically(t *testing.T) {
	l := paid(72_000, func(l *StatementLine) {
		l.Currency, l.CounterpartyName, l.CounterpartyIBAN = "CHF", "Zeller Optik", "CH9300762011623852957"
		l.StructuredRef = "210000000003139471430009017"
	})
	wantTop(t, matchOne(t, l, fixtureItems()), true, 5)
}

func TestMatch_EndToEndIDOfOurPaymentConfirmsAutomatically(t *testing.T) {
	l := paid(-245_050, func(l *StatementLine) {
		l.CounterpartyName, l.CounterpartyIBAN, l.EndToEndID = "Nordwind Logistik", "DE02120300000000202051", "PMT-2026-0000007"
	})
	wantTop(t, matchOne(t, l, fixtureItems()), true, 6)
}

func TestMatch_SupplierBillReferenceInTextConfirmsOurPayment(t *testing.T) {
	l := paid(-245_050, func(l *StatementLine) {
		l.CounterpartyName, l.CounterpartyIBAN, l.Remittance = "Nordwind Logistik", "DE02120300000000202051", "Your invoice RE-2026/4711"
	})
	wantTop(t, matchOne(t, l, fixtureItems()), true, 6)
}

func TestMatch_InvoiceNumberInRemittanceIsFoundWhateverItsSpelling(t *testing.T) {
	for _, text := range []string{"INV-2026-00043", "inv 2026 00043", "Rechnung INV202600043", "Facture n° 2026-00043", "Invoice 1NV-2O26-OOO43"} {
		l := paid(35_700, func(l *StatementLine) { l.Remittance = text })
		wantTop(t, matchOne(t, l, fixtureItems()), true, 2)
	}
}

func TestMatch_OCRFoldedNumberNeedsAKnownPayerToConfirm(t *testing.T) {
	l := paid(35_700, func(l *StatementLine) {
		l.Remittance, l.CounterpartyIBAN, l.CounterpartyName = "1NV-2O26-OOO43", "", "J. Smith"
	})
	wantTop(t, matchOne(t, l, fixtureItems()), false, 2)
}

func TestMatch_KnownIBANWithTheOnlyMatchingAmountConfirms(t *testing.T) {
	c := wantTop(t, matchOne(t, paid(8_330, nil), fixtureItems()), true, 3)
	if !slices.Contains(c.Reasons, "the only open item of ACME Trading GmbH with this amount") {
		t.Errorf("reasons %q", c.Reasons)
	}
}

func TestMatch_KnownIBANWithTwoEqualAmountsWaitsForAPerson(t *testing.T) {
	items := append(fixtureItems(), acmeInvoice(7, "INV-2026-00045", 8_330))
	p := matchOne(t, paid(8_330, nil), items)
	wantTop(t, p, false, 3)
	if len(p.Candidates) < 2 || !slices.Equal(ids(p.Candidates[1]), []backoffice.ID{7}) {
		t.Errorf("candidates %+v, want items 3 and 7", p.Candidates)
	}
}

func TestMatch_KnownIBANOutsideTheDateWindowWaitsForAPerson(t *testing.T) {
	l := paid(8_330, func(l *StatementLine) { l.BookingDate = due.AddDays(400) })
	wantTop(t, matchOne(t, l, fixtureItems()), false, 3)
}

func TestMatch_NameAloneNeverConfirms(t *testing.T) {
	l := paid(8_330, func(l *StatementLine) { l.CounterpartyIBAN, l.CounterpartyName = "", "Acme Tradnig GmbH" })
	c := wantTop(t, matchOne(t, l, fixtureItems()), false, 3)
	if !strings.Contains(strings.Join(c.Reasons, "|"), "resembles ACME Trading GmbH") {
		t.Errorf("reasons %q", c.Reasons)
	}
}

func TestMatch_AmountAndDateWindowProposeButNeverConfirm(t *testing.T) {
	l := paid(35_700, func(l *StatementLine) { l.CounterpartyIBAN, l.CounterpartyName = "NL91ABNA0417164300", "Unknown BV" })
	c := wantTop(t, matchOne(t, l, fixtureItems()), false, 2)
	if c.Confidence >= 50 {
		t.Errorf("amount alone scored %d", c.Confidence)
	}
	far := paid(35_700, func(l *StatementLine) {
		l.CounterpartyIBAN, l.CounterpartyName, l.BookingDate = "", "", due.AddDays(365)
	})
	if p := matchOne(t, far, fixtureItems()); len(p.Candidates) != 0 {
		t.Errorf("amount a year after the due date proposed %+v", p.Candidates)
	}
}

func TestMatch_BankFeeWithinToleranceSettlesInFull(t *testing.T) {
	l := paid(118_250, func(l *StatementLine) { l.Remittance = "RF36INV202600042" }) // 7.50 fee on 1,190.00
	c := wantTop(t, matchOne(t, l, fixtureItems()), true, 1)
	if c.Difference != -750 || c.Partial || c.Items[0].Amount != 119_000 {
		t.Errorf("difference %d, partial %v, settled %d; want a 7.50 fee and 1,190.00 settled", c.Difference, c.Partial, c.Items[0].Amount)
	}
}

func TestMatch_ShortfallBeyondTheFeeToleranceIsPartial(t *testing.T) {
	l := paid(100_000, func(l *StatementLine) { l.Remittance = "RF36INV202600042" })
	c := wantTop(t, matchOne(t, l, fixtureItems()), true, 1)
	if !c.Partial || c.Difference != 0 || c.Items[0].Amount != 100_000 || c.Items[0].Open != 119_000 {
		t.Errorf("candidate %+v, want a partial 1,000.00 of 1,190.00", c)
	}
	opt := Options{FeeBasisPoints: -1, FeeMax: -1}
	one := Match([]StatementLine{paid(118_999, func(l *StatementLine) { l.Remittance = "RF36INV202600042" })}, fixtureItems(), opt)
	if c := one[0].Candidates[0]; !c.Partial {
		t.Errorf("with fees switched off, a cent short is not partial: %+v", c)
	}
}

func TestMatch_PartialPaymentNeedsACheckedReference(t *testing.T) {
	l := paid(100_000, func(l *StatementLine) { l.Remittance = "INV-2026-00042" })
	c := wantTop(t, matchOne(t, l, fixtureItems()), false, 1)
	if !c.Partial {
		t.Errorf("candidate %+v, want partial", c)
	}
}

func TestMatch_OneLinePayingSeveralInvoicesFindsThem(t *testing.T) {
	named := paid(119_000+8_330, func(l *StatementLine) { l.Remittance = "INV-2026-00042 and 2026-00044" })
	c := wantTop(t, matchOne(t, named, fixtureItems()), true, 1, 3)
	if c.Difference != 0 || len(c.Items) != 2 {
		t.Errorf("candidate %+v", c)
	}
	unnamed := paid(35_700+8_330, func(l *StatementLine) { l.Remittance = "Sammelzahlung" })
	c = wantTop(t, matchOne(t, unnamed, fixtureItems()), true, 2, 3)
	if !slices.Contains(c.Reasons, "the only combination of ACME Trading GmbH's open items with this sum") {
		t.Errorf("reasons %q", c.Reasons)
	}
	feeOff := paid(119_000+35_700-500, func(l *StatementLine) { l.Remittance = "INV-2026-00042, INV-2026-00043" })
	if c = wantTop(t, matchOne(t, feeOff, fixtureItems()), true, 1, 2); c.Difference != -500 {
		t.Errorf("difference %d, want -500", c.Difference)
	}
}

func TestMatch_SeveralCombinationsOfOneCustomerWaitForAPerson(t *testing.T) {
	items := append(fixtureItems(), acmeInvoice(7, "INV-2026-00045", 35_700))
	p := matchOne(t, paid(35_700+8_330, nil), items)
	if a := p.Auto(); a != nil {
		t.Fatalf("confirmed %v although items 2+3 and 7+3 both sum to the amount", ids(*a))
	}
}

func TestMatch_InstalmentsConfirmTheEarliestAndWaitForTheRest(t *testing.T) {
	first := paid(50_000, func(l *StatementLine) { l.ID, l.Remittance = 1, "1/2 RF36INV202600042" })
	second := paid(69_000, func(l *StatementLine) { l.ID, l.Remittance, l.BookingDate = 2, "2/2 RF36INV202600042", due.AddDays(30) })
	props := Match([]StatementLine{second, first}, fixtureItems(), Options{})
	c1, c2 := wantTop(t, props[1], true, 1), wantTop(t, props[0], false, 1)
	if !c1.Partial || !c2.Partial {
		t.Errorf("want two partial candidates, got %+v and %+v", c1, c2)
	}
	if want := "open item 1 is also claimed by statement line 1: confirm by hand"; props[0].Hold != want || props[1].Hold != "" {
		t.Errorf("holds %q and %q, want %q and none", props[0].Hold, props[1].Hold, want)
	}
}

func TestMatch_AnInvoicePaidTwiceIsConfirmedForTheFirstPaymentOnly(t *testing.T) {
	a := paid(119_000, func(l *StatementLine) { l.ID, l.StructuredRef = 1, "RF36INV202600042" })
	b := paid(119_000, func(l *StatementLine) { l.ID, l.StructuredRef, l.BookingDate = 2, "RF36INV202600042", due.AddDays(5) })
	props := Match([]StatementLine{b, a}, fixtureItems(), Options{})
	wantTop(t, props[1], true, 1)
	wantTop(t, props[0], false, 1)
	if !strings.Contains(props[0].Hold, "also claimed by statement line 1") {
		t.Errorf("hold %q", props[0].Hold)
	}
}

func TestMatch_AnItemClaimedByDifferentCombinationsIsConfirmedForNone(t *testing.T) {
	// One line pays INV-42 alone, another INV-42 with INV-44: both are
	// certain on their own, and they cannot both be right.
	single := paid(119_000, func(l *StatementLine) { l.ID, l.StructuredRef = 1, "RF36INV202600042" })
	pair := paid(119_000+8_330, func(l *StatementLine) { l.ID, l.Remittance = 2, "INV-2026-00042 INV-2026-00044" })
	props := Match([]StatementLine{single, pair}, fixtureItems(), Options{})
	wantTop(t, props[0], false, 1)
	wantTop(t, props[1], false, 1, 3)
}

func TestMatch_ReferenceOfNothingOpenBlocksTheAmountMatch(t *testing.T) {
	stale := paid(8_330, func(l *StatementLine) { l.StructuredRef = strings.ReplaceAll(RFReference("INV-2025-00999"), " ", "") })
	p := matchOne(t, stale, fixtureItems())
	c := wantTop(t, p, false, 3)
	if !strings.Contains(strings.Join(c.Reasons, "|"), "matches no open item") {
		t.Errorf("reasons %q", c.Reasons)
	}
}

func TestMatch_RemittanceNamingAnotherInvoiceBlocksTheAmountMatch(t *testing.T) {
	l := paid(8_330, func(l *StatementLine) { l.Remittance = "INV-2026-00043" })
	for _, c := range matchOne(t, l, fixtureItems()).Candidates {
		if c.Auto {
			t.Errorf("confirmed %v although the text names INV-2026-00043 and the amount is INV-2026-00044's", ids(c))
		}
	}
}

func TestMatch_OtherCurrencyOrSignNeverMatches(t *testing.T) {
	for _, l := range []StatementLine{
		paid(119_000, func(l *StatementLine) { l.Currency, l.StructuredRef = "USD", "RF36INV202600042" }),
		paid(-119_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" }),
	} {
		for _, c := range matchOne(t, l, fixtureItems()).Candidates {
			if slices.Contains(ids(c), 1) {
				t.Errorf("line %+v matched INV-2026-00042: %+v", l, c)
			}
		}
	}
}

func TestMatch_IgnoresTheIBANsOfOtherPartiesAsCounterEvidence(t *testing.T) {
	// Dupont pays ACME's invoice quoting its reference: the reference wins,
	// and the foreign IBAN is not held against it.
	l := paid(35_700, func(l *StatementLine) { l.CounterpartyIBAN, l.Remittance = "BE68539007547034", "INV-2026-00043" })
	wantTop(t, matchOne(t, l, fixtureItems()), true, 2)
}

func TestMatch_MaxCandidatesCapsTheList(t *testing.T) {
	var items []OpenItem
	for i := range 10 {
		items = append(items, acmeInvoice(backoffice.ID(i+1), "", 1_000))
	}
	p := Match([]StatementLine{paid(1_000, nil)}, items, Options{MaxCandidates: 3})[0]
	if len(p.Candidates) != 3 || p.Auto() != nil {
		t.Errorf("got %d candidates (auto %v), want 3 and none confirmed", len(p.Candidates), p.Auto() != nil)
	}
}

func TestMatch_AutoThresholdAndMarginAreTheCompanys(t *testing.T) {
	certain := paid(119_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" }) // 100: reference, IBAN, amount
	feeNoPayer := paid(118_000, func(l *StatementLine) {
		l.Remittance, l.CounterpartyIBAN, l.CounterpartyName = "RF36INV202600042", "", ""
	}) // 95: reference, fee
	at100 := Options{AutoThreshold: 100}
	if p := Match([]StatementLine{certain}, fixtureItems(), at100)[0]; p.Auto() == nil {
		t.Errorf("confidence %d not confirmed at threshold 100", p.Candidates[0].Confidence)
	}
	if p := Match([]StatementLine{feeNoPayer}, fixtureItems(), at100)[0]; p.Auto() != nil || p.Candidates[0].Confidence != 95 {
		t.Errorf("confidence %d, auto %v at threshold 100; want 95 and not confirmed", p.Candidates[0].Confidence, p.Auto() != nil)
	}
	// The lead over the next candidate is counted in confidence points.
	twoEqual := append(fixtureItems(), acmeInvoice(7, "INV-2026-00045", 119_000))
	ref := paid(119_000, func(l *StatementLine) { l.Remittance = "2026-00042" })
	p := Match([]StatementLine{ref}, twoEqual, Options{})[0]
	lead := p.Candidates[0].Confidence - p.Candidates[1].Confidence
	if p.Auto() == nil {
		t.Fatalf("digits of the number with IBAN and amount not confirmed: %+v", p.Candidates)
	}
	if p := Match([]StatementLine{ref}, twoEqual, Options{AutoMargin: lead + 1})[0]; p.Auto() != nil {
		t.Errorf("confirmed with a lead of %d points at margin %d", lead, lead+1)
	}
}

func TestMatch_OneReferenceQuotedForSeveralInvoicesFindsTheRest(t *testing.T) {
	l := paid(119_000+8_330, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" })
	c := wantTop(t, matchOne(t, l, fixtureItems()), true, 1, 3)
	if !slices.Contains(c.Reasons, "with INV-2026-00044 of the same party the amount is paid exactly") {
		t.Errorf("reasons %q", c.Reasons)
	}
	twoWays := append(fixtureItems(), acmeInvoice(7, "INV-2026-00045", 8_330))
	wantTop(t, matchOne(t, l, twoWays), false, 1, 3)
}

func TestMatch_PartialPaymentOfAnotherItemsExactAmountWaits(t *testing.T) {
	// The payer quotes INV-2026-00042 but pays exactly INV-2026-00043's amount.
	l := paid(35_700, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" })
	c := wantTop(t, matchOne(t, l, fixtureItems()), false, 1)
	if !slices.Contains(c.Reasons, "INV-2026-00043 of the same party has exactly this amount") {
		t.Errorf("reasons %q", c.Reasons)
	}
}

func TestIndex_MatchesAsOftenAsNeededWithTheSameResults(t *testing.T) {
	lines := []StatementLine{
		paid(119_000, func(l *StatementLine) { l.ID, l.StructuredRef = 1, "RF36INV202600042" }),
		paid(8_330, func(l *StatementLine) { l.ID, l.CounterpartyIBAN, l.CounterpartyName = 2, "", "Acme Tradnig" }),
	}
	want := Match(lines, fixtureItems(), Options{})
	ix := NewIndex(fixtureItems())
	for range 3 {
		got := ix.Match(lines, Options{})
		for k := range want {
			if !slices.EqualFunc(got[k].Candidates, want[k].Candidates, func(a, b Candidate) bool {
				return slices.Equal(ids(a), ids(b)) && a.Confidence == b.Confidence && a.Auto == b.Auto && slices.Equal(a.Reasons, b.Reasons)
			}) {
				t.Fatalf("line %d: index gave %+v, Match gave %+v", k, got[k], want[k])
			}
		}
	}
}

func TestMatch_DigitsOfANumberNeedAKnownPayerToConfirm(t *testing.T) {
	stranger := paid(35_700, func(l *StatementLine) {
		l.Remittance, l.CounterpartyIBAN, l.CounterpartyName = "Order 2026 00043", "", ""
	})
	wantTop(t, matchOne(t, stranger, fixtureItems()), false, 2)
	known := paid(35_700, func(l *StatementLine) { l.Remittance = "Order 2026 00043" })
	wantTop(t, matchOne(t, known, fixtureItems()), true, 2)
}

// acmeCredit is a credit note of 190.12 ACME may deduct.
func acmeCredit() OpenItem {
	return OpenItem{ID: 9, PartyID: 1, PartyName: "ACME Trading GmbH", Kind: Receivable, DocumentNumber: "CN-2026-00009",
		DueDate: due, Amount: -19_012, Currency: "EUR"}
}

func TestMatch_CreditNoteDeductedSettlesInvoiceAndCreditNote(t *testing.T) {
	items := append(fixtureItems(), acmeCredit())
	named := paid(99_988, func(l *StatementLine) { l.Remittance = "INV-2026-00042 ./. CN-2026-00009" })
	c := wantTop(t, matchOne(t, named, items), true, 1, 9)
	if c.Difference != 0 || c.Partial {
		t.Errorf("candidate %+v", c)
	}
	refOnly := paid(99_988, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" })
	c = wantTop(t, matchOne(t, refOnly, items), true, 1, 9)
	if !slices.Contains(c.Reasons, "less CN-2026-00009 of the same party the amount is paid exactly") {
		t.Errorf("reasons %q", c.Reasons)
	}
	for _, a := range c.Items {
		if a.ItemID == 9 && a.Amount != -19_012 {
			t.Errorf("credit note settled by %d, want -19,012", a.Amount)
		}
	}
}

func TestMatch_RoundShortfallEqualToACreditNoteWaits(t *testing.T) {
	// 1,000.00 paid on 1,190.00 quoting the invoice: a round partial payment
	// as likely as the deduction of a 190.00 credit note.
	round := acmeCredit()
	round.Amount = -19_000
	l := paid(100_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" })
	if a := matchOne(t, l, append(fixtureItems(), round)).Auto(); a != nil {
		t.Errorf("confirmed %v", ids(*a))
	}
}

func TestMatch_CreditNoteNeverMatchesAReceiptAlone(t *testing.T) {
	l := paid(19_000, func(l *StatementLine) { l.Remittance = "CN-2026-00009" })
	for _, c := range matchOne(t, l, append(fixtureItems(), acmeCredit())).Candidates {
		if slices.Contains(ids(c), 9) {
			t.Errorf("a receipt of 190.00 matched the credit note: %+v", c)
		}
	}
}

func TestMatch_EqualAmountOutsideTheSearchMakesACombinationUncertain(t *testing.T) {
	// A subscription customer: two invoices of 100.00 due around the
	// payment, a third due a year earlier. 200.00 could pay any two.
	items := []OpenItem{acmeInvoice(1, "INV-2026-00001", 10_000), acmeInvoice(2, "INV-2026-00002", 10_000), acmeInvoice(3, "INV-2026-00003", 10_000)}
	items[2].DueDate = due.AddDays(-365)
	p := matchOne(t, paid(20_000, nil), items)
	c := wantTop(t, p, false, 1, 2)
	if !strings.Contains(strings.Join(c.Reasons, "|"), "too many open items to rule out a coincidence") {
		t.Errorf("reasons %q", c.Reasons)
	}
}

func TestRareCoincidence_BoundsTheCombinationsSearched(t *testing.T) {
	tests := []struct {
		n, minSize, maxSize int
		granularity         int64
		want                bool
	}{
		{20, 2, 3, 1, true},  // 190 + 1,140
		{20, 2, 4, 1, false}, // + 4,845
		{10, 2, 4, 1, true},  // 45 + 120 + 210
		{8, 1, 6, 1, true},
		{40, 2, 2, 1, true}, // 780
		{70, 2, 2, 1, false},
		{10, 2, 4, 100, false}, // round amounts: at most 20 combinations
		{6, 2, 2, 100, true},   // 15
		{10, 2, 3, 10, true},   // 165 of at most 200
	}
	for _, tt := range tests {
		if got := rareCoincidence(tt.n, tt.minSize, tt.maxSize, tt.granularity); got != tt.want {
			t.Errorf("rareCoincidence(%d, %d, %d, %d) = %v, want %v", tt.n, tt.minSize, tt.maxSize, tt.granularity, got, tt.want)
		}
	}
}

func TestGranularity_RoundAmountsAreLikelierToCoincide(t *testing.T) {
	items := []OpenItem{acmeInvoice(1, "A", 46_599), acmeInvoice(2, "B", 8_200), acmeInvoice(3, "C", 18_800), acmeInvoice(4, "D", 1_234)}
	ix := newIndex(items)
	tests := []struct {
		set  []int32
		sum  int64
		want int64
	}{
		{[]int32{0, 1, 2}, 73_599, 100}, // two round items
		{[]int32{0, 3}, 47_833, 1},
		{[]int32{0, 1}, 54_799, 1},   // one round item
		{[]int32{0, 3}, 47_800, 100}, // a round sum
		{[]int32{0, 3}, 47_830, 10},
	}
	for _, tt := range tests {
		if got := ix.granularity(tt.set, tt.sum); got != tt.want {
			t.Errorf("granularity(%v, %d) = %d, want %d", tt.set, tt.sum, got, tt.want)
		}
	}
}

func TestMatch_FeeShortOfAnotherItemsExactAmountWaits(t *testing.T) {
	// 1,188.00 quoting INV-2026-00042 (1,190.00) looks like a 2.00 fee, but
	// INV-2026-00045 of the same customer is exactly 1,188.00.
	items := append(fixtureItems(), acmeInvoice(7, "INV-2026-00045", 118_800))
	l := paid(118_800, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" })
	for _, c := range matchOne(t, l, items).Candidates {
		if c.Auto {
			t.Errorf("confirmed %v: %q", ids(c), c.Reasons)
		}
	}
}

func TestMatch_HoldSaysWhyABestCandidateWaits(t *testing.T) {
	tests := []struct {
		name string
		line StatementLine
		opt  Options
		want string
	}{
		{"a name alone", paid(8_330, func(l *StatementLine) { l.CounterpartyIBAN, l.CounterpartyName = "", "Acme Tradnig GmbH" }),
			Options{}, "the evidence does not identify the items with certainty"},
		{"below the threshold", paid(118_000, func(l *StatementLine) {
			l.Remittance, l.CounterpartyIBAN, l.CounterpartyName = "RF36INV202600042", "", ""
		}), Options{AutoThreshold: 100}, "confidence 95 is below the threshold of 100"},
		{"certain", paid(119_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600042" }), Options{}, ""},
	}
	for _, tt := range tests {
		p := Match([]StatementLine{tt.line}, fixtureItems(), tt.opt)[0]
		if p.Hold != tt.want || (p.Auto() != nil) != (tt.want == "") {
			t.Errorf("%s: hold %q (auto %v), want %q", tt.name, p.Hold, p.Auto() != nil, tt.want)
		}
	}
	twoEqual := append(fixtureItems(), acmeInvoice(7, "INV-2026-00045", 8_330))
	if p := Match([]StatementLine{paid(8_330, nil)}, twoEqual, Options{})[0]; p.Hold == "" || p.Auto() != nil {
		t.Errorf("two equal amounts: hold %q", p.Hold)
	}
}

func TestMatch_ReferenceWithOneTypoConfirmsWithAmountAndPayer(t *testing.T) {
	// RF36 INV2 0260 0042 typed with 0042 as 0024.
	typo := paid(119_000, func(l *StatementLine) { l.Remittance = "Payment RF36 INV2 0260 0024" })
	c := wantTop(t, matchOne(t, typo, fixtureItems()), true, 1)
	if !strings.Contains(c.Reasons[0], "typed with one error") {
		t.Errorf("reasons %q", c.Reasons)
	}
	stranger := paid(119_000, func(l *StatementLine) {
		l.StructuredRef, l.CounterpartyIBAN, l.CounterpartyName = "RF36INV202600024", "", ""
	})
	wantTop(t, matchOne(t, stranger, fixtureItems()), false, 1)
	partial := paid(50_000, func(l *StatementLine) { l.StructuredRef = "RF36INV202600024" })
	wantTop(t, matchOne(t, partial, fixtureItems()), false, 1)
}

func TestMatch_TwoItemsAddingUpToAThirdsAmountWait(t *testing.T) {
	// 357.00 + 83.30 = 440.30, the amount of INV-2026-00046 as well.
	items := append(fixtureItems(), acmeInvoice(7, "INV-2026-00046", 35_700+8_330))
	items[7-1].DueDate = due.AddDays(-300) // out of the combinations' window, not of the pair check
	p := matchOne(t, paid(35_700+8_330, nil), items)
	if a := p.Auto(); a != nil {
		t.Fatalf("confirmed %v although INV-2026-00043 and INV-2026-00044 add up to the amount", ids(*a))
	}
}

func TestSimpleFraction_RecognisesInstalmentShares(t *testing.T) {
	tests := []struct {
		part, whole int64
		want        bool
	}{
		{8_655, 17_310, true}, {5_770, 17_310, true}, {11_540, 17_310, true}, {4_328, 17_310, true}, {12_983, 17_310, true},
		{8_656, 17_310, false}, {10_000, 17_310, false}, {1, 17_310, false},
	}
	for _, tt := range tests {
		if got := simpleFraction(tt.part, tt.whole); got != tt.want {
			t.Errorf("simpleFraction(%d, %d) = %v, want %v", tt.part, tt.whole, got, tt.want)
		}
	}
}
