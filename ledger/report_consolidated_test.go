package ledger_test

import (
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestConsolidation_EliminatesIntercompanyAndTranslatesAtTheRate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db) // ACME, EUR
		sub := e.newCompany("SUB", "USD")
		must(t, e.s.SetUpCompany(e.ctx, sub))
		code := func(company backoffice.ID, c string) backoffice.ID {
			a, err := e.s.AccountByCode(e.ctx, company, c)
			must(t, err)
			return a.ID
		}
		gen, err := e.s.JournalByCode(e.ctx, sub, "GEN")
		must(t, err)
		subPost := func(date, dr, cr string, amount int64) {
			_, err := e.s.Post(e.ctx, sub, ledger.NewEntry{JournalID: gen.ID, Date: day(date),
				Lines: []ledger.NewLine{{AccountID: code(sub, dr), Amount: amount}, {AccountID: code(sub, cr), Amount: -amount}}})
			must(t, err)
		}
		e.post(e.entry("2026-01-02", "1110", "3010", 1000_00))
		e.post(e.entry("2026-01-10", "1210", "4110", 200_00)) // services charged to SUB
		subPost("2026-01-02", "1110", "3010", 500_00)
		subPost("2026-01-10", "6160", "2020", 222_22) // the same services, in USD
		subPost("2026-01-20", "1110", "4010", 1000_00)
		for _, f := range []struct {
			company backoffice.ID
			code    string
		}{{e.company, "1210"}, {e.company, "4110"}, {sub, "6160"}, {sub, "2020"}} {
			must(t, e.s.SetIntercompany(e.ctx, f.company, code(f.company, f.code), true))
		}
		members := []ledger.Member{{CompanyID: e.company}, {CompanyID: sub, Rate: "0.9"}}
		bs, err := e.s.ConsolidatedBalanceSheet(e.ctx, "EUR", day("2026-01-31"), members)
		must(t, err)
		if !bs.Balanced || bs.Assets.Total[0] != 2350_00 || bs.Liabilities.Total[0] != 0 {
			t.Errorf("consolidated: balanced %v, assets %v (want 235000), liabilities %v (want 0)", bs.Balanced, bs.Assets.Total, bs.Liabilities.Total)
		}
		if got := rowOf(t, bs.Equity.Rows, "3010").Amounts[0]; got != 1450_00 {
			t.Errorf("share capital = %d, want 145000 (1000 EUR + 500 USD at 0.9)", got)
		}
		if last := bs.Equity.Rows[len(bs.Equity.Rows)-1]; last.Name != "Profit not yet closed" || last.Amounts[0] != 900_00 {
			t.Errorf("last equity row = %+v, want the profit 90000 and no intercompany or rounding difference", last)
		}
		for _, r := range bs.Assets.Rows {
			if r.Code == "1210" {
				t.Error("the intercompany receivable is not eliminated")
			}
		}
		is, err := e.s.ConsolidatedIncomeStatement(e.ctx, "EUR", day("2026-01-01"), day("2026-01-31"), members)
		must(t, err)
		if is.NetProfit[0] != 900_00 || len(is.Expenses.Rows) != 0 {
			t.Errorf("consolidated profit %d (want 90000), expense rows %v (want none)", is.NetProfit[0], is.Expenses.Rows)
		}
		_, err = e.s.ConsolidatedBalanceSheet(e.ctx, "EUR", day("2026-01-31"), []ledger.Member{{CompanyID: e.company}, {CompanyID: sub}})
		wantError(t, err, backoffice.EInvalid, "members[1].rate")
	})
}
