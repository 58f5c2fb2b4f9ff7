package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb/sqldbtest"
)

// TestInvoiceBrowser_ProductCodeFillsTheLineAndTheTotalsFollowAsOneTypes
// runs the document form in chromium: a product code fills its line, "Add
// line" adds a row, htmx keeps the totals up to date, and saving stores
// what was on screen.
func TestInvoiceBrowser_ProductCodeFillsTheLineAndTheTotalsFollowAsOneTypes(t *testing.T) {
	exe := chromiumPath(t)
	f := newFixture(t, sqldbtest.SQLite(t))
	ctx0 := backoffice.WithActor(context.Background(), backoffice.System("test"))
	_, err := f.inv.CreateProduct(ctx0, f.a.ID, invoice.ProductInput{Code: "CONSULT-H", Name: "Consulting per hour", Unit: "HUR", UnitPrice: 12000,
		TaxCode: "VAT19", Active: true})
	must(t, err)
	b := f.browser()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(1280, 1200))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	do(t, ctx, "sign in",
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), "accountant@example.com"),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("header.top")))
	do(t, ctx, "fill the form",
		chromedp.Navigate(b.base+"/invoices/new"),
		chromedp.WaitVisible(chromedp.CSS("#party_id")),
		chromedp.SetValue(chromedp.CSS("#party_id"), f.party.ID.String()),
		chromedp.SetValue(chromedp.CSS("#issue_date"), "2026-03-02"),
		chromedp.SendKeys(chromedp.CSS("#line_product-0"), "CONSULT-H"),
		chromedp.SendKeys(chromedp.CSS("#line_quantity-0"), "2.5"), // leaving the product field fills the line
		chromedp.SendKeys(chromedp.CSS("#line_description-1"), "Books"),
		chromedp.SendKeys(chromedp.CSS("#line_quantity-1"), "3"),
		chromedp.SendKeys(chromedp.CSS("#line_price-1"), "19.90"),
		chromedp.SetValue(chromedp.CSS("#line_tax-1"), "VAT7"),
		chromedp.Click(chromedp.CSS("[data-add-row=line]")))
	if desc := value(t, ctx, "read the filled description", chromedp.Value(chromedp.CSS("#line_description-0"))); desc != "Consulting per hour" {
		t.Errorf("the product filled the description with %q", desc)
	}
	if price := value(t, ctx, "read the filled price", chromedp.Value(chromedp.CSS("#line_price-0"))); price != "120.00" {
		t.Errorf("the product filled the price with %q", price)
	}
	if rows := value(t, ctx, "count rows", chromedp.Evaluate[int](`document.querySelectorAll("tbody[data-rows=line] tr").length`)); rows != 4 {
		t.Errorf("%d line rows after Add line, want 4", rows)
	}
	value(t, ctx, "wait for the totals", chromedp.Poll[bool](`document.querySelector("#invoice-totals").textContent.includes("420.88 EUR")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	do(t, ctx, "save the draft",
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS("aside.history")))
	list, err := f.inv.List(ctx0, f.a.ID, invoice.Filter{})
	must(t, err)
	if len(list.Items) != 1 || list.Items[0].Totals.Payable != 42088 {
		t.Fatalf("stored %+v, want one draft of 420.88", list.Items)
	}
	heading := value(t, ctx, "read the heading", chromedp.Text(chromedp.CSS("main h1")))
	if !strings.HasPrefix(heading, "Draft invoice") {
		t.Errorf("after saving the page says %q", heading)
	}
}
