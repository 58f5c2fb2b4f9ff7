package web

import (
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestBudgetsUI_SetShowsVarianceChartAndRemoves(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		b := f.browser()
		b.signIn("accountant@example.com")
		period := "?from=2026-01-01&to=2026-03-31"
		status, body, _ := b.post("/ledger/budgets"+period, url.Values{"account": {"6100"}, "month": {"2026-02"}, "amount": {"30,00"}, "action": {"warn"}})
		if status != 303 {
			t.Fatalf("set budget: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/budgets" + period)
		for _, want := range []string{`<td class="num">30.00</td><td class="num">40.50</td><td class="num">-10.50 <span class="badge bad">over budget</span>`,
			`-35.0 %`, `data-chart="chart-spending"`, `"labels":["2026-01","2026-02","2026-03"]`, `"values":[0,30,0]`, `"values":[0,40.5,0]`,
			`/static/uPlot.iife.min.js`} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("budgets page %d lacks %q\n%s", status, want, body)
			}
		}
		if strings.Contains(body, `data-chart="chart-income"`) {
			t.Error("an income chart without income budgets")
		}
		status, body, _ = b.post("/ledger/budgets"+period, url.Values{"account": {"nope"}, "month": {"Feb"}, "amount": {"x"}, "action": {"warn"}})
		for _, want := range []string{"no account has the code nope", "must be a month as YYYY-MM", `value="nope"`} {
			if status != 422 || !strings.Contains(body, want) {
				t.Fatalf("bad budget form %d lacks %q", status, want)
			}
		}
		lines, err := f.books.Budgets(t.Context(), f.a.ID, f.entry.Date.AddMonths(-1), f.entry.Date.AddMonths(3))
		must(t, err)
		if len(lines) != 1 {
			t.Fatalf("%d budget lines stored, want 1 (the bad form stored nothing)", len(lines))
		}
		if status, _, _ := b.post("/ledger/budgets/"+lines[0].ID.String()+"/delete", url.Values{}); status != 303 {
			t.Fatalf("remove: %d", status)
		}
		if _, body := b.get("/ledger/budgets" + period); !strings.Contains(body, "No budgets for the months") {
			t.Error("the removed line is still shown")
		}
		auditor := f.browser()
		auditor.signIn("auditor@example.com")
		if status, body := auditor.get("/ledger/budgets" + period); status != 200 || strings.Contains(body, "Set budget") {
			t.Errorf("auditor: %d, the page must not offer the form", status)
		}
	})
}

func TestOverviewUI_ChartsAndTableFromMonthlyBalances(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		b := f.browser()
		b.signIn("auditor@example.com")
		status, body := b.get("/ledger/overview?to=2026-03-15&months=3")
		for _, want := range []string{`"labels":["2026-01","2026-02","2026-03"]`, `{"label":"Income","kind":"bar","values":[100,0,0]}`,
			`{"label":"Expenses","kind":"bar","values":[0,40.5,0]}`, `{"label":"Cash and bank","kind":"line","values":[100,59.5,59.5]}`,
			`<td class="num">-40.50</td><td class="num">59.50</td>`, `59.50 EUR`, "No expense budgets for these months."} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("overview %d lacks %q\n%s", status, want, body)
			}
		}
		if status, body := b.get("/ledger/overview?months=500"); status != 422 || !strings.Contains(body, "months must be 1 to 120") {
			t.Errorf("500 months: %d", status)
		}
		w := f.request("clerk", "GET", "/api/v1/reports/overview?to=2026-02-10&months=2", "")
		if want := `"months":[{"month":"2026-01","income":"100.00","expenses":"0.00","profit":"100.00","cash":"100.00"},{"month":"2026-02","income":"0.00","expenses":"40.50","profit":"-40.50","cash":"59.50"}]`; w.Code != 200 || !strings.Contains(w.Body.String(), want) {
			t.Errorf("overview API %d %s, want %s", w.Code, w.Body.String(), want)
		}
	})
}

func TestBudgetsUI_SetsTheSameAmountForEachMonthOfARange(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body, _ := b.post("/ledger/budgets", url.Values{"account": {"6100"}, "month": {"2026-01"}, "through": {"2025-12"}, "amount": {"10"}, "action": {"stop"}})
		if status != 422 || !strings.Contains(body, "on or after the first month") {
			t.Fatalf("a range ending before it starts: %d", status)
		}
		status, _, hdr := b.post("/ledger/budgets", url.Values{"account": {"6100"}, "month": {"2026-01"}, "through": {"2026-03"}, "amount": {"10"}, "action": {"stop"}})
		if status != 303 || !strings.Contains(hdr.Get("Location"), "3+months") {
			t.Fatalf("range: %d %s", status, hdr.Get("Location"))
		}
		lines, err := f.books.Budgets(t.Context(), f.a.ID, f.entry.Date.AddMonths(-1), f.entry.Date.AddMonths(11))
		must(t, err)
		var months []string
		for _, l := range lines {
			months = append(months, monthText(l.Month)+" "+decimal(l.Amount, "EUR")+" "+string(l.Action))
		}
		if got := strings.Join(months, ", "); got != "2026-01 10.00 stop, 2026-02 10.00 stop, 2026-03 10.00 stop" {
			t.Errorf("budget lines %s, want January to March at 10.00 stop", got)
		}
	})
}
