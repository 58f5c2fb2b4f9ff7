package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// postMultipart submits a multipart form the way a browser on the same site does.
func (b *browser) postMultipart(path, body, contentType string) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.client.Do(req)
	must(b.t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func TestBankUI_UploadReportsEveryFileAndListsTheStatements(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		files := map[string][]byte{
			"multi.xml":   bankSample(t, "camt053/camt053.v2.multi.statement.xml"),
			"unknown.xml": bankSample(t, "camt053/camt053.v2.with-account-name.xml"),
		}
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/bank/import")
		if status != 200 || !strings.Contains(body, `type="file" multiple`) || !strings.Contains(body, "NL26 VAYB 8060 4768 90") {
			t.Fatalf("upload form: %d\n%s", status, body)
		}
		form, ct := multipartBody(t, files, "unknown.xml", "multi.xml")
		status, body = b.postMultipart("/bank/import", form, ct)
		for _, want := range []string{"1 of 2 file(s) imported, 1 refused", "unknown.xml", "CH2801234000123456789", "Refused",
			"multi.xml", "camt.053", "2 new line(s), 0 already known"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("upload report lacks %q: %d\n%s", want, status, body)
			}
		}
		status, body = b.get("/bank/accounts/" + f.bankAcc.ID.String())
		if status != 200 || strings.Count(body, `<span class="badge ok">OK</span>`) != 2 || !strings.Contains(body, "multi.xml") {
			t.Errorf("account page does not list the two statements: %d\n%s", status, body)
		}
		status, body = b.get("/bank/accounts")
		if status != 200 || !strings.Contains(body, "NL26 VAYB 8060 4768 90") || !strings.Contains(body, "1110 ") {
			t.Errorf("bank accounts list: %d\n%s", status, body)
		}
		status, body = b.get("/bank/accounts?format=csv")
		if want := "Main account,NL26VAYB8060476890,,,EUR,,1110 Main bank account,"; status != 200 || !strings.Contains(body, want) {
			t.Errorf("CSV export lacks %q: %d\n%s", want, status, body)
		}
	})
}

func TestBankUI_FailedCreateKeepsWhatWasTyped(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body, _ := b.post("/bank/accounts", url.Values{"name": {"Typed name"}, "iban": {"NL26VAYB8060476891"},
			"currency": {"EUR"}, "ledger_account_id": {f.account.ID.String()}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `value="Typed name"`) || !strings.Contains(body, `id="iban-err"`) {
			t.Fatalf("bad IBAN from the form: %d\n%s", status, body)
		}
		status, _, hdr := b.post("/bank/accounts", url.Values{"name": {"Savings"}, "iban": {"DE89 3704 0044 0532 0130 00"},
			"currency": {"EUR"}, "ledger_account_id": {f.account.ID.String()}})
		if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/bank/accounts/") {
			t.Fatalf("good IBAN from the form: %d to %q", status, hdr.Get("Location"))
		}
		status, body = b.get(hdr.Get("Location"))
		if status != 200 || !strings.Contains(body, "DE89 3704 0044 0532 0130 00") || !strings.Contains(body, "<strong>Create</strong>") {
			t.Errorf("new account page: %d\n%s", status, body)
		}
	})
}
