package web

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"backoffice/sqldb/sqldbtest"
)

// chromiumPath finds Debian's chromium. Without it the browser test skips,
// except under CI=true, where .ci/run installs it and its absence is a failure.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI must run the browser test (apt-get install -y chromium)")
	}
	t.Skip("chromium not installed: browser test skipped")
	return ""
}

// TestBrowser_SignInEnrolTOTPListExportAndHistory walks the product as a
// person does: sign in, turn on two-factor authentication, sign in again
// with a code, open the users list, export it as CSV, open a user and read
// the change history.
func TestBrowser_SignInEnrolTOTPListExportAndHistory(t *testing.T) {
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

	email := f.users["admin"].Email
	signIn := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(b.base + "/login"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), testPassword),
		chromedp.Submit(chromedp.CSS("#password")),
	}
	// header.top exists only on signed-in pages: waiting for it waits for the
	// sign-in to finish rather than matching the login page still on screen.
	do(t, ctx, "sign in", append(signIn, chromedp.WaitVisible(chromedp.CSS("header.top")))...)
	do(t, ctx, "start enrolment",
		chromedp.Navigate(b.base+"/account"),
		chromedp.Click(chromedp.CSS(`form[action="/account/totp"] button`)),
		chromedp.WaitVisible(chromedp.CSS("code.secret")))
	secret := value(t, ctx, "read the secret", chromedp.Text(chromedp.CSS("code.secret")))
	code, err := totp.GenerateCode(secret, time.Now())
	must(t, err)
	do(t, ctx, "confirm enrolment",
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("ul.codes")))
	if codes := value(t, ctx, "read recovery codes", chromedp.Text(chromedp.CSS("ul.codes"))); strings.Count(codes, "\n") < 5 {
		t.Fatalf("recovery codes not shown: %q", codes)
	}

	// Sign out, then in again: now a code is asked for. The next step's code
	// is used because the enrolment code cannot be used twice.
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	must(t, err)
	do(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS("#email")))
	do(t, ctx, "sign in again", signIn...)
	do(t, ctx, "enter the code",
		chromedp.WaitVisible(chromedp.CSS("#code")),
		chromedp.SendKeys(chromedp.CSS("#code"), next),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("header.top")))
	if heading := value(t, ctx, "read the heading", chromedp.Text(chromedp.CSS("main h1"))); heading != f.a.Name {
		t.Fatalf("after sign-in the page says %q, want the company %q", heading, f.a.Name)
	}

	do(t, ctx, "open the users list", chromedp.Navigate(b.base+"/users"), chromedp.WaitVisible(chromedp.CSS("table.list tbody tr")))
	rows := value(t, ctx, "count rows", chromedp.Evaluate[int](`document.querySelectorAll("table.list tbody tr").length`))
	if rows != 5 {
		t.Errorf("users list shows %d rows, want the 5 members of company A", rows)
	}
	link := value(t, ctx, "find the export link", chromedp.AttributeValue(chromedp.CSS("a[download]"), "href"))
	csv := value(t, ctx, "export CSV", chromedp.Evaluate[string](`fetch(document.querySelector("a[download]").href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if !strings.Contains(link.Value, "format=csv") || !strings.HasPrefix(csv, "email,name,role,status") || !strings.Contains(csv, "target@example.com") {
		t.Errorf("export link %q gave:\n%s", link.Value, csv)
	}

	do(t, ctx, "open a user", chromedp.Click(`//a[text()="target@example.com"]`), chromedp.WaitVisible(chromedp.CSS("aside.history")))
	history := value(t, ctx, "read the history", chromedp.Text(chromedp.CSS("aside.history")))
	if !strings.Contains(history, "Create") || !strings.Contains(history, "target@example.com") {
		t.Errorf("history panel says:\n%s", history)
	}
}

func do(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

func value[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}
