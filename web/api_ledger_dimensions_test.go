package web

import (
	"net/url"
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestDimensionsAPI_DefineThenPostWithIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		w := f.request("accountant", "POST", "/api/v1/dimensions", `{"code":"region","name":"Sales region","values":["north","south"]}`)
		if w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body.String())
		}
		var d dimensionOut
		decodeInto(t, w.Body.Bytes(), &d)
		id := d.ID.String()
		line := func(region string) string {
			return `{"journal":"GEN","date":"2026-02-01","lines":[{"account":"6100","debit":"5.00","dimensions":{"region":"` + region + `"}},{"account":"1110","credit":"5.00"}]}`
		}
		runCases(t, f, []apiCase{
			{name: "listed with the built-in ones", role: "auditor", method: "GET", path: "/api/v1/dimensions", status: 200,
				want: []string{`"builtin":["cost_center","project","department"]`, `"code":"region","name":"Sales region","values":["north","south"],"active":true,"version":1`}},
			{name: "a line with an allowed value posts", role: "accountant", method: "POST", path: "/api/v1/entries", body: line("north"), status: 201,
				want: []string{`"dimensions":{"region":"north"}`}},
			{name: "another value is refused and named", role: "accountant", method: "POST", path: "/api/v1/entries", body: line("west"), status: 422,
				want: []string{`"lines[0].dimensions.region":"must be one of the values of Sales region: north, south"`}},
			{name: "an undefined dimension is refused", role: "accountant", method: "POST", path: "/api/v1/entries",
				body: `{"journal":"GEN","date":"2026-02-01","lines":[{"account":"6100","debit":"5.00","dimensions":{"colour":"red"}},{"account":"1110","credit":"5.00"}]}`, status: 422,
				want: []string{`"lines[0].dimensions.colour":"is not a dimension of this company`}},
			{name: "a duplicate code is a conflict", role: "accountant", method: "POST", path: "/api/v1/dimensions", body: `{"code":"region","name":"Again"}`, status: 409,
				want: []string{`"code":"is already a dimension of this company"`}},
			{name: "a built-in code is refused", role: "accountant", method: "POST", path: "/api/v1/dimensions", body: `{"code":"project","name":"Projects"}`, status: 422,
				want: []string{`"code":"is a built-in dimension that every company has"`}},
			{name: "clerk may not define dimensions", role: "clerk", method: "POST", path: "/api/v1/dimensions", body: `{"code":"channel","name":"Channel"}`, status: 403},
			{name: "a stale ETag is refused", role: "accountant", method: "PATCH", path: "/api/v1/dimensions/" + id, body: `{"name":"Region","active":false}`,
				header: []string{"If-Match", `"7"`}, status: 412},
			{name: "deactivate it", role: "accountant", method: "PATCH", path: "/api/v1/dimensions/" + id, body: `{"name":"Sales region","values":["north","south"],"active":false}`,
				header: []string{"If-Match", `"1"`}, status: 200, want: []string{`"active":false,"version":2`}},
			{name: "then it takes no postings", role: "accountant", method: "POST", path: "/api/v1/entries", body: line("north"), status: 422,
				want: []string{`"lines[0].dimensions.region":"dimension region is inactive"`}},
			{name: "its history", role: "auditor", method: "GET", path: "/api/v1/dimensions/" + id + "/history", status: 200,
				want: []string{`"action":"create"`, `"action":"update"`}},
		})
	})
}

func TestDimensionsUI_ListCreateAndEdit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		b := f.browser()
		b.signIn("accountant@example.com")
		status, body, _ := b.post("/ledger/dimensions", url.Values{"code": {"Bad Code"}, "name": {"Kept name"}, "values": {"a\nb"}, "active": {"1"}})
		if status != 422 || !strings.Contains(body, "must be lower snake case") || !strings.Contains(body, `value="Kept name"`) {
			t.Fatalf("bad code: %d, want 422 with the message and the typed name kept\n%s", status, body)
		}
		status, _, hdr := b.post("/ledger/dimensions", url.Values{"code": {"region"}, "name": {"Sales region"}, "values": {"north\nsouth, east"}, "active": {"1"}})
		if status != 303 {
			t.Fatalf("create: %d", status)
		}
		_ = hdr
		status, body = b.get("/ledger/dimensions")
		if status != 200 || !strings.Contains(body, "north, south, east") || !strings.Contains(body, "<code>cost_center</code>") {
			t.Fatalf("list: %d\n%s", status, body)
		}
		auditor := f.browser()
		auditor.signIn("auditor@example.com")
		if status, body := auditor.get("/ledger/dimensions"); status != 200 || strings.Contains(body, "Create dimension") {
			t.Errorf("auditor sees the list without the form: %d", status)
		}
		if status, _, _ := auditor.post("/ledger/dimensions", url.Values{"code": {"x"}, "name": {"X"}}); status != 403 {
			t.Errorf("auditor creates a dimension: %d, want 403", status)
		}
	})
}

func TestDimensionBalancesAPI_FilterAndGroup(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, p := range []struct{ project, amount string }{{"apollo", "30.00"}, {"gemini", "12.50"}, {"apollo", "1.00"}} {
			body := `{"journal":"GEN","date":"2026-02-01","lines":[{"account":"6100","debit":"` + p.amount + `","dimensions":{"project":"` + p.project + `"}},{"account":"1110","credit":"` + p.amount + `"}]}`
			if w := f.request("accountant", "POST", "/api/v1/entries", body); w.Code != 201 {
				t.Fatalf("post: %d %s", w.Code, w.Body.String())
			}
		}
		runCases(t, f, []apiCase{
			{name: "lines of project apollo", role: "auditor", method: "GET", path: "/api/v1/reports/dimension-balances?to=2026-12-31&dimension=project&value=apollo", status: 200,
				want: []string{`"rows":[{"account_id":`, `"account":"6100","name":"Rent","type":"expense","debit":"31.00","credit":"0.00","balance":"31.00"}]`}},
			{name: "grouped by project", role: "auditor", method: "GET", path: "/api/v1/reports/dimension-balances?from=2026-02-01&to=2026-02-28&group=project", status: 200,
				want: []string{`"account":"1110","name":"Main bank account","type":"asset","debit":"0.00","credit":"43.50"`,
					`"account":"6100","name":"Rent","type":"expense","value":"apollo","debit":"31.00"`, `"value":"gemini","debit":"12.50"`, `"debit":"43.50","credit":"43.50"`}},
			{name: "a value without its dimension", role: "auditor", method: "GET", path: "/api/v1/reports/dimension-balances?value=apollo", status: 422,
				want: []string{`"value":"is given with a dimension and only then"`}},
		})
		w := f.request("auditor", "GET", "/api/v1/reports/dimension-balances?from=2026-02-01&to=2026-02-28&group=project&format=csv", "")
		want := "account,name,project,debit,credit,balance\n1110,Main bank account,,0.00,43.50,-43.50\n6100,Rent,apollo,31.00,0.00,31.00\n6100,Rent,gemini,12.50,0.00,12.50\n"
		if got := csvBody(w.Body.String()); w.Code != 200 || got != want {
			t.Fatalf("CSV %d:\n%s\nwant:\n%s", w.Code, got, want)
		}
		b := f.browser()
		b.signIn("clerk@example.com")
		status, body := b.get("/ledger/reports/dimensions?to=2026-12-31&group=project")
		if status != 200 || !strings.Contains(body, "<td>gemini</td><td class=\"num\">12.50</td>") || !strings.Contains(body, `<option value="project" selected>`) {
			t.Errorf("page: %d\n%s", status, body)
		}
	})
}
