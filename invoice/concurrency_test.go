package invoice_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"backoffice"
	"backoffice/invoice"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestPost_ConcurrentPostersGetGaplessNumbers posts 24 drafts from 6
// goroutines at once, each draft twice: every draft is posted exactly once
// and the numbers are 1 to 24 without a gap or a repeat.
func TestPost_ConcurrentPostersGetGaplessNumbers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		const n = 24
		ids := make([]backoffice.ID, n)
		for i := range ids {
			ids[i] = e.create(e.invoiceInput(line(qty(t, "1"), int64(100+i), "VAT19"))).ID
		}
		var mu sync.Mutex
		var numbers []string
		refused := 0
		var wg sync.WaitGroup
		for w := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 2 * n {
					id := ids[(i+w*5)%n]
					d, err := e.s.Post(e.ctx, e.company, id, invoice.PostOptions{})
					mu.Lock()
					switch backoffice.ErrorCode(err) {
					case "":
						numbers = append(numbers, d.Number)
					case backoffice.EConflict:
						refused++
					default:
						t.Errorf("post %d: %v", id, err)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		slices.Sort(numbers)
		if len(numbers) != n {
			t.Fatalf("%d postings succeeded, want %d (%d refused)", len(numbers), n, refused)
		}
		for i, num := range numbers {
			if want := fmt.Sprintf("INV-2026-%05d", i+1); num != want {
				t.Fatalf("numbers %v: position %d is %s, want %s", numbers, i, num, want)
			}
		}
		if got := e.count("ledger_entries"); got != n {
			t.Errorf("%d ledger entries, want %d", got, n)
		}
	})
}
