package invoice_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/einvoice"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

const schemas = "../../shared/testdata/einvoice"

// sellerAndBuyer gives the company and the customer what EN 16931 and
// Peppol ask of a seller and a buyer.
func (e *env) sellerAndBuyer() {
	e.t.Helper()
	_, err := e.parties.SetProfile(e.ctx, e.company, 0, party.ProfileInput{LegalName: "ACME GmbH",
		Address: party.Address{Lines: "Industriestr. 5", City: "Hamburg", PostalCode: "20095", Country: "DE"},
		VATID:   "DE123456788", PeppolScheme: "9930", PeppolID: "DE123456788", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX",
		Email: "billing@acme.example", Phone: "+49 40 123456"})
	must(e.t, err)
	in := e.customer.Input
	in.VATID, in.PeppolScheme, in.PeppolID = "DE136695976", "9930", "DE136695976"
	p, err := e.parties.Update(e.ctx, e.company, e.customer.ID, e.customer.Version, in)
	must(e.t, err)
	e.customer = p
}

// export writes a document and fails on any fatal finding of the native
// EN 16931 and Peppol rules.
func (e *env) export(id backoffice.ID, format string) []byte {
	e.t.Helper()
	var b bytes.Buffer
	rep, err := e.s.ExportEInvoice(e.ctx, e.company, id, format, &b)
	must(e.t, err)
	for _, f := range rep.Errors {
		if f.Flag == "fatal" {
			e.t.Errorf("%s export breaks %s at %s: %s", format, f.Rule, f.Location, f.Message)
		}
	}
	return b.Bytes()
}

func schemaCheck(t *testing.T, data []byte, xsd string) {
	t.Helper()
	if _, err := os.Stat(xsd); err != nil {
		t.Skip("no schemas under", schemas)
	}
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing (apt-get install libxml2-utils)")
		}
		t.Skip("xmllint is not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	must(t, os.WriteFile(f, data, 0o600))
	if out, err := exec.Command("xmllint", "--noout", "--nonet", "--schema", xsd, f).CombinedOutput(); err != nil {
		t.Errorf("%s refuses the export: %v\n%s", filepath.Base(xsd), err, out)
	}
}

func TestExportEInvoice_InvoiceAndCreditNotePassTheRulesAndSchemas(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		disc := line(qty(t, "3"), 12000, "VAT19")
		disc.DiscountPercent = 100000 // 10 %
		in := e.invoiceInput(line(qty(t, "1.5"), 8000, "VAT19"), disc, line(qty(t, "2"), 1999, "VAT7"))
		in.Allowances = []invoice.AllowanceInput{{Amount: 500, Reason: "Loyalty discount", TaxCode: "VAT19"}}
		in.Notes = "Thank you for your order."
		inv := e.post(e.create(in).ID)

		ubl := e.export(inv.ID, invoice.FormatUBL)
		cii := e.export(inv.ID, invoice.FormatCII)
		schemaCheck(t, ubl, schemas+"/ubl/UBL-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd")
		schemaCheck(t, cii, schemas+"/cii/en16931/schema-D16B/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd")
		for _, data := range [][]byte{ubl, cii} {
			doc, err := einvoice.Read(data)
			must(t, err)
			if doc.Number != inv.Number || doc.PayableAmount.String() != backoffice.FormatMinor(inv.Totals.Payable, 2) || len(doc.Lines) != 3 {
				t.Fatalf("read back %s: number %s, payable %s, %d lines; want %s, %d, 3", doc.Format, doc.Number, doc.PayableAmount, len(doc.Lines), inv.Number, inv.Totals.Payable)
			}
			if len(doc.PaymentMeans) != 1 || !strings.HasPrefix(doc.PaymentMeans[0].ID, "RF") || doc.PaymentMeans[0].Account != "DE89370400440532013000" {
				t.Fatalf("payment means %+v, want a credit transfer to the company's IBAN with an RF reference", doc.PaymentMeans)
			}
		}

		cn, err := e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Reason: "ordered twice"})
		must(t, err)
		credit, err := e.s.Get(e.ctx, e.company, cn.CancelledByID)
		if err != nil || credit.Kind != invoice.KindCreditNote {
			credit = cn
		}
		if credit.Kind != invoice.KindCreditNote {
			t.Fatalf("cancel gave %s %s, want the credit note", credit.Kind, credit.Number)
		}
		cubl := e.export(credit.ID, invoice.FormatUBL)
		schemaCheck(t, cubl, schemas+"/ubl/UBL-2.1/xsd/maindoc/UBL-CreditNote-2.1.xsd")
		doc, err := einvoice.Read(cubl)
		must(t, err)
		if doc.Format != einvoice.FormatUBLCreditNote || len(doc.PrecedingInvoice) != 1 || doc.PrecedingInvoice[0] != inv.Number {
			t.Fatalf("credit note read back as %s referring to %v, want a credit note naming %s", doc.Format, doc.PrecedingInvoice, inv.Number)
		}
		e.export(credit.ID, invoice.FormatCII)
	})
}

func TestExportEInvoice_RefusesDraftsBillsAndUnknownFormats(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.sellerAndBuyer()
		draft := e.create(e.invoiceInput(line(qty(t, "1"), 1000, "VAT19")))
		var b bytes.Buffer
		_, err := e.s.ExportEInvoice(e.ctx, e.company, draft.ID, invoice.FormatUBL, &b)
		wantCode(t, err, backoffice.EConflict, "")
		posted := e.post(draft.ID)
		_, err = e.s.ExportEInvoice(e.ctx, e.company, posted.ID, "pdf", &b)
		wantCode(t, err, backoffice.EInvalid, "format")
		bill := e.create(invoice.Input{Kind: invoice.KindBill, PartyID: e.supplier.ID, IssueDate: backoffice.NewDate(2026, 3, 1),
			SupplierReference: "S-1", Lines: []invoice.LineInput{line(qty(t, "1"), 1000, "VAT19")}})
		_, err = e.s.ExportEInvoice(e.ctx, e.company, bill.ID, invoice.FormatUBL, &b)
		wantCode(t, err, backoffice.EInvalid, "")
		if b.Len() != 0 {
			t.Fatalf("refused exports wrote %d bytes", b.Len())
		}
	})
}

// saxonFatal runs the official CEN EN 16931 validation XSLT with Saxon-HE on
// a document and returns the ids of its fatal failed asserts.
func saxonFatal(t *testing.T, data []byte, xslt string) []string {
	t.Helper()
	const jar = "/usr/share/java/Saxon-HE.jar"
	_, javaErr := exec.LookPath("java")
	if _, err := os.Stat(jar); err != nil || javaErr != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("Saxon-HE is missing (apt-get install default-jre-headless libsaxonhe-java)")
		}
		t.Skip("Saxon-HE is not installed")
	}
	if _, err := os.Stat(xslt); err != nil {
		t.Skip("no EN 16931 XSLT under", schemas)
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "doc.xml"), filepath.Join(dir, "svrl.xml")
	must(t, os.WriteFile(in, data, 0o600))
	if msg, err := exec.Command("java", "-cp", jar, "net.sf.saxon.Transform", "-s:"+in, "-o:"+out, "-xsl:"+xslt).CombinedOutput(); err != nil {
		t.Fatalf("saxon: %v\n%s", err, msg)
	}
	svrl, err := os.ReadFile(out)
	must(t, err)
	var fatal []string
	for _, part := range strings.Split(string(svrl), "<svrl:failed-assert")[1:] {
		head := part[:strings.Index(part, ">")]
		if strings.Contains(head, `flag="fatal"`) {
			id := head[strings.Index(head, `id="`)+4:]
			fatal = append(fatal, id[:strings.Index(id, `"`)])
		}
	}
	return fatal
}

func TestExportEInvoice_OfficialSchematronFindsNothing(t *testing.T) {
	db := sqldbtest.SQLite(t)
	e := newEnv(t, db)
	e.sellerAndBuyer()
	in := e.invoiceInput(line(qty(t, "2.5"), 4000, "VAT19"), line(qty(t, "1"), 1999, "VAT7"), line(qty(t, "1"), 50000, "EXEMPT"))
	in.Allowances = []invoice.AllowanceInput{{Amount: 1000, Reason: "Volume discount", TaxCode: "VAT19"}, {Charge: true, Amount: 700, Reason: "Freight", TaxCode: "VAT19"}}
	inv := e.post(e.create(in).ID)
	for _, c := range []struct{ format, xslt string }{
		{invoice.FormatUBL, schemas + "/peppol/en16931/ubl/xslt/EN16931-UBL-validation.xslt"},
		{invoice.FormatCII, schemas + "/peppol/en16931/cii/xslt/EN16931-CII-validation.xslt"},
	} {
		if fatal := saxonFatal(t, e.export(inv.ID, c.format), c.xslt); len(fatal) > 0 {
			t.Errorf("the official EN 16931 Schematron refuses the %s export: %v", c.format, fatal)
		}
	}
}
