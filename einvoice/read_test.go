package einvoice

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
)

// TestNormalisedJSON_MatchesGoldenForEveryExample reads every published
// example and compares its normalised JSON with testdata/golden (rewrite
// with -update, then read the diff).
func TestNormalisedJSON_MatchesGoldenForEveryExample(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.name, func(t *testing.T) {
			data, err := os.ReadFile(e.path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Read(data)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if doc.Format != e.format {
				t.Errorf("format %q, want %q", doc.Format, e.format)
			}
			got, err := doc.NormalisedJSON()
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", e.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden file (run with -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("normalised JSON differs from %s:\n%s", golden, got)
			}
		})
	}
}

func TestRead_RejectsWhatIsNotAnEInvoice(t *testing.T) {
	for _, tc := range []struct {
		name, xml, want string
	}{
		{"order", `<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>`, "root element is Order in namespace urn:oasis:names:specification:ubl:schema:xsd:Order-2"},
		{"invoice without namespace", `<Invoice/>`, "root element is Invoice;"},
		{"not XML", `hello`, "text outside the root element"},
		{"empty", ``, "no root element"},
		{"DOCTYPE", `<!DOCTYPE x [<!ENTITY a "b">]><Invoice/>`, "DOCTYPE"},
		{"undeclared prefix", `<x:Invoice/>`, "prefix x of element x:Invoice is not declared"},
		{"crossed tags", `<a><b></a></b>`, "element b is closed by </a>"},
		{"unknown entity", `<a>&nbsp;</a>`, "unknown entity"},
		{"unclosed", `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">`, "not well-formed"},
		{"unknown encoding", `<?xml version="1.0" encoding="EBCDIC"?><a/>`, "not well-formed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read([]byte(tc.xml))
			if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Read error %v, want invalid containing %q", err, tc.want)
			}
			if _, verr := Validate([]byte(tc.xml)); backoffice.ErrorCode(verr) != backoffice.EInvalid {
				t.Fatalf("Validate error %v, want invalid", verr)
			}
		})
	}
}

func TestRead_DecodesLatin1AndEntities(t *testing.T) {
	doc := append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>M`), 0xFC)
	doc = append(doc, []byte(`ller &amp; S&#246;hne <![CDATA[<1>]]></cbc:ID></Invoice>`)...)
	d, err := Read(doc)
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "Müller & Söhne <1>" {
		t.Errorf("Number = %q", d.Number)
	}
}

func TestRead_NamesEveryUnreadableAmountAndDate(t *testing.T) {
	doc := `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
 <cbc:IssueDate>2026-02-30</cbc:IssueDate>
 <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">1e3</cbc:PayableAmount></cac:LegalMonetaryTotal>
</Invoice>`
	_, err := Read([]byte(doc))
	var e *backoffice.Error
	if !asError(err, &e) || e.Code != backoffice.EInvalid {
		t.Fatalf("Read error %v, want invalid", err)
	}
	for _, field := range []string{"/ubl:Invoice[1]/cbc:IssueDate[1]", "/ubl:Invoice[1]/cac:LegalMonetaryTotal[1]/cbc:PayableAmount[1]"} {
		if e.Fields[field] == "" {
			t.Errorf("no message for %s in %v", field, e.Fields)
		}
	}
}

func TestAmount_KeepsTheDecimalsWritten(t *testing.T) {
	for in, want := range map[string]string{"100.00": "100.00", "+5": "5", " -0.5 ": "-0.5", "1.000": "1.000"} {
		a, err := ParseAmount(in)
		if err != nil || a.String() != want {
			t.Errorf("ParseAmount(%q) = %q, %v; want %q", in, a.String(), err, want)
		}
	}
	for _, bad := range []string{"", "1,5", "1e3", "NaN", "12345678901234567890.5"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) accepted", bad)
		}
	}
}

func asError(err error, target **backoffice.Error) bool {
	e, ok := err.(*backoffice.Error)
	if ok {
		*target = e
	}
	return ok
}
