package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestUI_SignInRedirectsBackToThePageAsked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		resp, err := b.client.Get(b.base + "/users")
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?next=%2Fusers" {
			t.Fatalf("anonymous /users: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		status, body, _ := b.post("/login", url.Values{"email": {"admin@example.com"}, "password": {"wrong password"}, "next": {"/users"}})
		if status != http.StatusUnauthorized || !strings.Contains(body, "e-mail or password is wrong") || !strings.Contains(body, `value="admin@example.com"`) {
			t.Fatalf("wrong password: %d\n%s", status, body)
		}
		status, _, hdr := b.post("/login", url.Values{"email": {"admin@example.com"}, "password": {testPassword}, "next": {"/users"}})
		if status != http.StatusSeeOther || hdr.Get("Location") != "/users" {
			t.Fatalf("sign in: %d to %q", status, hdr.Get("Location"))
		}
		c := hdr.Get("Set-Cookie")
		if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
			t.Errorf("session cookie %q lacks HttpOnly or SameSite=Lax", c)
		}
		status, body = b.get("/users")
		if status != 200 || !strings.Contains(body, "target@example.com") {
			t.Fatalf("/users after sign-in: %d", status)
		}
	})
}

func TestUI_OffsiteRedirectAfterSignInIsRefused(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	_, _, hdr := b.post("/login", url.Values{"email": {"admin@example.com"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if hdr.Get("Location") != "/" {
		t.Fatalf("redirected to %q", hdr.Get("Location"))
	}
}

func TestUI_ThrottlesAfterFiveFailedSignIns(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	for i := 0; i < 5; i++ {
		b.post("/login", url.Values{"email": {"clerk@example.com"}, "password": {"not the password"}})
	}
	status, body, _ := b.post("/login", url.Values{"email": {"clerk@example.com"}, "password": {testPassword}})
	if status != http.StatusTooManyRequests || !strings.Contains(body, "too many failed sign-ins") {
		t.Fatalf("sixth attempt: %d\n%s", status, body)
	}
}

func TestUI_SignInWithTOTPCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
		u := f.users["accountant"]
		en, err := f.acc.BeginTOTP(ctx, u.ID)
		must(t, err)
		code, err := totp.GenerateCode(en.Secret, time.Now())
		must(t, err)
		_, err = f.acc.ConfirmTOTP(ctx, u.ID, code)
		must(t, err)

		b := f.browser()
		status, _, hdr := b.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/account"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/login/totp") {
			t.Fatalf("password step: %d to %q", status, hdr.Get("Location"))
		}
		if status, _ := b.get("/account"); status != http.StatusSeeOther {
			t.Fatalf("half-signed-in session reached /account: %d", status)
		}
		status, body, _ := b.post("/login/totp", url.Values{"code": {"000000"}, "next": {"/account"}})
		if status == http.StatusSeeOther || !strings.Contains(body, "role=\"alert\"") {
			t.Fatalf("wrong code accepted: %d", status)
		}
		// A fresh step's code: the one used to enrol cannot be used twice.
		code, err = totp.GenerateCode(en.Secret, time.Now().Add(30*time.Second))
		must(t, err)
		status, _, hdr = b.post("/login/totp", url.Values{"code": {code}, "next": {"/account"}})
		if status != http.StatusSeeOther || hdr.Get("Location") != "/account" {
			t.Fatalf("code step: %d to %q", status, hdr.Get("Location"))
		}
		if status, body := b.get("/account"); status != 200 || !strings.Contains(body, "badge ok\">On") {
			t.Fatalf("/account after TOTP: %d", status)
		}
	})
}

func TestUI_EscapesHostileTextOnPages(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	evil := `<script>alert("x")</script>`
	_, err := f.acc.UpdateUser(ctx, f.target.ID, f.target.Version, access.UserPatch{Name: &evil})
	must(t, err)
	b := f.browser()
	b.signIn("admin@example.com")
	for _, path := range []string{"/users", "/users/" + f.target.ID.String()} {
		status, body := b.get(path)
		if status != 200 {
			t.Fatalf("%s: %d", path, status)
		}
		if strings.Contains(body, evil) || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s renders the name unescaped", path)
		}
	}
}

func TestUI_CrossSiteFormPostIsRefused(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	b.signIn("admin@example.com")
	req, _ := http.NewRequest("POST", b.base+"/users/"+f.target.ID.String()+"/disable", strings.NewReader("reason=csrf"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := b.client.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d", resp.StatusCode)
	}
	u, err := f.acc.GetUser(context.Background(), f.target.ID)
	must(t, err)
	if u.Disabled {
		t.Fatal("cross-site POST disabled the user")
	}
}

func TestUI_UsersCSVExportNeutralisesFormulas(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	name := "=1+1"
	_, err := f.acc.UpdateUser(ctx, f.target.ID, f.target.Version, access.UserPatch{Name: &name})
	must(t, err)
	b := f.browser()
	b.signIn("auditor@example.com")
	resp, err := b.client.Get(b.base + "/users?format=csv&q=target")
	must(t, err)
	defer resp.Body.Close()
	body := readAll(t, resp)
	if resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(body, "'=1+1") {
		t.Fatalf("CSV export %q:\n%s", resp.Header.Get("Content-Type"), body)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b := new(strings.Builder)
	_, err := io.Copy(b, resp.Body)
	must(t, err)
	return b.String()
}

func TestUI_HomeShowsTheFiguresTheRoleMaySee(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	admin := f.browser()
	admin.signIn("admin@example.com")
	status, body := admin.get("/")
	if status != 200 || !strings.Contains(body, "members of this company") || !strings.Contains(body, "changes in the last 24 hours") ||
		!strings.Contains(body, "at the bank and in cash") {
		t.Fatalf("admin home: %d\n%s", status, body)
	}
	clerk := f.browser()
	clerk.signIn("clerk@example.com")
	_, body = clerk.get("/")
	if strings.Contains(body, "members of this company") || strings.Contains(body, "changes in the last 24 hours") {
		t.Fatalf("clerk home shows figures the clerk may not read:\n%s", body)
	}
}

func TestGroupThousands(t *testing.T) {
	for in, want := range map[string]string{"0.00": "0.00", "999": "999", "1000": "1,000", "-1234567.89": "-1,234,567.89", "123456.7": "123,456.7"} {
		if got := groupThousands(in); got != want {
			t.Errorf("groupThousands(%q) = %q, want %q", in, got, want)
		}
	}
}
