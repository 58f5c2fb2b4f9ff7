package invoice_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/bank/pain"
	"backoffice/invoice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// creditor is the company's collection account and SEPA creditor id.
var creditor = pain.Creditor{Account: pain.Account{Name: "ACME Ltd", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}, CreditorID: "DE98ZZZ09999999999"}

// withMandate gives the customer a bank account and a CORE mandate signed
// on 1 February 2026.
func (e *env) withMandate(ref string) party.Mandate {
	e.t.Helper()
	c, err := e.parties.Get(e.ctx, e.company, e.customer.ID)
	must(e.t, err)
	in := c.Input
	in.BankAccounts = []party.BankAccount{{IBAN: "DE02120300000000202051", BIC: "BYLADEM1001", Holder: c.LegalName}}
	e.customer, err = e.parties.Update(e.ctx, e.company, c.ID, c.Version, in)
	must(e.t, err)
	m, err := e.parties.CreateMandate(e.ctx, e.company, c.ID, party.MandateInput{Reference: ref, SignedOn: backoffice.NewDate(2026, 2, 1)})
	must(e.t, err)
	return m
}

func (e *env) debitRunInput(due backoffice.Date) invoice.DebitRunInput {
	return invoice.DebitRunInput{CollectionDate: backoffice.NewDate(2026, 3, 5), DueBy: due, AccountID: e.acct("1110")}
}

// exportDebitRun approves the run and writes it as pain.008 of version v,
// validated against the scheme's XSD.
func (e *env) exportDebitRun(r invoice.DebitRun, v pain.Version) string {
	e.t.Helper()
	r, err := e.s.ApproveDebitRun(e.ctx, e.company, r.ID)
	must(e.t, err)
	dd, err := r.DirectDebit(creditor, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	must(e.t, err)
	var buf bytes.Buffer
	must(e.t, pain.WriteDirectDebit(&buf, dd, v))
	xmllint(e.t, filepath.Join("..", "..", "shared", "testdata", "payments", "pain008", "xsd", string(v)+".xsd"), buf.Bytes())
	_, err = e.s.MarkDebitRunExported(e.ctx, e.company, r.ID)
	must(e.t, err)
	return buf.String()
}

func xmllint(t testing.TB, xsd string, doc []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("xmllint is missing: install libxml2-utils")
		}
		t.Skip("xmllint not installed (libxml2-utils)")
	}
	f := filepath.Join(t.TempDir(), "doc.xml")
	must(t, os.WriteFile(f, doc, 0o600))
	if out, err := exec.Command(bin, "--noout", "--schema", xsd, f).CombinedOutput(); err != nil {
		t.Errorf("%s does not validate against %s: %v\n%s\n--- document:\n%s", f, filepath.Base(xsd), err, out, doc)
	}
}

func TestDebitRun_CollectsFirstThenRecurringWithValidPain008(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		m := e.withMandate("MUE-2026-1")
		first := e.postedInvoice(10000, backoffice.NewDate(2026, 2, 1)) // due 3 March
		notDue := e.postedInvoice(5000, backoffice.NewDate(2026, 3, 1)) // due 31 March
		r, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		must(t, err)
		if len(r.Lines) != 1 || r.Lines[0].DocumentID != first.ID || r.Lines[0].SequenceType != "FRST" || r.Lines[0].Amount != 11900 {
			t.Fatalf("run lines %+v, want the due invoice collected FRST", r.Lines)
		}
		wantE2E := "BO-" + e.company.String() + "-D" + r.ID.String() + "-1"
		if r.Lines[0].EndToEndID != wantE2E {
			t.Errorf("end-to-end id %q, want %q", r.Lines[0].EndToEndID, wantE2E)
		}
		xml := e.exportDebitRun(r, pain.DirectDebit08)
		for _, want := range []string{"<SeqTp>FRST</SeqTp>", "<MndtId>MUE-2026-1</MndtId>", "<Id>DE98ZZZ09999999999</Id>", "<ReqdColltnDt>2026-03-05</ReqdColltnDt>", wantE2E} {
			if !strings.Contains(xml, want) {
				t.Errorf("pain.008 lacks %s", want)
			}
		}
		r, err = e.s.ConfirmDebitRun(e.ctx, e.company, r.ID)
		must(t, err)
		if r.State != invoice.DebitConfirmed || r.Lines[0].PaymentID == 0 {
			t.Fatalf("confirmed run %+v", r)
		}
		p, err := e.s.GetPayment(e.ctx, e.company, r.Lines[0].PaymentID)
		must(t, err)
		if p.Direction != invoice.Received || p.EndToEndID != wantE2E || p.Amount != 11900 {
			t.Errorf("collection payment %+v", p)
		}
		e.wantBalance(first, 0, invoice.FullyPaid)
		if m, err = e.parties.GetMandate(e.ctx, e.company, m.ID); err != nil || m.Sequence != "RCUR" {
			t.Fatalf("mandate after the first collection: %s %v, want RCUR", m.Sequence, err)
		}

		next, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 4, 1)))
		must(t, err)
		if len(next.Lines) != 1 || next.Lines[0].DocumentID != notDue.ID || next.Lines[0].SequenceType != "RCUR" {
			t.Fatalf("next run lines %+v, want the later invoice collected RCUR", next.Lines)
		}
		if xml := e.exportDebitRun(next, pain.DirectDebit02); !strings.Contains(xml, "<SeqTp>RCUR</SeqTp>") {
			t.Errorf("second run is not RCUR:\n%s", xml)
		}
	})
}

func TestDebitRun_SkipsCustomersWithoutActiveMandateAndRefusesEmptySelection(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.postedInvoice(10000, backoffice.NewDate(2026, 2, 1))
		_, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		wantCode(t, err, backoffice.EInvalid, "due_by")
		m := e.withMandate("MUE-1")
		_, err = e.parties.RevokeMandate(e.ctx, e.company, m.ID, "customer revoked it")
		must(t, err)
		_, err = e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		wantCode(t, err, backoffice.EInvalid, "due_by")
		if n := e.count("debit_runs"); n != 0 {
			t.Errorf("%d runs stored, want none", n)
		}
		_, err = e.s.CreateDebitRun(e.ctx, e.company, invoice.DebitRunInput{})
		wantCode(t, err, backoffice.EInvalid, "collection_date")
	})
}

func TestApplyStatusReport_RejectedFirstCollectionIsFirstAgain(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		m := e.withMandate("MUE-2026-1")
		inv := e.postedInvoice(10000, backoffice.NewDate(2026, 2, 1))
		r, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		must(t, err)
		e.exportDebitRun(r, pain.DirectDebit08)
		r, err = e.s.ConfirmDebitRun(e.ctx, e.company, r.ID)
		must(t, err)
		res, err := e.s.ApplyStatusReport(e.ctx, e.company, statusReport(t, "STS-9", r.Lines[0].EndToEndID+",RJCT,AC04"))
		must(t, err)
		if res.Reversed != 1 {
			t.Fatalf("result %+v", res)
		}
		e.wantBalance(inv, 11900, invoice.Unpaid)
		if m, err = e.parties.GetMandate(e.ctx, e.company, m.ID); err != nil || m.Sequence != "FRST" || m.Collections != 0 {
			t.Errorf("mandate after the rejected first collection: %+v %v, want FRST again", m, err)
		}
		again, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		must(t, err)
		if again.Lines[0].DocumentID != inv.ID || again.Lines[0].SequenceType != "FRST" {
			t.Errorf("the re-opened invoice is collected %+v", again.Lines)
		}
	})
}

func TestDebitRun_ReviewRemovesACollectionOfADraftOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.withMandate("MUE-1")
		a := e.postedInvoice(10000, backoffice.NewDate(2026, 2, 1))
		b := e.postedInvoice(20000, backoffice.NewDate(2026, 2, 2))
		r, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		must(t, err)
		if len(r.Lines) != 2 || r.Lines[0].SequenceType != "FRST" || r.Lines[1].SequenceType != "RCUR" {
			t.Fatalf("two invoices of one new mandate: %+v, want FRST then RCUR", r.Lines)
		}
		r, err = e.s.RemoveDebitLine(e.ctx, e.company, r.ID, 1)
		must(t, err)
		if len(r.Lines) != 1 || r.Lines[0].DocumentID != b.ID || r.Total != 23800 {
			t.Errorf("after removing invoice %s: %+v", a.Number, r.Lines)
		}
		_, err = e.s.RemoveDebitLine(e.ctx, e.company, r.ID, 2)
		wantCode(t, err, backoffice.EConflict, "")
		_, err = e.s.ApproveDebitRun(e.ctx, e.company, r.ID)
		must(t, err)
		again, err := e.s.CreateDebitRun(e.ctx, e.company, e.debitRunInput(backoffice.NewDate(2026, 3, 10)))
		must(t, err)
		if len(again.Lines) != 1 || again.Lines[0].DocumentID != a.ID {
			t.Errorf("the removed invoice is selectable again: %+v", again.Lines)
		}
		_, err = e.s.RemoveDebitLine(e.ctx, e.company, r.ID, 2)
		wantCode(t, err, backoffice.EConflict, "")
	})
}

func TestDebitRunFile_RefusesMissingCreditorIDAndMixedSchemes(t *testing.T) {
	created := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	line := func(seq int, scheme string) invoice.DebitLine {
		return invoice.DebitLine{Seq: seq, PartyName: "Müller", IBAN: "DE02120300000000202051", Amount: 100, MandateReference: "M-" + scheme,
			SignedOn: backoffice.NewDate(2026, 1, 1), Scheme: scheme, SequenceType: "FRST", EndToEndID: "BO-1-D1-" + string(rune('0'+seq)), DocumentNumber: "INV-1"}
	}
	run := invoice.DebitRun{ID: 1, CompanyID: 1, Number: "DD-2026-00001", State: invoice.DebitApproved, Currency: "EUR",
		CollectionDate: backoffice.NewDate(2026, 3, 5), Lines: []invoice.DebitLine{line(1, "CORE")}}
	noID := creditor
	noID.CreditorID = ""
	_, err := run.DirectDebit(noID, created)
	wantCode(t, err, backoffice.EInvalid, "creditor_id")
	run.Lines = append(run.Lines, line(2, "B2B"))
	if _, err := run.DirectDebit(creditor, created); backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), "mixes CORE and B2B") {
		t.Errorf("mixed schemes: %v", err)
	}
	run.State = invoice.DebitDraft
	_, err = run.DirectDebit(creditor, created)
	wantCode(t, err, backoffice.EConflict, "")
}
