package web

import (
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestJournalReportUI_ListsEntriesWithLinesAndExportsCSV(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		b := f.browser()
		b.signIn("clerk@example.com")
		status, body := b.get("/ledger/reports/journal?journal=GEN&limit=1")
		for _, want := range []string{"GEN-2026-000001", "Consulting · INV-1", `1110</a> <span class="muted">Main bank account</span>`, `<td class="num">100.00</td>`, "Next page", "Export CSV (this page)"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("journal page %d lacks %q\n%s", status, want, body)
			}
		}
		if strings.Contains(body, "GEN-2026-000002") {
			t.Error("the second entry is on the first page of one")
		}
		journals, err := f.books.ListJournals(t.Context(), f.a.ID)
		must(t, err)
		first := `<option value="` + journals[0].Code + `" selected>`
		if status, body := b.get("/ledger/reports/journal"); status != 200 || !strings.Contains(body, first) {
			t.Errorf("without a journal the page must show the first one (%s): %d", journals[0].Code, status)
		}
		status, body = b.get("/ledger/reports/journal?journal=GEN&format=csv")
		if status != 200 || !strings.HasPrefix(body, "number,date,reference,narration,account,debit,credit,currency,amount,memo") || !strings.Contains(body, "GEN-2026-000002,2026-02-01,RENT,test,6100,40.50") {
			t.Errorf("CSV %d:\n%s", status, body)
		}
		if status, body := b.get("/ledger/reports/journal?journal=NOPE"); status != 422 || !strings.Contains(body, "no journal has the code NOPE") {
			t.Errorf("unknown journal: %d", status)
		}
	})
}

func TestConsolidatedUI_ChoosesCompaniesAndShowsRateErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		setUpGroup(t, f)
		b := f.browser()
		b.signIn("group@example.com")
		status, body := b.get("/ledger/reports/consolidated?companies=A&companies=B&rate.B=1.2&date=2026-01-31")
		for _, want := range []string{"Consolidated balance sheet 2026-01-31", `<span class="badge ok">Balanced</span>`, `value="1.2"`, `name="companies" value="B" checked`,
			`<td class="num">160.00</td>`} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("consolidated %d lacks %q\n%s", status, want, body)
			}
		}
		status, body = b.get("/ledger/reports/consolidated?companies=A&companies=B&date=2026-01-31")
		if status != 422 || !strings.Contains(body, "give the rate from GBP to EUR as a positive decimal") {
			t.Errorf("missing rate: %d, want 422 with the message beside the rate", status)
		}
		status, body = b.get("/ledger/reports/consolidated?report=income-statement&companies=A,B&rate.B=1.2&from=2026-01-01&to=2026-01-31&format=csv")
		if status != 200 || !strings.Contains(body, "total,,Net profit,0,160.00") {
			t.Errorf("CSV %d:\n%s", status, body)
		}
	})
}
