package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// importOCAStatement gives company A a second bank account for the IBAN of
// the four-line camt.053 sample, imports it and returns its statement.
func (f *fixture) importOCAStatement(t *testing.T) bank.Statement {
	t.Helper()
	data := bankSample(t, "camt053/oca/test-camt053.xml")
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := f.bank.Create(ctx, f.a.ID, bank.NewAccount{Name: "ABN current", IBAN: "NL77ABNA0574908765", Currency: "EUR",
		LedgerAccountID: f.account.ID})
	must(t, err)
	_, err = f.bank.Import(ctx, f.a.ID, "uploads/test-camt053.xml", data, bank.ImportOptions{})
	must(t, err)
	sts, err := f.bank.Statements(ctx, f.a.ID, a.ID)
	must(t, err)
	if len(sts) != 1 {
		t.Fatalf("%d statements imported, want 1", len(sts))
	}
	return sts[0]
}

func TestBankStatementAPI_AnswersTheStatementAndPagesItsLines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		st := f.importOCAStatement(t)
		path := "/api/v1/bank-statements/" + st.ID.String()
		w := f.request("auditor", "GET", path+"?limit=3", "")
		var first bankStatementDetailOut
		decodeInto(t, w.Body.Bytes(), &first)
		if w.Code != http.StatusOK || first.Statement.ID != st.ID || first.Statement.Currency != "EUR" || first.Statement.ClosingBalance == "" ||
			len(first.Lines.Items) != 3 || first.Lines.Next == "" {
			t.Fatalf("first page: %d %s", w.Code, w.Body)
		}
		if l := first.Lines.Items[0]; l.Amount != "-754.25" || l.Currency != "EUR" || l.CounterpartyName != "INSURANCE COMPANY TESTX" {
			t.Errorf("first line: %+v, want -754.25 EUR to INSURANCE COMPANY TESTX", l)
		}
		w = f.request("auditor", "GET", path+"?limit=3&after="+first.Lines.Next, "")
		var second bankStatementDetailOut
		decodeInto(t, w.Body.Bytes(), &second)
		if w.Code != http.StatusOK || len(second.Lines.Items) != 1 || second.Lines.Next != "" || second.Lines.Items[0].Amount != "1405.31" {
			t.Errorf("second page: %d %s", w.Code, w.Body)
		}
		if w := f.request("auditor", "GET", path+"?after=bogus", ""); w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `"after"`) {
			t.Errorf("bad cursor: %d %s", w.Code, w.Body)
		}
		if w := f.request("outsider", "GET", path, ""); w.Code != http.StatusNotFound {
			t.Errorf("another company's member: %d %s, want 404", w.Code, w.Body)
		}
		if w := f.request("auditor", "GET", "/api/v1/bank-statements/999999", ""); w.Code != http.StatusNotFound {
			t.Errorf("unknown statement: %d %s, want 404", w.Code, w.Body)
		}
	})
}

func TestBankStatementUI_ShowsLinesSearchesAndExportsEveryLine(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		st := f.importOCAStatement(t)
		b := f.browser()
		b.signIn("auditor@example.com")
		page := "/bank/statements/" + st.ID.String()
		status, body := b.get(page)
		for _, want := range []string{"INSURANCE COMPANY TESTX", "-754.25", "1405.31", "Insurance policy 857239", "test-camt053.xml",
			"camt.053", `href="/bank/accounts/`, "NL46 ABNA 0499 9987 48", "End-to-end: 435005714488-ABNO33052620", "4 rows on this page",
			"The balances do not agree:", "difference -434.16"} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("statement page lacks %q: %d\n%s", want, status, body)
			}
		}
		if strings.Contains(body, "uploads/") {
			t.Errorf("statement page shows the file's folder")
		}
		status, body = b.get(page + "?limit=3")
		if status != 200 || strings.Count(body, `<td class="num amount"`) != 3 || !strings.Contains(body, `rel="next"`) {
			t.Errorf("first page of three lines has no next page link: %d\n%s", status, body)
		}
		status, body = b.get(page + "?q=direct+debit")
		if status != 200 || strings.Count(body, "Direct Debit S14 0410") != 2 || strings.Contains(body, "INSURANCE COMPANY TESTX") {
			t.Errorf("search for direct debit: %d\n%s", status, body)
		}
		status, body = b.get(page + "?limit=1&format=csv")
		if status != 200 || strings.Count(body, "\n") != 5 || !strings.Contains(body, "2014-01-05,2014-01-05,-754.25,EUR,INSURANCE COMPANY TESTX,") {
			t.Errorf("CSV export (header and all 4 lines whatever the page size): %d\n%s", status, body)
		}
		if status, _ := b.get("/bank/statements/999999"); status != http.StatusNotFound {
			t.Errorf("unknown statement page: %d, want 404", status)
		}
	})
}
