package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// entryBody is a two-line entry in the API's shape.
func entryBody(journal, date, ref, debitAcct, creditAcct, amount string) string {
	return fmt.Sprintf(`{"journal":%q,"date":%q,"reference":%q,"narration":"test","lines":[{"account":%q,"debit":%q},{"account":%q,"credit":%q}]}`,
		journal, date, ref, debitAcct, amount, creditAcct, amount)
}

func TestLedgerAPI_PostingRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		id := f.entry.ID.String()
		runCases(t, f, []apiCase{
			{name: "balanced entry is posted with the next number", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-02-01", "R-2", "1110", "4020", "250.5"), status: 201,
				want: []string{`"number":"GEN-2026-000002"`, `"state":"posted"`, `"amount":"250.50"`, `"account":"1110","currency":"EUR","debit":"250.50"`, `"credit":"250.50"`}},
			{name: "unbalanced entry names lines", role: "accountant", method: "POST", path: "/api/v1/entries",
				body:   `{"journal":"GEN","date":"2026-02-01","lines":[{"account":"1110","debit":"10.00"},{"account":"4020","credit":"9.99"}]}`,
				status: 422, want: []string{`"code":"invalid"`, `"lines":"debits and credits differ by 0.01 EUR`}},
			{name: "every bad line field at once", role: "accountant", method: "POST", path: "/api/v1/entries",
				body:   `{"journal":"NOPE","date":"2026-02-01","lines":[{"account":"1110","debit":"1","credit":"1"},{"account":"9999","credit":"1.234"}]}`,
				status: 422, want: []string{`"journal":"no journal has the code NOPE"`, `"lines[0].credit":"give a debit or a credit on one line, not both"`,
					`"lines[1].account":"no account has the code 9999"`, `"lines[1].credit":"must be a decimal amount in EUR with at most 2 decimals`}},
			{name: "amounts are never floats", role: "accountant", method: "POST", path: "/api/v1/entries",
				body:   `{"journal":"GEN","date":"2026-02-01","lines":[{"account":"1110","debit":10.5},{"account":"4020","credit":"10.50"}]}`,
				status: 422, want: []string{`"lines.debit":"must be a string`}},
			{name: "clerk may not post", role: "clerk", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-02-01", "R-3", "1110", "4020", "1.00"), status: 403, want: []string{"ledger.post"}},
			{name: "clerk may not lock", role: "clerk", method: "PUT", path: "/api/v1/lock-dates", body: `{"date":"2026-01-31"}`, status: 403},
			{name: "accountant locks January", role: "accountant", method: "PUT", path: "/api/v1/lock-dates", body: `{"journal_type":"","date":"2026-01-31"}`,
				status: 200, want: []string{`"journal_type":"","date":"2026-01-31"`}},
			{name: "closed period", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-01-20", "R-4", "1110", "4020", "5.00"), status: 422,
				want: []string{`"code":"period_closed"`, `"date":"the books are locked until 2026-01-31"`}},
			{name: "moving the lock back needs a reason", role: "accountant", method: "PUT", path: "/api/v1/lock-dates", body: `{"date":"2026-01-10"}`,
				status: 422, want: []string{`"reason":`}},
			{name: "reversal needs a reason", role: "accountant", method: "POST", path: "/api/v1/entries/" + id + "/reverse", body: `{"date":"2026-02-15"}`,
				status: 422, want: []string{`"reason":`}},
			{name: "reverse a posted entry", role: "accountant", method: "POST", path: "/api/v1/entries/" + id + "/reverse",
				body: `{"date":"2026-02-15","reason":"wrong customer"}`, status: 201,
				want: []string{`"number":"GEN-2026-000003"`, `"reverses_id":` + id + `,`, `"account":"1110","currency":"EUR","credit":"100.00"`}},
			{name: "the original links to its reversal", role: "auditor", method: "GET", path: "/api/v1/entries/" + id, status: 200,
				want: []string{`"number":"GEN-2026-000001"`, `"reversed_by_id":`}},
			{name: "reversed once only", role: "accountant", method: "POST", path: "/api/v1/entries/" + id + "/reverse",
				body: `{"date":"2026-02-16","reason":"again"}`, status: 409},
			{name: "posted entries never change", role: "accountant", method: "PATCH", path: "/api/v1/entries/" + id,
				body: entryBody("GEN", "2026-02-01", "R-5", "1110", "4020", "5.00"), status: 409},
			{name: "entry history", role: "auditor", method: "GET", path: "/api/v1/entries/" + id + "/history", status: 200, want: []string{`"entity":"journal_entry"`}},
			{name: "entries of another company are not found", role: "outsider", method: "GET", path: "/api/v1/entries/" + id, header: []string{"Backoffice-Company", "B"}, status: 404},
			{name: "list by journal and state", role: "clerk", method: "GET", path: "/api/v1/entries?journal=GEN&state=posted&from=2026-02-01", status: 200,
				want: []string{`"number":"GEN-2026-000002"`}, notWant: []string{`"number":"GEN-2026-000001"`}},
			{name: "bad list filter", role: "clerk", method: "GET", path: "/api/v1/entries?state=lost&from=yesterday", status: 422,
				want: []string{`"state":`, `"from":"must be a date as YYYY-MM-DD"`}},
		})
	})
}

func TestLedgerAPI_BatchIsAllOrNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		good := entryBody("GEN", "2026-03-01", "BATCH-1", "1110", "4020", "1.00")
		bad := `{"journal":"GEN","date":"2026-03-01","reference":"BATCH-2","lines":[{"account":"1110","debit":"2.00"},{"account":"4020","credit":"1.00"}]}`
		runCases(t, f, []apiCase{
			{name: "one bad entry refuses the batch", role: "accountant", method: "POST", path: "/api/v1/entries/batch",
				body: `{"entries":[` + good + `,` + bad + `,` + good + `]}`, status: 422,
				want: []string{`"entries[1].lines":"debits and credits differ`}, notWant: []string{`entries[0]`, `entries[2]`}},
			{name: "nothing was stored", role: "accountant", method: "GET", path: "/api/v1/entries?q=BATCH", status: 200,
				want: []string{`"items":[]`}},
			{name: "a good batch posts every entry in order", role: "accountant", method: "POST", path: "/api/v1/entries/batch",
				body: `{"entries":[` + good + `,` + strings.Replace(good, "BATCH-1", "BATCH-3", 1) + `]}`, status: 201,
				want: []string{`"number":"GEN-2026-000002"`, `"number":"GEN-2026-000003"`}},
			{name: "an empty batch", role: "accountant", method: "POST", path: "/api/v1/entries/batch", body: `{"entries":[]}`, status: 422,
				want: []string{`"entries":"give at least one entry"`}},
		})
	})
}

func TestLedgerAPI_IdempotencyKeyPostsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := entryBody("GEN", "2026-04-01", "ONCE", "1110", "4020", "7.00")
		first := f.request("accountant", "POST", "/api/v1/entries", body, "Idempotency-Key", "entry-1")
		second := f.request("accountant", "POST", "/api/v1/entries", body, "Idempotency-Key", "entry-1")
		if first.Code != 201 || second.Code != 201 || first.Body.String() != second.Body.String() || second.Header().Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %s\nfirst: %d %s", second.Code, second.Body.String(), first.Code, first.Body.String())
		}
		// Another caller with the same key and content gets the same entry from the ledger itself.
		other := f.request("admin", "POST", "/api/v1/entries", body, "Idempotency-Key", "entry-1")
		if other.Code != 201 || !strings.Contains(other.Body.String(), `"number":"GEN-2026-000002"`) {
			t.Fatalf("same key from another caller: %d %s", other.Code, other.Body.String())
		}
		list := f.request("auditor", "GET", "/api/v1/entries?q=ONCE", "")
		if n := strings.Count(list.Body.String(), `"reference":"ONCE"`); n != 1 {
			t.Fatalf("%d entries for one key:\n%s", n, list.Body.String())
		}
		changed := f.request("accountant", "POST", "/api/v1/entries", strings.Replace(body, "7.00", "8.00", 2), "Idempotency-Key", "entry-1")
		if changed.Code != http.StatusConflict {
			t.Fatalf("same key, other entry: %d %s", changed.Code, changed.Body.String())
		}
	})
}

func TestLedgerAPI_TrialBalanceJSONAndCSVAreExact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-02-01", "RENT", "6100", "1110", "40.50"), ""); w.Code != 201 {
			t.Fatalf("post: %d %s", w.Code, w.Body.String())
		}
		w := f.request("auditor", "GET", "/api/v1/reports/trial-balance?date=2026-12-31&format=csv", "")
		want := "account,debit,credit,balance\n1110,100.00,40.50,59.50\n4020,0.00,100.00,-100.00\n6100,40.50,0.00,40.50\n"
		if got := strings.ReplaceAll(w.Body.String(), "\r\n", "\n"); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
		w = f.request("clerk", "GET", "/api/v1/reports/trial-balance?date=2026-01-31", "")
		var tb trialBalanceOut
		must(t, json.Unmarshal(w.Body.Bytes(), &tb))
		if len(tb.Rows) != 2 || tb.Rows[0] != (trialBalanceRowOut{AccountID: f.account.ID, Account: "1110", Name: "Main bank account", Type: "asset",
			Currency: "EUR", Debit: "100.00", Credit: "0.00", Balance: "100.00"}) {
			t.Fatalf("JSON rows at 2026-01-31: %+v", tb.Rows)
		}
		w = f.request("clerk", "GET", "/api/v1/reports/trial-balance?date=2026-12-31", "")
		must(t, json.Unmarshal(w.Body.Bytes(), &tb))
		if len(tb.Totals) != 1 || tb.Totals[0] != (trialBalanceTotal{Currency: "EUR", Debit: "140.50", Credit: "140.50", Balance: "0.00"}) {
			t.Fatalf("totals: %+v", tb.Totals)
		}
		if w := f.request("clerk", "GET", "/api/v1/reports/trial-balance?date=31.12.2026", ""); w.Code != 422 || !strings.Contains(w.Body.String(), `"date"`) {
			t.Fatalf("bad date: %d %s", w.Code, w.Body.String())
		}
	})
}

func TestLedgerAPI_AccountsBalancesAndStatement(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-02-01", "RENT", "6100", "1110", "40.50"), "")
		acct := "/api/v1/accounts/" + f.account.ID.String()
		get := f.request("admin", "GET", acct, "")
		tag := get.Header().Get("ETag")
		ok := f.request("accountant", "PATCH", acct, `{"name":"Main bank (EUR)","min_balance":"0"}`, "If-Match", tag)
		if ok.Code != 200 || !strings.Contains(ok.Body.String(), `"min_balance":"0.00"`) {
			t.Fatalf("patch with current ETag: %d %s", ok.Code, ok.Body.String())
		}
		runCases(t, f, []apiCase{
			{name: "stale If-Match", role: "accountant", method: "PATCH", path: acct, body: `{"name":"Stale"}`, header: []string{"If-Match", tag},
				status: 412, want: []string{`"code":"precondition_failed"`}},
			{name: "search the chart", role: "clerk", method: "GET", path: "/api/v1/accounts?q=bank&type=asset", status: 200,
				want: []string{`"code":"1110","name":"Main bank (EUR)"`}, notWant: []string{`"code":"4020"`}},
			{name: "create an account under a parent", role: "accountant", method: "POST", path: "/api/v1/accounts",
				body: `{"code":"1130","name":"Second bank","type":"asset","subtype":"bank","parent":"1100"}`, status: 201, want: []string{`"parent_id":`}},
			{name: "a used account is not deleted", role: "admin", method: "DELETE", path: acct, status: 409},
			{name: "balance at a date", role: "clerk", method: "GET", path: acct + "/balance?date=2026-01-31", status: 200,
				want: []string{`"debit":"100.00","credit":"0.00","balance":"100.00"`}},
			{name: "balance today", role: "clerk", method: "GET", path: acct + "/balance", status: 200, want: []string{`"balance":"59.50"`}},
			{name: "statement with running balance", role: "auditor", method: "GET", path: acct + "/statement?from=2026-01-01&to=2026-12-31", status: 200,
				want: []string{`"opening":"0.00","closing":"59.50"`, `"number":"GEN-2026-000001"`, `"debit":"100.00","credit":"","balance":"100.00"`,
					`"debit":"","credit":"40.50","balance":"59.50"`}},
			{name: "statement from February opens with January", role: "auditor", method: "GET", path: acct + "/statement?from=2026-02-01", status: 200,
				want: []string{`"opening":"100.00"`}, notWant: []string{"GEN-2026-000001"}},
			{name: "cash limit refuses an overdraft", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-03-01", "BIG", "6100", "1110", "60.00"), status: 422, want: []string{`"code":"limit_exceeded"`, "1110"}},
			{name: "block", role: "accountant", method: "POST", path: acct + "/block", status: 200, want: []string{`"blocked":true`}},
			{name: "a blocked account takes no postings", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-03-01", "X", "1110", "4020", "1.00"), status: 422, want: []string{`"lines[0].account":"account 1110 is blocked"`}},
			{name: "account history", role: "auditor", method: "GET", path: acct + "/history", status: 200, want: []string{`"action":"update"`}},
			{name: "journals", role: "clerk", method: "GET", path: "/api/v1/journals", status: 200, want: []string{`"code":"GEN"`, `"code":"SAL"`}},
			{name: "new journal", role: "accountant", method: "POST", path: "/api/v1/journals", body: `{"code":"ADJ","name":"Adjustments","type":"general"}`, status: 201},
		})
	})
}

func TestLedgerAPI_DraftsChangeUntilPosted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/entries/drafts",
			`{"journal":"GEN","date":"2026-05-01","reference":"DRAFT","lines":[{"account":"6120","debit":"12.00"}]}`, "")
		if w.Code != 201 || !strings.Contains(w.Body.String(), `"state":"draft"`) || !strings.Contains(w.Body.String(), `"account":"6120"`) {
			t.Fatalf("draft: %d %s", w.Code, w.Body.String())
		}
		var d entryOut
		must(t, json.Unmarshal(w.Body.Bytes(), &d))
		path := fmt.Sprintf("/api/v1/entries/%d", d.ID)
		if w := f.request("accountant", "POST", path+"/post", ""); w.Code != 422 || !strings.Contains(w.Body.String(), `"lines"`) {
			t.Fatalf("posting a one-line draft: %d %s", w.Code, w.Body.String())
		}
		tag := f.request("accountant", "GET", path, "").Header().Get("ETag")
		w = f.request("accountant", "PATCH", path, entryBody("GEN", "2026-05-01", "DRAFT", "6120", "1110", "12.00"), "If-Match", tag)
		if w.Code != 200 {
			t.Fatalf("update draft: %d %s", w.Code, w.Body.String())
		}
		if w := f.request("accountant", "PATCH", path, entryBody("GEN", "2026-05-01", "DRAFT", "6120", "1110", "13.00"), "If-Match", tag); w.Code != 412 {
			t.Fatalf("stale draft update: %d", w.Code)
		}
		if w := f.request("accountant", "POST", path+"/post", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"number":"GEN-2026-000002"`) {
			t.Fatalf("post draft: %d %s", w.Code, w.Body.String())
		}
		if w := f.request("accountant", "DELETE", path, ""); w.Code != 409 {
			t.Fatalf("deleting a posted entry: %d %s", w.Code, w.Body.String())
		}
	})
}
