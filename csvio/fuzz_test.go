package csvio_test

import (
	"bytes"
	"context"
	"testing"

	"backoffice/csvio"
)

// FuzzImport feeds arbitrary bytes to Import: it must never panic, must never
// commit when it reports errors, and every reported line must lie in the file.
func FuzzImport(f *testing.F) {
	f.Add([]byte("email,name,role\nann@x.org,Ann,admin\n"))
	f.Add([]byte("\ufeffemail;name\n\"a\nb\";\"c\"\"d\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &committer{}
		rep, err := csvio.Import(context.Background(), bytes.NewReader(data), userSchema(), csvio.Options{MaxRows: 1000, MaxFieldSize: 1000}, c.commit)
		if err != nil && c.calls != 0 && len(rep.Errors) == 0 {
			t.Fatalf("committed and failed without blaming a row: %v", err)
		}
		if len(rep.Errors) > 0 && (err == nil || rep.Imported != 0) {
			t.Fatalf("errors %+v but err %v, imported %d", rep.Errors, err, rep.Imported)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, e := range rep.Errors {
			if e.Line < 1 || e.Line > lines {
				t.Fatalf("error on line %d of a %d-line file: %+v", e.Line, lines, e)
			}
		}
		if err == nil && rep.Imported != len(c.items) {
			t.Fatalf("imported %d, committed %d", rep.Imported, len(c.items))
		}
	})
}
