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

// nothingStored fails when any entry, line or summary row exists.
func (e *env) nothingStored() {
	e.t.Helper()
	for _, table := range []string{"ledger_entries", "ledger_lines", "ledger_balances"} {
		if n := e.count(table); n != 0 {
			e.t.Errorf("%s has %d rows after a refused posting", table, n)
		}
	}
}

func TestPost_RejectsUnbalancedEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.entry("2026-03-01", "1110", "4010", 1000)
		in.Lines[1].Amount = -999
		_, err := e.s.Post(e.ctx, e.company, in)
		wantError(t, err, backoffice.EInvalid, "lines")
		e.nothingStored()
	})
}

func TestPost_RejectsClosedPeriod(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		must(t, e.s.SetLockDate(e.ctx, e.company, "sales", day("2026-03-31"), ""))
		sales := e.entry("2026-03-15", "1200", "4010", 1000)
		sales.JournalID = e.journals["SAL"].ID
		_, err := e.s.Post(e.ctx, e.company, sales)
		wantError(t, err, backoffice.EPeriodClosed, "date")
		e.nothingStored()
		// The general journal stays open while sales is locked.
		e.post(e.entry("2026-03-15", "1110", "4010", 1000))
		must(t, e.s.SetLockDate(e.ctx, e.company, "", day("2026-02-28"), ""))
		_, err = e.s.Post(e.ctx, e.company, e.entry("2026-02-28", "1110", "4010", 1000))
		wantError(t, err, backoffice.EPeriodClosed, "date")
		sales.Date = day("2026-04-01")
		e.post(sales)
	})
}

func TestLockDate_ReopeningNeedsAReasonAndIsLogged(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		must(t, e.s.SetLockDate(e.ctx, e.company, "", day("2026-02-28"), ""))
		wantError(t, e.s.SetLockDate(e.ctx, e.company, "", day("2026-01-31"), ""), backoffice.EInvalid, "reason")
		must(t, e.s.SetLockDate(e.ctx, e.company, "", day("2026-01-31"), "correct a February invoice"))
		e.post(e.entry("2026-02-15", "1110", "4010", 1000))
		var action, reason string
		must(t, db.QueryRowContext(e.ctx, `SELECT action, reason FROM audit_log WHERE entity = 'lock_date' ORDER BY seq DESC LIMIT 1`).Scan(&action, &reason))
		if action != "reopen" || reason != "correct a February invoice" {
			t.Fatalf("change log has %s %q", action, reason)
		}
		locks, err := e.s.LockDates(e.ctx, e.company)
		must(t, err)
		if len(locks) != 1 || locks[0].Date != day("2026-01-31") {
			t.Fatalf("locks = %+v", locks)
		}
	})
}

func TestPost_RejectsBadLinesNamingEveryField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		usd, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1130", Name: "USD bank", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "USD"})
		must(t, err)
		proj, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "6190", Name: "Projects", Type: ledger.Expense, Parent: "6000", RequiredDimensions: []string{"project"}})
		must(t, err)
		_, err = e.s.BlockAccount(e.ctx, e.company, e.acct("7900"), true)
		must(t, err)
		in := ledger.NewEntry{JournalID: e.journals["GEN"].ID, Date: day("2026-03-01"), Lines: []ledger.NewLine{
			{AccountID: 999999, Amount: 100},
			{AccountID: e.acct("7900"), Amount: 100},
			{AccountID: usd.ID, Amount: 100},
			{AccountID: proj.ID, Amount: 100, Dimensions: map[string]string{"department": "sales"}},
			{AccountID: e.acct("4010"), Amount: -400},
		}}
		_, err = e.s.Post(e.ctx, e.company, in)
		wantError(t, err, backoffice.EInvalid, "lines[0].account", "lines[1].account", "lines[2].currency", "lines[3].dimensions.project")
		e.nothingStored()
		in.Lines = in.Lines[2:]
		in.Lines[0].Currency, in.Lines[0].Rate = "USD", "0.5"
		in.Lines[1].Dimensions["project"] = "apollo"
		in.Lines[2].Amount = -150
		out := e.post(in)
		if out.Lines[0].CompanyAmount != 50 || out.Lines[0].Currency != "USD" {
			t.Fatalf("converted line = %+v", out.Lines[0])
		}
	})
}

func TestPost_NumbersAreGaplessPerJournalAndYear(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := e.post(e.entry("2026-03-01", "1110", "4010", 100))
		b := e.post(e.entry("2025-12-31", "1110", "4010", 100))
		sal := e.entry("2026-03-01", "1200", "4010", 100)
		sal.JournalID = e.journals["SAL"].ID
		c := e.post(sal)
		r, err := e.s.Reverse(e.ctx, e.company, a.ID, backoffice.Date{}, "typo")
		must(t, err)
		d := e.post(e.entry("2026-03-02", "1110", "4010", 100))
		got := []string{a.Number, b.Number, c.Number, r.Number, d.Number}
		want := []string{"GEN-2026-000001", "GEN-2025-000001", "SAL-2026-000001", "GEN-2026-000002", "GEN-2026-000003"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("numbers = %v, want %v", got, want)
		}

		// 8 goroutines × 50 entries into a fresh journal: numbers 1..400.
		j, err := e.s.CreateJournal(e.ctx, e.company, ledger.NewJournal{Code: "CON", Name: "Concurrent", Type: "general"})
		must(t, err)
		var mu sync.Mutex
		var numbers []string
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Go(func() {
				for i := range 50 {
					in := e.entry("2026-03-05", "1110", "4010", int64(g*100+i+1))
					in.JournalID = j.ID
					out, err := e.s.Post(e.ctx, e.company, in)
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
		wg.Wait()
		sort.Strings(numbers)
		if len(numbers) != 400 {
			t.Fatalf("%d entries posted", len(numbers))
		}
		for i, n := range numbers {
			if n != "CON-2026-"+num(i+1) {
				t.Fatalf("number %d is %s: a gap or a duplicate", i+1, n)
			}
		}
	})
}

func TestReverse_RestoresEveryBalance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		e.post(e.entry("2026-03-01", "1110", "3010", 50_000))
		in := ledger.NewEntry{JournalID: e.journals["PUR"].ID, Date: day("2026-03-03"), Lines: []ledger.NewLine{
			{AccountID: e.acct("6100"), Amount: 1000}, {AccountID: e.acct("1400"), Amount: 210}, {AccountID: e.acct("2010"), Amount: -1210},
		}}
		orig := e.post(in)
		codes := []string{"1110", "3010", "6100", "1400", "2010"}
		before := map[string]int64{}
		for _, c := range codes {
			before[c] = e.balance(c, "2026-12-31")
		}
		r, err := e.s.Reverse(e.ctx, e.company, orig.ID, day("2026-03-10"), "wrong supplier")
		must(t, err)
		if r.ReversesID != orig.ID || r.Date != day("2026-03-10") {
			t.Fatalf("reversal = %+v", r)
		}
		for _, c := range codes {
			want := before[c]
			if c == "6100" || c == "1400" || c == "2010" {
				want = 0
			}
			if got := e.balance(c, "2026-12-31"); got != want {
				t.Errorf("balance of %s after reversal = %d, want %d", c, got, want)
			}
		}
		if got := e.balance("6100", "2026-03-05"); got != 1000 {
			t.Errorf("balance of 6100 between posting and reversal = %d, want 1000", got)
		}
		again, err := e.s.GetEntry(e.ctx, e.company, orig.ID)
		must(t, err)
		if again.ReversedByID != r.ID {
			t.Fatalf("original not linked to its reversal: %+v", again)
		}
		_, err = e.s.Reverse(e.ctx, e.company, orig.ID, backoffice.Date{}, "again")
		wantError(t, err, backoffice.EConflict)
	})
}

func TestPost_IdempotencyKeyReturnsTheFirstEntry(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.entry("2026-03-01", "1110", "4010", 1000)
		in.IdempotencyKey = "inv-42"
		first := e.post(in)
		again := e.post(in)
		if again.ID != first.ID || again.Number != first.Number || len(again.Lines) != 2 {
			t.Fatalf("retry gave %+v, want entry %d", again, first.ID)
		}
		in.Lines[0].Amount, in.Lines[1].Amount = 2000, -2000
		_, err := e.s.Post(e.ctx, e.company, in)
		wantError(t, err, backoffice.EConflict, "idempotency_key")
		if n := e.count("ledger_entries"); n != 1 {
			t.Fatalf("%d entries stored, want 1", n)
		}
		// Concurrent retries of one key give one entry.
		in.IdempotencyKey = "inv-43"
		var wg sync.WaitGroup
		ids := make([]backoffice.ID, 8)
		for i := range ids {
			wg.Go(func() {
				out, err := e.s.Post(e.ctx, e.company, in)
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = out.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Fatalf("concurrent retries posted several entries: %v", ids)
			}
		}
	})
}

func TestDraft_ChangesFreelyUntilPosted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		in := e.entry("2026-03-01", "1110", "4010", 1000)
		in.Lines[1].Amount = -1
		d, err := e.s.CreateDraft(e.ctx, e.company, in)
		must(t, err)
		if d.State != ledger.Draft || d.Number != "" {
			t.Fatalf("draft = %+v", d)
		}
		_, err = e.s.PostDraft(e.ctx, e.company, d.ID, d.Version)
		wantError(t, err, backoffice.EInvalid, "lines")
		in.Lines[1].Amount = -1000
		d, err = e.s.UpdateDraft(e.ctx, e.company, d.ID, d.Version, in)
		must(t, err)
		_, err = e.s.UpdateDraft(e.ctx, e.company, d.ID, 1, in)
		wantError(t, err, backoffice.EPrecondition)
		p, err := e.s.PostDraft(e.ctx, e.company, d.ID, d.Version)
		must(t, err)
		if p.ID != d.ID || p.State != ledger.Posted || p.Number != "GEN-2026-000001" {
			t.Fatalf("posted draft = %+v", p)
		}
		if got := e.balance("1110", "2026-03-01"); got != 1000 {
			t.Fatalf("balance after posting the draft = %d", got)
		}
		_, err = e.s.UpdateDraft(e.ctx, e.company, d.ID, 0, in)
		wantError(t, err, backoffice.EConflict)
		wantError(t, e.s.DeleteDraft(e.ctx, e.company, d.ID, 0), backoffice.EConflict)
	})
}

func TestPostTx_CommitsAndRollsBackWithTheCallersTransaction(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		errRollback := fmt.Errorf("the caller's own write failed")
		err := db.InTx(e.ctx, func(tx *sqldb.Tx) error {
			if _, err := e.s.PostTx(e.ctx, tx, e.company, e.entry("2026-03-01", "1110", "4010", 1000)); err != nil {
				return err
			}
			return errRollback
		})
		if err != errRollback {
			t.Fatalf("InTx = %v, want the caller's error", err)
		}
		e.nothingStored()

		bad := e.entry("2026-03-01", "1110", "4010", 1000)
		bad.Lines[1].Amount = -1
		err = db.InTx(e.ctx, func(tx *sqldb.Tx) error {
			_, err := e.s.PostTx(e.ctx, tx, e.company, bad)
			return err
		})
		wantError(t, err, backoffice.EInvalid, "lines")

		var got ledger.Entry
		must(t, db.InTx(e.ctx, func(tx *sqldb.Tx) error {
			var err error
			got, err = e.s.PostTx(e.ctx, tx, e.company, e.entry("2026-03-01", "1110", "4010", 1000))
			return err
		}))
		if got.Number != "GEN-2026-000001" || got.State != ledger.Posted {
			t.Fatalf("posted %+v, want GEN-2026-000001 posted (the rolled-back number is not used)", got)
		}
		if n := e.count("ledger_lines"); n != 2 {
			t.Fatalf("%d lines stored, want 2", n)
		}
	})
}
