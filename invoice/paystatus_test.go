package invoice_test

import (
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank/pain"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// statusReport is a pain.002.001.10 answering one file with a status per
// transaction: each element of txs is "end-to-end id,status[,reason code]".
func statusReport(t *testing.T, msgID string, txs ...string) *pain.StatusReport {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>` + msgID + `</MsgId><CreDtTm>2026-03-12T08:00:00</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>BO-1-D1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>BO-1-D1-1</OrgnlPmtInfId>`)
	for _, tx := range txs {
		f := strings.Split(tx, ",")
		b.WriteString(`<TxInfAndSts><OrgnlEndToEndId>` + f[0] + `</OrgnlEndToEndId><TxSts>` + f[1] + `</TxSts>`)
		if len(f) > 2 {
			b.WriteString(`<StsRsnInf><Rsn><Cd>` + f[2] + `</Cd></Rsn><AddtlInf>Insufficient funds</AddtlInf></StsRsnInf>`)
		}
		b.WriteString(`</TxInfAndSts>`)
	}
	b.WriteString(`</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>`)
	rpt, err := pain.Read(strings.NewReader(b.String()))
	must(t, err)
	return rpt
}

func TestApplyStatusReport_RejectionReversesExactlyThatPaymentAndReopensTheInvoice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.postedInvoice(10000, backoffice.NewDate(2026, 3, 1))
		b := e.postedInvoice(20000, backoffice.NewDate(2026, 3, 1))
		inA, inB := e.received(11900, mar10, alloc(a, 11900)), e.received(23800, mar10, alloc(b, 23800))
		inA.EndToEndID, inB.EndToEndID = "BO-1-D1-1", "BO-1-D1-2"
		pa, pb := e.pay(inA), e.pay(inB)
		rpt := statusReport(t, "STS-1", "BO-1-D1-1,ACSC", "BO-1-D1-2,RJCT,AM04", "SOMEONE-ELSES,RJCT,AC01")
		res, err := e.s.ApplyStatusReport(e.ctx, e.company, rpt)
		must(t, err)
		if res.Reversed != 1 || res.Recorded != 1 || res.Unmatched != 1 {
			t.Fatalf("result %+v, want 1 reversed, 1 recorded, 1 unmatched", res)
		}
		got, err := e.s.GetPayment(e.ctx, e.company, pb.ID)
		must(t, err)
		if got.State != invoice.PaymentReversed || got.ReversalReason != "rejected by the bank: AM04 Insufficient funds" {
			t.Errorf("rejected payment %s: state %s reason %q", got.Number, got.State, got.ReversalReason)
		}
		if kept, _ := e.s.GetPayment(e.ctx, e.company, pa.ID); kept.State != invoice.PaymentPosted {
			t.Errorf("accepted payment became %s", kept.State)
		}
		e.wantBalance(b, 23800, invoice.Unpaid)
		e.wantBalance(a, 0, invoice.FullyPaid)
		var reason string
		for _, r := range e.paymentChanges(pb.ID) {
			if r.Action == "reverse" {
				reason = r.Reason
			}
		}
		if reason != "rejected by the bank: AM04 Insufficient funds" {
			t.Errorf("change log reason %q", reason)
		}
		sts, err := e.s.BankStatuses(e.ctx, e.company, pa.ID)
		must(t, err)
		if len(sts) != 1 || sts[0].Status != "ACSC" || sts[0].MessageID != "STS-1" {
			t.Errorf("statuses of the accepted payment %+v", sts)
		}
		entries := e.count("ledger_entries")
		again, err := e.s.ApplyStatusReport(e.ctx, e.company, rpt)
		must(t, err)
		if again.Reversed != 0 || again.Recorded != 0 || again.Outcomes[1].Outcome != invoice.StatusDuplicate {
			t.Errorf("the same report applied twice: %+v", again)
		}
		if n := e.count("ledger_entries"); n != entries {
			t.Errorf("ledger entries %d after applying the report again, want %d", n, entries)
		}
	})
}
