package web

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"backoffice/sqldb/sqldbtest"
)

// TestBrowser_OverviewDrawsItsChartsFromTheBinary opens the ledger overview
// in a real browser with no network beyond the server: uPlot and the chart
// script come from /static, and each chart draws its canvas with a legend.
func TestBrowser_OverviewDrawsItsChartsFromTheBinary(t *testing.T) {
	exe := chromiumPath(t)
	f := newFixture(t, sqldbtest.SQLite(t))
	postRent(t, f)
	if w := f.request("accountant", "PUT", "/api/v1/budgets", `{"budgets":[{"account":"6100","month":"2026-02","amount":"30.00"}]}`); w.Code != 200 {
		t.Fatalf("budget: %d %s", w.Code, w.Body.String())
	}
	b := f.browser()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1280, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	do(t, ctx, "sign in",
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), f.users["auditor"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("header.top")))
	do(t, ctx, "open the overview",
		chromedp.Navigate(b.base+"/ledger/overview?to=2026-03-31&months=3"),
		chromedp.WaitVisible(chromedp.CSS(`figure[data-chart="chart-budget"].drawn canvas`)))
	drawn := value(t, ctx, "count the drawn charts", chromedp.Evaluate[int](`document.querySelectorAll("figure.chart.drawn canvas").length`))
	legends := value(t, ctx, "read the legends", chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".u-legend .u-label")).map(e => e.textContent).join(",")`))
	if drawn != 3 || legends != "Time,Income,Expenses,Time,Cash and bank,Time,Budget,Actual" {
		t.Errorf("%d charts drawn with legends %q, want 3: income and expenses, cash, budget", drawn, legends)
	}
}
