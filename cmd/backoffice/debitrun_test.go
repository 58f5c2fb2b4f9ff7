package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/party"
	"backoffice/sqldb/sqldbtest"
)

// TestDebitRun_CreateApproveExportImportRejection drives a direct debit run
// from the command line: the pain.008 file is valid against its schema, the
// run is confirmed, and a pain.002 rejecting the collection reverses it.
func TestDebitRun_CreateApproveExportImportRejection(t *testing.T) {
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
	run(0, with("company", "profile", "--legal-name", "Acme GmbH", "--creditor-id", "DE98ZZZ09999999999")...)
	run(0, with("bank-account", "create", "--name", "Main", "--iban", "DE89 3704 0044 0532 0130 00", "--bic", "COBADEFFXXX", "--ledger-account", "1110")...)
	run(0, with("party", "create", "--name", "Müller KG", "--kind", "customer", "--iban", "DE02120300000000202051", "--bic", "BYLADEM1001")...)
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, c, err := openCompany(ctx, db, "ACME")
	must(t, err)
	_, err = a.party.CreateMandate(ctx, c.ID, 1, party.MandateInput{Reference: "MUE-1", SignedOn: backoffice.NewDate(2026, 1, 5)})
	must(t, err)
	a.Close()
	dir := t.TempDir()
	inv := filepath.Join(dir, "inv.json")
	must(t, os.WriteFile(inv, []byte(`{"kind":"invoice","party_id":1,"issue_date":"2026-03-01","due_date":"2026-03-15","lines":[{"description":"Service","quantity":"1","unit_price":10000,"tax_codes":["VAT19"]}]}`), 0o600))
	run(0, with("invoice", "create", "--json", inv, "--post")...)
	out, _ := run(0, with("debit-run", "create", "--collection-date", "2026-03-16", "--due-by", "2026-03-20")...)
	if !strings.Contains(out, "BO-1-D1-1") || !strings.Contains(out, "FRST") {
		t.Fatalf("run: %s", out)
	}
	_, errOut := run(1, with("export", "payments", "--debit-run", "1", "--format", "pain.008.001.08")...)
	if !strings.Contains(errOut, "only an approved run") {
		t.Errorf("draft exported: %s", errOut)
	}
	run(0, with("debit-run", "approve", "1")...)
	file := filepath.Join(dir, "dd1.xml")
	run(0, with("export", "payments", "--debit-run", "1", "--format", "pain.008.001.08", "--out", file)...)
	doc, err := os.ReadFile(file)
	must(t, err)
	for _, want := range []string{"<MsgId>BO-1-D1</MsgId>", "<SeqTp>FRST</SeqTp>", "<InstdAmt Ccy=\"EUR\">119.00</InstdAmt>", "<MndtId>MUE-1</MndtId>", "DE98ZZZ09999999999"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("pain.008 lacks %s:\n%s", want, doc)
		}
	}
	if bin, err := exec.LookPath("xmllint"); err == nil {
		xsd := "../../../shared/testdata/payments/pain008/xsd/pain.008.001.08.xsd"
		if out, err := exec.Command(bin, "--noout", "--schema", xsd, file).CombinedOutput(); err != nil {
			t.Errorf("the exported file is not valid pain.008.001.08: %v\n%s", err, out)
		}
	}
	out, _ = run(0, with("debit-run", "confirm", "1")...)
	if !strings.Contains(out, "confirmed") || !strings.Contains(out, "payment 1") {
		t.Errorf("confirm: %s", out)
	}
	sts := filepath.Join(dir, "sts.xml")
	must(t, os.WriteFile(sts, []byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt><GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-03-17T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>BO-1-D1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>BO-1-D1-1</OrgnlPmtInfId><TxInfAndSts><OrgnlEndToEndId>BO-1-D1-1</OrgnlEndToEndId><TxSts>RJCT</TxSts>
<StsRsnInf><Rsn><Cd>AM04</Cd></Rsn></StsRsnInf></TxInfAndSts></OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`), 0o600))
	out, _ = run(0, with("import", "payment-status", sts)...)
	if !strings.Contains(out, "1 reversed") || !strings.Contains(out, "AM04") {
		t.Errorf("import payment-status: %s", out)
	}
}
