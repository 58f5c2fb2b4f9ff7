package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestMandateAPIAndPage_AddRejectsBadFieldsThenRevokeFromThePage adds a
// mandate over the API (a bad one is refused naming its fields), shows it on
// the customer's mandates page and revokes it there.
func TestMandateAPIAndPage_AddRejectsBadFieldsThenRevokeFromThePage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		base := "/api/v1/parties/" + f.party.ID.String()
		w := f.request("admin", "PATCH", base, `{"bank_accounts":[{"iban":"DE02120300000000202051","bic":"BYLADEM1001","holder":"Müller GmbH"}]}`)
		if w.Code != http.StatusOK {
			t.Fatalf("add bank account: %d %s", w.Code, w.Body)
		}
		w = f.request("admin", "POST", base+"/mandates", `{"reference":"M 1","signed_on":"2099-01-01","scheme":"X"}`)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"reference"`) || !strings.Contains(w.Body.String(), `"signed_on"`) ||
			!strings.Contains(w.Body.String(), `"scheme"`) {
			t.Errorf("bad mandate: %d %s", w.Code, w.Body)
		}
		w = f.request("admin", "POST", base+"/mandates", `{"reference":"MUE-2026-1","signed_on":"2026-01-05"}`)
		if w.Code != http.StatusCreated || !strings.Contains(w.Body.String(), `"sequence":"FRST"`) || !strings.Contains(w.Body.String(), `"iban":"DE02120300000000202051"`) {
			t.Fatalf("add mandate: %d %s", w.Code, w.Body)
		}
		if w = f.request("auditor", "GET", base+"/mandates", ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "MUE-2026-1") {
			t.Errorf("list mandates as auditor: %d %s", w.Code, w.Body)
		}
		b := f.browser()
		b.signIn("admin@example.com")
		status, body := b.get("/parties/" + f.party.ID.String() + "/mandates")
		if status != http.StatusOK || !strings.Contains(body, "MUE-2026-1") || !strings.Contains(body, "Revoke") {
			t.Fatalf("mandates page: %d\n%s", status, body)
		}
		status, body, _ = b.post("/parties/"+f.party.ID.String()+"/mandates/1/revoke", url.Values{"reason": {"customer revoked by letter"}})
		if status != http.StatusSeeOther {
			t.Fatalf("revoke: %d\n%s", status, body)
		}
		if w = f.request("admin", "GET", base+"/mandates/1", ""); !strings.Contains(w.Body.String(), `"state":"revoked"`) {
			t.Errorf("after revoking on the page: %s", w.Body)
		}
		status, body = b.get("/debit-runs")
		if status != http.StatusOK || !strings.Contains(body, "No direct debit runs yet") || !strings.Contains(body, "pain.002") {
			t.Errorf("debit runs page: %d\n%s", status, body)
		}
		status, body, _ = b.post("/debit-runs", url.Values{"collection_date": {"2026-03-10"}, "due_by": {"2026-03-10"}, "account_id": {f.account.ID.String()}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "selects no open invoice") {
			t.Errorf("empty debit run from the page: %d\n%s", status, body)
		}
	})
}
