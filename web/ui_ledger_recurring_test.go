package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestRecurringUI_CreateRunAndSeeGeneratedEntries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/ledger/recurring")
		if status != 200 || !strings.Contains(body, "No recurring entries yet") || !strings.Contains(body, "Run due now") {
			t.Fatalf("empty list: %d\n%s", status, body)
		}
		form := entryFormValues("2026-01-31", "RENT", "", [4]string{"6100", "1500", "", "rent"}, [4]string{"1110", "", "1400", ""})
		form.Set("journal_id", f.journalID("GEN"))
		form.Set("name", "Office rent")
		form.Set("frequency", "monthly")
		form.Set("mode", "post")
		form.Set("active", "on")
		status, body, _ = b.post("/ledger/recurring", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "debits and credits differ by 100.00 EUR") || !strings.Contains(body, `value="1400"`) {
			t.Fatalf("unbalanced template: %d\n%s", status, body)
		}
		form["credit"] = []string{"", "1500"}
		status, body, hdr := b.post("/ledger/recurring", form)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/ledger/recurring/1?flash=") {
			t.Fatalf("create: %d %q\n%s", status, hdr.Get("Location"), body)
		}
		// The server clock is today, long after January 2026: running catches up every month since.
		status, _, hdr = b.post("/ledger/recurring/run-due", url.Values{"back": {"/ledger/recurring"}})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "entries+generated") {
			t.Fatalf("run due: %d %q", status, hdr.Get("Location"))
		}
		status, body = b.get("/ledger/recurring/1")
		for _, want := range []string{"Office rent", "Monthly on day 31 or the last", "2026-02-28", "GEN-2026-000003", ">Active<", "<strong>Run</strong>", "<strong>Create</strong>"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Errorf("record page lacks %q: %d\n%s", want, status, body)
			}
		}
		status, _, hdr = b.post("/ledger/recurring/1/pause", url.Values{})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "paused") {
			t.Errorf("pause: %d %q", status, hdr.Get("Location"))
		}
		if status, body = b.get("/ledger/recurring/1"); !strings.Contains(body, ">Resume</button>") || !strings.Contains(body, ">Paused<") {
			t.Errorf("paused record page: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/recurring?format=csv")
		if status != 200 || !strings.Contains(body, "Office rent,GEN,monthly,31,2026-01-31,") || !strings.Contains(body, ",post,1500.00,EUR,") {
			t.Errorf("CSV: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/recurring/1/edit")
		if status != 200 || !strings.Contains(body, `value="Office rent"`) || !strings.Contains(body, `value="1500.00"`) {
			t.Errorf("edit form: %d\n%s", status, body)
		}
	})
}

func TestScheduleUI_PeriodTableShowsPostedDueAndFuture(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		today := f.srv.today()
		form := url.Values{"name": {"Fire insurance"}, "kind": {"deferral"}, "journal_id": {f.journalID("GEN")}, "expense_account": {"6150"},
			"balance_account": {"1410"}, "total": {"1000,00"}, "periods": {"12"}, "start_month": {today.AddMonths(-1).String()[:7]}, "active": {"on"}}
		bad := cloneQuery(form)
		bad.Set("expense_account", "1110")
		bad.Set("total", "12.345")
		status, body, _ := b.post("/ledger/schedules", bad)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "account 1110 is asset; this schedule needs an expense account") ||
			!strings.Contains(body, `value="12.345"`) || !strings.Contains(body, `value="Fire insurance"`) {
			t.Fatalf("a bad schedule: %d\n%s", status, body)
		}
		status, body, hdr := b.post("/ledger/schedules", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create: %d\n%s", status, body)
		}
		loc := strings.SplitN(hdr.Get("Location"), "?", 2)[0]
		status, body = b.get(loc)
		due := 1 // last month's end; this month's too on its last day
		if today.AddDays(1).Day == 1 {
			due = 2
		}
		if status != 200 || strings.Count(body, ">due<") != due || strings.Count(body, ">future<") != 12-due || !strings.Contains(body, "83.37") {
			t.Fatalf("schedule before a run: %d\n%s", status, body)
		}
		b.post("/ledger/recurring/run-due", url.Values{"back": {"/ledger/schedules"}})
		status, body = b.get(loc)
		if status != 200 || strings.Count(body, ">due<") != 0 || !strings.Contains(body, "GEN-") || !strings.Contains(body, "Posted</dt><dd>1 of 12") && due == 1 {
			t.Errorf("schedule after a run: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/schedules?kind=deferral")
		if status != 200 || !strings.Contains(body, "Fire insurance") || !strings.Contains(body, "1 of 12") {
			t.Errorf("list: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/schedules?kind=deferral&format=csv")
		if status != 200 || !strings.HasPrefix(body, "name,kind,expense_account") || !strings.Contains(body, "Fire insurance,deferral,6150,1410,1000.00,EUR,") {
			t.Errorf("CSV: %d\n%s", status, body)
		}
	})
}
