package pain

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"backoffice"
)

// schemas lists, per version, the XSDs a written file must validate against.
var schemas = map[Version][]string{
	CreditTransfer03: {"pain001/xsd/pain.001.001.03.xsd", "pain001/xsd-sepa-epc-restricted/pain.001.001.03.xsd"},
	CreditTransfer09: {"pain001/xsd/pain.001.001.09.xsd"},
	DirectDebit02:    {"pain008/xsd/pain.008.001.02.xsd"},
	DirectDebit08:    {"pain008/xsd/pain.008.001.08.xsd"},
}

func TestWriteCreditTransfer_ValidatesAgainstXSD(t *testing.T) {
	variants := map[string]func(*CreditTransfer){
		"mixed remittance, two dates": func(*CreditTransfer) {},
		"batch booking":               func(ct *CreditTransfer) { ct.BatchBooking = true },
		"IBAN-only debtor, initiator id": func(ct *CreditTransfer) {
			ct.Debtor.BIC = ""
			ct.Initiator = Party{Name: "ACME Payments", ID: "KD-4711"}
		},
		"one payment": func(ct *CreditTransfer) { ct.Payments = ct.Payments[:1] },
	}
	for _, v := range []Version{CreditTransfer03, CreditTransfer09} {
		for name, change := range variants {
			t.Run(string(v)+"/"+name, func(t *testing.T) {
				ct := transfer()
				change(&ct)
				doc := mustWrite(t, func(b *bytes.Buffer) error { return WriteCreditTransfer(b, ct, v) })
				for _, xsd := range schemas[v] {
					xmllint(t, shared(t, xsd), doc)
				}
			})
		}
	}
}

func TestWriteDirectDebit_ValidatesAgainstXSD(t *testing.T) {
	variants := map[string]func(*DirectDebit){
		"CORE, mixed sequence types": func(*DirectDebit) {},
		"B2B, batch booking": func(dd *DirectDebit) {
			dd.LocalInstrument, dd.BatchBooking = "B2B", true
		},
		"IBAN-only creditor": func(dd *DirectDebit) { dd.Creditor.BIC = "" },
	}
	for _, v := range []Version{DirectDebit02, DirectDebit08} {
		for name, change := range variants {
			t.Run(string(v)+"/"+name, func(t *testing.T) {
				dd := debit()
				change(&dd)
				doc := mustWrite(t, func(b *bytes.Buffer) error { return WriteDirectDebit(b, dd, v) })
				for _, xsd := range schemas[v] {
					xmllint(t, shared(t, xsd), doc)
				}
			})
		}
	}
}

func TestWrite_MatchesGoldenFiles(t *testing.T) {
	for _, v := range []Version{CreditTransfer03, CreditTransfer09} {
		golden(t, string(v)+".xml", mustWrite(t, func(b *bytes.Buffer) error { return WriteCreditTransfer(b, transfer(), v) }))
	}
	for _, v := range []Version{DirectDebit02, DirectDebit08} {
		golden(t, string(v)+".xml", mustWrite(t, func(b *bytes.Buffer) error { return WriteDirectDebit(b, debit(), v) }))
	}
}

// group is what the tests read back of one PmtInf.
type group struct {
	ID       string   `xml:"PmtInfId"`
	NbOfTxs  string   `xml:"NbOfTxs"`
	CtrlSum  string   `xml:"CtrlSum"`
	Date     string   `xml:"ReqdExctnDt"`
	DDDate   string   `xml:"ReqdColltnDt"`
	SeqTp    string   `xml:"PmtTpInf>SeqTp"`
	Batch    string   `xml:"BtchBookg"`
	E2E      []string `xml:"CdtTrfTxInf>PmtId>EndToEndId"`
	DDE2E    []string `xml:"DrctDbtTxInf>PmtId>EndToEndId"`
	Names    []string `xml:"CdtTrfTxInf>Cdtr>Nm"`
	Ustrd    []string `xml:"CdtTrfTxInf>RmtInf>Ustrd"`
	Amounts  []string `xml:"CdtTrfTxInf>Amt>InstdAmt"`
	DebtorNm string   `xml:"Dbtr>Nm"`
}

type readBack struct {
	NbOfTxs string  `xml:"GrpHdr>NbOfTxs"`
	CtrlSum string  `xml:"GrpHdr>CtrlSum"`
	Groups  []group `xml:"PmtInf"`
}

func parse(t *testing.T, doc []byte, message string) readBack {
	t.Helper()
	var d struct {
		Msg readBack `xml:"CstmrCdtTrfInitn"`
		DD  readBack `xml:"CstmrDrctDbtInitn"`
	}
	if err := xml.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	if message == "DD" {
		return d.DD
	}
	return d.Msg
}

func TestWriteCreditTransfer_OneGroupPerExecutionDateWithExactSums(t *testing.T) {
	doc := mustWrite(t, func(b *bytes.Buffer) error { return WriteCreditTransfer(b, transfer(), CreditTransfer03) })
	got := parse(t, doc, "CT")
	// 1234.56 + 0.10 + 999999999.99 on the 10th, 0.20 on the 12th: exact to the cent.
	if got.NbOfTxs != "4" || got.CtrlSum != "1000001234.85" {
		t.Errorf("header NbOfTxs %s CtrlSum %s, want 4 and 1000001234.85", got.NbOfTxs, got.CtrlSum)
	}
	if len(got.Groups) != 2 {
		t.Fatalf("%d payment groups, want 2 (one per execution date)", len(got.Groups))
	}
	g1, g2 := got.Groups[0], got.Groups[1]
	if g1.Date != "2026-03-10" || g1.NbOfTxs != "3" || g1.CtrlSum != "1000001234.65" || strings.Join(g1.E2E, ",") != "BO-ACME-17-1,BO-ACME-17-2,BO-ACME-17-4" {
		t.Errorf("first group %+v", g1)
	}
	if g2.Date != "2026-03-12" || g2.NbOfTxs != "1" || g2.CtrlSum != "0.20" || g2.ID != "BO-ACME-RUN-17-2" {
		t.Errorf("second group %+v", g2)
	}
	if g1.Batch != "false" {
		t.Errorf("BtchBookg %q, want false", g1.Batch)
	}
}

func TestWriteCreditTransfer_Version09WrapsDateAndUsesBICFI(t *testing.T) {
	doc := mustWrite(t, func(b *bytes.Buffer) error { return WriteCreditTransfer(b, transfer(), CreditTransfer09) })
	if got := parse(t, doc, "CT"); len(got.Groups) != 2 || strings.TrimSpace(got.Groups[0].Date) != "" {
		t.Errorf("want 2 groups with no plain-text ReqdExctnDt, got %+v", got.Groups)
	}
	if !bytes.Contains(doc, []byte("<ReqdExctnDt>\n        <Dt>2026-03-10</Dt>")) {
		t.Error("pain.001.001.09 must wrap the execution date in ReqdExctnDt/Dt")
	}
	if !bytes.Contains(doc, []byte("<BICFI>COBADEFFXXX</BICFI>")) || bytes.Contains(doc, []byte("<BIC>")) {
		t.Error("pain.001.001.09 must name the agent's BIC BICFI, never BIC")
	}
	if !bytes.Contains(doc, []byte(`xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"`)) {
		t.Error("namespace of pain.001.001.09 missing")
	}
}

func TestWriteCreditTransfer_TransliteratesToSEPACharacterSet(t *testing.T) {
	doc := mustWrite(t, func(b *bytes.Buffer) error { return WriteCreditTransfer(b, transfer(), CreditTransfer03) })
	got := parse(t, doc, "CT")
	if got.Groups[0].DebtorNm != "Baeckerei Mueller GmbH + Co. KG" {
		t.Errorf("debtor name %q", got.Groups[0].DebtorNm)
	}
	if got.Groups[0].Names[0] != "Societe Generale d'Equipement" || got.Groups[0].Names[1] != "Oelmuehle Grossgmain" {
		t.Errorf("creditor names %q", got.Groups[0].Names)
	}
	if got.Groups[0].Ustrd[0] != "Facture n 2026/0042 - acompte" {
		t.Errorf("remittance %q", got.Groups[0].Ustrd[0])
	}
}

func TestWriteDirectDebit_OneGroupPerSequenceTypeAndDate(t *testing.T) {
	doc := mustWrite(t, func(b *bytes.Buffer) error { return WriteDirectDebit(b, debit(), DirectDebit02) })
	got := parse(t, doc, "DD")
	var keys []string
	for _, g := range got.Groups {
		keys = append(keys, g.DDDate+" "+g.SeqTp+" "+g.NbOfTxs+" "+g.CtrlSum+" "+strings.Join(g.DDE2E, "+"))
	}
	want := "2026-03-16 FRST 1 49.90 DD-3-1|2026-03-16 RCUR 2 199.90 DD-3-2+DD-3-3|2026-03-20 OOFF 1 0.01 DD-3-4"
	if strings.Join(keys, "|") != want {
		t.Errorf("groups\n%s\nwant\n%s", strings.Join(keys, "|"), want)
	}
	if got.CtrlSum != "249.81" || got.NbOfTxs != "4" {
		t.Errorf("header %s/%s, want 4/249.81", got.NbOfTxs, got.CtrlSum)
	}
	if !bytes.Contains(doc, []byte("<Id>DE98ZZZ09999999999</Id>")) || !bytes.Contains(doc, []byte("<Cd>CORE</Cd>")) {
		t.Error("creditor scheme id or CORE local instrument missing")
	}
}

func TestWriteCreditTransfer_RejectsInvalidPaymentsNamingPaymentAndField(t *testing.T) {
	cases := []struct {
		rule   string
		change func(*CreditTransfer)
		field  string
		msg    string
	}{
		{"IBAN check digits", func(ct *CreditTransfer) { ct.Payments[1].Creditor.IBAN = "AT621904300234573201" }, "payments[1].creditor.iban", "wrong check digits"},
		{"BIC outside the EEA", func(ct *CreditTransfer) { ct.Payments[2].Creditor.BIC = "" }, "payments[2].creditor.bic", "outside the EEA"},
		{"malformed BIC", func(ct *CreditTransfer) { ct.Payments[0].Creditor.BIC = "PSST-FR" }, "payments[0].creditor.bic", "not a BIC"},
		{"zero amount", func(ct *CreditTransfer) { ct.Payments[1].Amount = 0 }, "payments[1].amount", "more than zero"},
		{"negative amount", func(ct *CreditTransfer) { ct.Payments[3].Amount = -500 }, "payments[3].amount", "-5.00"},
		{"amount above the SEPA maximum", func(ct *CreditTransfer) { ct.Payments[3].Amount = 100000000000 }, "payments[3].amount", "999999999.99"},
		{"EUR only", func(ct *CreditTransfer) { ct.Payments[0].Currency = "CHF" }, "payments[0].currency", "EUR only"},
		{"name length after transliteration", func(ct *CreditTransfer) { ct.Payments[0].Creditor.Name = strings.Repeat("Ä", 36) }, "payments[0].creditor.name", "72 characters"},
		{"remittance length", func(ct *CreditTransfer) { ct.Payments[0].Remittance = strings.Repeat("x", 141) }, "payments[0].remittance", "at most 140"},
		{"end-to-end id length", func(ct *CreditTransfer) { ct.Payments[0].EndToEndID = strings.Repeat("1", 36) }, "payments[0].end_to_end_id", "at most 35"},
		{"end-to-end id characters", func(ct *CreditTransfer) { ct.Payments[0].EndToEndID = "RE 2026/Ä" }, "payments[0].end_to_end_id", "no spaces or accents"},
		{"end-to-end id slashes", func(ct *CreditTransfer) { ct.Payments[0].EndToEndID = "A//B" }, "payments[0].end_to_end_id", `"//"`},
		{"unique end-to-end ids", func(ct *CreditTransfer) { ct.Payments[3].EndToEndID = "BO-ACME-17-1" }, "payments[3].end_to_end_id", "also the id of payment 1"},
		{"creditor reference digits", func(ct *CreditTransfer) { ct.Payments[1].StructuredCreditorReference = "RF19 5390 0754 7034" }, "payments[1].structured_creditor_reference", "wrong check digits"},
		{"creditor name required", func(ct *CreditTransfer) { ct.Payments[0].Creditor.Name = "中文" }, "payments[0].creditor.name", "no character of the SEPA character set"},
		{"debtor IBAN", func(ct *CreditTransfer) { ct.Debtor.IBAN = "DE89 3704" }, "debtor.iban", "not an IBAN"},
		{"message id", func(ct *CreditTransfer) { ct.MessageID = "" }, "message_id", "required"},
		{"execution date", func(ct *CreditTransfer) { ct.RequestedExecutionDate = backoffice.Date{} }, "payments[0].execution_date", "required"},
		{"payments", func(ct *CreditTransfer) { ct.Payments = nil }, "payments", "at least one payment"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			ct := transfer()
			ct.Payments = append([]Payment(nil), ct.Payments...)
			c.change(&ct)
			var b bytes.Buffer
			err := WriteCreditTransfer(&b, ct, CreditTransfer09)
			var e *backoffice.Error
			if !errors.As(err, &e) || e.Code != backoffice.EInvalid {
				t.Fatalf("err = %v, want an invalid error", err)
			}
			if !strings.Contains(e.Fields[c.field], c.msg) {
				t.Errorf("field %s = %q, want it to say %q (all: %v)", c.field, e.Fields[c.field], c.msg, e.Fields)
			}
			if b.Len() != 0 {
				t.Error("an invalid transfer must write nothing")
			}
		})
	}
}

func TestWriteCreditTransfer_MessageNamesFirstBadPayment(t *testing.T) {
	ct := transfer()
	ct.Payments[2].Amount = 0
	ct.Payments[3].Amount = 0
	err := WriteCreditTransfer(&bytes.Buffer{}, ct, CreditTransfer03)
	if err == nil || !strings.Contains(err.Error(), "first payment 3 (BO-ACME-17-3)") {
		t.Errorf("err = %v, want it to name payment 3 and its end-to-end id", err)
	}
}

func TestWriteDirectDebit_RejectsInvalidCollections(t *testing.T) {
	cases := []struct {
		rule   string
		change func(*DirectDebit)
		field  string
		msg    string
	}{
		{"creditor id check digits", func(dd *DirectDebit) { dd.Creditor.CreditorID = "DE97ZZZ09999999999" }, "creditor.creditor_id", "wrong check digits"},
		{"creditor id form", func(dd *DirectDebit) { dd.Creditor.CreditorID = "ZZZ" }, "creditor.creditor_id", "not a SEPA creditor identifier"},
		{"sequence type", func(dd *DirectDebit) { dd.Collections[1].SequenceType = "LAST" }, "collections[1].sequence_type", "FRST, RCUR, FNAL or OOFF"},
		{"local instrument", func(dd *DirectDebit) { dd.LocalInstrument = "COR1" }, "local_instrument", "CORE or B2B"},
		{"mandate before collection", func(dd *DirectDebit) { dd.Collections[0].MandateSignatureDate = date("2026-04-01") }, "collections[0].mandate_signature_date", "signed before"},
		{"mandate id", func(dd *DirectDebit) { dd.Collections[2].MandateID = "" }, "collections[2].mandate_id", "required"},
		{"debtor IBAN", func(dd *DirectDebit) { dd.Collections[3].Debtor.IBAN = "NL91ABNA0417164301" }, "collections[3].debtor.iban", "wrong check digits"},
		{"amount", func(dd *DirectDebit) { dd.Collections[0].Amount = -1 }, "collections[0].amount", "more than zero"},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			dd := debit()
			dd.Collections = append([]Collection(nil), dd.Collections...)
			c.change(&dd)
			var b bytes.Buffer
			err := WriteDirectDebit(&b, dd, DirectDebit08)
			var e *backoffice.Error
			if !errors.As(err, &e) || e.Code != backoffice.EInvalid {
				t.Fatalf("err = %v, want an invalid error", err)
			}
			if !strings.Contains(e.Fields[c.field], c.msg) {
				t.Errorf("field %s = %q, want it to say %q (all: %v)", c.field, e.Fields[c.field], c.msg, e.Fields)
			}
			if b.Len() != 0 {
				t.Error("an invalid direct debit must write nothing")
			}
		})
	}
}

func TestWrite_RejectsUnknownVersion(t *testing.T) {
	if err := WriteCreditTransfer(&bytes.Buffer{}, transfer(), DirectDebit02); backoffice.ErrorCode(err) != backoffice.EUnsupported {
		t.Errorf("credit transfer as pain.008: %v", err)
	}
	if err := WriteDirectDebit(&bytes.Buffer{}, debit(), "pain.008.001.99"); backoffice.ErrorCode(err) != backoffice.EUnsupported {
		t.Errorf("direct debit as pain.008.001.99: %v", err)
	}
}

func TestLatin_KeepsOnlySEPACharacters(t *testing.T) {
	cases := map[string]string{
		"Müller & Søn, Zürich":    "Mueller + Son, Zuerich",
		"Straße 12 – Hof":         "Strasse 12 - Hof",
		"  Crème\tbrûlée  ":       "Creme brulee",
		"Łódź Œuvre Æble":         "Lodz OEuvre AEble",
		"50% off @ shop #1 * ~ =": "50 off shop 1",
		"a/b-c?d:e(f)g.h,i'j+k":   "a/b-c?d:e(f)g.h,i'j+k",
		"日本":                      "",
	}
	for in, want := range cases {
		if got := Latin(in); got != want {
			t.Errorf("Latin(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckCreditorID_VerifiesCheckDigits(t *testing.T) {
	for id, valid := range map[string]bool{
		"DE98ZZZ09999999999":  true,
		"BG40ZZZ507778":       false, // php-sepa-xml's placeholder has wrong digits
		"NL42ZZZ123456780001": true,
		"FR72ZZZ123456":       true,
		"DE98AAA09999999999":  true, // the business code is not part of the check
		"DE99ZZZ09999999999":  false,
	} {
		if got := checkCreditorID(id) == ""; got != valid {
			t.Errorf("checkCreditorID(%s) valid = %v, want %v (%s)", id, got, valid, checkCreditorID(id))
		}
	}
}
