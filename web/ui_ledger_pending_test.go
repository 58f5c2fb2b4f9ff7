package web

import (
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPendingUI_EntriesPagePostsAndVoidsPendingEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var ids []string
		for _, ref := range []string{"HOLD-1", "HOLD-2"} {
			w := f.request("accountant", "POST", "/api/v1/entries/pending", pendingBody(ref, "6100", "1110", "12.00", 0))
			var e entryOut
			decodeInto(t, w.Body.Bytes(), &e)
			ids = append(ids, e.ID.String())
		}
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/ledger/entries")
		for _, want := range []string{"Pending entries await posting or voiding", `action="/ledger/entries/` + ids[0] + `/post-pending"`, `action="/ledger/entries/` + ids[1] + `/void"`, "GEN HOLD-2"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("entries page %d lacks %q", status, want)
			}
		}
		if status, body := b.get("/ledger/entries/" + ids[0]); status != 200 || !strings.Contains(body, `action="/ledger/entries/`+ids[0]+`/post-pending"`) || !strings.Contains(body, "Pending: the amounts are reserved") {
			t.Fatalf("the pending entry's page offers Post and Void: %d", status)
		}
		status, _, hdr := b.post("/ledger/entries/"+ids[1]+"/void", url.Values{"reason": {""}})
		if loc := hdr.Get("Location"); status != 303 || !strings.Contains(loc, "state=pending") || !strings.Contains(loc, "reason") {
			t.Fatalf("void without reason: %d %s, want back to the pending list saying the reason is required", status, loc)
		}
		if status, _, _ := b.post("/ledger/entries/"+ids[1]+"/void", url.Values{"reason": {"order cancelled"}}); status != 303 {
			t.Fatalf("void: %d", status)
		}
		status, _, hdr = b.post("/ledger/entries/"+ids[0]+"/post-pending", url.Values{})
		if loc := hdr.Get("Location"); status != 303 || !strings.Contains(loc, "/ledger/entries/"+ids[0]) || !strings.Contains(loc, "GEN-2026-000002") {
			t.Fatalf("post pending: %d %s", status, loc)
		}
		if _, body := b.get("/ledger/entries"); strings.Contains(body, "Pending entries await") {
			t.Error("no entry is pending any more, yet the page says some are")
		}
		_, body = b.get("/ledger/entries?state=voided")
		if !strings.Contains(body, "HOLD-2") {
			t.Error("the voided entry is not listed as voided")
		}
		w := f.request("accountant", "POST", "/api/v1/entries/pending", pendingBody("HOLD-3", "6100", "1110", "1.00", 0))
		if w.Code != 201 {
			t.Fatalf("pending: %d", w.Code)
		}
		auditor := f.browser()
		auditor.signIn("auditor@example.com")
		if _, body := auditor.get("/ledger/entries"); !strings.Contains(body, "HOLD-3") || strings.Contains(body, "/post-pending") {
			t.Error("the auditor must see pending entries without Post and Void")
		}
	})
}
