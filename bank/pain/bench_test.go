package pain

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// BenchmarkWriteCreditTransfer writes a file of 10,000 payments, the size
// of a large supplier run.
func BenchmarkWriteCreditTransfer(b *testing.B) {
	ct := transfer()
	base := ct.Payments
	ct.Payments = nil
	for i := range 10000 {
		p := base[i%len(base)]
		p.EndToEndID = fmt.Sprintf("BO-1-1-%d", i+1)
		ct.Payments = append(ct.Payments, p)
	}
	for b.Loop() {
		if err := WriteCreditTransfer(io.Discard, ct, CreditTransfer09); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRead reads a status report of 10,000 transactions.
func BenchmarkRead(b *testing.B) {
	doc := report("10")
	tx := doc[strings.Index(doc, "      <TxInfAndSts>") : strings.Index(doc, "      </TxInfAndSts>")+len("      </TxInfAndSts>\n")]
	doc = strings.Replace(doc, tx, strings.Repeat(tx, 10000), 1)
	data := []byte(doc)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
