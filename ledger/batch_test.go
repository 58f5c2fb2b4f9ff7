package ledger_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPostBatch_AllOrNothingWithPerEntryErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		must(t, e.s.SetLockDate(e.ctx, e.company, "", day("2026-01-31"), ""))
		var batch []ledger.NewEntry
		for i := range 10 {
			batch = append(batch, e.entry("2026-03-01", "1110", "4010", int64(100+i)))
		}
		batch[3].Lines[1].AccountID = 999999
		batch[7].Lines[0].Amount = 1
		batch[8].Date = day("2026-01-15")
		_, err := e.s.PostBatch(e.ctx, e.company, batch)
		wantError(t, err, backoffice.EInvalid, "entries[3].lines[1].account", "entries[7].lines", "entries[8].date")
		e.nothingStored()

		batch[3].Lines[1].AccountID = e.acct("4010")
		batch[7].Lines[0].Amount = 107
		batch[8].Date = day("2026-03-01")
		batch[9].IdempotencyKey = "batch-9"
		out, err := e.s.PostBatch(e.ctx, e.company, batch)
		must(t, err)
		if len(out) != 10 || out[0].Number != "GEN-2026-000001" || out[9].Number != "GEN-2026-000010" || out[9].ID == 0 {
			t.Fatalf("batch posted %d entries, first %q last %q", len(out), out[0].Number, out[9].Number)
		}
		var sum int64
		for i := range 10 {
			sum += int64(100 + i)
		}
		if got := e.balance("1110", "2026-03-01"); got != sum {
			t.Fatalf("bank balance = %d, want %d", got, sum)
		}
		// A retry of the batch's keyed entry answers with the first posting.
		again, err := e.s.PostBatch(e.ctx, e.company, batch[9:])
		must(t, err)
		if again[0].ID != out[9].ID {
			t.Fatalf("retry posted entry %d again as %d", out[9].ID, again[0].ID)
		}
		var changes int
		must(t, db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE entity = 'journal_entry' AND action = 'post'`).Scan(&changes))
		if changes != 10 {
			t.Fatalf("%d change records for 10 entries, want one each", changes)
		}
		_, err = e.s.PostBatch(e.ctx, e.company, make([]ledger.NewEntry, ledger.MaxBatch+1))
		wantError(t, err, backoffice.EInvalid, "entries")
	})
}

func TestGroupCommit_ConcurrentPostsAllDurableAndNumbered(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		g := &ledger.Poster{Service: e.s}
		const workers, each = 32, 20
		var mu sync.Mutex
		var numbers []string
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					// The hot account: every entry debits the main bank account.
					in := e.entry("2026-03-02", "1110", fmt.Sprintf("61%d0", (w+i)%9), 100)
					out, err := g.Post(e.ctx, e.company, in)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					numbers = append(numbers, out.Number)
					mu.Unlock()
				}
			})
		}
		// A bad entry fails alone while the others commit.
		bad := e.entry("2026-03-02", "1110", "6100", 100)
		bad.Lines[0].Amount = 99
		_, err := g.Post(e.ctx, e.company, bad)
		wantError(t, err, backoffice.EInvalid, "lines")
		wg.Wait()
		sort.Strings(numbers)
		if len(numbers) != workers*each {
			t.Fatalf("%d entries posted, want %d", len(numbers), workers*each)
		}
		for i, n := range numbers {
			if n != "GEN-2026-"+num(i+1) {
				t.Fatalf("number %d is %s", i+1, n)
			}
		}
		if got := e.balance("1110", "2026-12-31"); got != workers*each*100 {
			t.Fatalf("hot account balance = %d, want %d", got, workers*each*100)
		}
		if n := e.count("ledger_entries"); n != workers*each {
			t.Fatalf("%d entries stored", n)
		}
	})
}
