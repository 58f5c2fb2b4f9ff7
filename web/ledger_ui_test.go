package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// entryForm is a filled new-entry form: header fields, then rows of
// account, debit, credit, memo as the grid submits them.
func entryFormValues(date, ref, action string, rows ...[4]string) url.Values {
	v := url.Values{"date": {date}, "reference": {ref}, "narration": {"from the form"}, "action": {action}, "key": {"test-" + ref}}
	for _, r := range rows {
		v["account"] = append(v["account"], r[0])
		v["debit"] = append(v["debit"], r[1])
		v["credit"] = append(v["credit"], r[2])
		v["memo"] = append(v["memo"], r[3])
	}
	return v
}

func (f *fixture) journalID(code string) string {
	f.t.Helper()
	j, err := f.books.JournalByCode(f.t.Context(), f.a.ID, code)
	must(f.t, err)
	return j.ID.String()
}

func TestLedgerUI_PostingFromTheForm(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/ledger/entries/new")
		if status != 200 || strings.Count(body, `name="account"`) != blankLines || !strings.Contains(body, `<option value="1110">`) {
			t.Fatalf("new entry form: %d, %d line rows\n%s", status, strings.Count(body, `name="account"`), body)
		}
		form := entryFormValues("2026-02-03", "FORM-1", "post", [4]string{"6120", "19,90", "", "paper"}, [4]string{}, [4]string{"1110", "", "19.90", ""})
		form.Set("journal_id", f.journalID("GEN"))
		status, body, hdr := b.post("/ledger/entries", form)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "Posted+as+GEN-2026-000002") {
			t.Fatalf("post from the form: %d to %q\n%s", status, hdr.Get("Location"), body)
		}
		status, body = b.get(hdr.Get("Location"))
		for _, want := range []string{"GEN-2026-000002", ">posted<", "6120", "Office supplies", "19.90", "paper", ">Reverse</button>"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("entry page lacks %q: %d\n%s", want, status, body)
			}
		}
		// Pressing Post twice (same form key) posts once.
		status, _, hdr = b.post("/ledger/entries", form)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "GEN-2026-000002") {
			t.Fatalf("second press: %d to %q", status, hdr.Get("Location"))
		}
	})
}

func TestLedgerUI_FailedPostKeepsTheTypedLines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		form := entryFormValues("2026-02-03", "TYPED-REF", "post",
			[4]string{"6120", "12.34", "", "first memo"}, [4]string{}, [4]string{"9999", "", "12.34", "third memo"}, [4]string{"1110", "", "1.00", ""})
		form.Set("journal_id", f.journalID("GEN"))
		status, body, _ := b.post("/ledger/entries", form)
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("bad entry: %d\n%s", status, body)
		}
		for _, want := range []string{`value="TYPED-REF"`, `value="12.34"`, `value="first memo"`, `value="9999"`, `value="third memo"`, `value="1.00"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the form lost %s", want)
			}
		}
		// The unknown account is the second non-blank line but the third row: the message sits in row 3.
		row3 := body[strings.Index(body, `id="account-2"`):strings.Index(body, `id="debit-2"`)]
		if !strings.Contains(row3, "no account has the code 9999") {
			t.Fatalf("row 3 lacks its message:\n%s", row3)
		}
		if row1 := body[strings.Index(body, `id="account-0"`):strings.Index(body, `id="account-1"`)]; strings.Contains(row1, "field-error") {
			t.Fatalf("row 1 carries a message:\n%s", row1)
		}
		if w := f.request("auditor", "GET", "/api/v1/entries?q=TYPED", ""); !strings.Contains(w.Body.String(), `"items":[]`) {
			t.Fatalf("a failed post stored something: %s", w.Body.String())
		}
		// Unbalanced lines: the form says by how much, and keeps the lines.
		form = entryFormValues("2026-02-03", "UNBALANCED", "post", [4]string{"6120", "10", "", ""}, [4]string{"1110", "", "9.99", ""})
		form.Set("journal_id", f.journalID("GEN"))
		status, body, _ = b.post("/ledger/entries", form)
		if status != 422 || !strings.Contains(body, "differ by 0.01 EUR") || !strings.Contains(body, `value="9.99"`) || !strings.Contains(body, "0.01</td>") {
			t.Fatalf("unbalanced: %d\n%s", status, body)
		}
	})
}

func TestLedgerUI_DraftIsSavedEditedAndPosted(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	b.signIn("accountant@example.com")
	form := entryFormValues("2026-03-01", "DRAFT-1", "draft", [4]string{"6120", "5.00", "", ""})
	form.Set("journal_id", f.journalID("GEN"))
	status, _, hdr := b.post("/ledger/entries", form)
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "Draft+saved") {
		t.Fatalf("save draft: %d to %q", status, hdr.Get("Location"))
	}
	page := strings.Split(hdr.Get("Location"), "?")[0]
	_, body := b.get(page)
	if !strings.Contains(body, ">Post</button>") || !strings.Contains(body, "Delete draft") || !strings.Contains(body, "given at posting") {
		t.Fatalf("draft page:\n%s", body)
	}
	status, body = b.get(page + "/edit")
	if status != 200 || !strings.Contains(body, `value="6120"`) || !strings.Contains(body, `value="5.00"`) {
		t.Fatalf("edit draft: %d\n%s", status, body)
	}
	form = entryFormValues("2026-03-01", "DRAFT-1", "post", [4]string{"6120", "5.00", "", ""}, [4]string{"1010", "", "5.00", ""})
	form.Set("journal_id", f.journalID("GEN"))
	status, _, hdr = b.post(page, form)
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "Posted+as+GEN-2026-000002") {
		t.Fatalf("post the edited draft: %d to %q", status, hdr.Get("Location"))
	}
}

func TestLedgerUI_TrialBalanceDrillsDownToTheStatement(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		f.request("accountant", "POST", "/api/v1/entries", entryBody("GEN", "2026-06-30", "JUNE", "6100", "1110", "40.50"), "")
		b := f.browser()
		b.signIn("auditor@example.com")
		status, body := b.get("/ledger/trial-balance?date=2026-03-31")
		link := "/ledger/accounts/" + f.account.ID.String() + "?to=2026-03-31#statement"
		if status != 200 || !strings.Contains(body, `href="`+link+`"`) || strings.Contains(body, "6100") || !strings.Contains(body, `<td class="num">100.00</td>`) {
			t.Fatalf("trial balance at 2026-03-31: %d\n%s", status, body)
		}
		status, body = b.get(strings.TrimSuffix(link, "#statement"))
		if status != 200 || !strings.Contains(body, "GEN-2026-000001") || strings.Contains(body, "JUNE") || !strings.Contains(body, "Closing balance") {
			t.Fatalf("statement up to 2026-03-31: %d\n%s", status, body)
		}
		_, body = b.get("/ledger/accounts/" + f.account.ID.String())
		if !strings.Contains(body, "59.50") || !strings.Contains(body, "JUNE") {
			t.Fatalf("whole statement lacks June:\n%s", body)
		}
		resp, err := b.client.Get(b.base + "/ledger/trial-balance?date=2026-12-31&format=csv")
		must(t, err)
		csv := strings.ReplaceAll(readAll(t, resp), "\r\n", "\n")
		if csv != "account,debit,credit,balance\n1110,100.00,40.50,59.50\n4020,0.00,100.00,-100.00\n6100,40.50,0.00,40.50\n" {
			t.Fatalf("trial balance CSV:\n%s", csv)
		}
	})
}

func TestLedgerUI_ClerkAndAuditorSeeNoPostButtons(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	gen, err := f.books.JournalByCode(t.Context(), f.a.ID, "GEN")
	must(t, err)
	draft, err := f.books.CreateDraft(adminCtx(), f.a.ID, ledger.NewEntry{JournalID: gen.ID, Date: backoffice.NewDate(2026, 3, 1),
		Lines: []ledger.NewLine{{AccountID: f.account.ID, Amount: 100}}})
	must(t, err)
	posted, drafted := "/ledger/entries/"+f.entry.ID.String(), "/ledger/entries/"+draft.ID.String()
	for _, role := range []string{"clerk", "auditor"} {
		b := f.browser()
		b.signIn(role + "@example.com")
		for _, path := range []string{posted, drafted, "/ledger/entries", "/ledger/accounts", "/ledger/accounts/" + f.account.ID.String(), "/ledger/lock-dates"} {
			status, body := b.get(path)
			if status != 200 {
				t.Fatalf("%s %s: %d", role, path, status)
			}
			for _, bad := range []string{">Post</button>", ">Reverse</button>", "Delete draft", "New entry", "/reverse", "Set lock date", "New account", ">Block</button>", ">Save</button>"} {
				if strings.Contains(body, bad) {
					t.Errorf("%s sees %q on %s", role, bad, path)
				}
			}
		}
		if status, _ := b.get("/ledger/entries/new"); status != http.StatusForbidden {
			t.Errorf("%s opened the new entry form: %d", role, status)
		}
		if status, _, _ := b.post(drafted+"/post", url.Values{}); status != http.StatusForbidden {
			t.Errorf("%s posted a draft: %d", role, status)
		}
	}
	b := f.browser()
	b.signIn("accountant@example.com")
	_, body := b.get(posted)
	if !strings.Contains(body, ">Reverse</button>") || !strings.Contains(body, `data-confirm="Reverse GEN-2026-000001?`) {
		t.Fatalf("accountant cannot reverse:\n%s", body)
	}
}

func TestLedgerUI_ChartListsTheTreeWithBalancesAndExports(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	b.signIn("clerk@example.com")
	status, body := b.get("/ledger/accounts?type=asset")
	if status != 200 || !strings.Contains(body, "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0Main bank account") || !strings.Contains(body, `<td class="num">100.00</td>`) || strings.Contains(body, "Sales of services") {
		t.Fatalf("chart, assets: %d\n%s", status, body)
	}
	resp, err := b.client.Get(b.base + "/ledger/accounts?q=bank&format=csv")
	must(t, err)
	csv := readAll(t, resp)
	if !strings.Contains(csv, "1110,Main bank account,asset,bank,1100,,100.00,active") {
		t.Fatalf("chart CSV:\n%s", csv)
	}
}

func TestLedgerUI_LockDateMovedBackAsksForAReason(t *testing.T) {
	f := newFixture(t, sqldbtest.SQLite(t))
	b := f.browser()
	b.signIn("accountant@example.com")
	if status, _, hdr := b.post("/ledger/lock-dates", url.Values{"journal_type": {"sales"}, "date": {"2026-03-31"}}); status != http.StatusSeeOther {
		t.Fatalf("lock sales: %d %v", status, hdr)
	}
	status, body, _ := b.post("/ledger/lock-dates", url.Values{"journal_type": {"sales"}, "date": {"2026-02-28"}})
	if status != 422 || !strings.Contains(body, `id="reason-err"`) || !strings.Contains(body, `value="2026-02-28"`) {
		t.Fatalf("moving back without a reason: %d\n%s", status, body)
	}
	if status, _, _ := b.post("/ledger/lock-dates", url.Values{"journal_type": {"sales"}, "date": {"2026-02-28"}, "reason": {"late credit note"}}); status != http.StatusSeeOther {
		t.Fatalf("moving back with a reason: %d", status)
	}
	_, body = b.get("/ledger/lock-dates")
	if !strings.Contains(body, "Sales journals") || !strings.Contains(body, "2026-02-28") {
		t.Fatalf("lock dates page:\n%s", body)
	}
}
