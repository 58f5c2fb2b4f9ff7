package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"backoffice/invoice"
	"backoffice/sqldb/sqldbtest"
)

func TestParsePaymentStatus_PrintsNormalisedJSON(t *testing.T) {
	file := filepath.Join(t.TempDir(), "status.xml")
	must(t, os.WriteFile(file, []byte(`<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
<GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-03-10T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>BO-1-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><GrpSts>PART</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>BO-1-1-1</OrgnlPmtInfId>
<TxInfAndSts><OrgnlEndToEndId>BO-1-1-2</OrgnlEndToEndId><TxSts>RJCT</TxSts><StsRsnInf><Rsn><Cd>AC01</Cd></Rsn><AddtlInf>IBAN unknown</AddtlInf></StsRsnInf>
<OrgnlTxRef><Amt><InstdAmt Ccy="EUR">98.00</InstdAmt></Amt></OrgnlTxRef></TxInfAndSts>
</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`), 0o600))
	code, out, errOut := cli(t, "", "parse", "payment-status", "--json", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rpt struct {
		OriginalMessageID string `json:"original_message_id"`
		GroupStatus       string `json:"group_status"`
		Transactions      []struct {
			EndToEndID string `json:"original_end_to_end_id"`
			Status     string `json:"status"`
			Reason     string `json:"reason_code"`
			Text       string `json:"reason_text"`
			Amount     struct {
				Amount   string `json:"amount"`
				Currency string `json:"currency"`
			} `json:"original_amount"`
		} `json:"transactions"`
	}
	if err := json.Unmarshal([]byte(out), &rpt); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if rpt.OriginalMessageID != "BO-1-1" || rpt.GroupStatus != "PART" || len(rpt.Transactions) != 1 {
		t.Fatalf("parsed %+v", rpt)
	}
	if tx := rpt.Transactions[0]; tx.EndToEndID != "BO-1-1-2" || tx.Status != "RJCT" || tx.Reason != "AC01" || tx.Text != "IBAN unknown" || tx.Amount.Amount != "98.00" || tx.Amount.Currency != "EUR" {
		t.Errorf("transaction %+v", tx)
	}
	code, out, _ = cli(t, "", "parse", "payment-status", file)
	if code != 0 || !strings.Contains(out, "answers pain.001.001.03 BO-1-1: PART") || !strings.Contains(out, "RJCT") {
		t.Errorf("text output (exit %d): %s", code, out)
	}
}

func TestParsePaymentStatus_BrokenFileExitsOneWithLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "broken.xml")
	must(t, os.WriteFile(file, []byte("<Document>\n<CstmrPmtStsRpt>\n<GrpHdr></Grp>\n"), 0o600))
	code, _, errOut := cli(t, "", "parse", "payment-status", file)
	if code != 1 || !strings.Contains(errOut, "broken.xml: line 3") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestExportPayments_ApprovedRunBecomesValidPain001 runs a supplier payment
// run from the command line to the bank file: refused while a draft, then
// written from the company's bank account and legal name, valid against
// the pain.001.001.09 schema, and the run marked sent.
func TestExportPayments_ApprovedRunBecomesValidPain001(t *testing.T) {
	db := sqldbtest.SQLitePath(t)
	run := func(want int, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := cli(t, "", args...)
		if code != want {
			t.Fatalf("%v: exit %d, want %d\n%s%s", args, code, want, out, errOut)
		}
		return out, errOut
	}
	co := []string{"--db", db, "--company", "ACME"}
	with := func(args ...string) []string { return append(args, co...) }
	run(0, "migrate", "--db", db)
	run(0, "company", "create", "--db", db, "--code", "ACME", "--name", "Acme", "--currency", "EUR")
	run(0, with("tax-code", "defaults")...)
	run(0, with("company", "profile", "--legal-name", "Acme Büro GmbH")...)
	run(0, with("bank-account", "create", "--name", "Main", "--iban", "DE89 3704 0044 0532 0130 00", "--bic", "COBADEFFXXX", "--ledger-account", "1110")...)
	run(0, with("party", "create", "--name", "Paper Mill SA", "--kind", "supplier", "--iban", "FR1420041010050500013M02606", "--bic", "PSSTFRPPXXX")...)
	run(0, with("party", "create", "--name", "Ölmühle Großgmain", "--kind", "supplier", "--iban", "AT611904300234573201")...)
	dir := t.TempDir()
	for i, b := range []string{
		`{"kind":"bill","party_id":1,"issue_date":"2026-03-01","due_date":"2026-03-15","supplier_reference":"PM-1","lines":[{"description":"Paper","quantity":"1","unit_price":10000,"tax_codes":["VAT19"]}]}`,
		`{"kind":"bill","party_id":1,"issue_date":"2026-03-02","due_date":"2026-03-15","supplier_reference":"PM-2","lines":[{"description":"Ink","quantity":"1","unit_price":5000,"tax_codes":["VAT19"]}]}`,
		`{"kind":"bill","party_id":2,"issue_date":"2026-03-03","due_date":"2026-03-15","supplier_reference":"Ö-77","lines":[{"description":"Oil","quantity":"1","unit_price":2000,"tax_codes":["VAT19"]}]}`,
	} {
		f := filepath.Join(dir, "bill"+string(rune('1'+i))+".json")
		must(t, os.WriteFile(f, []byte(b), 0o600))
		run(0, with("invoice", "create", "--json", f, "--post")...)
	}
	run(0, with("payment-run", "create", "--pay-date", "2026-03-10", "--due-by", "2026-03-20")...)
	_, errOut := run(1, with("export", "payments", "--run", "1")...)
	if !strings.Contains(errOut, "only an approved run goes to the bank") {
		t.Errorf("draft run exported: %s", errOut)
	}
	run(0, with("payment-run", "approve", "1")...)
	file := filepath.Join(dir, "run1.xml")
	run(0, with("export", "payments", "--run", "1", "--format", "pain.001.001.09", "--out", file)...)
	doc, err := os.ReadFile(file)
	must(t, err)
	for _, want := range []string{"<MsgId>BO-1-1</MsgId>", "<NbOfTxs>2</NbOfTxs>", "<CtrlSum>202.30</CtrlSum>", "<Nm>Acme Buero GmbH</Nm>",
		"<IBAN>DE89370400440532013000</IBAN>", "<EndToEndId>BO-1-1-1</EndToEndId>", "<InstdAmt Ccy=\"EUR\">178.50</InstdAmt>",
		"<Ustrd>Invoices PM-1, PM-2</Ustrd>", "<Nm>Oelmuehle Grossgmain</Nm>", "<Ustrd>Invoice Oe-77</Ustrd>", "<Dt>2026-03-10</Dt>"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("payment file lacks %s:\n%s", want, doc)
		}
	}
	out, _ := run(0, with("payment-run", "show", "1")...)
	if !strings.Contains(out, "sent") {
		t.Errorf("run not marked sent after the export: %s", out)
	}
	// A sent run can be exported again (a lost file), with the same message id.
	run(0, with("export", "payments", "--run", "1", "--out", filepath.Join(dir, "again.xml"))...)
	xsd := "../../../shared/testdata/payments/pain001/xsd/pain.001.001.09.xsd"
	if _, err := os.Stat(xsd); err != nil {
		return
	}
	if bin, err := exec.LookPath("xmllint"); err == nil {
		if out, err := exec.Command(bin, "--noout", "--schema", xsd, file).CombinedOutput(); err != nil {
			t.Errorf("the exported file is not valid pain.001.001.09: %v\n%s", err, out)
		}
	} else if os.Getenv("CI") == "true" {
		t.Error("xmllint is missing: install libxml2-utils")
	}
}

func TestRemittanceOf_FitsTheSEPALimitNamingWhatIsLeftOut(t *testing.T) {
	var tr invoice.Transfer
	for i := range 30 {
		tr.Lines = append(tr.Lines, invoice.RunLine{DocumentNumber: fmt.Sprintf("BILL-2026-%05d", i+1)})
	}
	tr.Lines[0].Reference = "Rechnung Nr. 4711/Ü"
	got := remittanceOf(tr)
	if len(got) > 140 || !strings.HasPrefix(got, "Invoices Rechnung Nr. 4711/Ue, BILL-2026-00002") || !strings.HasSuffix(got, "more") {
		t.Errorf("remittance %q (%d characters)", got, len(got))
	}
	if got := remittanceOf(invoice.Transfer{Lines: tr.Lines[1:2]}); got != "Invoice BILL-2026-00002" {
		t.Errorf("one bill: %q", got)
	}
}
