package bank_test

import (
	"testing"

	"backoffice"
	"backoffice/audit"
	"backoffice/bank"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCreate_StoresAccountAndLogsIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a, err := e.s.Create(e.ctx, e.company, bank.NewAccount{Name: " Main ", IBAN: "de89 3704 0044 0532 0130 00", BIC: "cobadeffxxx",
			Currency: "EUR", BankName: "Commerzbank", LedgerAccountID: e.ledgerAccount("1110")})
		must(t, err)
		if a.IBAN != "DE89370400440532013000" || a.BIC != "COBADEFFXXX" || a.Name != "Main" || !a.Active {
			t.Errorf("stored %+v", a)
		}
		got, err := e.s.ByIBAN(e.ctx, e.company, "DE89 3704 0044 0532 0130 00")
		must(t, err)
		if got != a {
			t.Errorf("ByIBAN = %+v, want %+v", got, a)
		}
		hist, err := audit.History(e.ctx, db, "bank_account", a.ID.String())
		must(t, err)
		if len(hist) != 1 || hist[0].Action != "create" {
			t.Errorf("change log = %+v", hist)
		}
	})
}

func TestCreate_NamesEveryBadField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.Create(e.ctx, e.company, bank.NewAccount{IBAN: "DE88370400440532013000", BIC: "DEUT", Currency: "EURO"})
		var be *backoffice.Error
		if !asError(err, &be) || be.Code != backoffice.EInvalid {
			t.Fatalf("err = %v", err)
		}
		for _, f := range []string{"name", "iban", "bic", "currency", "ledger_account_id"} {
			if be.Fields[f] == "" {
				t.Errorf("no message for %s in %v", f, be.Fields)
			}
		}
	})
}

func TestCreate_RequiresLedgerAccountOfSubtypeBankOrCash(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.Create(e.ctx, e.company, bank.NewAccount{Name: "Main", IBAN: "DE89370400440532013000", Currency: "EUR",
			LedgerAccountID: e.ledgerAccount("1200")})
		var be *backoffice.Error
		if !asError(err, &be) || be.Fields["ledger_account_id"] == "" {
			t.Fatalf("err = %v", err)
		}
		_, err = e.s.Create(e.ctx, e.company, bank.NewAccount{Name: "Main", IBAN: "DE89370400440532013000", Currency: "EUR",
			LedgerAccountID: 999999})
		if !asError(err, &be) || be.Fields["ledger_account_id"] == "" {
			t.Fatalf("unknown ledger account: err = %v", err)
		}
	})
}

func TestCreate_RejectsTheSameIBANTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.account("Main", "DE89370400440532013000", "")
		_, err := e.s.Create(e.ctx, e.company, bank.NewAccount{Name: "Again", IBAN: "DE89370400440532013000", Currency: "EUR",
			LedgerAccountID: e.ledgerAccount("1110")})
		var be *backoffice.Error
		if !asError(err, &be) || be.Fields["iban"] == "" {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestUpdate_ChangesFieldsChecksVersionAndLogsTheDifference(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.account("Main", "DE89370400440532013000", "")
		name, inactive := "Operating", false
		b, err := e.s.Update(e.ctx, e.company, a.ID, a.Version, bank.AccountPatch{Name: &name, Active: &inactive})
		must(t, err)
		if b.Name != "Operating" || b.Active || b.Version != 2 {
			t.Errorf("updated %+v", b)
		}
		if _, err := e.s.Update(e.ctx, e.company, a.ID, a.Version, bank.AccountPatch{Name: &name}); backoffice.ErrorCode(err) != backoffice.EPrecondition {
			t.Errorf("stale version: err = %v", err)
		}
		bad := "GB29NWBK60161331926818"
		if _, err := e.s.Update(e.ctx, e.company, a.ID, b.Version, bank.AccountPatch{IBAN: &bad}); backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("bad IBAN: err = %v", err)
		}
		list, err := e.s.List(e.ctx, e.company, false)
		must(t, err)
		all, err := e.s.List(e.ctx, e.company, true)
		must(t, err)
		if len(list) != 0 || len(all) != 1 {
			t.Errorf("active %d, all %d; want 0 and 1", len(list), len(all))
		}
		hist, err := audit.History(e.ctx, db, "bank_account", a.ID.String())
		must(t, err)
		if len(hist) != 2 || hist[1].Action != "update" {
			t.Errorf("change log = %+v", hist)
		}
	})
}
