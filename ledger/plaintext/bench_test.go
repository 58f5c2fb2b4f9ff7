package plaintext

import (
	"bytes"
	"testing"
	"time"
)

// BenchmarkParse_100kTransactions parses a generated journal of 100,000
// transactions over 100 accounts and reports transactions per second.
func BenchmarkParse_100kTransactions(b *testing.B) {
	const n = 100_000
	var buf bytes.Buffer
	if err := Generate(&buf, n, 100, 1); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		j, err := Parse("bench.journal", bytes.NewReader(buf.Bytes()), Options{Dialect: DialectLedger})
		if err != nil || len(j.Transactions) != n {
			b.Fatalf("parse: %v", err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/time.Since(start).Seconds(), "tx/s")
}
