package camt

import (
	"strings"
	"testing"
)

// BenchmarkParse reads a statement of 10,000 entries with transaction details.
func BenchmarkParse(b *testing.B) {
	inner := `<AcctSvcrRef>REF</AcctSvcrRef><NtryDtls><TxDtls><Refs><EndToEndId>E2E</EndToEndId></Refs>
<RltdPties><Dbtr><Nm>Payer Name</Nm></Dbtr><DbtrAcct><Id><IBAN>NL91ABNA0417164300</IBAN></Id></DbtrAcct></RltdPties>
<RmtInf><Ustrd>Invoice 2026-0001 thank you</Ustrd></RmtInf></TxDtls></NtryDtls>`
	data := []byte(doc("08", strings.Repeat(ntry("123.45", "CRDT", inner)+"\n", 10000)))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		res, err := Parse(data)
		if err != nil || len(res.Statements[0].Entries) != 10000 {
			b.Fatal(err)
		}
	}
}
