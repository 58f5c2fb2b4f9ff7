package plaintext

import (
	"slices"
	"strings"

	"backoffice"
)

// finish completes and checks every transaction once all files are read:
// balance assignments, amounts left out, balance per currency, balance
// assertions. hledger checks assertions in date order, ledger-cli in file
// order; each dialect follows its tool.
func (p *parser) finish() {
	order := make([]int, len(p.txs))
	for i := range order {
		order[i] = i
	}
	var run *running
	if p.assertions {
		run = &running{bal: make(map[string]map[backoffice.Currency]int64)}
		if p.opts.Dialect == DialectHledger {
			slices.SortStableFunc(order, func(a, b int) int { return p.txs[a].Date.Compare(p.txs[b].Date) })
		}
	}
	// A transaction with a problem is left out of the running balances, so
	// assertions on its accounts would fail for that reason alone: they are
	// not checked, and the problem already reported stands for them.
	for _, i := range order {
		t := p.pending(i)
		if t.broken {
			if run != nil {
				run.taint(t)
			}
			continue
		}
		if run != nil && !p.assign(t, run) {
			continue
		}
		if !p.balance(t) {
			continue
		}
		if run != nil {
			p.applyAndAssert(t, run)
		}
	}
}

// running holds each account's balance per currency while assertions are checked.
type running struct {
	bal     map[string]map[backoffice.Currency]int64
	tainted map[string]bool // accounts of transactions left out for a problem
}

func (r *running) taint(t pendingTx) {
	if r.tainted == nil {
		r.tainted = make(map[string]bool)
	}
	for _, post := range t.tx.Postings {
		r.tainted[post.Account] = true
	}
}

// trusted reports whether an assertion on account can be checked.
func (r *running) trusted(account string, inclusive bool) bool {
	if r.tainted[account] {
		return false
	}
	if inclusive {
		for name := range r.tainted {
			if strings.HasPrefix(name, account+":") {
				return false
			}
		}
	}
	return true
}

func (r *running) get(account string) map[backoffice.Currency]int64 {
	m := r.bal[account]
	if m == nil {
		m = make(map[backoffice.Currency]int64, 1)
		r.bal[account] = m
	}
	return m
}

// assign gives each balance-assignment posting the amount that brings its
// account to the stated balance.
func (p *parser) assign(t pendingTx, run *running) bool {
	for k := range t.tx.Postings {
		post := &t.tx.Postings[k]
		if post.Amount.Currency != "" || post.BalanceAssertion == nil {
			continue
		}
		want := *post.BalanceAssertion
		have := run.get(post.Account)[want.Currency]
		for _, q := range t.tx.Postings[:k] {
			if q.Account == post.Account && q.Amount.Currency == want.Currency {
				have += q.Amount.Amount
			}
		}
		diff, ok := sub(want.Amount, have)
		if !ok {
			p.problem(t.tx.File, post.Line, "balance assignment overflows")
			return false
		}
		post.Amount = backoffice.Money{Amount: diff, Currency: want.Currency}
	}
	return true
}

// sums is the total per currency of a group of postings, in order of first use.
type sums []backoffice.Money

func (s *sums) add(m backoffice.Money) bool {
	for i := range *s {
		if (*s)[i].Currency == m.Currency {
			v, ok := add((*s)[i].Amount, m.Amount)
			(*s)[i].Amount = v
			return ok
		}
	}
	*s = append(*s, m)
	return true
}

func (s sums) String() string {
	var parts []string
	for _, m := range s {
		if m.Amount != 0 {
			parts = append(parts, m.String())
		}
	}
	return strings.Join(parts, ", ")
}

// rateHint says how to balance a transaction between currencies: both tools
// guess the rate from the amounts, the import wants it written.
func rateHint(s sums) string {
	n := 0
	for _, m := range s {
		if m.Amount != 0 {
			n++
		}
	}
	if n < 2 {
		return ""
	}
	return "; write the conversion with @ (rate) or @@ (total) on the foreign-currency posting"
}

// single is the one non-zero sum, when there is exactly one.
func (s sums) single() (backoffice.Money, bool) {
	var out backoffice.Money
	n := 0
	for _, m := range s {
		if m.Amount != 0 {
			out, n = m, n+1
		}
	}
	return out, n == 1
}

func (s sums) zero() bool {
	for _, m := range s {
		if m.Amount != 0 {
			return false
		}
	}
	return true
}

// balance fills in amounts left out and checks that real postings, and
// bracketed virtual postings on their own, sum to zero in every currency
// after costs. Postings in parentheses are outside both checks.
func (p *parser) balance(t pendingTx) bool {
	// Scratch slices reused across transactions: no allocation per transaction.
	real, brack, elided := p.scratch.real[:0], p.scratch.brack[:0], p.scratch.elided[:0]
	defer func() { p.scratch.real, p.scratch.brack, p.scratch.elided = real[:0], brack[:0], elided[:0] }()
	for k := range t.tx.Postings {
		post := &t.tx.Postings[k]
		if post.Amount.Currency == "" {
			elided = append(elided, k)
			continue
		}
		value := post.Amount
		if post.Cost != nil {
			value = *post.Cost
		}
		ok := true
		switch post.Virtual {
		case "":
			ok = real.add(value)
		case "[]":
			ok = brack.add(value)
		}
		if !ok {
			p.problem(t.tx.File, t.tx.Line, "the transaction's amounts overflow")
			return false
		}
	}
	if len(elided) > 0 && !p.fillElided(t, elided, &real, &brack) {
		return false
	}
	if !real.zero() {
		p.problem(t.tx.File, t.tx.Line, "transaction does not balance: its postings sum to %s%s", real.String(), rateHint(real))
		return false
	}
	if !brack.zero() {
		p.problem(t.tx.File, t.tx.Line, "transaction does not balance: its [bracketed] postings sum to %s", brack.String())
		return false
	}
	return true
}

// fillElided gives each posting without an amount the negated sum of its
// group, one posting per currency when the sum has several (both hledger
// and ledger-cli do this). hledger allows one such posting among real and
// one among bracketed postings; ledger-cli one per transaction.
func (p *parser) fillElided(t pendingTx, elided []int, real, brack *sums) bool {
	if !p.checkElided(t, elided) {
		return false
	}
	if len(elided) == 1 {
		// The common case: one amount to fill in, in place.
		k := elided[0]
		group := real
		if t.tx.Postings[k].Virtual == "[]" {
			group = brack
		}
		if m, ok := group.single(); ok {
			t.tx.Postings[k].Amount = m.Neg()
			*group = (*group)[:0]
			return true
		}
	}
	var out []Posting
	prev := 0
	for _, k := range elided {
		out = append(out, t.tx.Postings[prev:k]...)
		prev = k + 1
		post := t.tx.Postings[k]
		group := real
		if post.Virtual == "[]" {
			group = brack
		}
		fills := p.fills(t, *group)
		if fills == nil {
			p.problem(t.tx.File, post.Line, "the posting has no amount and the transaction has none to balance it with")
			return false
		}
		for _, m := range fills {
			post.Amount = m
			out = append(out, post)
		}
		*group = (*group)[:0] // balanced by construction
	}
	t.tx.Postings = append(out, t.tx.Postings[prev:]...)
	return true
}

// checkElided enforces how many postings may leave out their amount.
func (p *parser) checkElided(t pendingTx, elided []int) bool {
	var seenReal, seenBrack bool
	for i, k := range elided {
		post := t.tx.Postings[k]
		seen := &seenReal
		switch {
		case post.Virtual == "()":
			p.problem(t.tx.File, post.Line, "virtual posting (%s) needs an amount", post.Account)
			return false
		case post.Virtual == "[]":
			seen = &seenBrack
		}
		if *seen || (p.opts.Dialect == DialectLedger && i > 0) {
			p.problem(t.tx.File, post.Line, "only one posting per transaction may leave out its amount")
			return false
		}
		*seen = true
	}
	return true
}

// fills is the negated non-zero sums of a group; a zero amount in the
// transaction's first currency when everything already balances; nil when
// the transaction has no amount at all.
func (p *parser) fills(t pendingTx, group sums) []backoffice.Money {
	var out []backoffice.Money
	for _, m := range group {
		if m.Amount != 0 {
			out = append(out, m.Neg())
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, q := range t.tx.Postings {
		if q.Amount.Currency != "" {
			return []backoffice.Money{{Currency: q.Amount.Currency}}
		}
	}
	return nil
}

// applyAndAssert adds the transaction to the running balances posting by
// posting and checks each assertion right after its posting.
func (p *parser) applyAndAssert(t pendingTx, run *running) {
	for _, post := range t.tx.Postings {
		m := run.get(post.Account)
		v, ok := add(m[post.Amount.Currency], post.Amount.Amount)
		if !ok {
			p.problem(t.tx.File, post.Line, "the balance of %s overflows", post.Account)
			return
		}
		m[post.Amount.Currency] = v
		if post.BalanceAssertion != nil {
			p.assert(t.tx.File, post, run)
		}
	}
}

func (p *parser) assert(file string, post Posting, run *running) {
	want := *post.BalanceAssertion
	inclusive := strings.HasSuffix(post.Assertion, "*")
	if !run.trusted(post.Account, inclusive) {
		return
	}
	have := run.total(post.Account, inclusive)
	if got := have[want.Currency]; got != want.Amount {
		p.problem(file, post.Line, "balance assertion failed: %s should be %s but is %s",
			post.Account, want, backoffice.Money{Amount: got, Currency: want.Currency})
		return
	}
	if strings.HasPrefix(post.Assertion, "==") {
		for c, v := range have {
			if c != want.Currency && v != 0 {
				p.problem(file, post.Line, "balance assertion failed: %s should hold only %s but also holds %s",
					post.Account, want.Currency, backoffice.Money{Amount: v, Currency: c})
				return
			}
		}
	}
}

// total is an account's balance, with its subaccounts when inclusive.
func (r *running) total(account string, inclusive bool) map[backoffice.Currency]int64 {
	if !inclusive {
		return r.get(account)
	}
	out := make(map[backoffice.Currency]int64)
	for name, m := range r.bal {
		if name == account || strings.HasPrefix(name, account+":") {
			for c, v := range m {
				out[c] += v
			}
		}
	}
	return out
}

func add(a, b int64) (int64, bool) {
	s := a + b
	return s, (b >= 0) == (s >= a)
}

func sub(a, b int64) (int64, bool) {
	s := a - b
	return s, (b >= 0) == (s <= a)
}
