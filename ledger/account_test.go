package ledger_test

import (
	"fmt"
	"testing"
	"time"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestSetUpCompany_CreatesChartJournalsAndYearIdempotently(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		if len(e.accounts) != len(ledger.DefaultChart()) || len(e.journals) != 5 {
			t.Fatalf("accounts %d journals %d", len(e.accounts), len(e.journals))
		}
		must(t, e.s.SetUpCompany(e.ctx, e.company))
		e.reload()
		if len(e.accounts) != len(ledger.DefaultChart()) || len(e.journals) != 5 {
			t.Fatalf("after a second set-up: accounts %d journals %d", len(e.accounts), len(e.journals))
		}
		years, err := e.s.FiscalYears(e.ctx, e.company)
		must(t, err)
		if len(years) != 1 || years[0].Year != 2026 || len(years[0].Periods) != 12 || years[0].Periods[11].End != day("2026-12-31") {
			t.Fatalf("fiscal years = %+v", years)
		}
		subtypes := map[string]bool{}
		for _, a := range e.accounts {
			subtypes[a.Subtype] = true
		}
		for _, st := range []string{"retained_earnings", "bank", "receivable", "payable", "cash", "tax"} {
			if !subtypes[st] {
				t.Errorf("default chart has no %s account", st)
			}
		}
		if e.accounts["1110"].ParentID != e.accounts["1100"].ID {
			t.Error("1110 is not under 1100")
		}
	})
}

func TestFiscalYear_FollowsTheCompanyStartMonth(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newCompany("JULY", "GBP")
		must(t, e.s.SetFiscalYearStart(e.ctx, other, time.July))
		must(t, e.s.SetUpCompany(e.ctx, other))
		years, err := e.s.FiscalYears(e.ctx, other)
		must(t, err)
		if len(years) != 1 || years[0].Start != day("2025-07-01") || years[0].End != day("2026-06-30") || years[0].Year != 2026 {
			t.Fatalf("fiscal years = %+v", years)
		}
		wantError(t, e.s.SetFiscalYearStart(e.ctx, other, time.April), backoffice.EConflict)
	})
}

func TestAccount_CodeIsUniquePerCompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1110", Name: "Again", Type: ledger.Asset})
		wantError(t, err, backoffice.EInvalid, "code")
		other := e.newCompany("OTHER", "USD")
		if _, err := e.s.CreateAccount(e.ctx, other, ledger.NewAccount{Code: "1110", Name: "Bank", Type: ledger.Asset, Subtype: "bank"}); err != nil {
			t.Fatalf("same code in another company: %v", err)
		}
	})
}

func TestAccount_ParentMustHaveTheSameType(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "4999", Name: "Odd", Type: ledger.Income, Parent: "1000"})
		wantError(t, err, backoffice.EInvalid, "parent")
		a, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "4999", Name: "Fine", Type: ledger.Income, Parent: "4000"})
		must(t, err)
		typ := ledger.Expense
		_, err = e.s.UpdateAccount(e.ctx, e.company, a.ID, a.Version, ledger.AccountPatch{Type: &typ})
		wantError(t, err, backoffice.EInvalid, "parent")
		bank := "1100"
		_, err = e.s.UpdateAccount(e.ctx, e.company, e.acct("1100"), 1, ledger.AccountPatch{Parent: &bank})
		wantError(t, err, backoffice.EInvalid, "parent")
	})
}

func TestAccount_WithPostingsKeepsItsTypeAndCannotBeDeleted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2026-03-01", "7900", "6100", 100))
		typ := ledger.Income
		_, err := e.s.UpdateAccount(e.ctx, e.company, e.acct("7900"), 1, ledger.AccountPatch{Type: &typ})
		wantError(t, err, backoffice.EInvalid, "type")
		wantError(t, e.s.DeleteAccount(e.ctx, e.company, e.acct("7900")), backoffice.EConflict)
		must(t, e.s.DeleteAccount(e.ctx, e.company, e.acct("7040")))
		name := "Renamed"
		a, err := e.s.UpdateAccount(e.ctx, e.company, e.acct("7900"), 1, ledger.AccountPatch{Name: &name})
		must(t, err)
		if a.Name != name || a.Version != 2 {
			t.Fatalf("updated = %+v", a)
		}
		_, err = e.s.UpdateAccount(e.ctx, e.company, e.acct("7900"), 1, ledger.AccountPatch{Name: &name})
		wantError(t, err, backoffice.EPrecondition)
	})
}

func TestListAccounts_SearchesFiltersAndPagesByCode(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		var codes []string
		f := ledger.AccountFilter{Type: ledger.Expense, Page: backoffice.Page{Limit: 7}}
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatal("the cursor never ends")
			}
			list, err := e.s.ListAccounts(e.ctx, e.company, f)
			must(t, err)
			for _, a := range list.Items {
				codes = append(codes, a.Code)
			}
			if list.Next == "" {
				break
			}
			f.Page.After = list.Next
		}
		want := 0
		for _, na := range ledger.DefaultChart() {
			if na.Type == ledger.Expense {
				want++
			}
		}
		if len(codes) != want || codes[0] != "5000" || codes[len(codes)-1] != "7900" {
			t.Fatalf("expense codes = %v, want %d", codes, want)
		}
		list, err := e.s.ListAccounts(e.ctx, e.company, ledger.AccountFilter{Query: "BANK"})
		must(t, err)
		got := []string{}
		for _, a := range list.Items {
			got = append(got, a.Code)
		}
		if fmt.Sprint(got) != "[1100 1110 2510 7010]" {
			t.Fatalf("search bank = %v", got)
		}
		_, err = e.s.ListAccounts(e.ctx, e.company, ledger.AccountFilter{Page: backoffice.Page{After: "garbage"}})
		wantError(t, err, backoffice.EInvalid, "after")
	})
}
