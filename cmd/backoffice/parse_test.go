package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStatement_PrintsNormalisedJSON(t *testing.T) {
	file := "../../../shared/testdata/bank/camt053/camt053.v2.all-balance-types.xml"
	if _, err := os.Stat(file); err != nil {
		t.Skip("shared testdata not present")
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"parse", "statement", "--json", file}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var res struct {
		Format     string `json:"format"`
		Statements []struct {
			Entries []struct {
				Amount string `json:"amount"`
			} `json:"entries"`
		} `json:"statements"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if res.Format != "camt.053" || len(res.Statements) != 1 || res.Statements[0].Entries[0].Amount != "8.85" {
		t.Fatalf("parsed %+v", res)
	}
}

func TestParseStatement_UnreadableFileExitsOneWithItsName(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "junk.bin")
	if err := os.WriteFile(bad, []byte("\x00\x01 not a statement"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"parse", "statement", bad}, nil, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "junk.bin") || !strings.Contains(errOut.String(), "not a bank statement") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}
