package party_test

import (
	"reflect"
	"strings"
	"testing"

	"backoffice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestCreate_StoresEveryFieldAndLogsIt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		recv, err := e.ledger.AccountByCode(e.ctx, e.company, "1200")
		must(t, err)
		in := customer("Müller GmbH")
		in.Kind, in.TradeName, in.VATID = party.KindBoth, "Müller", "de 136 695 976"
		in.Shipping = party.Address{Lines: "Lager 3\nTor 2", City: "Hamburg", PostalCode: "20095", Region: "HH", Country: "de"}
		in.Contacts = []party.Contact{{Name: "Anna Müller", Email: "anna@mueller.example", Phone: "+49 30 123", Role: "accounts payable"}}
		in.BankAccounts = []party.BankAccount{{IBAN: "DE89 3704 0044 0532 0130 00", BIC: "cobadeffxxx", Holder: "Müller GmbH"}}
		in.PeppolScheme, in.PeppolID = "9930", "DE136695976"
		in.Terms = party.Terms{NetDays: 30, DiscountBasisPoints: 200, DiscountDays: 10}
		in.ReceivableAccountID, in.TaxCode, in.CreditLimit, in.Language = recv.ID, "VAT19", 500000, "de"
		p, dups := e.create(in)
		if len(dups) != 0 {
			t.Errorf("duplicates on an empty company: %v", dups)
		}
		got, err := e.s.Get(e.ctx, e.company, p.ID)
		must(t, err)
		if !reflect.DeepEqual(got, p) {
			t.Errorf("read back\n%+v\nwant\n%+v", got, p)
		}
		if got.VATID != "DE136695976" || got.BankAccounts[0].IBAN != "DE89370400440532013000" || got.BankAccounts[0].BIC != "COBADEFFXXX" || got.Shipping.Country != "DE" {
			t.Errorf("not normalised: %+v", got)
		}
		if recs := e.changes(p.ID); len(recs) != 1 || recs[0].Action != "create" {
			t.Errorf("change log: %+v", recs)
		}
	})
}

func TestCreate_NamesEveryBadFieldAtOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newCompany("OTHER")
		foreign, err := e.ledger.AccountByCode(e.ctx, other, "1200")
		must(t, err)
		in := party.Input{Kind: "friend", Currency: "EURO", Language: "xx", VATID: "DE136695977",
			Billing:      party.Address{City: "Paris", Country: "XX"},
			Contacts:     []party.Contact{{Name: "Bob", Email: "not-an-address"}},
			BankAccounts: []party.BankAccount{{IBAN: "DE89370400440532013001", BIC: "DEUT"}},
			PeppolScheme: "0088", PeppolID: "7300010000002", ReceivableAccountID: foreign.ID,
			Terms: party.Terms{NetDays: 10, DiscountBasisPoints: 300, DiscountDays: 20}, CreditLimit: -1}
		_, _, err = e.s.Create(e.ctx, e.company, in)
		want := []string{"kind", "legal_name", "currency", "language", "vat_id", "billing.country", "contacts[0].email",
			"bank_accounts[0].iban", "bank_accounts[0].bic", "peppol_id", "receivable_account_id", "terms.discount_days", "credit_limit"}
		var be *backoffice.Error
		if !asError(err, &be) || be.Code != backoffice.EInvalid {
			t.Fatalf("err = %v, want invalid", err)
		}
		for _, f := range want {
			if be.Fields[f] == "" {
				t.Errorf("no message for %s; fields: %v", f, be.Fields)
			}
		}
		if ps, _ := e.s.List(e.ctx, e.company, party.Filter{WithBlocked: true}); len(ps) != 0 {
			t.Errorf("stored %d parties", len(ps))
		}
	})
}

func TestUpdate_ChangesWithCurrentVersionAndRefusesStaleOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		p, _ := e.create(customer("Acme Trading"))
		in := p.Input
		in.TradeName, in.Blocked = "Acme", true
		in.Contacts = []party.Contact{{Name: "Carl", Email: "carl@acme.example"}}
		up, err := e.s.Update(e.ctx, e.company, p.ID, p.Version, in)
		must(t, err)
		if up.Version != 2 || up.TradeName != "Acme" || !up.Blocked || len(up.Contacts) != 1 {
			t.Errorf("updated = %+v", up)
		}
		_, err = e.s.Update(e.ctx, e.company, p.ID, p.Version, in)
		if backoffice.ErrorCode(err) != backoffice.EPrecondition {
			t.Errorf("stale update: %v, want precondition", err)
		}
		recs := e.changes(p.ID)
		if len(recs) != 2 || recs[1].Action != "update" || !strings.Contains(string(recs[1].New), "trade_name") {
			t.Errorf("change log: %+v", recs)
		}
		if _, err := e.s.Get(e.ctx, e.newCompany("OTHER"), p.ID); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Errorf("party of another company: %v", err)
		}
	})
}

func TestList_FiltersByKindNameAndBlocked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.create(customer("Alpha Customer"))
		sup := customer("Beta Supplier")
		sup.Kind = party.KindSupplier
		e.create(sup)
		both := customer("Gamma Both")
		both.Kind, both.Blocked = party.KindBoth, true
		e.create(both)
		names := func(f party.Filter) string {
			ps, err := e.s.List(e.ctx, e.company, f)
			must(t, err)
			var out []string
			for _, p := range ps {
				out = append(out, p.LegalName)
			}
			return strings.Join(out, ",")
		}
		for _, tt := range []struct {
			f    party.Filter
			want string
		}{
			{party.Filter{}, "Alpha Customer,Beta Supplier"},
			{party.Filter{WithBlocked: true, Kind: party.KindSupplier}, "Beta Supplier,Gamma Both"},
			{party.Filter{WithBlocked: true, Query: "GAMMA"}, "Gamma Both"},
		} {
			if got := names(tt.f); got != tt.want {
				t.Errorf("List(%+v) = %s, want %s", tt.f, got, tt.want)
			}
		}
	})
}
