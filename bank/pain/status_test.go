package pain

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
)

// rejected is a pain.002 answering a credit transfer: one payment rejected
// for a closed account, one accepted, one inheriting its group's status.
// %s is the version's namespace suffix.
const rejected = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.%s">
  <CstmrPmtStsRpt>
    <GrpHdr>
      <MsgId>STATUS-0001</MsgId>
      <CreDtTm>2026-03-10T08:15:00</CreDtTm>
    </GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>BO-ACME-RUN-17</OrgnlMsgId>
      <OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>BO-ACME-RUN-17-1</OrgnlPmtInfId>
      <PmtInfSts>PART</PmtInfSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>BO-ACME-17-1</OrgnlEndToEndId>
        <TxSts>RJCT</TxSts>
        <StsRsnInf>
          <Rsn><Cd>AC04</Cd></Rsn>
          <AddtlInf>Account closed</AddtlInf>
          <AddtlInf>at the creditor's bank</AddtlInf>
        </StsRsnInf>
        <OrgnlTxRef>
          <Amt><InstdAmt Ccy="EUR">1234.56</InstdAmt></Amt>
        </OrgnlTxRef>
      </TxInfAndSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>BO-ACME-17-2</OrgnlEndToEndId>
        <TxSts>ACCP</TxSts>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>BO-ACME-RUN-17-2</OrgnlPmtInfId>
      <PmtInfSts>ACSC</PmtInfSts>
      <TxInfAndSts>
        <OrgnlEndToEndId>BO-ACME-17-3</OrgnlEndToEndId>
      </TxInfAndSts>
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>
`

func report(version string) string { return strings.Replace(rejected, "%s", version, 1) }

func TestRead_ReportsTransactionStatusReasonAndAmount(t *testing.T) {
	for _, v := range []string{"03", "05", "09", "10"} {
		t.Run(v, func(t *testing.T) {
			rpt, err := Read(strings.NewReader(report(v)))
			if err != nil {
				t.Fatal(err)
			}
			if rpt.Version != "pain.002.001."+v || len(rpt.Warnings) != 0 {
				t.Errorf("version %q warnings %v", rpt.Version, rpt.Warnings)
			}
			if rpt.OriginalMessageID != "BO-ACME-RUN-17" || rpt.GroupStatus != "PART" || rpt.MessageID != "STATUS-0001" || rpt.OriginalMessageType != "pain.001.001.09" {
				t.Errorf("header %+v", rpt)
			}
			want := []TransactionStatus{
				{OriginalPaymentInfoID: "BO-ACME-RUN-17-1", OriginalEndToEndID: "BO-ACME-17-1", Status: "RJCT", ReasonCode: "AC04",
					ReasonText: "Account closed at the creditor's bank", OriginalAmount: backoffice.NewMoney(123456, "EUR")},
				{OriginalPaymentInfoID: "BO-ACME-RUN-17-1", OriginalEndToEndID: "BO-ACME-17-2", Status: "ACCP"},
				{OriginalPaymentInfoID: "BO-ACME-RUN-17-2", OriginalEndToEndID: "BO-ACME-17-3", Status: "ACSC"},
			}
			if len(rpt.Transactions) != len(want) {
				t.Fatalf("%d transactions, want %d", len(rpt.Transactions), len(want))
			}
			for i := range want {
				if rpt.Transactions[i] != want[i] {
					t.Errorf("transaction %d = %+v, want %+v", i, rpt.Transactions[i], want[i])
				}
			}
		})
	}
}

// The test report itself must be a valid pain.002.001.10, or the test proves little.
func TestRead_TestReportIsValidAgainstXSD(t *testing.T) {
	xmllint(t, shared(t, "pain002/xsd/pain.002.001.10.xsd"), []byte(report("10")))
}

func TestRead_Hbci4javaSamples(t *testing.T) {
	dir := shared(t, "pain002/hbci4java")
	cases := []struct {
		file, origMsg, group string
		tx                   []TransactionStatus
		reasonText           string
		warnings             int
	}{
		{"test-pain-parse-0020110-01.xml", "2025-10-20T23:33:49:0045", "RVMC",
			[]TransactionStatus{{OriginalPaymentInfoID: "2025-10-20T23:33:49:0045", OriginalEndToEndID: "NOTPROVIDED", Status: "RVNM"}},
			"RVNM Der Name des Empfaengers", 1}, // no namespace
		{"test-pain-parse-0020110-02.xml", "2025-10-20T23:33:49:0045", "RVMC",
			[]TransactionStatus{{OriginalPaymentInfoID: "2025-10-20T23:33:49:0045", OriginalEndToEndID: "NOTPROVIDED", Status: "RVNM"}},
			"RVNM wird.", 0},
		{"test-pain-parse-0020110-03.xml", "2025-11-02T18:33:03:0287", "RCVC", nil,
			"RCVC Der angegebene Empfaengername stimmt mit dem Namen des Kontoinhabers ueberein. RCVC Hier", 0},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rpt, err := Read(f)
			if err != nil {
				t.Fatal(err)
			}
			if rpt.OriginalMessageID != c.origMsg || rpt.GroupStatus != c.group {
				t.Errorf("original %q status %q, want %q %q", rpt.OriginalMessageID, rpt.GroupStatus, c.origMsg, c.group)
			}
			if len(rpt.Warnings) != c.warnings {
				t.Errorf("warnings %v, want %d", rpt.Warnings, c.warnings)
			}
			if len(rpt.GroupReasons) != 1 || !strings.Contains(rpt.GroupReasons[0].Text, c.reasonText) {
				t.Errorf("group reasons %+v, want one holding %q", rpt.GroupReasons, c.reasonText)
			}
			if len(rpt.Transactions) != len(c.tx) {
				t.Fatalf("transactions %+v, want %+v", rpt.Transactions, c.tx)
			}
			for i := range c.tx {
				if rpt.Transactions[i] != c.tx[i] {
					t.Errorf("transaction %d = %+v, want %+v", i, rpt.Transactions[i], c.tx[i])
				}
			}
		})
	}
}

func TestRead_UnknownVersionIsReadWithWarning(t *testing.T) {
	rpt, err := Read(strings.NewReader(report("14")))
	if err != nil {
		t.Fatal(err)
	}
	if len(rpt.Transactions) != 3 || len(rpt.Warnings) != 1 || !strings.Contains(rpt.Warnings[0].Message, "not checked against") || rpt.Warnings[0].Line != 2 {
		t.Errorf("transactions %d warnings %v", len(rpt.Transactions), rpt.Warnings)
	}
}

func TestRead_RefusesBrokenXMLNamingTheLine(t *testing.T) {
	cases := map[string]struct {
		doc, msg string
	}{
		"mismatched tag": {strings.Replace(report("10"), "</TxSts>", "</TxStatus>", 1), "line 18: the status report is not well-formed XML"},
		"cut off":        {report("10")[:600], "the file ends inside an element"},
		"not XML":        {"Status: all fine", "holds no XML element"},
		"other message":  {`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt/></Document>`, "line 1: <Document> is not a pain.002"},
		"second root":    {report("10") + "<Document/>", "second root element"},
		"empty":          {"", "line 1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Read(strings.NewReader(c.doc))
			if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("err = %v, want invalid saying %q", err, c.msg)
			}
		})
	}
}

func TestRead_BadAmountIsLeftOutWithWarning(t *testing.T) {
	doc := strings.Replace(report("10"), "1234.56", "12,34.5x", 1)
	rpt, err := Read(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if !rpt.Transactions[0].OriginalAmount.IsZero() || rpt.Transactions[0].OriginalAmount.Currency != "" || len(rpt.Warnings) != 1 || rpt.Warnings[0].Line != 25 {
		t.Errorf("transaction %+v warnings %v", rpt.Transactions[0], rpt.Warnings)
	}
}

func FuzzReadStatus(f *testing.F) {
	f.Add([]byte(report("10")))
	f.Add([]byte(report("03")))
	f.Add([]byte(`<Document><CstmrPmtStsRpt><TxInfAndSts><TxSts>RJCT</TxSts></TxInfAndSts></CstmrPmtStsRpt></Document>`))
	if files, _ := filepath.Glob(filepath.Join(paymentsDir, "pain002/hbci4java/*.xml")); len(files) > 0 {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rpt, err := Read(bytes.NewReader(data))
		if err != nil {
			if backoffice.ErrorCode(err) != backoffice.EInvalid {
				t.Fatalf("Read refused with %v; a bad report is invalid input, nothing else", err)
			}
			return
		}
		if rpt == nil {
			t.Fatal("no report and no error")
		}
		for _, tx := range rpt.Transactions {
			if a := tx.OriginalAmount; a.Currency == "" && a.Amount != 0 {
				t.Fatalf("amount %d without currency", a.Amount)
			}
		}
		for _, w := range rpt.Warnings {
			if w.Line < 1 {
				t.Fatalf("warning without line: %v", w)
			}
		}
	})
}
