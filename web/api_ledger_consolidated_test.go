package web

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// setUpGroup gives company B (GBP) books with 50.00 of sales banked and
// 16.67 of services bought from A, A a receivable of 20.00 for those
// services, flags the four intercompany accounts, and adds two users with
// an auditor's token for every company of theirs: "group" (auditor in A and
// B) and "viewer" (accountant in A, a role in B that may not read
// the books: a token cannot hold more than that, so viewer signs in instead).
func setUpGroup(t *testing.T, f *fixture) {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	must(t, f.books.SetUpCompany(ctx, f.b.ID))
	post := func(company backoffice.ID, date, dr, cr string, amount int64) {
		t.Helper()
		j, err := f.books.JournalByCode(ctx, company, "GEN")
		must(t, err)
		d, err := f.books.AccountByCode(ctx, company, dr)
		must(t, err)
		c, err := f.books.AccountByCode(ctx, company, cr)
		must(t, err)
		day, err := backoffice.ParseDate(date)
		must(t, err)
		_, err = f.books.Post(ctx, company, ledger.NewEntry{JournalID: j.ID, Date: day,
			Lines: []ledger.NewLine{{AccountID: d.ID, Amount: amount}, {AccountID: c.ID, Amount: -amount}}})
		must(t, err)
	}
	post(f.b.ID, "2026-01-10", "1110", "4020", 50_00)
	post(f.b.ID, "2026-01-12", "6160", "2020", 16_67)
	post(f.a.ID, "2026-01-12", "1210", "4110", 20_00)
	for _, x := range []struct {
		company backoffice.ID
		code    string
	}{{f.a.ID, "1210"}, {f.a.ID, "4110"}, {f.b.ID, "6160"}, {f.b.ID, "2020"}} {
		a, err := f.books.AccountByCode(ctx, x.company, x.code)
		must(t, err)
		must(t, f.books.SetIntercompany(ctx, x.company, a.ID, true))
	}
	accountant, err := f.acc.RoleByName(ctx, "accountant")
	must(t, err)
	auditor, err := f.acc.RoleByName(ctx, "auditor")
	must(t, err)
	for name, roles := range map[string][2]access.Role{"group": {auditor, auditor}, "viewer": {accountant, f.role}} {
		u, _, err := f.acc.CreateUser(ctx, access.NewUser{Email: name + "@example.com", Name: name, Password: testPassword,
			Memberships: []access.NewMembership{{CompanyID: f.a.ID, RoleID: roles[0].ID}, {CompanyID: f.b.ID, RoleID: roles[1].ID}}})
		must(t, err)
		if name == "group" {
			f.tokens[name], _, err = f.acc.CreateToken(ctx, access.NewToken{Name: "all companies", UserID: u.ID, RoleID: auditor.ID})
			must(t, err)
		}
	}
}

func TestConsolidatedAPI_AddsMembersAtTheirRateAndEliminatesIntercompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		setUpGroup(t, f)
		runCases(t, f, []apiCase{
			{name: "balance sheet of A and B in EUR: B at 1.2, receivable and payable gone", role: "group", method: "GET",
				path: "/api/v1/reports/consolidated/balance-sheet?companies=A,B&rate.B=1.2&date=2026-01-31", status: 200,
				want: []string{`"companies":[{"code":"A","name":"Alpha GmbH","currency":"EUR"},{"code":"B","name":"Beta Ltd","currency":"GBP","rate":"1.2"}]`,
					`"code":"1110","name":"Main bank account","level":2,"group":false,"amounts":["160.00"]`,
					`"name":"Profit not yet closed","level":0,"group":false,"amounts":["160.00"]`, `"balanced":true`},
				notWant: []string{`"code":"1210"`, `"code":"2020"`, `Intercompany balances`}},
			{name: "income statement: intercompany sale and cost left out", role: "group", method: "GET",
				path: "/api/v1/reports/consolidated/income-statement?companies=A,B&rate.B=1.2&from=2026-01-01&to=2026-01-31", status: 200,
				want:    []string{`"code":"4020","name":"Sales of services","level":1,"group":false,"amounts":["160.00"]`, `"net_profit":["160.00"]`},
				notWant: []string{`"code":"4110"`, `"code":"6160"`}},
			{name: "a member in another currency needs its rate", role: "group", method: "GET",
				path: "/api/v1/reports/consolidated/balance-sheet?companies=A,B&date=2026-01-31", status: 422,
				want: []string{`"rate.B":"give the rate from GBP to EUR as a positive decimal"`}},
			{name: "a company the caller does not belong to", role: "accountant", method: "GET",
				path: "/api/v1/reports/consolidated/balance-sheet?companies=A,B&rate.B=1.2", status: 422,
				want: []string{`"companies":"you are not a member of company B"`}},
			{name: "the current company alone by default, its intercompany receivable left out", role: "auditor", method: "GET",
				path: "/api/v1/reports/consolidated/balance-sheet?date=2026-01-31", status: 200,
				want:    []string{`"companies":[{"code":"A","name":"Alpha GmbH","currency":"EUR"}]`, `"code":"1110","name":"Main bank account","level":2,"group":false,"amounts":["100.00"]`},
				notWant: []string{`"code":"1210"`}},
		})
		b := f.browser()
		b.signIn("viewer@example.com")
		status, body := b.get("/api/v1/reports/consolidated/income-statement?companies=A,B&rate.B=1.2")
		if status != 403 || !strings.Contains(body, "may not read its books") {
			t.Errorf("a member whose books the caller may not read: %d %s, want 403", status, body)
		}
	})
}

func TestIntercompanyAPI_FlaggedAccountsAreLeftOutOfConsolidation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		postRent(t, f)
		rent, err := f.books.AccountByCode(t.Context(), f.a.ID, "6100")
		must(t, err)
		id := rent.ID.String()
		runCases(t, f, []apiCase{
			{name: "none flagged yet", role: "auditor", method: "GET", path: "/api/v1/intercompany-accounts", status: 200, want: []string{`"items":[]`}},
			{name: "clerk may not flag", role: "clerk", method: "PUT", path: "/api/v1/accounts/" + id + "/intercompany", body: `{"intercompany":true}`, status: 403},
			{name: "flag rent as intercompany", role: "accountant", method: "PUT", path: "/api/v1/accounts/" + id + "/intercompany", body: `{"intercompany":true}`, status: 200,
				want: []string{`"account":"6100","name":"Rent","type":"expense","intercompany":true`}},
			{name: "listed", role: "auditor", method: "GET", path: "/api/v1/intercompany-accounts", status: 200, want: []string{`"account":"6100"`}},
			{name: "consolidation leaves it out", role: "auditor", method: "GET", path: "/api/v1/reports/consolidated/income-statement?from=2026-01-01&to=2026-02-28", status: 200,
				want: []string{`"net_profit":["100.00"]`}, notWant: []string{`"code":"6100"`}},
			{name: "the change is in the account's history", role: "auditor", method: "GET", path: "/api/v1/accounts/" + id + "/history", status: 200,
				want: []string{`"intercompany":true`}},
			{name: "unflag", role: "accountant", method: "PUT", path: "/api/v1/accounts/" + id + "/intercompany", body: `{"intercompany":false}`, status: 200},
			{name: "counted again", role: "auditor", method: "GET", path: "/api/v1/reports/consolidated/income-statement?from=2026-01-01&to=2026-02-28", status: 200,
				want: []string{`"net_profit":["59.50"]`}},
		})
		b := f.browser()
		b.signIn("accountant@example.com")
		if status, _, hdr := b.post("/ledger/reports/consolidated/intercompany", url.Values{"account": {"4020"}, "intercompany": {"1"}}); status != 303 || !strings.Contains(hdr.Get("Location"), "is+intercompany") {
			t.Fatalf("flag from the page: %d %s", status, hdr.Get("Location"))
		}
		if status, body := b.get("/ledger/reports/consolidated"); status != 200 || !strings.Contains(body, `<input type="hidden" name="account" value="4020">`) {
			t.Errorf("the page lists the flagged account with its Unflag button: %d", status)
		}
	})
}
