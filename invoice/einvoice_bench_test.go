package invoice_test

import (
	"io"
	"testing"

	"backoffice/invoice"
	"backoffice/sqldb/sqldbtest"
)

// BenchmarkWriteEInvoice_UBL writes posted five-line invoices as UBL (issue
// 5 target: at least 1,000 documents a second).
func BenchmarkWriteEInvoice_UBL(b *testing.B) {
	e := newEnv(b, sqldbtest.SQLite(b))
	e.sellerAndBuyer()
	ids := e.draftInvoices(b, 200)
	if _, err := e.s.PostBatch(e.ctx, e.company, ids); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if err := e.s.WriteEInvoice(e.ctx, e.company, ids[i%len(ids)], invoice.FormatUBL, io.Discard); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkExportEInvoice_UBL is the same with the native validation of each
// document (target for validation alone: at least 500 documents a second).
func BenchmarkExportEInvoice_UBL(b *testing.B) {
	e := newEnv(b, sqldbtest.SQLite(b))
	e.sellerAndBuyer()
	ids := e.draftInvoices(b, 200)
	if _, err := e.s.PostBatch(e.ctx, e.company, ids); err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, err := e.s.ExportEInvoice(e.ctx, e.company, ids[i%len(ids)], invoice.FormatUBL, io.Discard); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
