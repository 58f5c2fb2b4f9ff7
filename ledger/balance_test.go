package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"backoffice"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// naiveKey is an account and currency, for recomputed balances.
type naiveKey struct {
	account  backoffice.ID
	currency backoffice.Currency
}

type naiveSum struct{ debit, credit, companyDebit, companyCredit int64 }

// naive recomputes balances at the end of date from every posted line.
func naive(entries []ledger.Entry, date backoffice.Date) map[naiveKey]naiveSum {
	out := map[naiveKey]naiveSum{}
	for _, e := range entries {
		if e.Date.After(date) {
			continue
		}
		for _, l := range e.Lines {
			k := naiveKey{l.AccountID, l.Currency}
			s := out[k]
			if l.Amount > 0 {
				s.debit += l.Amount
			} else {
				s.credit -= l.Amount
			}
			if l.CompanyAmount > 0 {
				s.companyDebit += l.CompanyAmount
			} else {
				s.companyCredit -= l.CompanyAmount
			}
			out[k] = s
		}
	}
	return out
}

// randomBooks posts a seeded random stream of valid entries over three
// years, in EUR and USD, singly, in batches and as reversals.
func randomBooks(t *testing.T, e *env, seed uint64, n int) []ledger.Entry {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	usd, err := e.s.CreateAccount(e.ctx, e.company, ledger.NewAccount{Code: "1130", Name: "USD bank", Type: ledger.Asset, Subtype: "bank", Parent: "1100", Currency: "USD"})
	must(t, err)
	codes := []string{"1010", "1110", "1200", "1400", "2010", "2100", "3010", "4010", "4020", "6100", "6110", "7010"}
	var posted []ledger.Entry
	var batch []ledger.NewEntry
	for len(posted)+len(batch) < n {
		d := day("2024-01-01").AddDays(rng.IntN(3 * 365))
		in := ledger.NewEntry{JournalID: e.journals["GEN"].ID, Date: d, Reference: fmt.Sprint("R", len(posted))}
		var sum int64
		for range 1 + rng.IntN(3) {
			amt := rng.Int64N(200_000) - 100_000 + 1
			if amt == 0 {
				amt = 7
			}
			if rng.IntN(4) == 0 {
				in.Lines = append(in.Lines, ledger.NewLine{AccountID: usd.ID, Currency: "USD", Amount: amt, Rate: "0.9137"})
				sum += roundHalfEven(amt*9137, 10000)
				continue
			}
			in.Lines = append(in.Lines, ledger.NewLine{AccountID: e.acct(codes[rng.IntN(len(codes))]), Amount: amt})
			sum += amt
		}
		if sum == 0 {
			continue
		}
		in.Lines = append(in.Lines, ledger.NewLine{AccountID: e.acct(codes[rng.IntN(len(codes))]), Amount: -sum})
		switch rng.IntN(3) {
		case 0:
			batch = append(batch, in)
			if len(batch) >= 20 {
				out, err := e.s.PostBatch(e.ctx, e.company, batch)
				must(t, err)
				posted, batch = append(posted, out...), nil
			}
		default:
			posted = append(posted, e.post(in))
		}
		if len(posted) > 0 && rng.IntN(15) == 0 {
			orig := posted[rng.IntN(len(posted))]
			if orig.ReversedByID == 0 && orig.ReversesID == 0 {
				r, err := e.s.Reverse(e.ctx, e.company, orig.ID, orig.Date.AddDays(rng.IntN(40)), "property test")
				if backoffice.ErrorCode(err) != backoffice.EConflict {
					must(t, err)
					posted = append(posted, r)
				}
			}
		}
	}
	if len(batch) > 0 {
		out, err := e.s.PostBatch(e.ctx, e.company, batch)
		must(t, err)
		posted = append(posted, out...)
	}
	return posted
}

// roundHalfEven divides a by b (b > 0), rounding half to even.
func roundHalfEven(a, b int64) int64 {
	q, r := a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	switch {
	case 2*r > b, 2*r == b && q%2 != 0:
		q++
	}
	return q
}

func TestBalance_EqualsNaiveRecomputationAtAnyDate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		posted := randomBooks(t, e, 42, 300)
		rng := rand.New(rand.NewPCG(7, 7))
		dates := []backoffice.Date{day("2023-12-31"), day("2024-01-01"), day("2024-12-31"), day("2025-01-31"), day("2025-03-01"), day("2027-12-31")}
		for range 25 {
			dates = append(dates, day("2024-01-01").AddDays(rng.IntN(3*365+30)))
		}
		for _, d := range dates {
			want := naive(posted, d)
			tb, err := e.s.TrialBalance(e.ctx, e.company, d)
			must(t, err)
			got := map[naiveKey]naiveSum{}
			for _, r := range tb {
				got[naiveKey{r.AccountID, r.Currency}] = naiveSum{r.Debit, r.Credit, r.CompanyDebit, r.CompanyCredit}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("trial balance at %s:\n got %v\nwant %v", d, got, want)
			}
			for k, w := range want {
				b, err := e.s.Balance(e.ctx, e.company, k.account, k.currency, d)
				must(t, err)
				if b.Debit != w.debit || b.Credit != w.credit || b.CompanyBalance != w.companyDebit-w.companyCredit {
					t.Fatalf("balance of %d %s at %s = %+v, want %+v", k.account, k.currency, d, b, w)
				}
			}
		}
	})
}

func TestTrialBalance_DebitsEqualCredits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		posted := randomBooks(t, e, 99, 150)
		for _, d := range []string{"2024-06-30", "2025-02-28", "2026-12-31"} {
			tb, err := e.s.TrialBalance(e.ctx, e.company, day(d))
			must(t, err)
			var dr, cr int64
			for _, r := range tb {
				dr += r.CompanyDebit
				cr += r.CompanyCredit
				if r.Balance != r.Debit-r.Credit {
					t.Fatalf("row %+v: balance is not debit − credit", r)
				}
			}
			if dr != cr || dr == 0 {
				t.Fatalf("trial balance at %s: debits %d, credits %d", d, dr, cr)
			}
		}
		if len(posted) < 150 {
			t.Fatalf("only %d entries posted", len(posted))
		}
	})
}

func TestAccountStatement_RunningBalanceAcrossPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		posted := randomBooks(t, e, 5, 200)
		bank := e.acct("1110")
		from, to := day("2025-01-01"), day("2025-12-31")
		opening := naive(posted, from.AddDays(-1))[naiveKey{bank, "EUR"}]
		balance := opening.companyDebit - opening.companyCredit
		page := backoffice.Page{Limit: 7}
		lines := 0
		for pages := 0; ; pages++ {
			st, err := e.s.AccountStatement(e.ctx, e.company, bank, from, to, page)
			must(t, err)
			if st.Opening != balance {
				t.Fatalf("page %d opens at %d, want %d", pages, st.Opening, balance)
			}
			for _, l := range st.Lines {
				balance += l.CompanyAmount
				if l.Balance != balance || l.Date.Before(from) || l.Date.After(to) {
					t.Fatalf("line %+v: running balance %d", l, balance)
				}
				lines++
			}
			closing := naive(posted, to)[naiveKey{bank, "EUR"}]
			if st.Closing != closing.companyDebit-closing.companyCredit {
				t.Fatalf("closing %d, want %d", st.Closing, closing.companyDebit-closing.companyCredit)
			}
			if st.Next == "" {
				break
			}
			page.After = st.Next
		}
		want := 0
		for _, en := range posted {
			for _, l := range en.Lines {
				if l.AccountID == bank && !en.Date.Before(from) && !en.Date.After(to) {
					want++
				}
			}
		}
		if lines != want || want == 0 {
			t.Fatalf("statement has %d lines, want %d", lines, want)
		}
	})
}

func TestListEntries_FiltersAndPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		for i := range 12 {
			in := e.entry(fmt.Sprintf("2026-03-%02d", 1+i), "1110", "4010", 100)
			in.Reference = fmt.Sprint("INV-", i)
			if i%3 == 0 {
				in.JournalID = e.journals["SAL"].ID
			}
			e.post(in)
		}
		_, err := e.s.CreateDraft(e.ctx, e.company, e.entry("2026-03-05", "1110", "4010", 5))
		must(t, err)
		f := ledger.EntryFilter{JournalID: e.journals["GEN"].ID, From: day("2026-03-02"), State: ledger.Posted, Page: backoffice.Page{Limit: 3}}
		var refs []string
		for {
			list, err := e.s.ListEntries(e.ctx, e.company, f)
			must(t, err)
			for _, en := range list.Items {
				refs = append(refs, en.Reference)
			}
			if list.Next == "" {
				break
			}
			f.Page.After = list.Next
		}
		if fmt.Sprint(refs) != "[INV-1 INV-2 INV-4 INV-5 INV-7 INV-8 INV-10 INV-11]" {
			t.Fatalf("entries = %v", refs)
		}
		list, err := e.s.ListEntries(e.ctx, e.company, ledger.EntryFilter{Query: "sal-2026-000002"})
		must(t, err)
		if len(list.Items) != 1 || list.Items[0].Reference != "INV-3" {
			t.Fatalf("search by number = %+v", list.Items)
		}
	})
}
