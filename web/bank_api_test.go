package web

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"

	"backoffice/audit"
	"backoffice/bank"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// bankSamples is where the shared bank statement samples live.
const bankSamples = "../../shared/testdata/bank/"

// setUpBank gives company A a bank account for the camt.053 samples' IBAN.
func (f *fixture) setUpBank(ctx context.Context, log *audit.Log) {
	f.bank = &bank.Service{DB: f.db, Audit: log, Ledger: f.books}
	var err error
	f.bankAcc, err = f.bank.Create(ctx, f.a.ID, bank.NewAccount{Name: "Main account", IBAN: "NL26 VAYB 8060 4768 90",
		Currency: "EUR", LedgerAccountID: f.account.ID})
	must(f.t, err)
}

// bankSample reads a shared sample file, skipping the test when it is absent.
func bankSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(bankSamples + name)
	if err != nil {
		t.Skipf("sample %s not present: %v", name, err)
	}
	return data
}

// multipartBody builds a multipart form with each file under the field "file".
func multipartBody(t *testing.T, files map[string][]byte, order ...string) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, name := range order {
		w, err := mw.CreateFormFile("file", name)
		must(t, err)
		_, err = w.Write(files[name])
		must(t, err)
	}
	must(t, mw.Close())
	return buf.String(), mw.FormDataContentType()
}

func decodeInto(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

func TestBankAPI_CreateWithBadIBANNamesTheField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		body := `{"name":"Typo","iban":"NL26VAYB8060476891","currency":"EUR","ledger_account_id":` + f.account.ID.String() + `}`
		w := f.request("accountant", "POST", "/api/v1/bank-accounts", body)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"iban"`) {
			t.Fatalf("bad IBAN: %d %s", w.Code, w.Body)
		}
		body = `{"name":"Savings","iban":"DE89 3704 0044 0532 0130 00","currency":"EUR","ledger_account_id":` + f.account.ID.String() + `}`
		w = f.request("accountant", "POST", "/api/v1/bank-accounts", body)
		if w.Code != http.StatusCreated {
			t.Fatalf("good IBAN: %d %s", w.Code, w.Body)
		}
		var a bankAccountOut
		decodeInto(t, w.Body.Bytes(), &a)
		if a.IBAN != "DE89370400440532013000" || w.Header().Get("ETag") != `"v1"` {
			t.Errorf("created %+v, ETag %s", a, w.Header().Get("ETag"))
		}
		path := "/api/v1/bank-accounts/" + a.ID.String()
		if w := f.request("accountant", "PATCH", path, `{"name":"Reserve"}`, "If-Match", `"v1"`); w.Code != http.StatusOK {
			t.Errorf("PATCH with the current ETag: %d %s", w.Code, w.Body)
		}
		if w := f.request("accountant", "PATCH", path, `{"name":"Stale"}`, "If-Match", `"v1"`); w.Code != http.StatusPreconditionFailed {
			t.Errorf("PATCH with a stale ETag: %d %s", w.Code, w.Body)
		}
	})
}

func TestBankAPI_ImportReportsEachFileAndImportsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		files := map[string][]byte{
			"multi.xml":   bankSample(t, "camt053/camt053.v2.multi.statement.xml"),
			"unknown.xml": bankSample(t, "camt053/camt053.v2.with-account-name.xml"),
		}
		body, ct := multipartBody(t, files, "unknown.xml", "multi.xml")
		w := f.request("accountant", "POST", "/api/v1/bank-statements/import", body, "Content-Type", ct)
		if w.Code != http.StatusOK {
			t.Fatalf("import: %d %s", w.Code, w.Body)
		}
		var out bankImportOut
		decodeInto(t, w.Body.Bytes(), &out)
		if len(out.Files) != 2 || out.Imported != 1 || out.Failed != 1 {
			t.Fatalf("import report: %s", w.Body)
		}
		bad, good := out.Files[0], out.Files[1]
		if bad.FileName != "unknown.xml" || !strings.Contains(bad.Error, "CH2801234000123456789") || bad.NewLines != 0 {
			t.Errorf("the unknown account's file is not reported with its account: %+v", bad)
		}
		if good.FileName != "multi.xml" || good.Format != "camt.053" || good.NewLines != 2 || good.Error != "" || len(good.BalanceProblems) != 0 {
			t.Errorf("the good file: %+v", good)
		}
		body, ct = multipartBody(t, files, "multi.xml")
		w = f.request("accountant", "POST", "/api/v1/bank-statements/import", body, "Content-Type", ct)
		decodeInto(t, w.Body.Bytes(), &out)
		if w.Code != http.StatusOK || len(out.Files) != 1 || !out.Files[0].AlreadyImported || out.Files[0].NewLines != 0 || out.Files[0].SkippedLines != 2 {
			t.Errorf("same file again: %d %s", w.Code, w.Body)
		}
		w = f.request("auditor", "GET", "/api/v1/bank-accounts/"+f.bankAcc.ID.String()+"/statements", "")
		var sts listOf[bankStatementOut]
		decodeInto(t, w.Body.Bytes(), &sts)
		if w.Code != http.StatusOK || len(sts.Items) != 2 || sts.Items[0].FileName != "multi.xml" {
			t.Errorf("statements: %d %s", w.Code, w.Body)
		}
	})
}

func TestBankAPI_RawBodyNeedsAFileName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		data := string(bankSample(t, "camt053/camt053.v2.multi.statement.xml"))
		if w := f.request("accountant", "POST", "/api/v1/bank-statements/import", data, "Content-Type", "application/xml"); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "filename") {
			t.Errorf("raw body without ?filename=: %d %s", w.Code, w.Body)
		}
		w := f.request("accountant", "POST", "/api/v1/bank-statements/import?filename=multi.xml", data, "Content-Type", "application/xml")
		var out bankImportOut
		decodeInto(t, w.Body.Bytes(), &out)
		if w.Code != http.StatusOK || out.Imported != 1 || out.Files[0].NewLines != 2 {
			t.Errorf("raw body with ?filename=: %d %s", w.Code, w.Body)
		}
		if w := f.request("clerk", "POST", "/api/v1/bank-statements/import?filename=multi.xml", data); w.Code != http.StatusForbidden {
			t.Errorf("a clerk imports: %d", w.Code)
		}
	})
}
