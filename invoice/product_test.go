package invoice_test

import (
	"bytes"
	"strings"
	"testing"

	"backoffice"
	"backoffice/csvio"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestProduct_CreateUpdateAndRefuseBadFields(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		_, err := e.s.CreateProduct(e.ctx, e.company, invoice.ProductInput{Code: " ", Unit: "hours", UnitPrice: -1, TaxCode: "NOPE", IncomeAccountID: 999999})
		wantCode(t, err, backoffice.EInvalid, "code")
		for _, f := range []string{"name", "unit", "unit_price", "tax_code", "income_account_id"} {
			if err.(*backoffice.Error).Fields[f] == "" {
				t.Errorf("field %s not named: %v", f, err)
			}
		}
		p, err := e.s.CreateProduct(e.ctx, e.company, invoice.ProductInput{Code: "BOOK-1", Name: "Handbook", UnitPrice: 2990, TaxCode: "vat7", Active: true})
		must(t, err)
		if p.Unit != "C62" || p.Currency != "EUR" || p.TaxCode != "VAT7" {
			t.Errorf("defaults: %+v", p)
		}
		_, err = e.s.CreateProduct(e.ctx, e.company, invoice.ProductInput{Code: "BOOK-1", Name: "Again"})
		wantCode(t, err, backoffice.EConflict, "code")
		in := p.ProductInput
		in.UnitPrice, in.Active = 3490, false
		up, err := e.s.UpdateProduct(e.ctx, e.company, p.ID, p.Version, in)
		must(t, err)
		if up.UnitPrice != 3490 || up.Version != 2 {
			t.Errorf("updated %+v", up)
		}
		_, err = e.s.Create(e.ctx, e.company, e.invoiceInput(invoice.LineInput{ProductCode: "BOOK-1"}))
		wantCode(t, err, backoffice.EInvalid, "lines[0].product_id") // inactive
		list, err := e.s.ListProducts(e.ctx, e.company, invoice.ProductFilter{Query: "hand"})
		must(t, err)
		if len(list.Items) != 0 {
			t.Errorf("inactive product listed: %+v", list.Items)
		}
		list, err = e.s.ListProducts(e.ctx, e.company, invoice.ProductFilter{Query: "hand", WithInactive: true})
		must(t, err)
		if len(list.Items) != 1 {
			t.Errorf("with inactive: %+v", list.Items)
		}
	})
}

func TestImportProducts_AllOrNothingWithLineNumbers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		bad := "code,name,unit,unit_price,tax_code,income_account\n" +
			"CONS-H,Consulting hour,HUR,120.00,VAT19,4020\n" +
			"BAD,,hours,1.234,NOPE,9999\n" +
			"CONS-H,Twice,C62,1,VAT19,\n"
		rep, err := e.s.ImportProducts(e.ctx, strings.NewReader(bad), e.company, csvio.Options{})
		if err == nil {
			t.Fatal("a file with bad rows was imported")
		}
		got := map[string]bool{}
		for _, re := range rep.Errors {
			got[re.String()[:strings.Index(re.String(), ":")]] = true
		}
		for _, want := range []string{"line 3, name", "line 3, unit", "line 3, unit_price", "line 3, tax_code", "line 3, income_account"} {
			if !got[want] {
				t.Errorf("no error %q in %v", want, rep.Errors)
			}
		}
		if e.count("invoice_products") != 0 {
			t.Fatal("products stored from a bad file")
		}
		good := "code;name;unit;unit_price;tax_code;income_account\nCONS-H;Consulting hour;HUR;120.00;VAT19;4020\nBOOK-1;Handbook;;29.90;VAT7;\n"
		_, err = e.s.ImportProducts(e.ctx, strings.NewReader(good), e.company, csvio.Options{})
		must(t, err)
		p, err := e.s.ProductByCode(e.ctx, e.company, "CONS-H")
		must(t, err)
		if p.UnitPrice != 12000 || p.Unit != "HUR" || p.IncomeAccountID == 0 {
			t.Errorf("imported %+v", p)
		}
		var out bytes.Buffer
		must(t, e.s.ExportProducts(e.ctx, &out, e.company))
		if !strings.Contains(out.String(), "CONS-H,Consulting hour,HUR,120.00,EUR,VAT19,4020,,true") {
			t.Errorf("export:\n%s", out.String())
		}
		_, err = e.s.ImportProducts(e.ctx, strings.NewReader(good), e.company, csvio.Options{})
		if err == nil {
			t.Error("importing existing codes again succeeded")
		}
	})
}
