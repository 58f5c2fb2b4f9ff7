package einvoice

import (
	"os"
	"strings"
	"testing"
)

// BenchmarkValidate_UBLExamples validates the CEN UBL examples in turn; the
// issue's target is at least 500 documents/s (Saxon takes about 2 s each).
func BenchmarkValidate_UBLExamples(b *testing.B) {
	var docs [][]byte
	for _, e := range examples(b) {
		if e.format != FormatCII && strings.HasPrefix(e.name, "cen-") {
			data, err := os.ReadFile(e.path)
			if err != nil {
				b.Fatal(err)
			}
			docs = append(docs, data)
		}
	}
	if _, err := compiledRules(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Validate(docs[i%len(docs)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
