package bank_test

import (
	"fmt"
	"strings"
	"testing"

	"backoffice/bank"
	"backoffice/sqldb/sqldbtest"
)

// BenchmarkImport_MT940With10000Lines imports one statement of 10,000
// distinct lines into SQLite, then the same lines again in an overlapping
// statement (all skipped).
func BenchmarkImport_MT940With10000Lines(b *testing.B) {
	const n = 10000
	var sb strings.Builder
	sb.WriteString(":20:BENCH\r\n:25:12345678\r\n:28C:1\r\n:60F:C260101EUR0,00\r\n")
	for i := range n {
		fmt.Fprintf(&sb, ":61:2601020102C1,00NTRFNONREF//R%d\r\n:86:payment %d\r\n", i, i)
	}
	fmt.Fprintf(&sb, ":62F:C260102EUR%d,00\r\n-\r\n", n)
	first := []byte(sb.String())
	again := []byte(strings.Replace(sb.String(), ":28C:1", ":28C:2", 1))
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b, sqldbtest.SQLite(b))
		e.account("Main", "", "12345678")
		b.StartTimer()
		for _, data := range [][]byte{first, again} {
			if _, err := e.s.Import(e.ctx, e.company, "bench.sta", data, bank.ImportOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
