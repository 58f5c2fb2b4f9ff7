package ledger_test

import (
	"testing"
	"time"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestPending_ReservesAgainstLimitsUntilPostedOrVoided(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		zero := int64(0)
		_, err := e.s.SetBalanceLimit(e.ctx, e.company, e.acct("1010"), &zero, nil)
		must(t, err)
		e.post(e.entry("2026-03-01", "1010", "3010", 1000))

		a, err := e.s.PostPending(e.ctx, e.company, e.entry("2026-03-02", "6120", "1010", 700), 0)
		must(t, err)
		if a.State != ledger.Pending || a.Number != "" || len(a.Lines) != 2 {
			t.Fatalf("pending entry = %+v", a)
		}
		b, err := e.s.Balance(e.ctx, e.company, e.acct("1010"), "", day("2026-12-31"))
		must(t, err)
		if b.CompanyBalance != 1000 || b.PendingCredit != 700 {
			t.Fatalf("balance with a pending entry = %+v", b)
		}
		// The reservation counts: 400 more would break the limit.
		_, err = e.s.PostPending(e.ctx, e.company, e.entry("2026-03-02", "6120", "1010", 400), 0)
		wantError(t, err, backoffice.ELimitExceeded, "lines[1].account")
		_, err = e.s.Post(e.ctx, e.company, e.entry("2026-03-02", "6120", "1010", 400))
		wantError(t, err, backoffice.ELimitExceeded)

		posted, err := e.s.PostPendingEntry(e.ctx, e.company, a.ID)
		must(t, err)
		if posted.ID != a.ID || posted.State != ledger.Posted || posted.Number != "GEN-2026-000002" {
			t.Fatalf("posted pending entry = %+v", posted)
		}
		b, err = e.s.Balance(e.ctx, e.company, e.acct("1010"), "", day("2026-12-31"))
		must(t, err)
		if b.CompanyBalance != 300 || b.PendingCredit != 0 {
			t.Fatalf("balance after posting = %+v", b)
		}
		_, err = e.s.PostPendingEntry(e.ctx, e.company, a.ID)
		wantError(t, err, backoffice.EConflict)

		c, err := e.s.PostPending(e.ctx, e.company, e.entry("2026-03-03", "6120", "1010", 300), 0)
		must(t, err)
		wantError(t, e.s.VoidPending(e.ctx, e.company, c.ID, ""), backoffice.EInvalid, "reason")
		must(t, e.s.VoidPending(e.ctx, e.company, c.ID, "order cancelled"))
		voided, err := e.s.GetEntry(e.ctx, e.company, c.ID)
		must(t, err)
		if voided.State != ledger.Voided || e.balance("1010", "2026-12-31") != 300 {
			t.Fatalf("voided entry = %+v", voided)
		}
		_, err = e.s.PostPendingEntry(e.ctx, e.company, c.ID)
		wantError(t, err, backoffice.EConflict)
	})
}

func TestPending_VoidsItselfAfterItsTimeout(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a, err := e.s.PostPending(e.ctx, e.company, e.entry("2026-03-02", "6120", "1010", 700), time.Minute)
		must(t, err)
		b, err := e.s.PostPending(e.ctx, e.company, e.entry("2026-03-02", "6120", "1010", 500), time.Hour)
		must(t, err)
		e.clockTime = e.clockTime.Add(2 * time.Minute)
		n, err := e.s.VoidExpired(e.ctx, 100)
		must(t, err)
		if n != 1 {
			t.Fatalf("voided %d entries, want 1", n)
		}
		got, err := e.s.GetEntry(e.ctx, e.company, a.ID)
		must(t, err)
		if got.State != ledger.Voided {
			t.Fatalf("expired entry is %s", got.State)
		}
		e.clockTime = e.clockTime.Add(time.Hour)
		_, err = e.s.PostPendingEntry(e.ctx, e.company, b.ID)
		wantError(t, err, backoffice.EConflict)
		bal, err := e.s.Balance(e.ctx, e.company, e.acct("1010"), "", day("2026-12-31"))
		must(t, err)
		if bal.PendingCredit != 0 || bal.CompanyBalance != 0 {
			t.Fatalf("balance after both timed out = %+v", bal)
		}
	})
}
