package party_test

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"backoffice/csvio"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestImport_ReportsEveryBadRowWithLineAndColumnAndStoresNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		file := "kind,legal_name,currency,vat_id,iban,billing_country,billing_city,receivable_account,discount_percent,discount_days,net_days\n" +
			"customer,Good One,EUR,DE136695976,DE89370400440532013000,DE,Berlin,1200,2,10,30\n" +
			"friend,Bad Kind,EUR,,,,,,,,\n" +
			"supplier,Bad VAT,EUR,DE136695977,DE89370400440532013001,XX,Paris,9999,x,,\n" +
			"customer,,EUR,,,,,,,,\n"
		rep, err := e.s.Import(e.ctx, strings.NewReader(file), e.company, csvio.Options{})
		if err == nil {
			t.Fatal("a file with bad rows was imported")
		}
		want := []string{"line 3, kind", "line 4, billing_country", "line 4, discount_percent", "line 4, iban",
			"line 4, receivable_account", "line 4, vat_id", "line 5, legal_name"}
		var got []string
		for _, re := range rep.Errors {
			got = append(got, "line "+itoa(re.Line)+", "+re.Column)
		}
		for _, w := range want {
			if !strings.Contains(strings.Join(got, ";"), w) {
				t.Errorf("no error %q in %v", w, got)
			}
		}
		if ps, _ := e.s.List(e.ctx, e.company, party.Filter{WithBlocked: true}); len(ps) != 0 {
			t.Errorf("stored %d parties from a bad file", len(ps))
		}
	})
}

func TestExportImport_RoundTripKeepsEveryColumn(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		recv, err := e.ledger.AccountByCode(e.ctx, e.company, "1200")
		must(t, err)
		in := customer("Müller GmbH")
		in.Kind, in.TradeName, in.VATID, in.TaxCode, in.Language = party.KindBoth, "Müller", "DE136695976", "VAT19", "de"
		in.Billing.Lines = "Hauptstr. 1\nHinterhaus"
		in.Shipping = party.Address{City: "Lyon", Country: "FR", PostalCode: "69001"}
		in.Contacts = []party.Contact{{Name: "Anna", Email: "anna@mueller.example", Phone: "+49 30 123", Role: "=buyer"}}
		in.BankAccounts = []party.BankAccount{{IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX", Holder: "Anna Müller"}}
		in.PeppolScheme, in.PeppolID, in.ReceivableAccountID = "0088", "7300010000001", recv.ID
		in.Terms, in.CreditLimit, in.Blocked = party.Terms{NetDays: 30, DiscountBasisPoints: 250, DiscountDays: 10}, 123456, true
		e.create(in)
		sup := customer("Supplier SARL")
		sup.Kind, sup.Currency = party.KindSupplier, "JPY"
		sup.CreditLimit = 5000
		e.create(sup)

		var out bytes.Buffer
		must(t, e.s.Export(e.ctx, &out, e.company))
		other := e.newCompany("COPY")
		rep, err := e.s.Import(e.ctx, bytes.NewReader(out.Bytes()), other, csvio.Options{})
		if err != nil {
			t.Fatalf("import of the export: %v\n%v\n%s", err, rep.Errors, out.String())
		}
		orig, err := e.s.List(e.ctx, e.company, party.Filter{WithBlocked: true})
		must(t, err)
		copied, err := e.s.List(e.ctx, other, party.Filter{WithBlocked: true})
		must(t, err)
		if rep.Imported != 2 || len(copied) != 2 {
			t.Fatalf("imported %d, listed %d", rep.Imported, len(copied))
		}
		copyRecv, err := e.ledger.AccountByCode(e.ctx, other, "1200")
		must(t, err)
		for i := range orig {
			want := orig[i].Input
			if want.ReceivableAccountID != 0 {
				want.ReceivableAccountID = copyRecv.ID
			}
			if !reflect.DeepEqual(copied[i].Input, want) {
				t.Errorf("round trip of %s\n got %+v\nwant %+v", want.LegalName, copied[i].Input, want)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
