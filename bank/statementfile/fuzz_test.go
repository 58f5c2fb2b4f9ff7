package statementfile

import "testing"

// FuzzParse proves detection and every parser behind it never panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(":20:X\n:25:1\n:61:2601010101D1,NTRF\n"))
	f.Add([]byte("OFXHEADER:100\n<OFX><STMTRS><CURDEF>EUR</STMTRS></OFX>"))
	f.Add([]byte("Date;Amount\n01.01.2026;1,00\n"))
	f.Add([]byte(`<?xml version="1.0"?><Document><BkToCstmrStmt><Stmt><Id>1</Id></Stmt></BkToCstmrStmt></Document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Parse(data, Options{})
	})
}
