package web

import (
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestBudgetAPI_SetListAndCompareWithActual(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		runCases(t, f, []apiCase{
			{name: "accountant sets budgets by account code and month", role: "accountant", method: "PUT", path: "/api/v1/budgets",
				body: `{"budgets":[{"account":"6100","month":"2026-02","amount":"30.00","action":"warn"},
					{"account":"4020","month":"2026-01-20","amount":"80","action":"ignore"}]}`, status: 200,
				want: []string{`"account":"6100","month":"2026-02","currency":"EUR","amount":"30.00","action":"warn","version":1`,
					`"account":"4020","month":"2026-01","currency":"EUR","amount":"80.00","action":"ignore"`}},
			{name: "setting the same line again replaces it", role: "admin", method: "PUT", path: "/api/v1/budgets",
				body: `{"budgets":[{"account":"6100","month":"2026-02","amount":"30.00","action":"warn"}]}`, status: 200,
				want: []string{`"amount":"30.00","action":"warn","version":2`}},
			{name: "every bad field at once, nothing stored", role: "accountant", method: "PUT", path: "/api/v1/budgets",
				body: `{"budgets":[{"account":"9999","month":"Feb","amount":"1.234"},{"account":"6100","month":"2026-03","amount":"5","action":"maybe"}]}`, status: 422,
				want: []string{`"budgets[0].account":"no account has the code 9999"`, `"budgets[0].month":"must be a month as YYYY-MM"`,
					`"budgets[0].amount":"must be a decimal amount in EUR`}},
			{name: "unknown action is refused", role: "accountant", method: "PUT", path: "/api/v1/budgets",
				body: `{"budgets":[{"account":"6100","month":"2026-03","amount":"5","action":"maybe"}]}`, status: 422,
				want: []string{`"budgets[0].action":"must be stop, warn or ignore"`}},
			{name: "clerk may not set budgets", role: "clerk", method: "PUT", path: "/api/v1/budgets",
				body: `{"budgets":[{"account":"6100","month":"2026-03","amount":"5"}]}`, status: 403},
			{name: "list holds the two lines, by month", role: "auditor", method: "GET", path: "/api/v1/budgets?from=2026-01-01&to=2026-12-31", status: 200,
				want: []string{`"account":"4020","month":"2026-01"`, `"account":"6100","month":"2026-02"`}, notWant: []string{`2026-03`}},
		})
		// Rent of 40.50 in February goes beyond the 30.00 budget: warn posts it and says so.
		w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-02-01", "RENT", "6100", "1110", "40.50"))
		if want := `"warnings":["account 6100 would reach 40.50 EUR in 2026-02, beyond its budget of 30.00 EUR"]`; w.Code != 201 || !strings.Contains(w.Body.String(), want) {
			t.Fatalf("posting beyond a warn budget: %d %s, want %s", w.Code, w.Body.String(), want)
		}
		runCases(t, f, []apiCase{
			{name: "variance as amount and percentage per line and month", role: "auditor", method: "GET",
				path: "/api/v1/reports/budget-vs-actual?from=2026-01-01&to=2026-02-28", status: 200,
				want: []string{`"account":"4020","name":"Sales of services","type":"income","action":"ignore","budget":"80.00","actual":"100.00","variance":"-20.00","variance_pct":"-25.0"`,
					`"account":"6100","name":"Rent","type":"expense","action":"warn","budget":"30.00","actual":"40.50","variance":"-10.50","variance_pct":"-35.0","months":[{"month":"2026-02","budget":"30.00","actual":"40.50"}]`,
					`"budget":"110.00","actual":"140.50","variance":"-30.50"`}},
			{name: "a period outside the budgets has no rows", role: "auditor", method: "GET", path: "/api/v1/reports/budget-vs-actual?from=2025-01-01&to=2025-12-31", status: 200,
				want: []string{`"rows":[]`}},
		})
		w = f.request("clerk", "GET", "/api/v1/reports/budget-vs-actual?from=2026-01-01&to=2026-02-28&format=csv", "")
		want := "account,name,dimension,value,budget,actual,variance,variance_pct\n4020,Sales of services,,,80.00,100.00,-20.00,-25.0\n6100,Rent,,,30.00,40.50,-10.50,-35.0\n"
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
	})
}

func TestBudgetAPI_StopRefusesPostingBeyondBudgetAndDeleteLiftsIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "PUT", "/api/v1/budgets", `{"budgets":[{"account":"6100","month":"2026-02","amount":"40.00","action":"stop"}]}`)
		if w.Code != 200 {
			t.Fatalf("set budget: %d %s", w.Code, w.Body.String())
		}
		var set listOf[budgetOut]
		decodeInto(t, w.Body.Bytes(), &set)
		id := set.Items[0].ID.String()
		runCases(t, f, []apiCase{
			{name: "40.50 of rent beyond a 40.00 stop budget is refused", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-02-01", "RENT", "6100", "1110", "40.50"), status: 422,
				want: []string{`"code":"limit_exceeded"`, `beyond its budget of 40.00 EUR`}},
			{name: "a budget of another company is not found", role: "admin", method: "DELETE", path: "/api/v1/budgets/999999", status: 404},
			{name: "deleting the line", role: "accountant", method: "DELETE", path: "/api/v1/budgets/" + id, status: 204},
			{name: "then the rent posts", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: entryBody("GEN", "2026-02-01", "RENT", "6100", "1110", "40.50"), status: 201},
			{name: "and the budget is gone", role: "auditor", method: "GET", path: "/api/v1/budgets", status: 200, want: []string{`"items":[]`}},
		})
	})
}
