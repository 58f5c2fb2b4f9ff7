package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/sqldb"
)

// Bounds of an entry. maxAmount keeps sums of a billion lines inside int64.
const (
	maxLines  = 1000
	maxAmount = 1_000_000_000_000_000 // minor units
)

// prepared is an entry validated against the chart, ready for postTx.
type prepared struct {
	companyID  backoffice.ID
	base       backoffice.Currency
	journal    Journal
	in         NewEntry
	lines      []Line
	amount     int64  // sum of debits in company currency
	hash       string // of the content, for idempotency keys
	existing   *Entry // an earlier posting with the same key and content
	reversesID backoffice.ID
	reason     string
	limited    map[backoffice.ID]bool // accounts with balance limits
	openLines  []int                  // indexes of lines that are open items
	draft      *Entry                 // the draft or pending entry being posted, if any
	prefix     string                 // "entries[i]." in a batch, for errors found at posting
	out        Entry                  // the posted entry, filled by postTx
}

// lookup memoises what validation reads, for one call (one entry or batch).
type lookup struct {
	q          sqldb.Querier
	bases      map[backoffice.ID]backoffice.Currency
	accounts   map[backoffice.ID]*Account
	journals   map[backoffice.ID]*Journal
	locks      map[backoffice.ID][]LockDate
	startMonth map[backoffice.ID]time.Month
	dimensions map[backoffice.ID]map[string]Dimension // custom dimensions by code, read on first use
	rates      map[rateKey]string                     // exchange rates by company, currency and day; made on first use
	// usedKeys, when not nil, holds those of a batch's idempotency keys
	// that are taken, read with a few queries for the whole batch: a key
	// not in it needs no lookup of its own.
	usedKeys map[string]bool
}

func newLookup(q sqldb.Querier) *lookup {
	return &lookup{q: q, bases: map[backoffice.ID]backoffice.Currency{}, accounts: map[backoffice.ID]*Account{},
		journals: map[backoffice.ID]*Journal{}, locks: map[backoffice.ID][]LockDate{}, startMonth: map[backoffice.ID]time.Month{}}
}

func (l *lookup) base(ctx context.Context, companyID backoffice.ID) (backoffice.Currency, error) {
	if c, ok := l.bases[companyID]; ok {
		return c, nil
	}
	c, err := companyCurrency(ctx, l.q, companyID)
	l.bases[companyID] = c
	return c, err
}

// account returns the company's account, nil when it does not exist.
func (l *lookup) account(ctx context.Context, companyID, id backoffice.ID) (*Account, error) {
	if a, ok := l.accounts[id]; ok {
		if a != nil && a.CompanyID != companyID {
			return nil, nil
		}
		return a, nil
	}
	a, err := getAccount(ctx, l.q, companyID, id)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.accounts[id] = &a
	return &a, nil
}

func (l *lookup) journal(ctx context.Context, companyID, id backoffice.ID) (*Journal, error) {
	if j, ok := l.journals[id]; ok && j.CompanyID == companyID {
		return j, nil
	}
	j, err := getJournal(ctx, l.q, companyID, id)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l.journals[id] = &j
	return &j, nil
}

func (l *lookup) lockDates(ctx context.Context, companyID backoffice.ID) ([]LockDate, error) {
	if ls, ok := l.locks[companyID]; ok {
		return ls, nil
	}
	ls, err := lockDates(ctx, l.q, companyID)
	l.locks[companyID] = ls
	return ls, err
}

// prepare validates one entry: every bad field goes into v under prefix
// ("" or "entries[3]."). It returns nil when the entry has field errors, and
// a period_closed error (with its field under prefix) when its date is locked.
func (s *Service) prepare(ctx context.Context, l *lookup, companyID backoffice.ID, in NewEntry, v backoffice.Validation, prefix string) (*prepared, error) {
	base, err := l.base(ctx, companyID)
	if err != nil {
		return nil, err
	}
	p := &prepared{companyID: companyID, base: base, in: in}
	errs := len(v)
	j, err := l.journal(ctx, companyID, in.JournalID)
	if err != nil {
		return nil, err
	}
	switch {
	case j == nil:
		v.Add(prefix+"journal_id", "is not a journal of this company")
	case j.Blocked:
		v.Add(prefix+"journal_id", fmt.Sprintf("journal %s is blocked", j.Code))
	default:
		p.journal = *j
	}
	v.Check(!in.Date.IsZero(), prefix+"date", "is required")
	v.Check(len(in.Reference) <= 200, prefix+"reference", "must be at most 200 characters")
	v.Check(len(in.Narration) <= 2000, prefix+"narration", "must be at most 2000 characters")
	v.Check(len(in.IdempotencyKey) <= 200, prefix+"idempotency_key", "must be at most 200 characters")
	v.Check(len(in.Lines) >= 2 && len(in.Lines) <= maxLines, prefix+"lines", fmt.Sprintf("an entry needs 2 to %d lines", maxLines))
	if err := s.prepareLines(ctx, l, p, v, prefix); err != nil {
		return nil, err
	}
	if len(v) > errs {
		return nil, nil
	}
	p.hash = contentHash(in)
	if in.IdempotencyKey != "" && (l.usedKeys == nil || l.usedKeys[in.IdempotencyKey]) {
		if err := s.replay(ctx, l.q, p, prefix); err != nil {
			return nil, err
		}
		if p.existing != nil {
			return p, nil
		}
	}
	locks, err := l.lockDates(ctx, companyID)
	if err != nil {
		return nil, err
	}
	return p, prefixed(checkLock(locks, p.journal.Type, in.Date), prefix)
}

// prepareLines validates and resolves the lines of p.in into p.lines.
func (s *Service) prepareLines(ctx context.Context, l *lookup, p *prepared, v backoffice.Validation, prefix string) error {
	var sum int64
	for i, nl := range p.in.Lines {
		f := fmt.Sprintf("%slines[%d].", prefix, i)
		a, err := l.account(ctx, p.companyID, nl.AccountID)
		if err != nil {
			return err
		}
		line := Line{LineNo: i + 1, AccountID: nl.AccountID, Currency: nl.Currency, Amount: nl.Amount, CompanyAmount: nl.CompanyAmount,
			Rate: nl.Rate, PartyID: nl.PartyID, Dimensions: nl.Dimensions, TaxCode: nl.TaxCode, DueDate: nl.DueDate, Memo: nl.Memo}
		if line.Currency == "" {
			line.Currency = p.base
		}
		switch {
		case a == nil:
			v.Add(f+"account", "is not an account of this company")
		case a.Blocked && p.reversesID == 0:
			v.Add(f+"account", fmt.Sprintf("account %s is blocked", a.Code))
		default:
			line.AccountCode = a.Code
			checkLineAccount(v, f, a, line)
			if opensItems(a) {
				p.openLines = append(p.openLines, i)
			}
			if a.MinBalance != nil || a.MaxBalance != nil {
				if p.limited == nil {
					p.limited = map[backoffice.ID]bool{}
				}
				p.limited[a.ID] = true
			}
		}
		checkLineFields(v, f, line)
		if p.reversesID == 0 {
			if err := l.checkDimensions(ctx, p.companyID, line, v, f); err != nil {
				return err
			}
		}
		if err := fillRate(ctx, l, p, &line, v, f+"rate"); err != nil {
			return err
		}
		if err := convert(&line, p.base); err != nil {
			v.Add(f+err.field, err.msg)
		}
		sum += line.CompanyAmount
		if line.CompanyAmount > 0 {
			p.amount += line.CompanyAmount
		}
		p.lines = append(p.lines, line)
	}
	if sum != 0 && len(p.in.Lines) >= 2 {
		v.Add(prefix+"lines", fmt.Sprintf("debits and credits differ by %s in company currency; an entry must balance",
			backoffice.NewMoney(sum, p.base)))
	}
	return nil
}

// checkLineAccount applies the account's rules to a line: fixed currency and
// required dimensions.
func checkLineAccount(v backoffice.Validation, f string, a *Account, line Line) {
	if a.Currency != "" && line.Currency != a.Currency {
		v.Add(f+"currency", fmt.Sprintf("account %s takes only %s", a.Code, a.Currency))
	}
	for _, d := range a.RequiredDimensions {
		if line.Dimensions[d] == "" {
			v.Add(f+"dimensions."+d, fmt.Sprintf("is required by account %s", a.Code))
		}
	}
}

// checkLineFields checks what a line must satisfy on its own.
func checkLineFields(v backoffice.Validation, f string, line Line) {
	v.Check(line.Currency.Valid(), f+"currency", "must be an ISO 4217 currency code")
	v.Check(line.Amount != 0 || line.CompanyAmount != 0, f+"amount", "must not be zero")
	v.Check(line.Amount >= -maxAmount && line.Amount <= maxAmount, f+"amount", "is too large")
	v.Check(line.CompanyAmount >= -maxAmount && line.CompanyAmount <= maxAmount, f+"company_amount", "is too large")
	v.Check(line.PartyID >= 0, f+"party_id", "must be a party id")
	v.Check(len(line.TaxCode) <= 40, f+"tax_code", "must be at most 40 characters")
	v.Check(len(line.Memo) <= 500, f+"memo", "must be at most 500 characters")
	for _, k := range slices.Sorted(maps.Keys(line.Dimensions)) {
		val := line.Dimensions[k]
		v.Check(validDimension(k), f+"dimensions."+k, "is not a dimension name (lower snake case)")
		v.Check(len(val) >= 1 && len(val) <= 100, f+"dimensions."+k, "must be 1 to 100 characters")
	}
}

type lineError struct{ field, msg string }

// convert fills the line's company amount: equal to the amount in company
// currency, else from the given rate (rounded half to even to the company
// currency's digits) unless the caller gave it.
func convert(line *Line, base backoffice.Currency) *lineError {
	if line.Currency == base {
		if line.CompanyAmount != 0 && line.CompanyAmount != line.Amount {
			return &lineError{"company_amount", "must equal the amount for a line in company currency"}
		}
		line.CompanyAmount, line.Rate = line.Amount, ""
		return nil
	}
	if line.Rate == "" {
		if line.CompanyAmount == 0 && line.Amount != 0 {
			return &lineError{"rate", "give an exchange rate or the amount in company currency"}
		}
	} else {
		rate, err := decimal.Parse(line.Rate)
		if err != nil || !rate.IsPos() {
			return &lineError{"rate", "must be a positive decimal number"}
		}
		line.Rate = rate.String()
		if line.CompanyAmount == 0 {
			amt, err := decimal.New(line.Amount, line.Currency.Exponent())
			if err == nil {
				amt, err = amt.Mul(rate)
			}
			whole, frac, ok := amt.Int64(base.Exponent())
			if err != nil || !ok {
				return &lineError{"rate", "gives an amount too large to convert"}
			}
			line.CompanyAmount = whole*pow10(base.Exponent()) + frac
		}
	}
	if line.Amount != 0 && line.CompanyAmount != 0 && (line.Amount > 0) != (line.CompanyAmount > 0) {
		return &lineError{"company_amount", "must have the sign of the amount"}
	}
	return nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// contentHash identifies an entry's content, without its idempotency key.
func contentHash(in NewEntry) string {
	in.IdempotencyKey = ""
	b, _ := json.Marshal(in)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// replay finds an earlier entry with p's idempotency key: the same content
// makes it p.existing, other content is a conflict.
func (s *Service) replay(ctx context.Context, q sqldb.Querier, p *prepared, prefix string) error {
	e, hash, err := entryByKey(ctx, q, p.companyID, p.in.IdempotencyKey)
	if err != nil || e == nil {
		return err
	}
	if hash != p.hash {
		return &backoffice.Error{Code: backoffice.EConflict,
			Message: fmt.Sprintf("idempotency key %q was used before for an entry with other content", p.in.IdempotencyKey),
			Fields:  map[string]string{prefix + "idempotency_key": "was used before for an entry with other content"}}
	}
	p.existing = e
	return nil
}

// loadUsedKeys reads which of a batch's idempotency keys are taken, 500
// keys per query, so that a batch of new entries needs no lookup per entry
// (a seventh of a large import's time).
func (l *lookup) loadUsedKeys(ctx context.Context, companyID backoffice.ID, in []NewEntry) error {
	var keys []any
	for _, e := range in {
		if e.IdempotencyKey != "" {
			keys = append(keys, e.IdempotencyKey)
		}
	}
	l.usedKeys = map[string]bool{}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		q := `SELECT idempotency_key FROM ledger_entries WHERE company_id = ? AND idempotency_key IN (?` + strings.Repeat(", ?", n-1) + `)`
		rows, err := l.q.QueryContext(ctx, q, append([]any{int64(companyID)}, keys[:n]...)...)
		if err != nil {
			return fmt.Errorf("read used idempotency keys: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return fmt.Errorf("read used idempotency keys: %w", err)
			}
			l.usedKeys[k] = true
		}
		if err := rows.Close(); err != nil {
			return err
		}
		keys = keys[n:]
	}
	return nil
}

// prefixed moves the fields of a *backoffice.Error under prefix.
func prefixed(err error, prefix string) error {
	e, ok := err.(*backoffice.Error)
	if !ok || prefix == "" {
		return err
	}
	out := *e
	out.Fields = map[string]string{}
	for k, m := range e.Fields {
		out.Fields[prefix+k] = m
	}
	return &out
}
