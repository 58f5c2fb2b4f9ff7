package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// ecbDailyFile is the layout of the ECB's eurofxref.csv.
const ecbDailyFile = "Date, USD, JPY, GBP, \n30 January 2026, 1.1000, 160.00, 0.8000, \n"

func TestExchangeRatesAPI_SetImportAndLookUp(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		csv := []string{"Content-Type", "text/csv"}
		runCases(t, f, []apiCase{
			{name: "clerk may not set rates", role: "clerk", method: "PUT", path: "/api/v1/exchange-rates",
				body: `{"rates":[{"currency":"USD","date":"2026-01-15","rate":"0.9"}]}`, status: 403},
			{name: "accountant sets a rate", role: "accountant", method: "PUT", path: "/api/v1/exchange-rates",
				body: `{"rates":[{"currency":"USD","date":"2026-01-15","rate":"0.9000"}]}`, status: 200,
				want: []string{`"currency":"USD","date":"2026-01-15","rate":"0.9","source":"manual"`}},
			{name: "every bad rate at once", role: "accountant", method: "PUT", path: "/api/v1/exchange-rates",
				body:   `{"rates":[{"currency":"EUR","date":"2026-01-15","rate":"1"},{"currency":"USD","date":"2026-01-16","rate":"0"}]}`,
				status: 422, want: []string{`"rates[0].currency":"is the company currency EUR`, `"rates[1].rate":"must be a positive decimal`}},
			{name: "a bad ECB file imports nothing", role: "accountant", method: "POST", path: "/api/v1/exchange-rates/import", header: csv,
				body: "Date,USD\n2026-01-30,1.1\n2026-01-31,x\n", status: 422,
				want: []string{`"code":"invalid"`, `"line":3,"column":"USD","message":"\"x\" is not a positive rate"`}},
			{name: "dry run stores nothing", role: "accountant", method: "POST", path: "/api/v1/exchange-rates/import?dry_run=true", header: csv,
				body: ecbDailyFile, status: 200, want: []string{`"rates":3`, `"changed":0`, `"dry_run":true`}},
			{name: "ECB import", role: "accountant", method: "POST", path: "/api/v1/exchange-rates/import", header: csv,
				body: ecbDailyFile, status: 200, want: []string{`"days":1`, `"rates":3`, `"changed":3`, `"currencies":["GBP","JPY","USD"]`}},
			{name: "ECB rates are inverted for a EUR company", role: "auditor", method: "GET", path: "/api/v1/exchange-rates?currency=GBP", status: 200,
				want: []string{`"currency":"GBP","date":"2026-01-30","rate":"1.25","source":"ecb"`}},
			{name: "list filtered by date", role: "clerk", method: "GET", path: "/api/v1/exchange-rates?from=2026-01-01&to=2026-01-20", status: 200,
				want: []string{`"rate":"0.9"`}, notWant: []string{"2026-01-30"}},
			{name: "the rate a posting takes", role: "clerk", method: "GET", path: "/api/v1/exchange-rates/on?currency=USD&date=2026-01-29", status: 200,
				want: []string{`"date":"2026-01-15","rate":"0.9"`}},
			{name: "no rate that early", role: "clerk", method: "GET", path: "/api/v1/exchange-rates/on?currency=USD&date=2025-12-31", status: 422,
				want: []string{`no exchange rate for USD on or before 2025-12-31`}},
			{name: "a USD line without a rate takes the table's", role: "accountant", method: "POST", path: "/api/v1/entries",
				body:   `{"journal":"GEN","date":"2026-01-20","lines":[{"account":"1200","currency":"USD","debit":"100.00"},{"account":"4020","credit":"90.00"}]}`,
				status: 201, want: []string{`"currency":"USD","debit":"100.00"`, `"rate":"0.9"`}},
		})
	})
}

func TestRevaluationAPI_PreviewPostOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		runCases(t, f, []apiCase{
			{name: "a USD bank account", role: "accountant", method: "POST", path: "/api/v1/accounts",
				body: `{"code":"1130","name":"USD account","type":"asset","subtype":"bank","parent":"1100","currency":"USD"}`, status: 201},
			{name: "1,000 USD at 0.9", role: "accountant", method: "POST", path: "/api/v1/entries",
				body:   `{"journal":"GEN","date":"2026-01-10","lines":[{"account":"1130","currency":"USD","debit":"1000.00","rate":"0.9"},{"account":"3010","credit":"900.00"}]}`,
				status: 201},
			{name: "no rate at the period end", role: "accountant", method: "POST", path: "/api/v1/revaluations", body: `{"date":"2026-01-31","dry_run":true}`,
				status: 422, want: []string{`"rates.USD":"no exchange rate for USD on or before 2026-01-31`}},
			{name: "closing rate", role: "accountant", method: "PUT", path: "/api/v1/exchange-rates",
				body: `{"rates":[{"currency":"USD","date":"2026-01-31","rate":"0.92"}]}`, status: 200},
			{name: "clerk may not revalue", role: "clerk", method: "POST", path: "/api/v1/revaluations", body: `{"date":"2026-01-31","dry_run":true}`, status: 403},
			{name: "unknown gain account", role: "accountant", method: "POST", path: "/api/v1/revaluations", body: `{"date":"2026-01-31","gain_account":"9999"}`,
				status: 422, want: []string{`"gain_account":"no account has the code 9999"`}},
			{name: "preview", role: "accountant", method: "POST", path: "/api/v1/revaluations", body: `{"date":"2026-01-31","dry_run":true}`, status: 200,
				want: []string{`"account_code":"1130"`, `"balance":"1000.00"`, `"booked":"900.00"`, `"revalued":"920.00"`, `"difference":"20.00"`, `"gain":"20.00"`, `"posted":false`}},
			{name: "post", role: "accountant", method: "POST", path: "/api/v1/revaluations", body: `{"date":"2026-01-31"}`, status: 201,
				want: []string{`"posted":true`, `"already_posted":false`, `"entry_number":"GEN-2026-`, `"reversal_number":"GEN-2026-`}},
			{name: "again posts nothing", role: "accountant", method: "POST", path: "/api/v1/revaluations", body: `{"date":"2026-01-31"}`, status: 200,
				want: []string{`"already_posted":true`, `"gain":"20.00"`}},
			{name: "the list", role: "auditor", method: "GET", path: "/api/v1/revaluations", status: 200, want: []string{`"date":"2026-01-31"`, `"gain":"20.00"`}},
			{name: "unrealised gain booked at the period end", role: "auditor", method: "GET", path: "/api/v1/accounts/" + f.accountID("4120") + "/balance?date=2026-01-31",
				status: 200, want: []string{`"balance":"-20.00"`}},
			{name: "and reversed the next day", role: "auditor", method: "GET", path: "/api/v1/accounts/" + f.accountID("4120") + "/balance?date=2026-02-01",
				status: 200, want: []string{`"balance":"0.00"`}},
		})
	})
}

// accountID is the id of one of company A's accounts.
func (f *fixture) accountID(code string) string {
	f.t.Helper()
	a, err := f.books.AccountByCode(f.t.Context(), f.a.ID, code)
	must(f.t, err)
	return a.ID.String()
}

// upload posts a multipart form with one file, as a browser does.
func (b *browser) upload(path, field, name, content string, values url.Values) (int, string) {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range values {
		for _, v := range vs {
			must(b.t, mw.WriteField(k, v))
		}
	}
	fw, err := mw.CreateFormFile(field, name)
	must(b.t, err)
	_, _ = io.WriteString(fw, content)
	must(b.t, mw.Close())
	req, _ := http.NewRequest("POST", b.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := b.client.Do(req)
	must(b.t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestExchangeRatesUI_AddUploadAndRevalue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := backoffice.WithActor(t.Context(), backoffice.System("test"))
		usd, err := f.books.CreateAccount(ctx, f.a.ID, ledger.NewAccount{Code: "1130", Name: "USD account", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "USD"})
		must(t, err)
		gen, err := f.books.JournalByCode(ctx, f.a.ID, "GEN")
		must(t, err)
		_, err = f.books.Post(ctx, f.a.ID, ledger.NewEntry{JournalID: gen.ID, Date: backoffice.NewDate(2026, 1, 10), Lines: []ledger.NewLine{
			{AccountID: usd.ID, Currency: "USD", Amount: 100000, Rate: "0.9"}, {AccountID: f.account.ID, Amount: -90000}}})
		must(t, err)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body := b.get("/ledger/exchange-rates")
		if status != 200 || !strings.Contains(body, "No exchange rates yet") || !strings.Contains(body, `action="/ledger/exchange-rates/import"`) {
			t.Fatalf("empty rates page: %d\n%s", status, body)
		}
		status, body, _ = b.post("/ledger/exchange-rates", url.Values{"currency": {"usd"}, "date": {"2026-01-31"}, "rate": {"abc"}})
		if status != 422 || !strings.Contains(body, `id="rate-err"`) || !strings.Contains(body, `value="abc"`) {
			t.Fatalf("bad rate: %d, want the form again with the typed rate and its error\n%s", status, body)
		}
		status, _, hdr := b.post("/ledger/exchange-rates", url.Values{"currency": {"usd"}, "date": {"2026-01-31"}, "rate": {"0,92"}})
		if status != http.StatusSeeOther {
			t.Fatalf("add rate: %d", status)
		}
		_, body = b.get(hdr.Get("Location"))
		if !strings.Contains(body, "1 USD = 0.92 EUR from 2026-01-31") || !strings.Contains(body, `<td class="num">0.92</td>`) {
			t.Errorf("rate not listed after adding\n%s", body)
		}
		status, body = b.upload("/ledger/exchange-rates/import", "file", "eurofxref.csv", "Date, USD\n2026-01-30, 1.1O\n", nil)
		if status != 422 || !strings.Contains(body, "line 2, USD") {
			t.Errorf("bad upload: %d, want its line named\n%s", status, body)
		}
		status, body = b.upload("/ledger/exchange-rates/import", "file", "eurofxref.csv", ecbDailyFile, nil)
		if status != 200 || !strings.Contains(body, "eurofxref.csv: 1 day(s), 3 rate(s) from 2026-01-30 to 2026-01-30, 3 new or changed") {
			t.Errorf("upload: %d\n%s", status, body)
		}
		status, body = b.get("/ledger/revaluations?date=2026-01-31")
		if status != 200 || !strings.Contains(body, "Preview at 2026-01-31") || !strings.Contains(body, "Unrealised gains <strong>20.00</strong>") {
			t.Fatalf("revaluation preview: %d\n%s", status, body)
		}
		if !strings.Contains(body, `<option value="4120" selected>4120 Exchange gains</option>`) || !strings.Contains(body, `<option value="GEN" selected>GEN</option>`) {
			t.Errorf("the posting form does not preselect GEN and the chart's exchange gains account\n%s", body)
		}
		status, body, _ = b.post("/ledger/revaluations", url.Values{"date": {"2026-01-31"}, "journal": {"NOPE"}})
		if status != 422 || !strings.Contains(body, "no journal has the code NOPE") {
			t.Errorf("unknown journal: %d\n%s", status, body)
		}
		status, _, hdr = b.post("/ledger/revaluations", url.Values{"date": {"2026-01-31"}, "journal": {"GEN"}, "gain_account": {"4120"}, "loss_account": {"7030"}})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "date=2026-01-31") || !strings.Contains(hdr.Get("Location"), "gains+20.00") {
			t.Fatalf("post revaluation: %d to %q", status, hdr.Get("Location"))
		}
		if _, body = b.get(hdr.Get("Location")); !strings.Contains(body, "Posted revaluation at 2026-01-31") || !strings.Contains(body, "1000.00 USD at 0.92 of 2026-01-31") {
			t.Errorf("posted revaluation page\n%s", body)
		}
		c := f.browser()
		c.signIn("clerk@example.com")
		status, body = c.get("/ledger/exchange-rates?currency=USD")
		if status != 200 || strings.Contains(body, `method="post" action="/ledger/exchange-rates"`) || !strings.Contains(body, "0.92") {
			t.Errorf("clerk sees the rates without forms: %d\n%s", status, body)
		}
		if status, _, _ := c.post("/ledger/revaluations", url.Values{"date": {"2026-02-28"}}); status != http.StatusForbidden {
			t.Errorf("clerk posted a revaluation: %d", status)
		}
	})
}
