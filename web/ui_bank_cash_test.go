package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// cashJanuary is a statement of A's main account: the 100.00 that the books
// hold (fixture entry of 2026-01-15) and a bank fee of 12.00 nobody booked.
const cashJanuary = ":20:TEST\r\n:25:NL26VAYB8060476890\r\n:28C:1\r\n:60F:C260101EUR0,00\r\n" +
	":61:2601150115C100,00NTRFNONREF//B1\r\n:86:Consulting\r\n" +
	":61:2601310131D12,00NMSCNONREF//B2\r\n:86:Account fee\r\n" +
	":62F:C260131EUR88,00\r\n-\r\n"

// setUpCash imports the statement and posts a receivable due 2026-02-10
// (250.00) and a payable due 2026-03-20 (80.00).
func setUpCash(t *testing.T, f *fixture) {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	_, err := f.bank.Import(ctx, f.a.ID, "jan.sta", []byte(cashJanuary), bank.ImportOptions{BankAccountID: f.bankAcc.ID})
	must(t, err)
	gen, err := f.books.JournalByCode(ctx, f.a.ID, "GEN")
	must(t, err)
	acct := func(code string) backoffice.ID {
		a, err := f.books.AccountByCode(ctx, f.a.ID, code)
		must(t, err)
		return a.ID
	}
	for _, l := range []struct {
		debit, credit, due string
		amount             int64
	}{{"1200", "4020", "2026-02-10", 250_00}, {"6100", "2010", "2026-03-20", 80_00}} {
		due, _ := backoffice.ParseDate(l.due)
		_, err := f.books.Post(ctx, f.a.ID, ledger.NewEntry{JournalID: gen.ID, Date: backoffice.NewDate(2026, 2, 1), Reference: l.debit,
			Lines: []ledger.NewLine{{AccountID: acct(l.debit), Amount: l.amount, DueDate: due, PartyID: 7},
				{AccountID: acct(l.credit), Amount: -l.amount, DueDate: due, PartyID: 7}}})
		must(t, err)
	}
}

func TestCashAPI_PositionExplainsTheFeeAndForecastBucketsByDueDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		setUpCash(t, f)
		w := f.request("auditor", "GET", "/api/v1/cash/position?date=2026-02-28", "")
		var p cashPositionOut
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &p) != nil || len(p.Accounts) != 1 {
			t.Fatalf("position: %d %s", w.Code, w.Body.String())
		}
		a := p.Accounts[0]
		if a.StatementBalance != "88.00" || a.LedgerAtStatement != "100.00" || a.Difference != "-12.00" || a.Unexplained != "0.00" ||
			len(a.Unbooked) != 1 || a.Unbooked[0].Amount != "-12.00" || a.Unbooked[0].Text != "Account fee" || len(a.Uncleared) != 0 {
			t.Errorf("position = %+v, want 88.00 against 100.00 explained by the unbooked fee", a)
		}
		w = f.request("auditor", "GET", "/api/v1/cash/forecast?from=2026-02-16&weeks=6", "")
		var fc cashForecastOut
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &fc) != nil || len(fc.Weeks) != 6 {
			t.Fatalf("forecast: %d %s", w.Code, w.Body.String())
		}
		// The receivable is overdue on 2026-02-16: week 1. The payable is due in week 5 (2026-03-16 – 03-22).
		if fc.Opening != "100.00" || fc.Weeks[0].Receipts != "250.00" || fc.Weeks[4].Payments != "80.00" || fc.Weeks[5].Closing != "270.00" {
			t.Errorf("forecast = %+v, want opening 100.00, 250.00 in week 1, 80.00 out in week 5, closing 270.00", fc)
		}
		if w := f.request("auditor", "GET", "/api/v1/cash/forecast?weeks=60", ""); w.Code != 422 || !strings.Contains(w.Body.String(), "weeks") {
			t.Errorf("60 weeks: %d %s, want 422 naming weeks", w.Code, w.Body.String())
		}
	})
}

func TestCashUI_PageShowsPositionForecastTableAndChartData(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		setUpCash(t, f)
		b := f.browser()
		b.signIn("auditor@example.com")
		status, body := b.get("/bank/cash?date=2026-02-16&weeks=4")
		for _, want := range []string{
			`<td class="num">88.00</td>`, `<td class="num">-12.00</td>`, `Total EUR`, `1 unbooked,<br>0 uncleared`, `Account fee`,
			`id="chart-cash-forecast"`, `"labels":["2026-02-16","2026-02-23","2026-03-02","2026-03-09"]`,
			`"values":[250,0,0,0]`, `"values":[350,350,350,350]`, `/static/cash.js`, `href="/bank/cash"`,
		} {
			if status != 200 || !strings.Contains(body, want) {
				t.Fatalf("cash page %d lacks %q\n%s", status, want, body)
			}
		}
		if status, body := b.get("/bank/cash?weeks=99"); status != 422 || !strings.Contains(body, "weeks must be a whole number") {
			t.Errorf("99 weeks: %d, want 422 with the message", status)
		}
	})
}
