package invoice_test

import (
	"slices"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestBrowse_SortedPagesShowEveryDocumentOfTheKindsOnce proves that paging
// through a sorted list of several kinds shows each of their documents
// exactly once, in order, and none of the other kinds.
func TestBrowse_SortedPagesShowEveryDocumentOfTheKindsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		var sales []backoffice.ID
		for i, amount := range []int64{5000, 1000, 5000, 3000, 2000} {
			in := e.invoiceInput(line(qty(t, "1"), amount, "VAT19"))
			in.IssueDate = backoffice.NewDate(2026, 3, 1+i%2)
			d := e.create(in)
			if i == 1 {
				d = e.post(d.ID)
				c, err := e.s.Cancel(e.ctx, e.company, d.ID, invoice.CancelInput{Reason: "wrong customer", Date: backoffice.NewDate(2026, 3, 2)})
				must(t, err)
				sales = append(sales, c.ID)
			}
			sales = append(sales, d.ID)
		}
		bill := invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
			Lines: []invoice.LineInput{line(qty(t, "1"), 9900, "VAT19")}, SupplierReference: "R-1"}
		e.create(bill)

		for _, sort := range []string{"", "payable", "-payable", "number", "party", "due_date", "-issue_date"} {
			var seen []backoffice.ID
			var amounts []int64
			f := invoice.BrowseFilter{Kinds: []invoice.Kind{invoice.KindInvoice, invoice.KindCreditNote}, Sort: sort}
			f.Page.Limit = 2
			for range 10 {
				list, err := e.s.Browse(e.ctx, e.company, f)
				must(t, err)
				for _, d := range list.Items {
					seen = append(seen, d.ID)
					amounts = append(amounts, d.Totals.Payable)
				}
				if list.Next == "" {
					break
				}
				f.Page.After = list.Next
			}
			got, want := slices.Sorted(slices.Values(seen)), slices.Sorted(slices.Values(sales))
			if !slices.Equal(got, want) {
				t.Errorf("sort %q: pages showed %v, want each of %v once", sort, seen, sales)
			}
			if sort == "payable" && !slices.IsSorted(amounts) {
				t.Errorf("sort by payable gave %v", amounts)
			}
			if sort == "-payable" && !slices.IsSortedFunc(amounts, func(a, b int64) int { return int(b - a) }) {
				t.Errorf("sort by -payable gave %v", amounts)
			}
		}
	})
}

func TestBrowse_RejectsAnUnknownSortAndACursorOfAnotherOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for range 3 {
			e.create(e.invoiceInput(line(qty(t, "1"), 1000, "VAT19")))
		}
		_, err := e.s.Browse(e.ctx, e.company, invoice.BrowseFilter{Sort: "colour"})
		wantCode(t, err, backoffice.EInvalid, "sort")
		f := invoice.BrowseFilter{Sort: "payable"}
		f.Page.Limit = 1
		list, err := e.s.Browse(e.ctx, e.company, f)
		must(t, err)
		f.Sort, f.Page.After = "number", list.Next
		_, err = e.s.Browse(e.ctx, e.company, f)
		wantCode(t, err, backoffice.EInvalid, "after")
	})
}

func TestBrowse_RowsCarryTheirEntryLinesSoBalancesTellWhatIsOpen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		posted := e.post(e.create(e.invoiceInput(line(qty(t, "2"), 5000, "VAT19"))).ID)
		e.create(e.invoiceInput(line(qty(t, "1"), 700, "VAT19")))
		list, err := e.s.Browse(e.ctx, e.company, invoice.BrowseFilter{})
		must(t, err)
		balances, err := e.s.Balances(e.ctx, e.company, list.Items)
		must(t, err)
		b, ok := balances[posted.ID]
		if !ok || b.Open != posted.Totals.Payable || b.Status != invoice.Unpaid || len(balances) != 1 {
			t.Fatalf("balances from a browsed page: %+v, want the posted invoice unpaid with %d open", balances, posted.Totals.Payable)
		}
	})
}
