package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/invoice"
	"backoffice/sqldb/sqldbtest"
)

const einvoiceSchemas = "../../../shared/testdata/einvoice"

// TestDemoInvoices_EveryInvoiceExportsAsAValidEInvoice exports every posted
// invoice of the demo company as UBL and CII and checks each file with the
// native EN 16931 and Peppol rules, the UBL and CII schemas (xmllint) and
// the official CEN Schematron (Saxon-HE), as the e-invoicing issue asks.
func TestDemoInvoices_EveryInvoiceExportsAsAValidEInvoice(t *testing.T) {
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := openApp(ctx, sqldbtest.SQLitePath(t), true, nil)
	must(t, err)
	defer a.Close()
	c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: "DEMO", Name: "Demo Trading GmbH", Currency: "EUR"})
	must(t, err)
	must(t, a.ledger.SetUpCompany(ctx, c.ID))
	must(t, demoProfile(ctx, a, c))
	today := backoffice.NewDate(2026, 11, 23)
	_, err = demoInvoices(ctx, a, c.ID, today, 1)
	must(t, err)
	dir := t.TempDir()
	var files = map[string][]string{}
	after := ""
	for {
		list, err := a.inv.List(ctx, c.ID, invoice.Filter{Kind: invoice.KindInvoice, State: invoice.StatePosted, Page: backoffice.Page{Limit: 200, After: after}})
		must(t, err)
		for _, d := range list.Items {
			for _, format := range []string{invoice.FormatUBL, invoice.FormatCII} {
				var b bytes.Buffer
				rep, err := a.inv.ExportEInvoice(ctx, c.ID, d.ID, format, &b)
				must(t, err)
				if !rep.Valid {
					t.Fatalf("%s as %s breaks %+v", d.Number, format, rep.Errors)
				}
				f := filepath.Join(dir, format, d.Number+".xml")
				must(t, os.MkdirAll(filepath.Dir(f), 0o755))
				must(t, os.WriteFile(f, b.Bytes(), 0o600))
				files[format] = append(files[format], f)
			}
		}
		if after = list.Next; after == "" {
			break
		}
	}
	if len(files[invoice.FormatUBL]) < 100 {
		t.Fatalf("only %d demo invoices exported", len(files[invoice.FormatUBL]))
	}
	t.Logf("%d demo invoices valid as UBL and CII by the native rules", len(files[invoice.FormatUBL]))
	if _, err := os.Stat(einvoiceSchemas); err != nil {
		t.Skip("no schemas under", einvoiceSchemas)
	}
	requireTool(t, "xmllint", "libxml2-utils")
	for format, xsd := range map[string]string{
		invoice.FormatUBL: einvoiceSchemas + "/ubl/UBL-2.1/xsd/maindoc/UBL-Invoice-2.1.xsd",
		invoice.FormatCII: einvoiceSchemas + "/cii/en16931/schema-D16B/CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd",
	} {
		args := append([]string{"--noout", "--nonet", "--schema", xsd}, files[format]...)
		if out, err := exec.Command("xmllint", args...).CombinedOutput(); err != nil {
			t.Errorf("%s schema: %v\n%s", format, err, lastLines(string(out), 10))
		}
	}
	requireTool(t, "java", "default-jre-headless")
	const jar = "/usr/share/java/Saxon-HE.jar"
	if _, err := os.Stat(jar); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("Saxon-HE is missing (apt-get install libsaxonhe-java)")
		}
		t.Skip("Saxon-HE is not installed")
	}
	for format, xslt := range map[string]string{
		invoice.FormatUBL: einvoiceSchemas + "/peppol/en16931/ubl/xslt/EN16931-UBL-validation.xslt",
		invoice.FormatCII: einvoiceSchemas + "/peppol/en16931/cii/xslt/EN16931-CII-validation.xslt",
	} {
		out := filepath.Join(dir, format+"-svrl")
		must(t, os.MkdirAll(out, 0o755))
		cmd := exec.Command("java", "-cp", jar, "net.sf.saxon.Transform", "-s:"+filepath.Join(dir, format), "-o:"+out, "-xsl:"+xslt)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("saxon: %v\n%s", err, msg)
		}
		reports, _ := filepath.Glob(filepath.Join(out, "*"))
		if len(reports) != len(files[format]) {
			t.Fatalf("saxon wrote %d reports for %d files", len(reports), len(files[format]))
		}
		for _, r := range reports {
			svrl, err := os.ReadFile(r)
			must(t, err)
			for _, part := range strings.Split(string(svrl), "<svrl:failed-assert")[1:] {
				if head := part[:strings.Index(part, ">")]; strings.Contains(head, `flag="fatal"`) {
					t.Errorf("%s (%s): the CEN Schematron fails %s", filepath.Base(r), format, head)
				}
			}
		}
	}
}

// requireTool skips without a command, or fails under CI=true.
func requireTool(t *testing.T, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing (apt-get install %s)", name, pkg)
		}
		t.Skip(name + " is not installed")
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("… %d lines", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
