package web

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/events"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func adminCtx() context.Context {
	return backoffice.WithActor(context.Background(), backoffice.System("test"))
}

func TestRolePage_UnknownPermissionKeepsWhatWasTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("admin@example.com")
		status, body, _ := b.post("/roles", url.Values{"name": {"night shift"}, "description": {"reads at night"},
			"permissions": {"user.read", "ledger.teleport"}})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422\n%s", status, body)
		}
		for _, want := range []string{"unknown permissions: ledger.teleport", `value="night shift"`, `value="reads at night"`,
			`value="user.read" checked`} {
			if !strings.Contains(body, want) {
				t.Errorf("re-rendered form lacks %q", want)
			}
		}
		if _, err := f.acc.RoleByName(t.Context(), "night shift"); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Fatalf("role stored despite the error: %v", err)
		}
	})
}

func TestRolePage_BuiltinRoleTakesOnlyTheTwoFactorSwitch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		clerk, err := f.acc.RoleByName(t.Context(), "clerk")
		must(t, err)
		b := f.browser()
		b.signIn("admin@example.com")
		status, body := b.get("/roles/" + clerk.ID.String())
		if status != 200 || !strings.Contains(body, "built into Backoffice") || !strings.Contains(body, `value="user.manage" disabled`) {
			t.Fatalf("built-in role page: %d, no read-only explanation or editable checklist", status)
		}
		status, body, _ = b.post("/roles/"+clerk.ID.String(), url.Values{"version": {strconv.FormatInt(clerk.Version, 10)},
			"name": {"boss"}, "require_totp": {"1"}, "permissions": {"user.manage", "role.manage", "company.read"}})
		if status != http.StatusSeeOther {
			t.Fatalf("save: %d\n%s", status, body)
		}
		after, err := f.acc.GetRole(t.Context(), clerk.ID)
		must(t, err)
		if after.Name != "clerk" || !slices.Equal(after.Permissions, clerk.Permissions) || !after.RequireTOTP {
			t.Fatalf("built-in role after save: %+v; want name and permissions unchanged, two-factor required", after)
		}
	})
}

func TestRolePage_DeletingARoleInUseExplainsWhy(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	must(t, f.acc.SetMemberRole(adminCtx(), f.a.ID, f.target.ID, f.role.ID))
	b := f.browser()
	b.signIn("admin@example.com")
	status, body, _ := b.post("/roles/"+f.role.ID.String()+"/delete", nil)
	if status != http.StatusConflict || !strings.Contains(body, "still given to members") {
		t.Fatalf("delete of a used role: %d\n%s", status, body)
	}
	must(t, f.acc.SetMemberRole(adminCtx(), f.a.ID, f.target.ID, mustRole(t, f, "clerk").ID))
	if status, _, hdr := b.post("/roles/"+f.role.ID.String()+"/delete", nil); status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/roles?") {
		t.Fatalf("delete of an unused role: %d to %q", status, hdr.Get("Location"))
	}
}

func mustRole(t *testing.T, f *fixture, name string) access.Role {
	t.Helper()
	r, err := f.acc.RoleByName(t.Context(), name)
	must(t, err)
	return r
}

var tokenSecret = regexp.MustCompile(`bo_[0-9a-f]{48}`)

func TestTokensPage_SecretIsShownOnceAndNeverOnTheList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body, _ := b.post("/tokens", url.Values{"name": {"Payroll export"}, "role": {"clerk"}, "scope": {"company"}, "expires_days": {"30"}})
		if status != http.StatusCreated {
			t.Fatalf("create: %d\n%s", status, body)
		}
		secret := tokenSecret.FindString(body)
		if secret == "" || !strings.Contains(body, `class="secret-once"`) || !strings.Contains(body, "Authorization: Bearer "+secret) {
			t.Fatalf("created page does not show the secret once with its curl example:\n%s", body)
		}
		status, body = b.get("/tokens")
		if status != 200 || !strings.Contains(body, "Payroll export") || !strings.Contains(body, secret[:11]) {
			t.Fatalf("list: %d, token or prefix missing", status)
		}
		if strings.Contains(body, secret) || strings.Contains(body, "secret-once") {
			t.Fatal("the list shows the secret again")
		}
	})
}

func TestTokensPage_ExpiryOverAYearIsRefusedWithTheFormKept(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	b.signIn("admin@example.com")
	status, body, _ := b.post("/tokens", url.Values{"name": {"Long lived"}, "role": {"clerk"}, "scope": {"all"}, "expires_days": {"400"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "from 1 to 365") ||
		!strings.Contains(body, `value="Long lived"`) || !strings.Contains(body, `value="all" checked`) || tokenSecret.MatchString(body) {
		t.Fatalf("400 days: %d\n%s", status, body)
	}
}

func TestTokensPage_ATokenCannotCreateTokens(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	req, _ := http.NewRequest("POST", "/tokens", strings.NewReader(url.Values{"name": {"x"}, "expires_days": {"30"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Fatalf("token creating a token through the form: %d", w.Code)
	}
}

func TestCompanyPage_MembersAreManagedOnlyInTheCurrentCompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.users["admin"]
		must(t, f.acc.AddMember(adminCtx(), f.b.ID, admin.ID, mustRole(t, f, "admin").ID))
		b := f.browser()
		b.signIn(admin.Email) // current company: A
		status, body := b.get("/companies/" + f.b.ID.String())
		if status != 200 || !strings.Contains(body, "switch to B") || strings.Contains(body, "Add member") {
			t.Fatalf("company B page: %d; want members read-only with a hint to switch", status)
		}
		status, body, _ = b.post("/companies/"+f.b.ID.String()+"/members", url.Values{"email": {"target@example.com"}, "role": {"clerk"}})
		if status != http.StatusForbidden {
			t.Fatalf("adding to B while working in A: %d\n%s", status, body)
		}
		if ms, _ := f.acc.ListMembers(t.Context(), f.b.ID); slices.ContainsFunc(ms, func(m access.Membership) bool { return m.UserID == f.target.ID }) {
			t.Fatal("the user was added to B")
		}
		status, _, _ = b.post("/companies/"+f.a.ID.String()+"/members", url.Values{"email": {"outsider@example.com"}, "role": {"auditor"}})
		if status != http.StatusSeeOther {
			t.Fatalf("adding to A: %d", status)
		}
		status, body, _ = b.post("/companies/"+f.a.ID.String()+"/members", url.Values{"email": {"nobody@example.com"}, "role": {"clerk"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "no user has this e-mail address") || !strings.Contains(body, `value="nobody@example.com"`) {
			t.Fatalf("adding an unknown e-mail: %d", status)
		}
		status, body = b.get("/companies/" + f.a.ID.String())
		if status != 200 || !strings.Contains(body, "Member added: outsider@example.com") {
			t.Fatalf("company A history lacks the membership change: %d", status)
		}
	})
}

func TestCompanyPage_OtherCompaniesAreNotFound(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	b.signIn("outsider@example.com")
	if status, _ := b.get("/companies/" + f.a.ID.String()); status != http.StatusNotFound {
		t.Fatalf("outsider opening company A: %d", status)
	}
	if status, body := b.get("/companies"); status != 200 || strings.Contains(body, "Alpha GmbH") || !strings.Contains(body, "Beta Ltd") {
		t.Fatalf("outsider's company list: %d", status)
	}
}

func TestWebhookPage_BadPatternIsNamedAndSecretShownOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("admin@example.com")
		status, body, _ := b.post("/webhooks", url.Values{"url": {"http://127.0.0.1:9/in"}, "events": {"user.*, Invoice.Post"}, "active": {"1"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "“Invoice.Post” must be") || !strings.Contains(body, `value="http://127.0.0.1:9/in"`) {
			t.Fatalf("bad pattern: %d\n%s", status, body)
		}
		status, body, _ = b.post("/webhooks", url.Values{"url": {"http://127.0.0.1:9/in"}, "events": {"user.*, user.create"}, "active": {"1"}})
		secret := regexp.MustCompile(`whsec_[0-9a-f]{64}`).FindString(body)
		if status != 200 || secret == "" || !strings.Contains(body, "Backoffice-Signature") {
			t.Fatalf("create: %d, secret %q", status, secret)
		}
		hooks, err := f.srv.Events.ListWebhooks(t.Context(), f.a.ID)
		must(t, err)
		status, body = b.get("/webhooks/" + hooks[len(hooks)-1].ID.String())
		if status != 200 || strings.Contains(body, secret) || !strings.Contains(body, "user.*, user.create") {
			t.Fatalf("webhook page: %d; secret shown again or patterns missing", status)
		}
	})
}

func TestDeliveryPage_OnlyTheWebhooksOwnDeliveriesAndReplay(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	other, _, err := f.srv.Events.CreateWebhook(adminCtx(), events.NewWebhook{CompanyID: f.a.ID, URL: "http://127.0.0.1:9/other", Events: []string{"role.*"}, Active: true})
	must(t, err)
	_, err = f.acc.CreateRole(adminCtx(), access.NewRole{Name: "night", Permissions: []string{"user.read"}})
	must(t, err)
	_, err = f.acc.CreateCompany(backoffice.WithActor(context.Background(), backoffice.Actor{UserID: f.users["admin"].ID, Name: "admin"}),
		access.NewCompany{Code: "C", Name: "Gamma", Currency: "EUR"})
	must(t, err)
	_, err = f.srv.Events.Dispatch(t.Context())
	must(t, err)
	list, err := f.srv.Events.ListDeliveries(t.Context(), events.DeliveryFilter{CompanyID: f.a.ID, WebhookID: f.webhook.ID})
	must(t, err)
	if len(list.Items) == 0 {
		t.Fatal("no delivery to the fixture webhook")
	}
	d := list.Items[0]
	b := f.browser()
	b.signIn("admin@example.com")
	if status, _ := b.get("/webhooks/" + other.ID.String() + "/deliveries/" + d.ID.String()); status != http.StatusNotFound {
		t.Fatalf("delivery opened under another webhook: %d", status)
	}
	status, body := b.get("/webhooks/" + f.webhook.ID.String() + "/deliveries/" + d.ID.String())
	if status != 200 || !strings.Contains(body, "&#34;type&#34;: &#34;"+d.EventType+"&#34;") || !strings.Contains(body, ">Replay<") {
		t.Fatalf("delivery page: %d\n%s", status, body)
	}
	status, _, hdr := b.post("/webhooks/"+f.webhook.ID.String()+"/deliveries/"+d.ID.String()+"/replay", nil)
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/deliveries/") {
		t.Fatalf("replay: %d to %q", status, hdr.Get("Location"))
	}
	after, err := f.srv.Events.ListDeliveries(t.Context(), events.DeliveryFilter{CompanyID: f.a.ID, WebhookID: f.webhook.ID})
	must(t, err)
	if len(after.Items) != len(list.Items)+1 || after.Items[0].ReplayOf != d.ID {
		t.Fatalf("replay did not add a delivery replaying %s", d.ID)
	}
}

func TestChangesPage_ShowsOnlyThePrincipalsCompanies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("outsider@example.com")
		rows := changesCSV(t, b, "/changes?format=csv")
		if len(rows) == 0 {
			t.Fatal("outsider sees no changes at all")
		}
		for _, row := range rows {
			if row[2] != "B" && row[2] != "" {
				t.Fatalf("outsider sees a change of company %q: %v", row[2], row)
			}
		}
		hook, err := audit.List(t.Context(), db, audit.Filter{CompanyIDs: []backoffice.ID{f.a.ID}, Entity: "webhook"})
		must(t, err)
		if status, _ := b.get("/changes/" + strconv.FormatInt(hook[0].Seq, 10)); status != http.StatusNotFound {
			t.Fatalf("outsider opened a change of company A: %d", status)
		}
		a := f.browser()
		a.signIn("admin@example.com")
		status, body := a.get("/changes/" + strconv.FormatInt(hook[0].Seq, 10))
		if status != 200 || !strings.Contains(body, hook[0].Hash) || !strings.Contains(body, hook[0].PrevHash) {
			t.Fatalf("admin of A opening the webhook change: %d", status)
		}
	})
}

// TestChangesPage_PagesBackwardsWithoutGapsOrRepeats walks filters of every
// density newest first, a page at a time: a common entity, one in seven, and
// a rare one far below the head, which the backward windows do not reach.
func TestChangesPage_PagesBackwardsWithoutGapsOrRepeats(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	ctx := adminCtx()
	var changes []audit.Change
	for i := range 1500 {
		entity := "filler"
		switch {
		case i%7 == 0:
			entity = "seventh"
		case i < 8 || i == 40:
			entity = "rare"
		}
		changes = append(changes, audit.Change{Entity: entity, EntityID: strconv.Itoa(i), Action: "update", New: map[string]any{"i": i}})
	}
	must(t, f.db.InTx(ctx, func(tx *sqldb.Tx) error {
		_, err := f.srv.Audit.Append(ctx, tx, changes...)
		return err
	}))
	for _, entity := range []string{"filler", "seventh", "rare", "absent"} {
		for _, size := range []int{3, 50} {
			filter := audit.Filter{AllCompanies: true, Entity: entity}
			var want, seen []int64
			for _, c := range changes {
				if c.Entity == entity {
					want = append(want, 0)
				}
			}
			head, _, err := audit.Head(ctx, f.db)
			must(t, err)
			for i, j := len(changes)-1, 0; i >= 0; i-- {
				if changes[i].Entity == entity {
					want[j] = head - int64(len(changes)-1-i)
					j++
				}
			}
			var before int64
			for range 600 {
				recs, older, err := f.srv.changesBefore(ctx, filter, before, size)
				must(t, err)
				if len(recs) > size || (older != 0 && len(recs) < size) {
					t.Fatalf("%s by %d: a page of %d with older cursor %d", entity, size, len(recs), older)
				}
				for _, r := range recs {
					seen = append(seen, r.Seq)
				}
				if older == 0 {
					break
				}
				before = older
			}
			if !slices.Equal(seen, want) {
				t.Errorf("%s by %d: paged %d records %v…, want %d", entity, size, len(seen), seen[:min(len(seen), 5)], len(want))
			}
		}
	}
}

func changesCSV(t *testing.T, b *browser, path string) [][]string {
	t.Helper()
	resp, err := b.client.Get(b.base + path)
	must(t, err)
	defer resp.Body.Close()
	rows, err := csv.NewReader(resp.Body).ReadAll()
	must(t, err)
	if len(rows) == 0 || rows[0][2] != "company" {
		t.Fatalf("CSV header: %v", rows)
	}
	return rows[1:]
}
