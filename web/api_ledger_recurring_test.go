package web

import (
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

const rentBody = `{"name":"Office rent","journal":"GEN","reference":"RENT","lines":[{"account":"6100","debit":"1500"},{"account":"1110","credit":"1500.00"}],
	"frequency":"monthly","day_of_month":31,"start_date":"2026-01-31","mode":"post"}`

const insuranceBody = `{"name":"Fire insurance","kind":"deferral","journal":"GEN","expense_account":"6150","balance_account":"1410",
	"total":"1000.00","periods":12,"start_month":"2026-01-01","reference":"POL-7"}`

func TestRecurringAPI_TemplatesSchedulesAndRunDue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		runCases(t, f, []apiCase{
			{name: "a clerk may not create templates", role: "clerk", method: "POST", path: "/api/v1/recurring-entries", body: rentBody, status: 403},
			{name: "every bad field at once", role: "accountant", method: "POST", path: "/api/v1/recurring-entries",
				body:   `{"name":"","journal":"GEN","lines":[{"account":"6100","debit":"10"},{"account":"1110","credit":"9"}],"frequency":"weekly","start_date":"2026-01-01","mode":"x"}`,
				status: 422, want: []string{`"name":`, `"frequency":"must be monthly, quarterly or yearly"`, `"mode":`, `"lines":"debits and credits differ by 1.00 EUR`}},
			{name: "a bad amount and bad fields in one answer", role: "accountant", method: "POST", path: "/api/v1/recurring-entries",
				body:   `{"name":"","journal":"GEN","lines":[{"account":"6100","debit":"ten"},{"account":"9999","credit":"10"}],"frequency":"weekly","start_date":"2026-01-01","mode":"post"}`,
				status: 422, want: []string{`"lines[0].debit":"must be a decimal amount`, `"lines[1].account":"no account has the code 9999"`, `"name":`, `"frequency":`}},
			{name: "create a monthly template on the 31st", role: "accountant", method: "POST", path: "/api/v1/recurring-entries", body: rentBody, status: 201,
				want: []string{`"next_run":"2026-01-31"`, `"amount":"1500.00"`, `"account":"6100","currency":"EUR","debit":"1500.00"`, `"mode":"post"`, `"active":true`}},
			{name: "wrong account type for a deferral", role: "accountant", method: "POST", path: "/api/v1/schedules",
				body:   `{"name":"X","kind":"deferral","journal":"GEN","expense_account":"1110","balance_account":"2300","total":"1,5","periods":3,"start_month":"2026-01-01"}`,
				status: 422, want: []string{`"expense_account_id":"account 1110 is asset`, `"balance_account_id":"account 2300 is liability`}},
			{name: "create a deferral schedule", role: "accountant", method: "POST", path: "/api/v1/schedules", body: insuranceBody, status: 201,
				want: []string{`"no":1,"date":"2026-01-31","amount":"83.33"`, `"no":12,"date":"2026-12-31","amount":"83.37"`, `"total":"1000.00"`}},
			{name: "an auditor may not run", role: "auditor", method: "POST", path: "/api/v1/recurring-entries/run-due", body: `{"date":"2026-02-28"}`, status: 403},
			{name: "run what is due to February", role: "accountant", method: "POST", path: "/api/v1/recurring-entries/run-due", body: `{"date":"2026-02-28"}`, status: 200,
				want: []string{`"period":"2026-01-31","entry_id"`, `"entry_number":"GEN-2026-000003","state":"posted","amount":"1500.00"`,
					`"source":"schedule","source_id":1,"name":"Fire insurance","period":"2026-02-28"`, `"failures":[]`}},
			{name: "running again generates nothing", role: "accountant", method: "POST", path: "/api/v1/schedules/run-due", body: `{"date":"2026-02-28"}`, status: 200,
				want: []string{`"generated":[]`}},
			{name: "the schedule shows its posted periods", role: "auditor", method: "GET", path: "/api/v1/schedules/1", status: 200,
				want: []string{`"date":"2026-01-31","amount":"83.33","status":"posted","entry_id"`, `"entry_number":"GEN-2026-000005"`, `"posted_count":2`, `"next_run":"2026-03-31"`}},
			{name: "the template shows its entries", role: "clerk", method: "GET", path: "/api/v1/recurring-entries/1", status: 200,
				want: []string{`"period":"2026-02-28"`, `"entry_number":"GEN-2026-000002"`, `"run_count":2`, `"next_run":"2026-03-31"`}},
			{name: "runs are in the history", role: "auditor", method: "GET", path: "/api/v1/recurring-entries/1/history", status: 200,
				want: []string{`"action":"run"`, `"action":"create"`}},
			{name: "posted periods freeze the amounts", role: "accountant", method: "PATCH", path: "/api/v1/schedules/1",
				body:   `{"name":"Fire insurance","kind":"deferral","journal":"GEN","expense_account":"6150","balance_account":"1410","total":"1200.00","periods":12,"start_month":"2026-01-01"}`,
				status: 409, want: []string{`"total":"cannot change once a period is posted"`}},
			{name: "a stale ETag is refused", role: "accountant", method: "PATCH", path: "/api/v1/recurring-entries/1", body: rentBody,
				header: []string{"If-Match", `"v9"`}, status: 412},
			{name: "pause the template", role: "accountant", method: "PATCH", path: "/api/v1/recurring-entries/1",
				body:   `{"name":"Office rent","journal":"GEN","lines":[{"account":"6100","debit":"1500"},{"account":"1110","credit":"1500"}],"frequency":"monthly","day_of_month":31,"start_date":"2026-01-31","mode":"post","active":false}`,
				header: []string{"If-Match", `"v1"`}, status: 200, want: []string{`"active":false`, `"version":2`}},
			{name: "a paused template is not run", role: "accountant", method: "POST", path: "/api/v1/recurring-entries/run-due", body: `{"date":"2026-03-31"}`, status: 200,
				want: []string{`"name":"Fire insurance","period":"2026-03-31"`}, notWant: []string{`"name":"Office rent"`}},
			{name: "a clerk may not resume", role: "clerk", method: "POST", path: "/api/v1/recurring-entries/1/resume", status: 403},
			{name: "resume the template", role: "accountant", method: "POST", path: "/api/v1/recurring-entries/1/resume", status: 200,
				want: []string{`"active":true`, `"next_run":"2026-03-31"`}},
			{name: "pause the schedule", role: "accountant", method: "POST", path: "/api/v1/schedules/1/pause", status: 200, want: []string{`"active":false`}},
			{name: "resume catches up in order", role: "accountant", method: "POST", path: "/api/v1/schedules/run-due", body: `{"date":"2026-04-30"}`, status: 200,
				want: []string{`"name":"Office rent","period":"2026-03-31"`, `"name":"Office rent","period":"2026-04-30"`}, notWant: []string{`"name":"Fire insurance"`}},
			{name: "a schedule with postings is not deleted", role: "admin", method: "DELETE", path: "/api/v1/schedules/1", status: 409},
			{name: "a template that generated entries is not deleted", role: "admin", method: "DELETE", path: "/api/v1/recurring-entries/1", status: 409,
				want: []string{"make it inactive instead"}},
			{name: "list with search", role: "clerk", method: "GET", path: "/api/v1/schedules?q=fire", status: 200, want: []string{`"name":"Fire insurance"`}},
			{name: "other companies see nothing", role: "outsider", method: "GET", path: "/api/v1/recurring-entries/1", header: []string{"Backoffice-Company", "B"}, status: 404},
		})
	})
}
