package invoice_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/einvoice"
	"backoffice/invoice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// publishedEInvoices lists the published UBL and CII examples.
func publishedEInvoices(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, glob := range []string{"/peppol/en16931/ubl/examples/*.xml", "/peppol/en16931/ubl/examples/*.XML", "/cii/factur-x/xml/*.xml",
		"/peppol/en16931/cii/examples/*.xml", "/ubl/UBL-2.1/xml/UBL-Invoice-2.1-*.xml", "/ubl/UBL-2.1/xml/UBL-CreditNote-2.1-*.xml"} {
		files, _ := filepath.Glob(schemas + glob)
		out = append(out, files...)
	}
	if len(out) == 0 {
		t.Skip("no e-invoice examples under", schemas)
	}
	return out
}

// TestImportEInvoice_EveryPublishedExampleBecomesADraftBillOfItsAmountDue
// imports each example into a company of its own that rounds VAT per
// document, as EN 16931 computes it (BR-CO-17).
func TestImportEInvoice_EveryPublishedExampleBecomesADraftBillOfItsAmountDue(t *testing.T) {
	e := newEnv(t, sqldbtest.SQLite(t))
	imported, refused := 0, 0
	for i, f := range publishedEInvoices(t) {
		e.company = e.newCompany(fmt.Sprintf("C%d", i))
		_, err := e.s.SetRounding(e.ctx, e.company, invoice.RoundPerDocument)
		must(t, err)
		data, err := os.ReadFile(f)
		must(t, err)
		doc, err := einvoice.Read(data)
		if err != nil {
			continue // not an invoice (orders, ZUGFeRD 1): Read names why
		}
		if doc.Currency != "EUR" && doc.Currency.Valid() {
			// Foreign currencies book at the company's rate of the day.
			_, err := e.ledger.SetRates(e.ctx, e.company, []ledger.NewRate{{Currency: doc.Currency, Date: doc.IssueDate, Rate: "0.1"}}, "test")
			must(t, err)
		}
		res, err := e.s.ImportEInvoice(e.ctx, e.company, data)
		name := filepath.Base(f)
		if err != nil {
			refused++
			code := backoffice.ErrorCode(err)
			if (code != backoffice.EInvalid && code != backoffice.EUnsupported && code != backoffice.EConflict) || len(backoffice.ErrorMessage(err)) < 20 {
				t.Errorf("%s refused without a clear reason: %v", name, err)
			}
			t.Logf("%s: refused: %v", name, err)
			continue
		}
		imported++
		want, ok := amountMinor(doc.PayableAmount, doc.Currency)
		prepaid, _ := amountMinor(doc.PrepaidAmount, doc.Currency)
		rounding, _ := amountMinor(doc.RoundingAmount, doc.Currency)
		if doc.TaxInclusiveAmount.Decimal().IsNeg() {
			want, prepaid, rounding = -want, -prepaid, -rounding
		}
		if ok && res.Document.Totals.Payable-prepaid+rounding != want || len(res.Differences) > 0 && prepaid == 0 {
			t.Errorf("%s: bill payable %d (prepaid %d, rounding %d), document %s; differences %v", name, res.Document.Totals.Payable, prepaid, rounding, doc.PayableAmount, res.Differences)
		}
		if res.Document.State != invoice.StateDraft || res.Document.SupplierReference != doc.Number {
			t.Errorf("%s: imported %+v, want a draft with the supplier's number", name, res.Document)
		}
	}
	t.Logf("%d examples imported as draft bills, %d refused with a reason", imported, refused)
	if imported < 20 {
		t.Fatalf("only %d examples imported", imported)
	}
}

func amountMinor(a einvoice.Amount, cur backoffice.Currency) (int64, bool) {
	if !a.Present() {
		return 0, false
	}
	v, err := backoffice.ParseMinor(a.String(), cur.Exponent())
	return v, err == nil
}

func TestImportEInvoice_FindsTheSupplierCreatesTaxCodesAndRefusesADuplicate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		// Our own export is a supplier's e-invoice to a company in the same database.
		in := e.invoiceInput(line(qty(t, "2"), 10000, "VAT19"), line(qty(t, "1"), 500, "VAT7"))
		inv := e.post(e.create(in).ID)
		var xml strings.Builder
		_, err := e.s.ExportEInvoice(e.ctx, e.company, inv.ID, invoice.FormatUBL, &xml)
		must(t, err)
		other := e.newCompany("BUYER")
		res, err := e.s.ImportEInvoice(e.ctx, other, []byte(xml.String()))
		must(t, err)
		if !res.SupplierCreated || res.Document.Kind != invoice.KindBill || res.Document.Totals.Payable != inv.Totals.Payable || len(res.Differences) != 0 {
			t.Fatalf("import = %+v, want a new supplier and a bill of %d without differences", res, inv.Totals.Payable)
		}
		_, err = e.s.ImportEInvoice(e.ctx, other, []byte(xml.String()))
		wantCode(t, err, backoffice.EConflict, "")
		again, err := e.s.ImportEInvoice(e.ctx, other, []byte(strings.Replace(xml.String(), inv.Number, inv.Number+"-B", 1)))
		if err != nil && backoffice.ErrorCode(err) != backoffice.EConflict {
			t.Fatal(err)
		}
		if err == nil && again.SupplierCreated {
			t.Fatalf("the same supplier was created twice")
		}
		_, err = e.s.ImportEInvoice(e.ctx, other, []byte("<Invoice>not an e-invoice</Invoice>"))
		if err == nil || backoffice.ErrorMessage(err) == "" {
			t.Fatalf("garbage imported: %v", err)
		}
	})
}
