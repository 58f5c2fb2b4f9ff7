package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateEinvoice_ExitStatusFollowsTheVerdict(t *testing.T) {
	examples, _ := filepath.Glob("../../../shared/testdata/einvoice/peppol/en16931/ubl/examples/*.xml")
	if len(examples) == 0 {
		t.Skip("shared testdata not present")
	}
	data, err := os.ReadFile(examples[0])
	must(t, err)
	if code, out, errOut := cli(t, "", "validate", "einvoice", examples[0]); code != 0 || !strings.Contains(out, "valid") {
		t.Fatalf("valid example: exit %d %s %s", code, out, errOut)
	}
	// Without its specification identifier the invoice breaks BR-01.
	broken := filepath.Join(t.TempDir(), "broken.xml")
	text := string(data)
	start := strings.Index(text, "<cbc:CustomizationID>")
	end := strings.Index(text, "</cbc:CustomizationID>") + len("</cbc:CustomizationID>")
	must(t, os.WriteFile(broken, []byte(text[:start]+text[end:]), 0o600))
	code, out, _ := cli(t, "", "validate", "einvoice", "--json", broken)
	var rep struct {
		Valid  bool `json:"valid"`
		Errors []struct {
			Rule, Flag, Location, Message string
		} `json:"errors"`
	}
	if code != 1 || json.Unmarshal([]byte(out), &rep) != nil || rep.Valid || !strings.Contains(out, `"rule": "BR-01"`) {
		t.Fatalf("broken invoice: exit %d\n%s", code, out)
	}
	junk := filepath.Join(t.TempDir(), "junk.xml")
	must(t, os.WriteFile(junk, []byte("not xml at all"), 0o600))
	if code, _, errOut := cli(t, "", "validate", "einvoice", junk); code != 2 || !strings.Contains(errOut, "junk.xml") {
		t.Fatalf("unreadable file: exit %d %s", code, errOut)
	}
	if code, out, _ := cli(t, "", "parse", "einvoice", "--json", examples[0]); code != 0 || !strings.Contains(out, `"payable_amount"`) {
		t.Fatalf("parse einvoice: exit %d %s", code, out)
	}
}
