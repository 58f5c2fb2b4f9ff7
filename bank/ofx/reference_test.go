package ofx

import (
	"os"
	"path/filepath"
	"testing"
)

// TestParse_AgreesWithOfxparse checks the figures jseutter/ofxparse's own
// tests expect of its fixtures.
func TestParse_AgreesWithOfxparse(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(samples, "ofxparse", name))
		if err != nil {
			t.Skip("shared OFX samples are absent")
		}
		return data
	}
	// fail_nice/date_missing.ofx: three transactions discarded (no, empty, invalid date).
	res, err := Parse(read("date_missing.ofx"))
	if err != nil || len(res.Statements[0].Entries) != 0 || len(res.Warnings) != 4 {
		t.Errorf("date_missing: %v, %d entries, warnings %v", err, len(res.Statements[0].Entries), res.Warnings)
	}
	// fail_nice/decimal_error.ofx: the "$120" transaction discarded.
	res, err = Parse(read("decimal_error.ofx"))
	if err != nil || len(res.Statements[0].Entries) != 0 {
		t.Errorf("decimal_error: %v %+v", err, res)
	}
	// multiple_accounts2.ofx: accounts 9100 and 9200, routing number 123.
	res, err = Parse(read("multiple_accounts2.ofx"))
	if err != nil || len(res.Statements) != 2 || res.Statements[0].Account.Number != "123/00/9100" || res.Statements[1].Account.Number != "123/00/9200" {
		t.Errorf("multiple_accounts2: %v %+v", err, res)
	}
	// checking.ofx (Intuit QFX): the check fee is -25.00 with check number 319.
	res, err = Parse(read("checking.ofx"))
	if err != nil {
		t.Fatal(err)
	}
	e := res.Statements[0].Entries[2]
	if e.Amount.String() != "-25.00 USD" || e.BankTxCode != "CHECK" || e.BankReference != "0000488" {
		t.Errorf("checking: %+v", e)
	}
}
