package csvimport

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const samples = "../../../shared/testdata/bank/other/csv-statements"

// TestGuessAndParse_Samples guesses a profile for every published sample,
// parses the file with it and compares both with the golden file.
func TestGuessAndParse_Samples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samples, "*.csv"))
	if len(files) == 0 {
		t.Skip("shared CSV samples are absent")
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Guess(data)
			if err != nil {
				t.Fatalf("Guess: %v", err)
			}
			res, err := Parse(data, p)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, err := json.MarshalIndent(map[string]any{"profile": p, "result": res}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Base(path)+".json", append(got, '\n'))
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
