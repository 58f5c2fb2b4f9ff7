package camt

import (
	"errors"
	"strings"
	"testing"

	"backoffice"
)

func wantInvalid(t *testing.T, data []byte, fragments ...string) {
	t.Helper()
	res, err := Parse(data)
	var e *backoffice.Error
	if !errors.As(err, &e) || e.Code != backoffice.EInvalid {
		t.Fatalf("want an invalid *backoffice.Error, got %v (result %+v)", err, res)
	}
	for _, f := range fragments {
		if !strings.Contains(e.Message, f) {
			t.Errorf("message %q lacks %q", e.Message, f)
		}
	}
}

func TestParse_RefusesWhatIsNotCamt(t *testing.T) {
	wantInvalid(t, nil, "the file is empty")
	wantInvalid(t, []byte("\x00\x01\x02\xff\xfe binary"), "line 1: the file holds no XML element")
	wantInvalid(t, []byte(":20:STARTUMS\n:25:12345678/1234567890\n"), "line 1: the file holds no XML element")
	wantInvalid(t, []byte(`<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>`),
		"line 2", "CstmrCdtTrfInitn", "not a camt.052, camt.053 or camt.054 file")
}

func TestParse_ReadsATruncatedFileUpToTheBreak(t *testing.T) {
	full := doc("02", ntry("1.00", "CRDT", "")+"\n"+ntry("2.00", "CRDT", "<AcctSvcrRef>R2</AcctSvcrRef>"))
	cut := full[:strings.Index(full, "R2")]
	res := mustParse(t, cut)
	if e := onlyEntry(t, res); e.Amount.Amount != 100 {
		t.Errorf("kept %+v, want the complete first entry", e)
	}
	w := warningsText(res)
	for _, want := range []string{"the XML breaks off here", "line 8: an entry is cut off", "line 4: <Stmt> is cut off"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings lack %q:\n%s", want, w)
		}
	}
}

func TestParse_ReadsAroundJunkAfterTheDocument(t *testing.T) {
	res := mustParse(t, doc("02", ntry("1.00", "CRDT", ""))+"\n\x00\x00garbage<<<")
	if e := onlyEntry(t, res); e.Amount.Amount != 100 {
		t.Errorf("got %+v", e)
	}
	if w := warningsText(res); !strings.Contains(w, "control characters") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_IgnoresElementsNestedBeyondTheDepthLimit(t *testing.T) {
	deep := strings.Repeat("<X>", 200) + strings.Repeat("</X>", 200)
	res := mustParse(t, doc("02", ntry("1", "CRDT", "<AddtlNtryInf>kept</AddtlNtryInf>"+deep)))
	if e := onlyEntry(t, res); e.Remittance != "kept" {
		t.Errorf("got %+v", e)
	}
	if w := warningsText(res); !strings.Contains(w, "line 7: elements nested deeper than 64 levels were ignored") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_ReadsLatin1AndRepairsBrokenUTF8(t *testing.T) {
	latin1 := strings.Replace(doc("02", ntry("1", "CRDT", "<AddtlNtryInf>M\xfcller</AddtlNtryInf>")), "UTF-8", "ISO-8859-1", 1)
	if e := onlyEntry(t, mustParse(t, latin1)); e.Remittance != "Müller" {
		t.Errorf("Latin-1 remittance %q", e.Remittance)
	}
	broken := doc("02", ntry("1", "CRDT", "<AddtlNtryInf>M\xfcller</AddtlNtryInf>"))
	res := mustParse(t, broken)
	if e := onlyEntry(t, res); e.Remittance != "M\uFFFDller" {
		t.Errorf("repaired remittance %q", e.Remittance)
	}
	if w := warningsText(res); !strings.Contains(w, "line 7: the file is not valid UTF-8") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_ReadsAMessageWithoutTheDocumentWrapper(t *testing.T) {
	bare := `<BkToCstmrStmt xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><Stmt><Id>X</Id>
<Acct><Id><Othr><Id>123</Id></Othr></Id></Acct>` + ntry("4.20", "DBIT", "") + `</Stmt></BkToCstmrStmt>`
	res := mustParse(t, bare)
	if e := onlyEntry(t, res); e.Amount.Amount != -420 || e.Amount.Currency != "EUR" || res.Statements[0].Account.Number != "123" {
		t.Errorf("got %+v", res.Statements[0])
	}
	if w := warningsText(res); !strings.Contains(w, "wrapper is missing") {
		t.Errorf("warnings:\n%s", w)
	}
}

func TestParse_TakesTheAccountCurrencyFromTheFirstAmountWhenAcctHasNone(t *testing.T) {
	xml := strings.Replace(doc("02", `<Ntry><Amt Ccy="CHF">3.10</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts></Ntry>`), "<Ccy>EUR</Ccy>", "", 1)
	st := mustParse(t, xml).Statements[0]
	if st.Account.Currency != "CHF" {
		t.Errorf("account currency %q, want CHF", st.Account.Currency)
	}
}

func TestSniff_RecognisesCamtWhateverTheNamespace(t *testing.T) {
	for name, tc := range map[string]struct {
		data string
		want bool
	}{
		"camt.053":         {doc("02", ""), true},
		"no namespace":     {`<Document><BkToCstmrAcctRpt/></Document>`, true},
		"prefixed":         {`<?xml version="1.0"?><n:Document xmlns:n="urn:x"><n:BkToCstmrDbtCdtNtfctn/></n:Document>`, true},
		"BOM":              {"\xef\xbb\xbf" + doc("08", ""), true},
		"pain.001":         {`<Document><CstmrCdtTrfInitn/></Document>`, false},
		"MT940":            {":20:STARTUMS\n:25:1/2\n", false},
		"OFX":              {"OFXHEADER:100\n<OFX><BANKMSGSRSV1>", false},
		"empty":            {"", false},
		"other XML root":   {`<Invoice><BkToCstmrStmt/></Invoice>`, false},
		"truncated header": {`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr>`, true},
	} {
		if got := Sniff([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: Sniff = %v, want %v", name, got, tc.want)
		}
	}
}

// FuzzParse proves that no input makes Parse panic, and that whatever it
// accepts has a known format and amounts in a currency's exponent.
func FuzzParse(f *testing.F) {
	f.Add([]byte(doc("02", ntry("1.00", "CRDT", ""))))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data)
		Sniff(data)
		if err != nil {
			var e *backoffice.Error
			if !errors.As(err, &e) || e.Code != backoffice.EInvalid || e.Message == "" {
				t.Fatalf("error %v is not an invalid *backoffice.Error", err)
			}
			return
		}
		if res.Format != "camt.052" && res.Format != "camt.053" && res.Format != "camt.054" {
			t.Fatalf("format %q", res.Format)
		}
		for _, w := range res.Warnings {
			if w.Message == "" || w.Line < 0 {
				t.Fatalf("bad warning %+v", w)
			}
		}
	})
}
