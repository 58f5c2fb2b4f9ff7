package events_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"backoffice"
	"backoffice/audit"
	"backoffice/events"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCreateWebhook_RefusesPrivateAndMalformedURLs(t *testing.T) {
	db := sqldbtest.SQLite(t)
	svc, _ := newService(db)
	svc.AllowPrivateURLs = false
	company := createCompany(t, db, "ACME")
	refused := []string{
		"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://api.localhost/hook", "http://10.1.2.3/hook",
		"http://192.168.0.10/hook", "http://172.16.5.5/hook", "http://169.254.169.254/latest/meta-data",
		"http://[::1]/hook", "http://[fe80::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://0.0.0.0/hook",
		"http://100.64.0.1/hook", "ftp://example.com/hook", "example.com/hook", "https://", "",
		"https://user:pw@example.com/hook",
	}
	for _, u := range refused {
		_, _, err := svc.CreateWebhook(context.Background(), events.NewWebhook{CompanyID: company, URL: u, Events: []string{"*"}})
		var e *backoffice.Error
		if !errors.As(err, &e) || e.Code != backoffice.EInvalid || e.Fields["url"] == "" {
			t.Errorf("URL %q: got %v, want an invalid error on field url", u, err)
		}
	}
	if _, _, err := svc.CreateWebhook(context.Background(), events.NewWebhook{CompanyID: company,
		URL: "https://hooks.example.com/backoffice", Events: []string{"*"}}); err != nil {
		t.Fatalf("public URL refused: %v", err)
	}
}

func TestCreateWebhook_NamesEveryBadEventPattern(t *testing.T) {
	db := sqldbtest.SQLite(t)
	svc, _ := newService(db)
	company := createCompany(t, db, "ACME")
	_, _, err := svc.CreateWebhook(context.Background(), events.NewWebhook{CompanyID: company,
		URL: "https://example.com/h", Events: []string{"user.*", "User.Create", "user.*", "*.create"}})
	var e *backoffice.Error
	if !errors.As(err, &e) || e.Code != backoffice.EInvalid {
		t.Fatalf("got %v, want invalid", err)
	}
	for _, f := range []string{"events[1]", "events[2]", "events[3]"} {
		if e.Fields[f] == "" {
			t.Errorf("no message for %s in %v", f, e.Fields)
		}
	}
	if _, ok := e.Fields["events[0]"]; ok {
		t.Errorf("valid pattern events[0] flagged: %v", e.Fields)
	}
}

func TestWebhookChanges_AreLoggedWithoutTheSecret(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, _ := newService(db)
		company := createCompany(t, db, "ACME")
		w, secret := createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: "https://example.com/h",
			Description: "ERP sync", Events: []string{"user.*"}, Active: true})
		if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 {
			t.Fatalf("secret %q is not a whsec_ secret", secret)
		}
		url := "https://example.com/h2"
		w, err := svc.UpdateWebhook(ctx, company, w.ID, w.Version, events.WebhookPatch{URL: &url})
		if err != nil {
			t.Fatal(err)
		}
		rotated, err := svc.RotateSecret(ctx, company, w.ID)
		if err != nil || rotated == secret {
			t.Fatalf("rotate: %q, %v", rotated, err)
		}
		w, err = svc.GetWebhook(ctx, company, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.DeleteWebhook(ctx, company, w.ID, w.Version); err != nil {
			t.Fatal(err)
		}
		recs, err := audit.History(ctx, db, "webhook", w.ID.String())
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range recs {
			actions = append(actions, r.Action)
			all := string(r.Old) + string(r.New) + r.Reason
			if strings.Contains(all, secret) || strings.Contains(all, rotated) || strings.Contains(all, "whsec_") || strings.Contains(all, `"secret"`) {
				t.Errorf("change %d (%s) leaks the secret: %s", r.Seq, r.Action, all)
			}
		}
		if strings.Join(actions, ",") != "create,update,rotate_secret,delete" {
			t.Fatalf("logged actions %v", actions)
		}
		if string(recs[1].New) != `{"url":"https://example.com/h2"}` {
			t.Errorf("update logged %s, want only the changed URL", recs[1].New)
		}
		if _, err := svc.GetWebhook(ctx, company, w.ID); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Errorf("deleted webhook still found: %v", err)
		}
	})
}

func TestUpdateWebhook_RefusesAStaleVersion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, _ := newService(db)
		company := createCompany(t, db, "ACME")
		w, _ := createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: "https://example.com/h", Events: []string{"*"}})
		off := false
		if _, err := svc.UpdateWebhook(ctx, company, w.ID, w.Version, events.WebhookPatch{Active: &off}); err != nil {
			t.Fatal(err)
		}
		desc := "late edit"
		_, err := svc.UpdateWebhook(ctx, company, w.ID, w.Version, events.WebhookPatch{Description: &desc})
		wantCode(t, err, backoffice.EPrecondition)
		wantCode(t, svc.DeleteWebhook(ctx, company, w.ID, w.Version), backoffice.EPrecondition)
		other := createCompany(t, db, "OTHER")
		_, err = svc.GetWebhook(ctx, other, w.ID)
		wantCode(t, err, backoffice.ENotFound)
	})
}

func TestWebhookMatches_Patterns(t *testing.T) {
	cases := []struct {
		patterns []string
		event    string
		want     bool
	}{
		{[]string{"*"}, "user.create", true},
		{[]string{"user.*"}, "user.create", true},
		{[]string{"user.*"}, "user_role.create", false},
		{[]string{"user.create"}, "user.create", true},
		{[]string{"user.create"}, "user.update", false},
		{[]string{"invoice.*", "user.delete"}, "user.delete", true},
	}
	for _, c := range cases {
		if got := (events.Webhook{Events: c.patterns}).Matches(c.event); got != c.want {
			t.Errorf("%v matches %s = %v, want %v", c.patterns, c.event, got, c.want)
		}
	}
}
