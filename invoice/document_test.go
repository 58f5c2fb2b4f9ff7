package invoice_test

import (
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCreate_ComputesEN16931Totals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.invoiceInput(
			line(qty(t, "3"), 3333, "VAT19"),  // 99.99
			line(qty(t, "1.5"), 1000, "VAT7"), // 15.00
			invoice.LineInput{Description: "Discounted", Quantity: qty(t, "2"), UnitPrice: price(5000), DiscountPercent: 100000, TaxCodes: []string{"VAT19"}}, // 100 − 10 % = 90.00
		)
		in.Allowances = []invoice.AllowanceInput{
			{Amount: 999, Reason: "Loyalty", TaxCode: "VAT19"},
			{Charge: true, Amount: 500, Reason: "Freight", TaxCode: "VAT7"},
		}
		d := e.create(in)
		if d.State != invoice.StateDraft || d.Number != "" {
			t.Fatalf("state %s number %q", d.State, d.Number)
		}
		nets := [3]int64{d.Lines[0].NetAmount, d.Lines[1].NetAmount, d.Lines[2].NetAmount}
		if nets != [3]int64{9999, 1500, 9000} {
			t.Errorf("line nets = %v", nets)
		}
		want := invoice.Totals{LineTotal: 20499, AllowanceTotal: 999, ChargeTotal: 500, TaxExclusive: 20000}
		// VAT19 taxable 99.99 + 90.00 − 9.99 = 180.00: per line 19.00 + 17.10 − 1.90 = 34.20
		// VAT7 taxable 15.00 + 5.00 = 20.00: per line 1.05 + 0.35 = 1.40
		want.TaxTotal, want.TaxInclusive = 3560, 23560
		want.Payable = 23560
		if d.Totals != want {
			t.Errorf("totals = %+v, want %+v", d.Totals, want)
		}
		if len(d.Taxes) != 2 || d.Taxes[0].TaxableAmount != 18000 || d.Taxes[0].TaxAmount != 3420 || d.Taxes[1].TaxableAmount != 2000 || d.Taxes[1].TaxAmount != 140 {
			t.Errorf("taxes = %+v", d.Taxes)
		}
		if d.DueDate != backoffice.NewDate(2026, 3, 31) || len(d.Installments) != 1 || d.Installments[0].Amount != 23560 {
			t.Errorf("due %s installments %+v (customer pays in 30 days)", d.DueDate, d.Installments)
		}
		got, err := e.s.Get(e.ctx, e.company, d.ID)
		must(t, err)
		if got.Totals != d.Totals || len(got.Lines) != 3 || got.PartyName != "Müller GmbH" || len(got.Taxes) != 2 {
			t.Errorf("read back %+v", got)
		}
		if recs := e.changes(d.ID); len(recs) != 1 || recs[0].Action != "create" {
			t.Errorf("change log = %+v", recs)
		}
	})
}

func TestCreate_RoundingPerLineOrPerDocument(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		// Three lines of 0.10 at 19 %: per line 0.02 × 3 = 0.06; per document round(0.30 × 19 %) = 0.06 (0.057).
		// Three lines of 0.05 at 19 %: per line 0.01 × 3 = 0.03; per document round(0.15 × 19 %) = 0.03 (0.0285).
		// Three lines of 0.13 at 19 %: per line 0.02 × 3 = 0.06 (0.0247 each); per document round(0.39 × 19 %) = 0.07 (0.0741).
		in := e.invoiceInput(line(qty(t, "1"), 13, "VAT19"), line(qty(t, "1"), 13, "VAT19"), line(qty(t, "1"), 13, "VAT19"))
		d := e.create(in)
		if d.Totals.TaxTotal != 6 {
			t.Errorf("per line tax = %d, want 6", d.Totals.TaxTotal)
		}
		_, err := e.s.SetRounding(e.ctx, e.company, invoice.RoundPerDocument)
		must(t, err)
		d = e.create(in)
		if d.Totals.TaxTotal != 7 || d.Totals.Payable != 46 {
			t.Errorf("per document tax = %d payable %d, want 7 and 46", d.Totals.TaxTotal, d.Totals.Payable)
		}
		_, err = e.s.SetRounding(e.ctx, e.company, "banker")
		wantCode(t, err, backoffice.EInvalid, "rounding")
	})
}

func TestCreate_PriceInclusiveTaxSplitsTheGrossPrice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		vat19, err := e.s.TaxCodeByCode(e.ctx, e.company, "VAT19")
		must(t, err)
		incl := vat19.TaxCodeInput
		incl.Code, incl.Name, incl.PriceInclusive = "VAT19I", "VAT 19 % included in prices", true
		_, err = e.s.CreateTaxCode(e.ctx, e.company, incl)
		must(t, err)
		d := e.create(e.invoiceInput(line(qty(t, "1"), 11900, "VAT19I"), line(qty(t, "1"), 1000, "VAT19I")))
		// 119.00 gross = 100.00 + 19.00; 10.00 gross = 8.40 + 1.60 (10 × 19/119 = 1.5966)
		if d.Lines[0].NetAmount != 10000 || d.Lines[1].NetAmount != 840 || d.Totals.TaxTotal != 2060 || d.Totals.Payable != 12900 {
			t.Errorf("nets %d %d, totals %+v", d.Lines[0].NetAmount, d.Lines[1].NetAmount, d.Totals)
		}
	})
}

func TestCreate_DefaultsFromProductAndParty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		services, err := e.ledger.AccountByCode(e.ctx, e.company, "4020")
		must(t, err)
		p, err := e.s.CreateProduct(e.ctx, e.company, invoice.ProductInput{Code: "CONS-H", Name: "Consulting hour", Unit: "hur", UnitPrice: 12000,
			TaxCode: "VAT19", IncomeAccountID: services.ID, Active: true})
		must(t, err)
		d := e.create(e.invoiceInput(invoice.LineInput{ProductCode: "CONS-H", Quantity: qty(t, "2.5")}))
		l := d.Lines[0]
		if l.ProductID != p.ID || l.Description != "Consulting hour" || l.Unit != "HUR" || l.UnitPrice != 12000 || l.AccountID != services.ID ||
			len(l.TaxCodes) != 1 || l.TaxCodes[0] != "VAT19" || l.NetAmount != 30000 || d.Currency != "EUR" || d.Rate != "" {
			t.Errorf("line = %+v, currency %s", l, d.Currency)
		}
		if d.Totals.Payable != 35700 {
			t.Errorf("payable = %d, want 357.00", d.Totals.Payable)
		}
	})
}

func TestCreate_BadInputNamesEveryFieldAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newCompany("OTHER")
		foreignCode := invoice.TaxCodeInput{Code: "ONLYTHERE", Name: "x", Rate: 100000, Type: invoice.TaxVAT, Category: "S"}
		a, err := e.ledger.AccountByCode(e.ctx, other, "2100")
		must(t, err)
		foreignCode.CollectedAccountID, foreignCode.DeductibleAccountID = a.ID, a.ID
		_, err = e.s.CreateTaxCode(e.ctx, other, foreignCode)
		must(t, err)
		foreignProduct, err := e.s.CreateProduct(e.ctx, other, invoice.ProductInput{Code: "P", Name: "P", UnitPrice: 100, Active: true})
		must(t, err)
		before := e.count("invoice_documents")
		cases := []struct {
			name  string
			in    invoice.Input
			field string
		}{
			{"tax code of another company", e.invoiceInput(line(qty(t, "1"), 100, "ONLYTHERE")), "lines[0].tax_codes"},
			{"product of another company", e.invoiceInput(invoice.LineInput{ProductID: foreignProduct.ID, TaxCodes: []string{"VAT19"}}), "lines[0].product_id"},
			{"account of another company", e.invoiceInput(invoice.LineInput{Description: "x", UnitPrice: price(1), TaxCodes: []string{"VAT19"}, AccountID: a.ID}), "lines[0].account_id"},
			{"supplier on an invoice", invoice.Input{Kind: invoice.KindInvoice, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1), Lines: []invoice.LineInput{line(qty(t, "1"), 100, "VAT19")}}, "party_id"},
			{"customer on a bill", invoice.Input{Kind: invoice.KindBill, PartyID: e.customer.ID, IssueDate: backoffice.NewDate(2026, 3, 1), Lines: []invoice.LineInput{line(qty(t, "1"), 100, "VAT19")}}, "party_id"},
			{"no tax code", e.invoiceInput(invoice.LineInput{Description: "x", UnitPrice: price(1)}), "lines[0].tax_codes"},
			{"foreign currency without rate", func() invoice.Input {
				in := e.invoiceInput(line(qty(t, "1"), 100, "VAT19"))
				in.Currency = "USD"
				return in
			}(), "rate"},
			{"no lines", e.invoiceInput(), "lines"},
			{"negative price", e.invoiceInput(line(qty(t, "1"), -100, "VAT19")), "lines[0].unit_price"},
		}
		for _, tc := range cases {
			_, err := e.s.Create(e.ctx, e.company, tc.in)
			if backoffice.ErrorCode(err) != backoffice.EInvalid || err.(*backoffice.Error).Fields[tc.field] == "" {
				t.Errorf("%s: error %v does not name %s", tc.name, err, tc.field)
			}
		}
		if e.count("invoice_documents") != before {
			t.Error("a bad document was stored")
		}
	})
}

func TestUpdateAndDelete_DraftsOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		d := e.create(e.invoiceInput(line(qty(t, "1"), 10000, "VAT19")))
		in := d.Input()
		in.Lines = append(in.Lines, line(qty(t, "2"), 500, "VAT7"))
		in.Notes = "Thank you"
		up, err := e.s.Update(e.ctx, e.company, d.ID, d.Version, in)
		must(t, err)
		if up.Version != 2 || len(up.Lines) != 2 || up.Totals.Payable != 11900+1070 || up.Notes != "Thank you" {
			t.Fatalf("updated = %+v", up)
		}
		_, err = e.s.Update(e.ctx, e.company, d.ID, d.Version, in)
		wantCode(t, err, backoffice.EPrecondition, "")
		posted := e.post(d.ID)
		_, err = e.s.Update(e.ctx, e.company, d.ID, posted.Version, in)
		wantCode(t, err, backoffice.EConflict, "")
		wantCode(t, e.s.Delete(e.ctx, e.company, d.ID, 0), backoffice.EConflict, "")

		other := e.create(e.invoiceInput(line(qty(t, "1"), 100, "VAT19")))
		must(t, e.s.Delete(e.ctx, e.company, other.ID, other.Version))
		_, err = e.s.Get(e.ctx, e.company, other.ID)
		wantCode(t, err, backoffice.ENotFound, "")
		if recs := e.changes(other.ID); len(recs) != 2 || recs[1].Action != "delete" {
			t.Errorf("change log = %+v", recs)
		}
	})
}

func TestList_FiltersAndPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for i := range 5 {
			in := e.invoiceInput(line(qty(t, "1"), int64(100*(i+1)), "VAT19"))
			in.IssueDate = backoffice.NewDate(2026, 2, 1+i)
			d := e.create(in)
			if i%2 == 0 {
				e.post(d.ID)
			}
		}
		bill := e.create(invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 2, 10), SupplierReference: "R-1",
			Lines: []invoice.LineInput{line(qty(t, "1"), 100, "VAT19")}})
		all, err := e.s.List(e.ctx, e.company, invoice.Filter{})
		must(t, err)
		if len(all.Items) != 6 || all.Items[0].ID != bill.ID {
			t.Fatalf("list = %d items, first %d", len(all.Items), all.Items[0].ID)
		}
		posted, err := e.s.List(e.ctx, e.company, invoice.Filter{Kind: invoice.KindInvoice, State: invoice.StatePosted})
		must(t, err)
		if len(posted.Items) != 3 {
			t.Errorf("posted invoices = %d, want 3", len(posted.Items))
		}
		q, err := e.s.List(e.ctx, e.company, invoice.Filter{Query: "inv-2026-00002"})
		must(t, err)
		if len(q.Items) != 1 || q.Items[0].Number != "INV-2026-00002" {
			t.Errorf("search = %+v", q.Items)
		}
		var seen int
		page := backoffice.Page{Limit: 4}
		for {
			l, err := e.s.List(e.ctx, e.company, invoice.Filter{Page: page, PartyID: e.customer.ID})
			must(t, err)
			seen += len(l.Items)
			if l.Next == "" {
				break
			}
			page.After = l.Next
		}
		if seen != 5 {
			t.Errorf("paged through %d documents, want 5", seen)
		}
		_, err = e.s.List(e.ctx, e.company, invoice.Filter{Kind: "quote"})
		wantCode(t, err, backoffice.EInvalid, "kind")
	})
}
