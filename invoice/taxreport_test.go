package invoice_test

import (
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// accountBalance is an account's company-currency balance at the end of a day.
func (e *env) accountBalance(code string, at backoffice.Date) int64 {
	e.t.Helper()
	a, err := e.ledger.AccountByCode(e.ctx, e.company, code)
	must(e.t, err)
	rows, err := e.ledger.TrialBalance(e.ctx, e.company, at)
	must(e.t, err)
	var sum int64
	for _, r := range rows {
		if r.AccountID == a.ID {
			sum += r.CompanyBalance
		}
	}
	return sum
}

func TestTaxReport_BoxesTieToTheTaxAccountsAndTheSettlementClearsThem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		march := backoffice.NewDate(2026, 3, 1)
		inv := e.post(e.create(e.invoiceInput(line(qty(t, "10"), 10000, "VAT19"), line(qty(t, "2"), 5000, "VAT7"))).ID)
		// 1,000.00 at 19 % = 190.00; 100.00 at 7 % = 7.00
		usd := e.invoiceInput(line(qty(t, "1"), 20000, "VAT19"))
		usd.Currency, usd.Rate = "USD", "0.9"
		e.post(e.create(usd).ID) // 200.00 USD = 180.00 EUR, VAT 38.00 USD = 34.20 EUR
		bill := invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: march, SupplierReference: "S-1",
			Lines: []invoice.LineInput{line(qty(t, "1"), 30000, "VAT19")}}
		e.post(e.create(bill).ID) // input VAT 57.00
		_, err := e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Reason: "wrong order", Date: backoffice.NewDate(2026, 4, 2)})
		must(t, err) // April: counts in April, not March

		from, to := march, backoffice.NewDate(2026, 3, 31)
		rep, err := e.s.TaxReport(e.ctx, e.company, from, to)
		must(t, err)
		box := map[string]int64{}
		for _, b := range rep.Boxes {
			box[b.Code] = b.Amount
		}
		want := map[string]int64{"1": 118000, "2": 22420, "3": 10000, "4": 700, "9": 5700, "10": 22420 + 700 - 5700}
		for code, v := range want {
			if box[code] != v {
				t.Errorf("box %s = %d, want %d", code, box[code], v)
			}
		}
		if rep.Payable != want["10"] {
			t.Errorf("payable %d, want %d", rep.Payable, want["10"])
		}
		if out, in := -e.accountBalance("2100", to), e.accountBalance("1400", to); out != 23120 || in != 5700 {
			t.Fatalf("tax accounts hold output %d, input %d; the report says 23120 and 5700", out, in)
		}
		docs, err := e.s.TaxDocuments(e.ctx, e.company, from, to, "VAT19", invoice.SideSales)
		must(t, err)
		if len(docs) != 2 {
			t.Fatalf("drill-down of VAT19 sales: %d documents, want 2", len(docs))
		}

		st, err := e.s.SettleTax(e.ctx, e.company, from, to)
		must(t, err)
		if st.Payable != want["10"] || st.EntryID == 0 {
			t.Fatalf("settlement = %+v", st)
		}
		if out, in, due := e.accountBalance("2100", to), e.accountBalance("1400", to), -e.accountBalance("2110", to); out != 0 || in != 0 || due != want["10"] {
			t.Fatalf("after settlement: output VAT %d, input VAT %d, settlement %d; want 0, 0, %d", out, in, due, want["10"])
		}
		_, err = e.s.SettleTax(e.ctx, e.company, backoffice.NewDate(2026, 3, 15), backoffice.NewDate(2026, 4, 15))
		wantCode(t, err, backoffice.EConflict, "")
		rep, err = e.s.TaxReport(e.ctx, e.company, from, to)
		must(t, err)
		if rep.Settlement == nil || rep.Settlement.EntryID != st.EntryID {
			t.Fatalf("the report does not show its settlement: %+v", rep.Settlement)
		}
		april, err := e.s.TaxReport(e.ctx, e.company, backoffice.NewDate(2026, 4, 1), backoffice.NewDate(2026, 4, 30))
		must(t, err)
		if april.Payable != -(19000 + 700) {
			t.Fatalf("April payable %d, want the credit note's -197.00", april.Payable)
		}
	})
}

func TestSetTaxBoxes_RefusesUnknownCodesAndLaterBoxes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.SetTaxBoxes(e.ctx, e.company, []invoice.TaxBox{
			{Code: "A", Name: "Sum", Terms: []invoice.TaxBoxTerm{{Box: "B", Sign: 1}}},
			{Code: "B", Name: "Tax", Terms: []invoice.TaxBoxTerm{{TaxCode: "NOPE", Amount: "tax", Side: "sales", Sign: 2}}},
		})
		wantCode(t, err, backoffice.EInvalid, "boxes[0].terms[0].box")
		boxes, err := e.s.SetTaxBoxes(e.ctx, e.company, []invoice.TaxBox{
			{Code: "81", Name: "Sales 19 %", Terms: []invoice.TaxBoxTerm{{TaxCode: "VAT19", Amount: "base", Side: "sales", Sign: 1}}},
		})
		must(t, err)
		got, err := e.s.TaxBoxes(e.ctx, e.company)
		must(t, err)
		if len(got) != 1 || got[0].Code != boxes[0].Code {
			t.Fatalf("boxes = %+v", got)
		}
	})
}
