package invoice_test

import (
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb/sqldbtest"
)

// BenchmarkCreatePayment posts b.N payments on SQLite, each allocated to
// one invoice of 119.00 in full: entry, match and change log in one
// transaction. Run it for the figure in the README:
//
//	go test ./invoice -run '^$' -bench CreatePayment -benchtime 10000x
func BenchmarkCreatePayment(b *testing.B) {
	e := newEnv(b, sqldbtest.SQLite(b))
	bank := e.acct("1110")
	invoices := make([]invoice.Document, b.N)
	for i := range invoices {
		invoices[i] = e.post(e.create(e.invoiceInput(line(qty(b, "1"), 10000, "VAT19"))).ID)
	}
	b.ResetTimer()
	for i := range b.N {
		_, err := e.s.CreatePayment(e.ctx, e.company, invoice.PaymentInput{Direction: invoice.Received, PartyID: e.customer.ID,
			Date: backoffice.NewDate(2026, 3, 10), AccountID: bank, Amount: 11900, Allocations: []invoice.AllocationInput{alloc(invoices[i], 11900)}})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "payments/s")
}
