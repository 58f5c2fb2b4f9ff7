package invoice

import (
	"fmt"
	"slices"
)

// The rules of this file follow EN 16931: a line's net amount (BT-131) is
// quantity × unit price less the line discount, rounded to the currency's
// minor unit; document-level allowances and charges (BT-92, BT-99) are net
// amounts with their own tax code; the tax breakdown has one row per tax
// code (one VAT category and rate, BG-23) whose taxable amount (BT-116) is
// the sum of its line nets plus charges less allowances. Tax is rounded
// half away from zero: per line (each line's and each allowance's tax
// rounded, then summed) or per document (BT-116 × rate rounded once), as
// the company chose.
//
// A price-inclusive tax code means the unit price includes the tax: the
// line's inclusive amount is split into net and tax on the line, with the
// tax rounded, so the line net is exact and the tax breakdown stays the
// sum of nets, as EN 16931 requires.

// percentScale turns a Percent into a fraction: rate / 1,000,000.
const percentScale = 100 * fixedScale

// lineAmount is quantity × price less the discount, rounded to minor units.
func lineAmount(q Quantity, price int64, discount Percent) (int64, bool) {
	// q is 1/10^4 units and discount 1/10^6 of the amount:
	// amount = q × price × (10^6 − discount) / 10^10.
	gross, ok := mulRound(int64(q), price, 1)
	if !ok {
		return 0, false
	}
	return mulRound(gross, percentScale-int64(discount), fixedScale*percentScale)
}

// taxOf is the tax on a net amount at rate, rounded.
func taxOf(net int64, rate Percent) (int64, bool) { return mulRound(net, int64(rate), percentScale) }

// taxIncluded is the tax inside an inclusive amount at rate, rounded:
// amount × rate / (100 % + rate).
func taxIncluded(amount int64, rate Percent) (int64, bool) {
	return mulRound(amount, int64(rate), percentScale+int64(rate))
}

// group collects one tax code's taxable amount and per-line taxes.
type group struct {
	code    TaxCode
	taxable int64
	lineTax int64 // sum of rounded taxes of lines and allowances
}

// computeTotals sets each line's net amount and returns the totals and the
// tax breakdown. Every tax code named by lines and allowances must be in
// codes (the caller resolved them); field problems go into v.
func computeTotals(lines []Line, allowances []Allowance, codes map[string]TaxCode, rounding Rounding, v validation) (Totals, []TaxSubtotal) {
	var t Totals
	groups := map[string]*group{}
	var order []string
	add := func(code string, taxable, tax int64) {
		g := groups[code]
		if g == nil {
			g = &group{code: codes[code]}
			groups[code] = g
			order = append(order, code)
		}
		g.taxable += taxable
		g.lineTax += tax
	}
	for i := range lines {
		l := &lines[i]
		f := fmt.Sprintf("lines[%d].", i)
		amount, ok := lineAmount(l.Quantity, l.UnitPrice, l.DiscountPercent)
		if !ok {
			v.Add(f+"quantity", "quantity × unit price is too large")
			continue
		}
		net := amount
		for _, c := range l.TaxCodes {
			if tc := codes[c]; tc.PriceInclusive {
				included, _ := taxIncluded(amount, tc.Rate)
				net = amount - included
			}
		}
		l.NetAmount = net
		t.LineTotal += net
		for _, c := range l.TaxCodes {
			tax, _ := taxOf(net, codes[c].Rate)
			if tc := codes[c]; tc.PriceInclusive {
				tax = amount - net // exactly what the inclusive price held
			}
			add(c, net, tax)
		}
	}
	for _, a := range allowances {
		net := a.Amount
		if a.Charge {
			t.ChargeTotal += a.Amount
		} else {
			t.AllowanceTotal += a.Amount
			net = -net
		}
		if a.TaxCode != "" {
			tax, _ := taxOf(net, codes[a.TaxCode].Rate)
			add(a.TaxCode, net, tax)
		}
	}
	t.TaxExclusive = t.LineTotal - t.AllowanceTotal + t.ChargeTotal
	taxes := make([]TaxSubtotal, 0, len(order))
	for _, c := range order {
		g := groups[c]
		tax := g.lineTax
		if rounding == RoundPerDocument {
			tax, _ = taxOf(g.taxable, g.code.Rate)
		}
		taxes = append(taxes, TaxSubtotal{TaxCode: c, Type: g.code.Type, Category: g.code.Category, Rate: g.code.Rate,
			ExemptionCode: g.code.ExemptionCode, ExemptionReason: g.code.ExemptionReason, TaxableAmount: g.taxable, TaxAmount: tax})
		if g.code.Type == TaxWithholding {
			t.Withheld += tax
		} else {
			t.TaxTotal += tax
		}
	}
	// Withholding rows last, then by code: a stable order for documents.
	slices.SortStableFunc(taxes, func(a, b TaxSubtotal) int {
		if (a.Type == TaxWithholding) != (b.Type == TaxWithholding) {
			if a.Type == TaxWithholding {
				return 1
			}
			return -1
		}
		return 0
	})
	t.TaxInclusive = t.TaxExclusive + t.TaxTotal
	t.Payable = t.TaxInclusive - t.Withheld
	for _, x := range []int64{t.LineTotal, t.TaxInclusive, t.Payable, t.AllowanceTotal, t.ChargeTotal} {
		if x > maxAmount || x < -maxAmount {
			v.Add("lines", "the document total is too large")
			break
		}
	}
	return t, taxes
}

// validation is the field-error collector (backoffice.Validation); an
// interface keeps computeTotals testable on its own.
type validation interface{ Add(field, msg string) }
