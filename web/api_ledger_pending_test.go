package web

import (
	"fmt"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// pendingBody is an entry of amount from creditAcct to debitAcct as a pending posting.
func pendingBody(ref, debitAcct, creditAcct, amount string, timeout int) string {
	return fmt.Sprintf(`{"journal":"GEN","date":"2026-02-03","reference":%q,"timeout_seconds":%d,"lines":[{"account":%q,"debit":%q},{"account":%q,"credit":%q}]}`,
		ref, timeout, debitAcct, amount, creditAcct, amount)
}

func TestPendingAPI_PostThenPostOrVoid(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/entries/pending", pendingBody("HOLD-1", "6100", "1110", "30.00", 3600))
		if w.Code != 201 {
			t.Fatalf("pending: %d %s", w.Code, w.Body.String())
		}
		var first entryOut
		decodeInto(t, w.Body.Bytes(), &first)
		w = f.request("accountant", "POST", "/api/v1/entries/pending", pendingBody("HOLD-2", "6100", "1110", "12.00", 0))
		var second entryOut
		decodeInto(t, w.Body.Bytes(), &second)
		if first.State != "pending" || first.Number != "" || second.State != "pending" {
			t.Fatalf("pending entries: %+v %+v, want state pending and no number", first, second)
		}
		one, two := first.ID.String(), second.ID.String()
		runCases(t, f, []apiCase{
			{name: "pending amounts show on the balance but do not move it", role: "auditor", method: "GET", path: "/api/v1/accounts/{id}/balance?date=2026-12-31", status: 200,
				want: []string{`"balance":"100.00"`, `"pending_credit":"42.00"`}},
			{name: "clerk may not post pending", role: "clerk", method: "POST", path: "/api/v1/entries/pending", body: pendingBody("X", "6100", "1110", "1.00", 0), status: 403},
			{name: "a negative timeout is refused", role: "accountant", method: "POST", path: "/api/v1/entries/pending", body: pendingBody("X", "6100", "1110", "1.00", -5), status: 422,
				want: []string{`"timeout_seconds":"must be 0`}},
			{name: "an unbalanced pending entry is refused like any entry", role: "accountant", method: "POST", path: "/api/v1/entries/pending",
				body: `{"journal":"GEN","date":"2026-02-03","lines":[{"account":"6100","debit":"1.00"},{"account":"1110","credit":"0.99"}]}`, status: 422,
				want: []string{`"lines":"debits and credits differ by 0.01 EUR`}},
			{name: "pending entries are listed by state", role: "auditor", method: "GET", path: "/api/v1/entries?state=pending", status: 200,
				want: []string{`"reference":"HOLD-1"`, `"reference":"HOLD-2"`}},
			{name: "post the first: it gets its number", role: "accountant", method: "POST", path: "/api/v1/entries/" + one + "/post-pending", status: 200,
				want: []string{`"number":"GEN-2026-000002"`, `"state":"posted"`, `"reference":"HOLD-1"`}},
			{name: "posting it again is a conflict", role: "accountant", method: "POST", path: "/api/v1/entries/" + one + "/post-pending", status: 409},
			{name: "voiding needs a reason", role: "accountant", method: "POST", path: "/api/v1/entries/" + two + "/void", body: `{}`, status: 422,
				want: []string{`"reason":"is required`}},
			{name: "void the second", role: "accountant", method: "POST", path: "/api/v1/entries/" + two + "/void", body: `{"reason":"order cancelled"}`, status: 200,
				want: []string{`"state":"voided"`, `"reason":"order cancelled"`}},
			{name: "a posted entry cannot be voided", role: "accountant", method: "POST", path: "/api/v1/entries/" + one + "/void", body: `{"reason":"too late"}`, status: 409},
			{name: "the posted one moved the balance, the reservation is gone", role: "auditor", method: "GET", path: "/api/v1/accounts/{id}/balance?date=2026-12-31", status: 200,
				want: []string{`"balance":"70.00"`, `"pending_debit":"0.00","pending_credit":"0.00"`}},
		})
	})
}
