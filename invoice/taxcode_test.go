package invoice_test

import (
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPercent_ExactDecimals(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want invoice.Percent
		out  string
	}{{"19", 190000, "19"}, {"7.7", 77000, "7.7"}, {"5.5", 55000, "5.5"}, {"0", 0, "0"}, {"8.875", 88750, "8.875"}, {"2.5%", 25000, "2.5"}} {
		p, err := invoice.ParsePercent(tc.in)
		if err != nil || p != tc.want || p.String() != tc.out {
			t.Errorf("ParsePercent(%q) = %d %q, %v; want %d %q", tc.in, p, p.String(), err, tc.want, tc.out)
		}
	}
	if _, err := invoice.ParsePercent("1.00001"); err == nil {
		t.Error("five decimals accepted")
	}
}

func TestSetUpCompany_CreatesDefaultTaxCodesOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		must(t, e.s.SetUpCompany(e.ctx, e.company)) // again: nothing new
		codes, err := e.s.ListTaxCodes(e.ctx, e.company, true)
		must(t, err)
		if len(codes) != len(invoice.DefaultTaxCodes()) {
			t.Fatalf("got %d tax codes, want %d", len(codes), len(invoice.DefaultTaxCodes()))
		}
		byCode := map[string]invoice.TaxCode{}
		for _, c := range codes {
			byCode[c.Code] = c
		}
		if c := byCode["VAT19"]; c.Rate != 190000 || c.Category != "S" || c.CollectedAccountID == 0 || c.DeductibleAccountID == 0 {
			t.Errorf("VAT19 = %+v", c)
		}
		if c := byCode["RC"]; c.Category != "AE" || c.ExemptionCode != "VATEX-EU-AE" || c.Rate != 0 {
			t.Errorf("RC = %+v", c)
		}
		st, err := e.s.GetSettings(e.ctx, e.company)
		must(t, err)
		if st.Rounding != invoice.RoundPerLine {
			t.Errorf("rounding = %q", st.Rounding)
		}
	})
}

func TestCreateTaxCode_NamesEveryBadField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		before := e.count("invoice_tax_codes")
		_, err := e.s.CreateTaxCode(e.ctx, e.company, invoice.TaxCodeInput{Code: "bad code", Rate: 190000, Type: "gst", Category: "E"})
		wantCode(t, err, backoffice.EInvalid, "code")
		for _, f := range []string{"name", "type", "rate", "exemption_reason"} {
			if err.(*backoffice.Error).Fields[f] == "" {
				t.Errorf("field %s not named: %v", f, err)
			}
		}
		if e.count("invoice_tax_codes") != before {
			t.Error("a bad tax code was stored")
		}
	})
}

func TestTaxCode_CRUDIsChangeLogged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		vat19, err := e.s.TaxCodeByCode(e.ctx, e.company, "VAT19")
		must(t, err)
		in := invoice.TaxCodeInput{Code: "ch77", Name: "Swiss standard 7.7 %", Rate: 77000, Type: invoice.TaxVAT, Category: "S",
			CollectedAccountID: vat19.CollectedAccountID, DeductibleAccountID: vat19.DeductibleAccountID, Active: true}
		tc, err := e.s.CreateTaxCode(e.ctx, e.company, in)
		must(t, err)
		if tc.Code != "CH77" || tc.Rate.String() != "7.7" {
			t.Fatalf("created %+v", tc)
		}
		_, err = e.s.CreateTaxCode(e.ctx, e.company, in)
		wantCode(t, err, backoffice.EConflict, "code")
		in.Code, in.Rate = "CH77", 81000
		up, err := e.s.UpdateTaxCode(e.ctx, e.company, tc.ID, tc.Version, in)
		must(t, err)
		if up.Rate.String() != "8.1" || up.Version != 2 {
			t.Errorf("updated %+v", up)
		}
		_, err = e.s.UpdateTaxCode(e.ctx, e.company, tc.ID, tc.Version, in)
		wantCode(t, err, backoffice.EPrecondition, "")
		in.Code = "OTHER"
		_, err = e.s.UpdateTaxCode(e.ctx, e.company, tc.ID, up.Version, in)
		wantCode(t, err, backoffice.EInvalid, "code")
		var n int
		must(t, db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'tax_code' AND entity_id = ?`, tc.ID.String()).Scan(&n))
		if n != 2 {
			t.Errorf("%d change-log records, want 2 (create, update)", n)
		}
	})
}

func TestCreateTaxCode_RefusesAccountOfAnotherCompany(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		other := e.newCompany("OTHER")
		foreign, err := e.ledger.AccountByCode(e.ctx, other, "2100")
		must(t, err)
		_, err = e.s.CreateTaxCode(e.ctx, e.company, invoice.TaxCodeInput{Code: "X", Name: "X", Rate: 100000, Type: invoice.TaxVAT, Category: "S",
			CollectedAccountID: foreign.ID, DeductibleAccountID: foreign.ID})
		wantCode(t, err, backoffice.EInvalid, "collected_account_id")
	})
}
