package mt940

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const samples = "../../../shared/testdata/bank/mt940"

// expectedErrors are samples that are not statements at all.
var expectedErrors = map[string]bool{
	"wolph-self-provided/invalid_statement.sta": true, // lines "1" to "10", no field
}

// TestParse_Samples parses every published sample and compares the
// normalised result, warnings included, with its golden file.
func TestParse_Samples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samples, "*", "*"))
	if len(files) == 0 {
		t.Skip("shared MT940 samples are absent")
	}
	for _, path := range files {
		rel, _ := filepath.Rel(samples, path)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse(data)
			if expectedErrors[filepath.ToSlash(rel)] {
				if err == nil {
					t.Fatalf("Parse succeeded; want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, strings.ReplaceAll(rel, string(filepath.Separator), "__")+".json", append(got, '\n'))
		})
	}
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
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
		t.Fatalf("golden file missing (run go test -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s:\n%s", golden, got)
	}
}
