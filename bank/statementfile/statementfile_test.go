package statementfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"backoffice"
	"backoffice/bank/csvimport"
)

const shared = "../../../shared/testdata/bank"

// TestDetect_EverySharedSample proves each published sample is recognised
// as its own format from its content alone.
func TestDetect_EverySharedSample(t *testing.T) {
	cases := map[string]string{"camt053/*.xml": FormatCamt, "camt052/*.xml": FormatCamt, "camt054/*.xml": FormatCamt,
		"ofx/*/*": FormatOFX, "other/csv-statements/*.csv": FormatCSV,
		"mt940/wolph-jejik/*": FormatMT940, "mt940/wolph-ASNB/*": FormatMT940}
	n := 0
	for pattern, want := range cases {
		files, _ := filepath.Glob(filepath.Join(shared, pattern))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			n++
			if got := Detect(data); got != want {
				t.Errorf("%s: detected %q, want %q", f, got, want)
			}
		}
	}
	if n == 0 {
		t.Skip("shared samples are absent")
	}
}

func TestDetect_FromContent(t *testing.T) {
	cases := map[string]string{
		"\xEF\xBB\xBF  \r\n<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>": FormatCamt,
		"OFXHEADER:100\r\nDATA:OFXSGML\r\n":                     FormatOFX,
		"<OFX><BANKMSGSRSV1>":                                   FormatOFX,
		"{1:F01ABNANL2AXXXX0000000000}{2:O940ABNANL2AXXXXN}{4:": FormatMT940,
		"\r\n:20:STARTUMS\r\n:25:12345678/1234\r\n:28C:1\r\n":   FormatMT940,
		"Date;Amount\n2026-01-01;1,00\n":                        FormatCSV,
		"%PDF-1.7 binary\x00":                                   "",
		"":                                                      "",
	}
	for in, want := range cases {
		if got := Detect([]byte(in)); got != want {
			t.Errorf("Detect(%.30q) = %q, want %q", in, got, want)
		}
	}
}

func TestParse_RefusesUnknownContent(t *testing.T) {
	_, err := Parse([]byte("%PDF-1.7\x00\x01"), Options{})
	if backoffice.ErrorCode(err) != backoffice.EInvalid || !strings.Contains(err.Error(), `not a bank statement: expected camt XML, MT940, OFX or CSV; the file starts with "%PDF-1.7`) {
		t.Errorf("got %v", err)
	}
}

func TestParse_ExplicitFormatOverridesDetection(t *testing.T) {
	// A one-column text is no CSV for detection, but a profile reads it.
	data := []byte("2026-01-05\n")
	if _, err := Parse(data, Options{}); err == nil {
		t.Fatal("auto detection accepted a file it cannot recognise")
	}
	p := csvimport.Profile{DateColumn: "#1", AmountColumn: "#1", DateFormat: "2006-01-02", Currency: "EUR"}
	res, err := Parse(data, Options{Format: "csv", CSVProfile: &p})
	if err != nil || res.Format != "csv" {
		t.Fatalf("got %v %+v", err, res)
	}
	if _, err := Parse(data, Options{Format: "qif"}); backoffice.ErrorCode(err) != backoffice.EInvalid {
		t.Errorf("unknown format: got %v", err)
	}
}

func TestParse_ReadsEachFormat(t *testing.T) {
	cases := map[string]string{
		"ofx/ofxparse/checking.ofx":                    "ofx",
		"mt940/wolph-self-provided/mt942.sta":          "mt942",
		"mt940/wolph-jejik/abnamro.sta":                "mt940",
		"other/csv-statements/sample_statement_en.csv": "csv",
		"camt053/camt053.v2.minimal.xml":               "camt.053",
	}
	for path, want := range cases {
		data, err := os.ReadFile(filepath.Join(shared, path))
		if err != nil {
			t.Skip("shared samples are absent")
		}
		res, err := Parse(data, Options{Format: "auto"})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if res.Format != want || len(res.Statements) == 0 {
			t.Errorf("%s: format %q with %d statements; want %q with statements", path, res.Format, len(res.Statements), want)
		}
	}
}
