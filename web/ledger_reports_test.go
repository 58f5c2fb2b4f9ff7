package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// postRent adds a second entry to the fixture's books (100.00 of consulting
// banked on 2026-01-15): rent of 40.50 paid from the bank on 2026-02-01.
func postRent(t *testing.T, f *fixture) {
	t.Helper()
	if w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-02-01", "RENT", "6100", "1110", "40.50"), ""); w.Code != 201 {
		t.Fatalf("post: %d %s", w.Code, w.Body.String())
	}
}

func csvBody(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestLedgerReportsAPI_BalanceSheetWithComparisonsIsExactAndBalanced(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		w := f.request("auditor", "GET", "/api/v1/reports/balance-sheet?date=2026-02-28&compare=previous_period,last_year&format=csv", "")
		want := `section,code,name,level,current,previous_period,last_year
assets,1000,Current assets,0,59.50,100.00,0.00
assets,1100,Bank accounts,1,59.50,100.00,0.00
assets,1110,Main bank account,2,59.50,100.00,0.00
assets,,Total Assets,0,59.50,100.00,0.00
liabilities,,Total Liabilities,0,0.00,0.00,0.00
equity,,Profit of the current year,0,59.50,100.00,0.00
equity,,Total Equity,0,59.50,100.00,0.00
total,,Liabilities and equity,0,59.50,100.00,0.00
`
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
		runCases(t, f, []apiCase{
			{name: "JSON columns, rows and totals", role: "clerk", method: "GET", path: "/api/v1/reports/balance-sheet?date=2026-02-28&compare=last_year", status: 200,
				want: []string{`"columns":[{"key":"current","label":"2026-02-28","to":"2026-02-28"},{"key":"last_year","label":"2025-02-28","to":"2025-02-28"}]`,
					`"code":"1110","name":"Main bank account","level":2,"group":false,"amounts":["59.50","0.00"]`,
					`"liabilities_and_equity":["59.50","0.00"],"balanced":true`}},
			{name: "compare repeated as checkboxes send it", role: "clerk", method: "GET", path: "/api/v1/reports/balance-sheet?date=2026-01-31&compare=previous_period&compare=last_year", status: 200,
				want: []string{`"key":"previous_period","label":"2025-12-31"`, `"key":"last_year","label":"2025-01-31"`}},
			{name: "budget is no balance sheet column", role: "clerk", method: "GET", path: "/api/v1/reports/balance-sheet?compare=budget", status: 422,
				want: []string{`"compare":"may list previous_period and last_year`}},
			{name: "bad date", role: "clerk", method: "GET", path: "/api/v1/reports/balance-sheet?date=28.02.2026", status: 422, want: []string{`"date":"must be a date as YYYY-MM-DD"`}},
		})
	})
}

func TestLedgerReportsAPI_IncomeStatementComparesPeriodsAndBudget(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		w := f.request("auditor", "GET", "/api/v1/reports/income-statement?from=2026-02-01&to=2026-02-28&compare=previous_period&format=csv", "")
		want := `section,code,name,level,current,previous_period
income,4000,Revenue,0,0.00,100.00
income,4020,Sales of services,1,0.00,100.00
income,,Total Income,0,0.00,100.00
expenses,6000,Operating expenses,0,40.50,0.00
expenses,6100,Rent,1,40.50,0.00
expenses,,Total Expenses,0,40.50,0.00
total,,Net profit,0,-40.50,100.00
`
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
		runCases(t, f, []apiCase{
			{name: "budget and last year columns", role: "clerk", method: "GET", path: "/api/v1/reports/income-statement?from=2026-01-01&to=2026-02-28&compare=last_year,budget", status: 200,
				want: []string{`{"key":"last_year","label":"2025-01-01 – 2025-02-28","from":"2025-01-01","to":"2025-02-28"}`, `{"key":"budget","label":"Budget 2026-01-01 – 2026-02-28"`,
					`"code":"6100","name":"Rent","level":1,"group":false,"amounts":["40.50","0.00","0.00"]`, `"net_profit":["59.50","0.00","0.00"]`}},
			{name: "period ends before it starts", role: "clerk", method: "GET", path: "/api/v1/reports/income-statement?from=2026-03-01&to=2026-02-01", status: 422,
				want: []string{`"to":"must be on or after 2026-03-01"`}},
			{name: "both bad dates named at once", role: "clerk", method: "GET", path: "/api/v1/reports/income-statement?from=x&to=y", status: 422,
				want: []string{`"from":"must be a date as YYYY-MM-DD"`, `"to":"must be a date as YYYY-MM-DD"`}},
			{name: "unknown column", role: "clerk", method: "GET", path: "/api/v1/reports/income-statement?compare=forecast", status: 422,
				want: []string{`"compare":"may list previous_period, last_year and budget`}},
		})
	})
}

func TestLedgerReportsUI_BalanceSheetAmountOpensTheStatementUpToItsDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		b := f.browser()
		b.signIn("auditor@example.com")
		status, body := b.get("/ledger/reports/balance-sheet?date=2026-02-28&compare=previous_period")
		id := f.account.ID.String()
		for _, want := range []string{
			`<a href="/ledger/accounts/` + id + `?to=2026-02-28#statement">59.50</a>`,
			`<a href="/ledger/accounts/` + id + `?to=2026-01-31#statement">100.00</a>`,
			`name="compare" value="previous_period" checked`, `Balanced</span>`, `Liabilities and equity`,
		} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("balance sheet lacks %q: %d\n%s", want, status, body)
			}
		}
		status, body = b.get("/ledger/accounts/" + id + "?to=2026-01-31")
		if status != 200 || !strings.Contains(body, "GEN-2026-000001") || strings.Contains(body, "RENT") {
			t.Fatalf("statement up to 2026-01-31: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/reports/income-statement?from=2026-02-01&to=2026-02-28")
		if status != 200 || !strings.Contains(body, `?from=2026-02-01&amp;to=2026-02-28#statement">40.50</a>`) || !strings.Contains(body, `<td class="num">-40.50</td>`) {
			t.Fatalf("income statement: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/reports/income-statement?from=2026-13-01")
		if status != 422 || !strings.Contains(body, "from is not a date") {
			t.Fatalf("bad period: %d\n%s", status, body)
		}
	})
}

func TestLedgerReportsAPI_CashFlowAddsWorkingCapitalToProfit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		if w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-02-10", "INV-2", "1200", "4020", "30.00"), ""); w.Code != 201 {
			t.Fatalf("post: %d %s", w.Code, w.Body.String())
		}
		w := f.request("auditor", "GET", "/api/v1/reports/cash-flow?from=2026-01-01&to=2026-02-28&format=csv", "")
		want := `section,class,code,name,amount
operating,profit,,Profit for the period,89.50
operating,working_capital,1200,Trade receivables,-30.00
operating,total,,Total Operating activities,59.50
investing,total,,Total Investing activities,0.00
financing,total,,Total Financing activities,0.00
total,net_change,,Net change in cash,59.50
total,cash_change,,Cash at the end less cash at the start,59.50
`
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
		runCases(t, f, []apiCase{
			{name: "JSON figures", role: "clerk", method: "GET", path: "/api/v1/reports/cash-flow?from=2026-02-01&to=2026-02-28", status: 200,
				want: []string{`"profit":"-10.50"`, `"code":"1200","name":"Trade receivables","amount":"-30.00"`,
					`"net_change":"-40.50","cash_opening":"100.00","cash_closing":"59.50","cash_change":"-40.50","balanced":true`}},
			{name: "period ends before it starts", role: "clerk", method: "GET", path: "/api/v1/reports/cash-flow?from=2026-03-01&to=2026-02-01", status: 422,
				want: []string{`"to":"must be on or after 2026-03-01"`}},
		})
		b := f.browser()
		b.signIn("auditor@example.com")
		status, body := b.get("/ledger/reports/cash-flow?from=2026-01-01&to=2026-02-28")
		link := `/ledger/accounts/` + f.receivable(t) + `?from=2026-01-01&amp;to=2026-02-28#statement">-30.00</a>`
		if status != 200 || !strings.Contains(body, link) || !strings.Contains(body, "Balanced</span>") {
			t.Fatalf("cash flow page lacks %s: %d\n%s", link, status, body)
		}
	})
}

// receivable is the id of the fixture's trade receivables account, 1200.
func (f *fixture) receivable(t *testing.T) string {
	a, err := f.books.AccountByCode(t.Context(), f.a.ID, "1200")
	must(t, err)
	return a.ID.String()
}

func TestLedgerReportsAPI_GeneralLedgerPagesCarryTheRunningBalance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		if w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-02-10", "INV-2", "1200", "4020", "30.00"), ""); w.Code != 201 {
			t.Fatalf("post: %d %s", w.Code, w.Body.String())
		}
		w := f.request("auditor", "GET", "/api/v1/reports/general-ledger?from=2026-01-01&to=2026-02-28&limit=3&format=csv", "")
		want := `account,date,number,reference,narration,amount,balance
1110,2026-01-01,,,Opening balance,,0.00
1110,2026-01-15,GEN-2026-000001,INV-1,Consulting,100.00,100.00
1110,2026-02-01,GEN-2026-000002,RENT,test,-40.50,59.50
1200,2026-01-01,,,Opening balance,,0.00
1200,2026-02-10,GEN-2026-000003,INV-2,test,30.00,30.00
`
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want || !strings.Contains(w.Header().Get("Link"), `rel="next"`) {
			t.Fatalf("CSV %d %v:\n%s\nwant:\n%s", w.Code, w.Header(), got, want)
		}
		var page generalLedgerOut
		w = f.request("clerk", "GET", "/api/v1/reports/general-ledger?from=2026-01-01&to=2026-02-28&limit=1", "")
		must(t, json.Unmarshal(w.Body.Bytes(), &page))
		if len(page.Accounts) != 1 || page.Accounts[0].Closing != "59.50" || len(page.Accounts[0].Lines) != 1 || page.Next == "" {
			t.Fatalf("first page: %s", w.Body.String())
		}
		runCases(t, f, []apiCase{
			{name: "the next page continues the account with its running balance", role: "clerk", method: "GET",
				path: "/api/v1/reports/general-ledger?from=2026-01-01&to=2026-02-28&limit=1&after=" + page.Next, status: 200,
				want:    []string{`"code":"1110","name":"Main bank account","opening":"0.00","closing":"59.50","continued":true`, `"credit":"40.50","balance":"59.50"`},
				notWant: []string{`"code":"1200"`}},
			{name: "accounts chosen by code", role: "clerk", method: "GET", path: "/api/v1/reports/general-ledger?from=2026-01-01&to=2026-02-28&account=6100,1200", status: 200,
				want: []string{`"code":"1200"`, `"code":"6100"`}, notWant: []string{`"code":"1110"`, `"next"`}},
			{name: "unknown account code", role: "clerk", method: "GET", path: "/api/v1/reports/general-ledger?account=9999", status: 422,
				want: []string{`"account":"no account has the code 9999"`}},
		})
		b := f.browser()
		b.signIn("auditor@example.com")
		status, body := b.get("/ledger/reports/general-ledger?from=2026-01-01&to=2026-02-28&limit=1&after=" + page.Next)
		for _, want := range []string{`Carried forward</td><td class="num">100.00</td>`, `<td class="num">40.50</td><td class="num">59.50</td>`, "« First page", "Next page »", "Closing balance"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("general ledger page 2 lacks %q: %d\n%s", want, status, body)
			}
		}
	})
}

// midYear sets the fixture's clocks to 2026-06-15: 2025 has ended, 2026 has not.
func midYear(f *fixture) {
	now := func() time.Time { return time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) }
	f.books.Now, f.srv.Now = now, now
}

func TestLedgerReportsAPI_YearEndClosesAndReopensWithAReason(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		midYear(f)
		if w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2025-06-30", "OLD", "1110", "4020", "70.00"), ""); w.Code != 201 {
			t.Fatalf("post: %d %s", w.Code, w.Body.String())
		}
		runCases(t, f, []apiCase{
			{name: "fiscal years latest first, 2025 ended", role: "auditor", method: "GET", path: "/api/v1/fiscal-years", status: 200,
				want: []string{`{"items":[{"year":2026,"start":"2026-01-01","end":"2026-12-31","state":"open","ended":false},{"year":2025,"start":"2025-01-01","end":"2025-12-31","state":"open","ended":true}]`}},
			{name: "clerk may not close", role: "clerk", method: "POST", path: "/api/v1/fiscal-years/2025/close", body: `{}`, status: 403},
			{name: "a year that has not ended stays open", role: "accountant", method: "POST", path: "/api/v1/fiscal-years/2026/close", body: `{}`, status: 422,
				want: []string{`"fiscal_year":"has not ended yet: it ends on 2026-12-31"`}},
			{name: "close 2025", role: "accountant", method: "POST", path: "/api/v1/fiscal-years/2025/close", body: `{"reason":"year end"}`, status: 200,
				want: []string{`"year":2025,"end":"2025-12-31","entry_id":`, `"reason":"year end"`}, notWant: []string{`"reversal_id"`}},
			{name: "the closing moved the profit to retained earnings", role: "auditor", method: "GET", path: "/api/v1/reports/income-statement?from=2025-01-01&to=2025-12-31", status: 200,
				want: []string{`"net_profit":["70.00"]`}},
			{name: "the books are locked to the year end", role: "accountant", method: "POST", path: "/api/v1/entries", body: entryBody("GEN", "2025-12-30", "LATE", "1110", "4020", "1.00"),
				status: 422, want: []string{`"code":"period_closed"`}},
			{name: "closed state listed", role: "auditor", method: "GET", path: "/api/v1/fiscal-years", status: 200,
				want: []string{`{"year":2025,"start":"2025-01-01","end":"2025-12-31","state":"closed","ended":true,"closing":{"year":2025`}},
			{name: "reopening needs a reason", role: "accountant", method: "POST", path: "/api/v1/fiscal-years/2025/reopen", body: `{"reason":"  "}`, status: 422,
				want: []string{`"reason":"is required`}},
			{name: "reopen 2025", role: "accountant", method: "POST", path: "/api/v1/fiscal-years/2025/reopen", body: `{"reason":"audit adjustment"}`, status: 200,
				want: []string{`"reversal_id":`, `"reopen_reason":"audit adjustment"`, `"reopened_at":`}},
			{name: "reopened state listed", role: "auditor", method: "GET", path: "/api/v1/fiscal-years", status: 200, want: []string{`"year":2025,"start":"2025-01-01","end":"2025-12-31","state":"reopened"`}},
			{name: "a year that is not closed cannot reopen", role: "accountant", method: "POST", path: "/api/v1/fiscal-years/2025/reopen", body: `{"reason":"again"}`, status: 409},
			{name: "a year in the path is a number", role: "accountant", method: "POST", path: "/api/v1/fiscal-years/last/close", body: `{}`, status: 404},
		})
	})
}

func TestLedgerReportsUI_YearEndPageClosesAndAsksAReasonToReopen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		midYear(f)
		if w := f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2025-06-30", "OLD", "1110", "4020", "70.00"), ""); w.Code != 201 {
			t.Fatalf("post: %d %s", w.Code, w.Body.String())
		}
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/ledger/close")
		if status != 200 || !strings.Contains(body, `action="/ledger/close/2025"`) || strings.Contains(body, `action="/ledger/close/2026"`) || !strings.Contains(body, "Ends 2026-12-31") {
			t.Fatalf("year-end page: %d\n%s", status, body)
		}
		if status, _, hdr := b.post("/ledger/close/2025", url.Values{"reason": {"year end"}}); status != http.StatusSeeOther {
			t.Fatalf("close 2025: %d %v", status, hdr)
		}
		status, body, _ = b.post("/ledger/close/2025/reopen", url.Values{"reason": {""}})
		if status != 422 || !strings.Contains(body, "Fiscal year 2025: reason is required") || !strings.Contains(body, `action="/ledger/close/2025/reopen"`) {
			t.Fatalf("reopen without a reason: %d\n%s", status, body)
		}
		if status, _, _ := b.post("/ledger/close/2025/reopen", url.Values{"reason": {"audit adjustment"}}); status != http.StatusSeeOther {
			t.Fatalf("reopen: %d", status)
		}
		_, body = b.get("/ledger/close")
		if !strings.Contains(body, "Reopened</span>") || !strings.Contains(body, "Reopened: audit adjustment") || !strings.Contains(body, "its reversal") {
			t.Fatalf("after reopening:\n%s", body)
		}
		clerk := f.browser()
		clerk.signIn("clerk@example.com")
		if status, _ := clerk.get("/ledger/close"); status != http.StatusForbidden {
			t.Fatalf("clerk sees the year-end page: %d", status)
		}
	})
}
