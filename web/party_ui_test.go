package web

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPartyUI_FailedSaveKeepsWhatWasTypedAndMarksEachBadField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		form := url.Values{"kind": {"supplier"}, "legal_name": {"Dupont SARL"}, "vat_id": {"DE136695977"}, "currency": {"EUR"},
			"language": {"fr"}, "billing.city": {"Lyon"}, "billing.country": {"FR"}, "terms.net_days": {"thirty"},
			"contacts[0].name": {"Anne Dupont"}, "contacts[0].email": {"anne@"}, "bank_accounts[0].iban": {"FR76 3000 6000 0112 3456 7890 189"},
			"receivable_account_id": {"9999"}}
		status, body, _ := b.post("/parties", form)
		if status != 422 {
			t.Fatalf("status %d, want 422\n%s", status, body)
		}
		if !strings.Contains(body, "Please correct the marked fields: nothing was saved.") {
			t.Error("no summary above the form")
		}
		for _, typed := range []string{"Dupont SARL", "DE136695977", "Lyon", "thirty", "Anne Dupont", "anne@", "FR76 3000 6000 0112 3456 7890 189", "9999"} {
			if !strings.Contains(html.UnescapeString(body), `value="`+typed+`"`) {
				t.Errorf("the form lost %q", typed)
			}
		}
		for _, bad := range []string{"vat_id", "terms.net_days", "contacts[0].email", "receivable_account_id"} {
			if !strings.Contains(body, `id="`+bad+`-err"`) {
				t.Errorf("no message beside %s", bad)
			}
		}
		if !strings.Contains(body, `<option value="supplier" selected>`) {
			t.Error("the kind chosen was lost")
		}
		status, body = b.get("/parties?kind=supplier")
		if status != 200 || strings.Contains(body, "Dupont") {
			t.Errorf("a refused party was stored or the list failed: %d", status)
		}
	})
}

func TestPartyUI_CreateWithTheSameVATWarnsWithLinksAndTheRecordShowsItsHistory(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		form := url.Values{"kind": {"customer"}, "legal_name": {"Schmidt AG"}, "vat_id": {"DE136695976"}, "currency": {"EUR"}, "language": {"de"}}
		if status, body, _ := b.post("/parties", form); status >= 400 {
			t.Fatalf("first create: %d\n%s", status, body)
		}
		form.Set("legal_name", "Schmidt Aktiengesellschaft")
		status, body, _ := b.post("/parties", form)
		if status != 201 || !strings.Contains(body, "may be the same as") || !strings.Contains(body, "Schmidt AG</a>") {
			t.Fatalf("no duplicate warning: %d\n%s", status, body)
		}
		status, body = b.get("/parties/" + f.party.ID.String())
		if status != 200 || !strings.Contains(body, "History") || !strings.Contains(body, "create") {
			t.Errorf("record page: %d\n%s", status, body)
		}
		status, body = b.get("/parties/duplicates")
		if status != 200 || !strings.Contains(body, "Schmidt Aktiengesellschaft") || !strings.Contains(body, "data-confirm") {
			t.Errorf("duplicates page: %d\n%s", status, body)
		}
	})
}

func TestPartyUI_MergeNeedsAReasonAndMovesThePartyAway(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		form := url.Values{"kind": {"customer"}, "legal_name": {"Mueller GmbH"}, "currency": {"EUR"}, "language": {"de"}}
		status, body, _ := b.post("/parties", form)
		if status != 201 {
			t.Fatalf("create the look-alike: %d\n%s", status, body)
		}
		list, err := f.parties.List(t.Context(), f.a.ID, party.Filter{Query: "Mueller"})
		must(t, err)
		merge := url.Values{"keep_id": {f.party.ID.String()}, "merge_id": {list[0].ID.String()}, "reason": {" "}}
		status, body, _ = b.post("/parties/duplicates/merge", merge)
		if status != 422 || !strings.Contains(body, "Give a reason") {
			t.Fatalf("merge without a reason: %d\n%s", status, body)
		}
		merge.Set("reason", "same company, two spellings")
		if status, body, _ = b.post("/parties/duplicates/merge", merge); status >= 400 {
			t.Fatalf("merge: %d\n%s", status, body)
		}
		status, body = b.get("/parties/" + list[0].ID.String())
		if status != 200 || !strings.Contains(body, "was merged into") || strings.Contains(body, ">Save</button>") {
			t.Errorf("merged party page: %d\n%s", status, body)
		}
	})
}

func TestPartyUI_ImportPageListsEveryBadRowAndImportsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		file := "kind,legal_name,currency,vat_id\ncustomer,Good One,EUR,DE136695976\nsupplier,Bad VAT,EUR,DE136695977\n"
		form, ct := multipartBody(t, map[string][]byte{"parties.csv": []byte(file)}, "parties.csv")
		status, body := b.postMultipart("/parties/import", form, ct)
		if status != 422 || !strings.Contains(body, "nothing was imported") || !strings.Contains(body, `<td class="num">3</td><td>vat_id</td>`) {
			t.Fatalf("import report: %d\n%s", status, body)
		}
		if list, _ := f.parties.List(t.Context(), f.a.ID, party.Filter{Query: "Good One"}); len(list) != 0 {
			t.Error("a row of a refused file was stored")
		}
	})
}
