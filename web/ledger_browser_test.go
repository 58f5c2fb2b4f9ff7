package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"backoffice/sqldb/sqldbtest"
)

// TestBrowser_PostAnEntryAndSeeItInTheTrialBalance is the ledger as a person
// uses it: open the entry form, add a line with the button, watch the
// difference reach zero, post, and find the amounts in the trial balance.
func TestBrowser_PostAnEntryAndSeeItInTheTrialBalance(t *testing.T) {
	exe := chromiumPath(t)
	f := newFixture(t, sqldbtest.SQLite(t))
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
		chromedp.SendKeys(chromedp.CSS("#email"), f.users["accountant"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("header.top")))
	do(t, ctx, "open the form and add a line",
		chromedp.Navigate(b.base+"/ledger/entries/new"),
		chromedp.WaitVisible(chromedp.CSS("[data-add-line]")),
		chromedp.Click(chromedp.CSS("[data-add-line]")),
		chromedp.WaitVisible(chromedp.CSS("#account-6")))
	// A date input takes keys in the browser's locale; setting its value is exact.
	value(t, ctx, "set the date", chromedp.Evaluate[string](`document.getElementById("date").value = "2026-02-03"`))
	do(t, ctx, "type the lines",
		chromedp.SendKeys(chromedp.CSS("#reference"), "BROWSER-1"),
		chromedp.SendKeys(chromedp.CSS("#account-0"), "6120"),
		chromedp.SendKeys(chromedp.CSS("#debit-0"), "12,50"),
		chromedp.SendKeys(chromedp.CSS("#account-6"), "1110"))
	if d := value(t, ctx, "read the difference", chromedp.Text(chromedp.CSS("[data-difference]"))); d != "12.50" {
		t.Fatalf("difference with only the debit typed: %q", d)
	}
	do(t, ctx, "type the credit", chromedp.SendKeys(chromedp.CSS("#credit-6"), "12.50"))
	if d := value(t, ctx, "read the difference", chromedp.Text(chromedp.CSS("[data-difference]"))); d != "0.00" {
		t.Fatalf("difference of a balanced entry: %q", d)
	}
	value(t, ctx, "accept the confirmation", chromedp.Evaluate[bool](`window.confirm = () => true; true`))
	do(t, ctx, "post",
		chromedp.Click(chromedp.CSS(`button[value="post"]`)),
		chromedp.WaitVisible(chromedp.CSS("p.flash")))
	if h := value(t, ctx, "read the heading", chromedp.Text(chromedp.CSS("main h1"))); h != "GEN-2026-000002" {
		t.Fatalf("after posting the page says %q", h)
	}
	do(t, ctx, "open the trial balance",
		chromedp.Navigate(b.base+"/ledger/trial-balance?date=2026-12-31"),
		chromedp.WaitVisible(chromedp.CSS("table.report")))
	table := value(t, ctx, "read the trial balance", chromedp.Text(chromedp.CSS("table.report")))
	for _, want := range []string{"6120", "Office supplies", "12.50", "87.50"} {
		if !strings.Contains(table, want) {
			t.Errorf("trial balance lacks %q:\n%s", want, table)
		}
	}
}
