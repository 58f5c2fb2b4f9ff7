package web

import (
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestJournalReportAPI_ListsPostedEntriesInNumberOrderWithLines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		if w := f.request("accountant", "POST", "/api/v1/entries/drafts", entryBody("GEN", "2026-02-05", "DRAFT", "6100", "1110", "1.00")); w.Code != 201 {
			t.Fatalf("draft: %d %s", w.Code, w.Body.String())
		}
		runCases(t, f, []apiCase{
			{name: "both posted entries with their lines, no draft", role: "auditor", method: "GET", path: "/api/v1/reports/journal?journal=GEN", status: 200,
				want: []string{`"journal":{"id":`, `"code":"GEN"`, `"number":"GEN-2026-000001"`, `"number":"GEN-2026-000002"`,
					`"account":"6100","currency":"EUR","debit":"40.50"`, `"debit":"140.50"`},
				notWant: []string{`"reference":"DRAFT"`}},
			{name: "a page of one names the next", role: "auditor", method: "GET", path: "/api/v1/reports/journal?journal=GEN&limit=1", status: 200,
				want: []string{`"number":"GEN-2026-000001"`, `"next":"`}, notWant: []string{`GEN-2026-000002`}},
			{name: "a date range", role: "clerk", method: "GET", path: "/api/v1/reports/journal?journal=GEN&from=2026-02-01&to=2026-02-28", status: 200,
				want: []string{`"number":"GEN-2026-000002"`}, notWant: []string{`GEN-2026-000001`}},
			{name: "the journal is required", role: "auditor", method: "GET", path: "/api/v1/reports/journal", status: 422,
				want: []string{`"journal":"is required: give the journal's code"`}},
			{name: "an unknown journal", role: "auditor", method: "GET", path: "/api/v1/reports/journal?journal=NOPE", status: 422,
				want: []string{`"journal":"no journal has the code NOPE"`}},
			{name: "a bad date", role: "auditor", method: "GET", path: "/api/v1/reports/journal?journal=GEN&from=yesterday", status: 422,
				want: []string{`"from":"must be a date as YYYY-MM-DD"`}},
		})
		w := f.request("auditor", "GET", "/api/v1/reports/journal?journal=GEN&format=csv", "")
		want := "number,date,reference,narration,account,debit,credit,currency,amount,memo\n" +
			"GEN-2026-000001,2026-01-15,INV-1,Consulting,1110,100.00,,EUR,100.00,\n" +
			"GEN-2026-000001,2026-01-15,INV-1,Consulting,4020,,100.00,EUR,-100.00,\n" +
			"GEN-2026-000002,2026-02-01,RENT,test,6100,40.50,,EUR,40.50,\n" +
			"GEN-2026-000002,2026-02-01,RENT,test,1110,,40.50,EUR,-40.50,\n"
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
	})
}
