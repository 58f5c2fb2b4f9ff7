package invoice_test

import (
	"bytes"
	"testing"

	"backoffice/backup"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestBackup_CancelledInvoicesRestoreOnEitherDatabase proves that posted
// and cancelled documents, which point at later ones (an invoice at the
// credit note that cancelled it), survive a backup of either dialect
// restored on PostgreSQL.
func TestBackup_CancelledInvoicesRestoreOnEitherDatabase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, src *sqldb.DB) {
		e := newEnv(t, src)
		inv := e.post(e.create(e.invoiceInput(line(qty(t, "1"), 10000, "VAT19"))).ID)
		cn, err := e.s.Cancel(e.ctx, e.company, inv.ID, invoice.CancelInput{Reason: "test"})
		must(t, err)
		var b bytes.Buffer
		if _, err := backup.Write(e.ctx, src, &b, nil); err != nil {
			t.Fatal(err)
		}
		dst := sqldbtest.Postgres(t)
		if _, err := backup.Restore(e.ctx, dst, &b, nil); err != nil {
			t.Fatalf("restore: %v", err)
		}
		var cancelledBy int64
		must(t, dst.QueryRowContext(e.ctx, `SELECT cancelled_by_id FROM invoice_documents WHERE id = ?`, int64(inv.ID)).Scan(&cancelledBy))
		if cancelledBy != int64(cn.ID) {
			t.Errorf("restored invoice cancelled by %d, want %d", cancelledBy, cn.ID)
		}
	})
}
