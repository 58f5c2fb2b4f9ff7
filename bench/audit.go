package bench

import (
	"context"
	"fmt"
	"testing"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// auditTarget is what the change log must sustain: the ledger posts 5,000
// entries a second, each appending at least one change in its transaction.
const auditTarget = "not the bottleneck of a 5,000 postings/s ledger (>= 5,000 appends/s)"

// change is a typical posting's change: a handful of fields.
func change(i int) audit.Change {
	return audit.Change{CompanyID: 1, Entity: "journal_entry", EntityID: fmt.Sprint(i), Action: "post",
		New: map[string]any{"number": fmt.Sprintf("JE-%08d", i), "date": "2026-03-31", "amount": 1234567, "currency": "EUR", "memo": "Invoice 2026-0042"}}
}

// appendTx appends n changes in one transaction.
func appendTx(ctx context.Context, db *sqldb.DB, log *audit.Log, n, from int) error {
	changes := make([]audit.Change, n)
	for i := range changes {
		changes[i] = change(from + i)
	}
	return db.InTx(ctx, func(tx *sqldb.Tx) error {
		_, err := log.Append(ctx, tx, changes...)
		return err
	})
}

func benchCtx() context.Context {
	return backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 1, Name: "bench"})
}

// auditAppend appends perTx changes per transaction, one writer.
func auditAppend(perTx int) func(b *testing.B, db *sqldb.DB) float64 {
	return func(b *testing.B, db *sqldb.DB) float64 {
		ctx, log := benchCtx(), &audit.Log{}
		for i := 0; b.Loop(); i++ {
			if err := appendTx(ctx, db, log, perTx, i*perTx); err != nil {
				b.Fatal(err)
			}
		}
		return float64(b.N*perTx) / b.Elapsed().Seconds()
	}
}

// auditAppendParallel has four writers append one change per transaction:
// they queue on the chain head's row lock (PostgreSQL) or the write lock
// (SQLite), and this shows what that costs.
func auditAppendParallel(b *testing.B, db *sqldb.DB) float64 {
	ctx, log := benchCtx(), &audit.Log{}
	b.SetParallelism(4)
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if err := appendTx(ctx, db, log, 1, i); err != nil {
				b.Error(err)
				return
			}
		}
	})
	return float64(b.N) / b.Elapsed().Seconds()
}

// auditVerify walks a 20,000-record log.
func auditVerify(b *testing.B, db *sqldb.DB) float64 {
	const records = 20_000
	ctx, log := benchCtx(), &audit.Log{}
	for i := 0; i < records; i += 1000 {
		if err := appendTx(ctx, db, log, 1000, i); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		res, err := audit.Verify(ctx, db, nil)
		if err != nil || !res.OK || res.Records != records {
			b.Fatalf("verify: %+v %v", res, err)
		}
	}
	return float64(b.N*records) / b.Elapsed().Seconds()
}
