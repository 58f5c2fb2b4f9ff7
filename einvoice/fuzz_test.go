package einvoice

import (
	"bytes"
	"io"
	"os"
	"testing"
)

// addExampleSeeds seeds a fuzz target with the small published examples;
// testdata/fuzz holds our own seeds besides.
func addExampleSeeds(f *testing.F) {
	for _, e := range examples(f) {
		data, err := os.ReadFile(e.path)
		if err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
}

// FuzzRead: Read never panics, and what it reads can always be written as JSON.
func FuzzRead(f *testing.F) {
	addExampleSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Read(data)
		if err != nil {
			return
		}
		if _, err := doc.NormalisedJSON(); err != nil {
			t.Fatalf("NormalisedJSON after a successful Read: %v", err)
		}
		// Whatever was read and can be written reads back.
		for _, write := range []func(io.Writer, *Document) error{WriteUBL, WriteCII} {
			var b bytes.Buffer
			if err := write(&b, doc); err != nil {
				continue
			}
			if _, err := Read(b.Bytes()); err != nil {
				t.Fatalf("a written document does not read back: %v\n%s", err, b.Bytes())
			}
		}
	})
}

// FuzzValidate: Validate never panics; a readable file always gets a
// report whose validity matches its fatal findings.
func FuzzValidate(f *testing.F) {
	addExampleSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Validate(data)
		if err != nil {
			return
		}
		fatal := false
		for _, e := range rep.Errors {
			if e.Flag == "fatal" {
				fatal = true
			}
			if e.Rule == "" || e.Location == "" {
				t.Fatalf("finding without rule or location: %+v", e)
			}
		}
		if rep.Valid == fatal {
			t.Fatalf("Valid = %v with fatal findings = %v", rep.Valid, fatal)
		}
	})
}
