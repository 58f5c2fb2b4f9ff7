package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestDunningAPI_PreviewPostAndLetter(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		inv := f.postedInvoice(10000) // issued 1 March, due by the party's terms
		w := f.request("auditor", "GET", "/api/v1/dunning/runs?date=2027-01-31", "")
		var out dunningRunsOut
		decodeInto(t, w.Body.Bytes(), &out)
		if w.Code != http.StatusOK || len(out.Preview.Items) != 1 || out.Preview.Items[0].DocumentID != inv.ID || out.Preview.Items[0].Level != 1 {
			t.Fatalf("preview: %d %s", w.Code, w.Body)
		}
		if w := f.request("clerk", "POST", "/api/v1/dunning/runs", `{"date":"2027-01-31"}`); w.Code != http.StatusForbidden {
			t.Fatalf("clerk posted a run: %d", w.Code)
		}
		if w := f.request("accountant", "PUT", fmt.Sprintf("/api/v1/invoices/%d/dunning-hold", inv.ID), `{"held":true}`); w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("hold without reason: %d %s", w.Code, w.Body)
		}
		w = f.request("accountant", "POST", "/api/v1/dunning/runs", `{"date":"2027-01-31"}`)
		var run invoice.DunningRun
		decodeInto(t, w.Body.Bytes(), &run)
		if w.Code != http.StatusCreated || run.InvoiceCount != 1 || len(run.Letters) != 1 {
			t.Fatalf("post run: %d %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", fmt.Sprintf("/api/v1/dunning/runs/%d/letters.pdf", run.ID), "")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/pdf" || !strings.HasPrefix(w.Body.String(), "%PDF") {
			t.Fatalf("letter: %d %s", w.Code, w.Header())
		}
		if w := f.request("accountant", "POST", "/api/v1/dunning/runs", `{"date":"2027-01-31"}`); w.Code != http.StatusConflict {
			t.Fatalf("second run the same day: %d, want 409: %s", w.Code, w.Body)
		}
		w = f.request("accountant", "PUT", "/api/v1/dunning/levels", `{"items":[{"level":1,"days_overdue":0,"texts":{"en":"x"}}]}`)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "levels[0].days_overdue") || !strings.Contains(w.Body.String(), "levels[0].texts.de") {
			t.Fatalf("bad levels: %d %s", w.Code, w.Body)
		}
	})
}

func TestDunningPage_ShowsPreviewAndPostsCheckedInvoices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		inv := f.postedInvoice(10000)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/dunning?date=2027-01-31")
		if status != http.StatusOK || !strings.Contains(body, inv.Number) || !strings.Contains(body, "Post run for 2027-01-31") {
			t.Fatalf("dunning page: %d\n%s", status, body)
		}
		status, body, hdr := b.post("/dunning/runs", url.Values{"date": {"2027-01-31"}, "document_id": {inv.ID.String()}})
		if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/dunning/runs/") {
			t.Fatalf("post run: %d %s\n%s", status, hdr, body)
		}
		status, body = b.get(hdr.Get("Location"))
		if status != http.StatusOK || !strings.Contains(body, inv.Number) || !strings.Contains(body, "letters.pdf?party=") {
			t.Fatalf("run page: %d\n%s", status, body)
		}
		status, _, _ = b.post("/dunning/holds", url.Values{"target": {"party"}, "target_id": {f.party.ID.String()}, "held": {"true"}, "reason": {"payment plan"}})
		if status != http.StatusSeeOther {
			t.Fatalf("hold party: %d", status)
		}
		status, body = b.get("/dunning?date=2027-03-31")
		if status != http.StatusOK || !strings.Contains(body, "party on hold: payment plan") || !strings.Contains(body, "Release") {
			t.Fatalf("page with a held party: %d\n%s", status, body)
		}
		status, body, _ = b.post("/dunning/levels", url.Values{"days_1": {"7"}, "days_2": {"5"}, "text_en_1": {"a"}, "text_de_1": {"b"}, "text_fr_1": {"c"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "must be more than level 1") || !strings.Contains(body, `value="5"`) {
			t.Fatalf("bad levels form: %d\n%s", status, body)
		}
	})
}
