package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// partyEntry posts an entry with a receivable line for party 7 and returns its id.
func partyEntry(t *testing.T, f *fixture, journal, date, side, amount string) string {
	t.Helper()
	other := map[string]string{"debit": "credit", "credit": "debit"}[side]
	counter := map[string]string{"SAL": "4010", "BNK": "1110"}[journal]
	body := fmt.Sprintf(`{"journal":%q,"date":%q,"reference":"R","lines":[{"account":"1200","%s":%q,"party_id":7,"due_date":"2026-02-28"},{"account":%q,"%s":%q}]}`,
		journal, date, side, amount, counter, other, amount)
	w := f.request("accountant", "POST", "/api/v1/entries", body)
	if w.Code != http.StatusCreated {
		t.Fatalf("post entry: %d %s", w.Code, w.Body)
	}
	var out struct {
		ID json.Number `json:"id"`
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &out))
	return out.ID.String()
}

func TestOpenItemsAPI_MatchAgingAndUndo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		inv := partyEntry(t, f, "SAL", "2026-01-15", "debit", "500.00")
		pay := partyEntry(t, f, "BNK", "2026-03-10", "credit", "200.00")
		match := fmt.Sprintf(`{"lines":[{"entry_id":%s,"line_no":1},{"entry_id":%s,"line_no":1}]}`, inv, pay)
		runCases(t, f, []apiCase{
			{name: "open items of party 7", role: "auditor", method: "GET", path: "/api/v1/open-items?kind=receivable&party=7", status: 200,
				want: []string{`"entry_id":` + inv, `"residual":"500.00"`, `"residual":"-200.00"`}},
			{name: "aging before matching", role: "auditor", method: "GET", path: "/api/v1/reports/aging?kind=receivable&as_of=2026-03-31", status: 200,
				want: []string{`"label":"1–30 days"`, `"total_all":"300.00"`}},
			{name: "clerk may not match", role: "clerk", method: "POST", path: "/api/v1/reconciliations", body: match, status: 403},
			{name: "one line is not enough", role: "accountant", method: "POST", path: "/api/v1/reconciliations",
				body: fmt.Sprintf(`{"lines":[{"entry_id":%s,"line_no":1}]}`, inv), status: 422, want: []string{`"lines":`}},
			{name: "match the payment", role: "accountant", method: "POST", path: "/api/v1/reconciliations", body: match, status: 201,
				want: []string{`"amount":"200.00"`, `"residual":"300.00"`, `"residual":"0.00"`}},
			{name: "the invoice is 300.00 open", role: "auditor", method: "GET", path: "/api/v1/open-items?kind=receivable", status: 200,
				want: []string{`"residual":"300.00"`}, notWant: []string{`"residual":"-200.00"`}},
			{name: "aging as CSV", role: "auditor", method: "GET", path: "/api/v1/reports/aging?kind=receivable&as_of=2026-03-31&format=csv", status: 200,
				want: []string{"party_id,party,currency,Not due,1–30 days", ",300.00,300.00"}},
			{name: "bad buckets", role: "auditor", method: "GET", path: "/api/v1/reports/aging?buckets=30,x", status: 422, want: []string{`"buckets":`}},
		})
		var rec struct {
			ID json.Number `json:"id"`
		}
		// Undo a reconciliation of a fresh pair, whose id the answer gives.
		inv2 := partyEntry(t, f, "SAL", "2026-01-20", "debit", "50.00")
		pay2 := partyEntry(t, f, "BNK", "2026-03-11", "credit", "50.00")
		w := f.request("accountant", "POST", "/api/v1/reconciliations", fmt.Sprintf(`{"lines":[{"entry_id":%s,"line_no":1},{"entry_id":%s,"line_no":1}]}`, inv2, pay2))
		must(t, json.Unmarshal(w.Body.Bytes(), &rec))
		undo := "/api/v1/reconciliations/" + rec.ID.String() + "/undo"
		runCases(t, f, []apiCase{
			{name: "undo needs a reason", role: "accountant", method: "POST", path: undo, body: `{}`, status: 422, want: []string{`"reason":`}},
			{name: "undo", role: "accountant", method: "POST", path: undo, body: `{"reason":"wrong invoice"}`, status: 204},
			{name: "both lines open again", role: "auditor", method: "GET", path: "/api/v1/open-items?kind=receivable", status: 200,
				want: []string{`"residual":"50.00"`, `"residual":"-50.00"`}},
		})
	})
}

func TestOpenItemsPages_ShowAgingAndMatchTickedLines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		inv := partyEntry(t, f, "SAL", "2026-01-15", "debit", "500.00")
		pay := partyEntry(t, f, "BNK", "2026-03-10", "credit", "500.00")
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/ledger/reports/aging?kind=receivable&as_of=2026-03-31")
		if status != 200 || !strings.Contains(body, "Aged receivables") || !strings.Contains(body, "0.00") {
			t.Fatalf("aging page: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/open-items?kind=receivable")
		if status != 200 || !strings.Contains(body, `value="`+inv+`/1"`) || !strings.Contains(body, "Match selected") {
			t.Fatalf("open items page: %d\n%s", status, body)
		}
		status, body, hdr := b.post("/ledger/open-items/match?kind=receivable", url.Values{"line": {inv + "/1", pay + "/1"}})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "Matched+2+lines") {
			t.Fatalf("match: %d %v\n%s", status, hdr, body)
		}
		_, body = b.get("/ledger/open-items?kind=receivable")
		if !strings.Contains(body, "No open items") {
			t.Fatalf("after matching the page still lists items:\n%s", body)
		}
		status, body, _ = b.post("/ledger/open-items/match", url.Values{"line": {inv + "/1"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Not matched") {
			t.Fatalf("matching one line: %d\n%s", status, body)
		}
	})
}
