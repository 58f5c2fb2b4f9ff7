package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Period-end revaluation (IAS 21): monetary balances in a foreign currency
// are restated at the closing rate. For each revalued account and currency,
// the foreign balance times the rate of the day, minus the balance booked in
// company currency, is an unrealised gain or loss. The entry that books it
// is reversed on the next day, so the following period starts again from
// the historical amounts and its own revaluation restates them afresh.
//
// Revalued are the foreign-currency balances of monetary accounts: the
// subtypes bank, cash, receivable and payable, and any asset or liability
// with a fixed foreign currency that is not a non-monetary item (inventory,
// fixed assets, depreciation, prepayments).

// RevalueOptions say what and how to revalue.
type RevalueOptions struct {
	Date          backoffice.Date `json:"date"`                      // the period end; the reversal is dated the day after
	JournalID     backoffice.ID   `json:"journal_id,omitempty"`      // 0: the GEN journal
	GainAccountID backoffice.ID   `json:"gain_account_id,omitempty"` // 0: the first income account of subtype exchange_difference
	LossAccountID backoffice.ID   `json:"loss_account_id,omitempty"` // 0: the first expense account of subtype exchange_difference
	DryRun        bool            `json:"dry_run,omitempty"`         // compute and show, post nothing
}

// RevaluationLine is one revalued account balance in one currency. Balance
// is in minor units of Currency; the other amounts in company currency.
// Difference is Revalued − Booked: positive is a gain on an asset or a
// smaller liability.
type RevaluationLine struct {
	AccountID   backoffice.ID       `json:"account_id"`
	AccountCode string              `json:"account_code"`
	AccountName string              `json:"account_name"`
	Currency    backoffice.Currency `json:"currency"`
	Balance     int64               `json:"balance"`
	Rate        string              `json:"rate"`
	RateDate    backoffice.Date     `json:"rate_date"`
	Booked      int64               `json:"booked"`
	Revalued    int64               `json:"revalued"`
	Difference  int64               `json:"difference"`
	Note        string              `json:"note,omitempty"` // read back from a posted entry: its computation as the line's memo keeps it
}

// Revaluation is the result of Revalue: the lines it computed and, once
// posted, the entry and its reversal. Gain and Loss are totals in company
// currency (both positive).
type Revaluation struct {
	Date             backoffice.Date     `json:"date"`
	Currency         backoffice.Currency `json:"currency"`
	Lines            []RevaluationLine   `json:"lines"`
	Gain             int64               `json:"gain"`
	Loss             int64               `json:"loss"`
	EntryID          backoffice.ID       `json:"entry_id,omitempty"`
	ReversalID       backoffice.ID       `json:"reversal_id,omitempty"`
	Posted           bool                `json:"posted"`            // entries exist for this date
	AlreadyPosted    bool                `json:"already_posted"`    // they existed before this call: nothing new was posted
	DryRun           bool                `json:"dry_run,omitempty"` // computed only
	CreatedAt        *time.Time          `json:"created_at,omitempty"`
	EntryNumber      string              `json:"entry_number,omitempty"`
	ReversalNumber   string              `json:"reversal_number,omitempty"`
	NothingToRevalue bool                `json:"nothing_to_revalue,omitempty"` // every difference was zero: nothing posted
}

// Revalue revalues the company's foreign-currency monetary balances at the
// end of opts.Date. It posts one entry on that date — a line per account
// and currency moving only its company-currency amount, and the total
// unrealised gain and loss — and its reversal on the next day, in one
// transaction. It is idempotent per company and date: once posted, running
// it again (or a dry run) returns the posted revaluation and posts nothing.
// A balance in a currency without a rate on or before the date is an
// invalid error naming each such currency.
func (s *Service) Revalue(ctx context.Context, companyID backoffice.ID, opts RevalueOptions) (Revaluation, error) {
	if opts.Date.IsZero() {
		return Revaluation{}, fieldError("date", "is required: the last day of the period to revalue")
	}
	if done, found, err := s.revaluationOn(ctx, s.DB, companyID, opts.Date); err != nil || found {
		return done, err
	}
	rv, err := s.computeRevaluation(ctx, s.DB, companyID, opts.Date)
	if err != nil {
		return Revaluation{}, err
	}
	rv.DryRun = opts.DryRun
	if opts.DryRun || (rv.Gain == 0 && rv.Loss == 0) {
		rv.NothingToRevalue = rv.Gain == 0 && rv.Loss == 0
		return rv, nil
	}
	in, err := s.revaluationEntry(ctx, companyID, opts, rv)
	if err != nil {
		return Revaluation{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		entry, err := s.PostTx(ctx, tx, companyID, in)
		if err != nil {
			return err
		}
		rev, err := s.reverseTx(ctx, tx, companyID, entry, opts.Date.AddDays(1), "unrealised exchange differences of "+opts.Date.String()+" reversed on the next day")
		if err != nil {
			return err
		}
		now := s.now()
		_, err = tx.ExecContext(ctx, `INSERT INTO ledger_revaluations (company_id, date, entry_id, reversal_id, gain, loss, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, int64(companyID), opts.Date, int64(entry.ID), int64(rev.ID), rv.Gain, rv.Loss, now)
		if err != nil {
			return fmt.Errorf("record revaluation: %w", err)
		}
		rv.EntryID, rv.ReversalID, rv.EntryNumber, rv.ReversalNumber = entry.ID, rev.ID, entry.Number, rev.Number
		rv.Posted, rv.CreatedAt = true, &now
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "revaluation", EntityID: opts.Date.String(), Action: "post",
			New: map[string]any{"date": opts.Date, "entry": entry.Number, "reversal": rev.Number, "gain": rv.Gain, "loss": rv.Loss, "lines": len(rv.Lines)}})
		return err
	})
	if err != nil {
		// A concurrent run that committed first wins; answer with its result.
		if done, found, rerr := s.revaluationOn(ctx, s.DB, companyID, opts.Date); rerr == nil && found {
			return done, nil
		}
		return Revaluation{}, err
	}
	return rv, nil
}

// monetarySQL selects the accounts whose foreign balances are revalued; the
// one parameter is the company currency.
const monetarySQL = `(a.subtype IN ('bank', 'cash', 'receivable', 'payable')
	OR (a.currency <> '' AND a.currency <> ? AND a.type IN ('asset', 'liability')
		AND a.subtype NOT IN ('inventory', 'fixed_asset', 'accumulated_depreciation', 'prepayment')))`

// computeRevaluation reads the foreign balances at the end of date and
// restates each at the rate of the day.
func (s *Service) computeRevaluation(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, date backoffice.Date) (Revaluation, error) {
	base, err := companyCurrency(ctx, q, companyID)
	if err != nil {
		return Revaluation{}, err
	}
	rv := Revaluation{Date: date, Currency: base, Lines: []RevaluationLine{}}
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.code, a.name, b.currency FROM ledger_accounts a
		JOIN (SELECT DISTINCT account_id, currency FROM ledger_balances WHERE company_id = ? AND span = 'y' AND start <= ? AND currency <> ?) b
		ON b.account_id = a.id
		WHERE a.company_id = ? AND `+monetarySQL+` ORDER BY a.code, b.currency`,
		int64(companyID), date, string(base), int64(companyID), string(base))
	if err != nil {
		return Revaluation{}, fmt.Errorf("find foreign balances: %w", err)
	}
	var lines []RevaluationLine
	for rows.Next() {
		var l RevaluationLine
		var cur string
		if err := rows.Scan(&l.AccountID, &l.AccountCode, &l.AccountName, &cur); err != nil {
			rows.Close()
			return Revaluation{}, fmt.Errorf("find foreign balances: %w", err)
		}
		l.Currency = backoffice.Currency(cur)
		lines = append(lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Revaluation{}, fmt.Errorf("find foreign balances: %w", err)
	}
	v := backoffice.Validation{}
	for _, line := range lines {
		b, err := balanceAt(ctx, q, line.AccountID, line.Currency, date)
		if err != nil {
			return Revaluation{}, err
		}
		if b.Balance == 0 && b.CompanyBalance == 0 {
			continue
		}
		line.Balance, line.Booked = b.Balance, b.CompanyBalance
		if line.Balance == 0 { // nothing left in the currency: what remains in company currency goes, at any rate
			line.Difference = -line.Booked
			rv.add(line)
			continue
		}
		r, found, err := latestRate(ctx, q, companyID, line.Currency, date)
		if err != nil {
			return Revaluation{}, err
		}
		if !found {
			v.Add("rates."+string(line.Currency), fmt.Sprintf("no exchange rate for %s on or before %s: add one or import the ECB rates", line.Currency, date))
			continue
		}
		rate, err := decimal.Parse(r.Rate)
		if err != nil {
			return Revaluation{}, fmt.Errorf("stored rate %s of %s %s: %w", r.Rate, line.Currency, r.Date, err)
		}
		revalued, ok := toCompany(line.Balance, line.Currency, base, rate)
		if !ok {
			v.Add("accounts."+line.AccountCode, "its balance is too large to revalue")
			continue
		}
		line.Rate, line.RateDate, line.Revalued, line.Difference = r.Rate, r.Date, revalued, revalued-line.Booked
		rv.add(line)
	}
	if err := v.Err("revaluation"); err != nil {
		return Revaluation{}, err
	}
	return rv, nil
}

// add counts a line's difference as a gain or a loss.
func (rv *Revaluation) add(l RevaluationLine) {
	if l.Difference > 0 {
		rv.Gain += l.Difference
	} else {
		rv.Loss -= l.Difference
	}
	rv.Lines = append(rv.Lines, l)
}

// revaluationEntry builds the entry of a computed revaluation: one line per
// difference (its foreign amount zero, so only the company-currency balance
// moves) and the totals on the gain and loss accounts.
func (s *Service) revaluationEntry(ctx context.Context, companyID backoffice.ID, opts RevalueOptions, rv Revaluation) (NewEntry, error) {
	journal := opts.JournalID
	if journal == 0 {
		j, err := journalByCode(ctx, s.DB, companyID, "GEN")
		if err != nil {
			return NewEntry{}, backoffice.Errorf(backoffice.EInvalid, "choose the journal for the revaluation: the company has no GEN journal")
		}
		journal = j.ID
	}
	gain, loss := opts.GainAccountID, opts.LossAccountID
	var err error
	if gain == 0 && rv.Gain != 0 {
		if gain, err = exchangeAccount(ctx, s.DB, companyID, Income); err != nil {
			return NewEntry{}, err
		}
	}
	if loss == 0 && rv.Loss != 0 {
		if loss, err = exchangeAccount(ctx, s.DB, companyID, Expense); err != nil {
			return NewEntry{}, err
		}
	}
	in := NewEntry{JournalID: journal, Date: opts.Date, Reference: "FX revaluation " + opts.Date.String(),
		Narration:      "Unrealised exchange differences on foreign-currency balances at " + opts.Date.String(),
		IdempotencyKey: "fx-revaluation:" + opts.Date.String()}
	for _, l := range rv.Lines {
		if l.Difference == 0 {
			continue
		}
		in.Lines = append(in.Lines, NewLine{AccountID: l.AccountID, Currency: l.Currency, CompanyAmount: l.Difference, Rate: l.Rate,
			Memo: revaluationMemo(l, rv.Currency)})
	}
	if rv.Gain != 0 {
		in.Lines = append(in.Lines, NewLine{AccountID: gain, Amount: -rv.Gain, Memo: "Unrealised exchange gains"})
	}
	if rv.Loss != 0 {
		in.Lines = append(in.Lines, NewLine{AccountID: loss, Amount: rv.Loss, Memo: "Unrealised exchange losses"})
	}
	return in, nil
}

// revaluationMemo is the computation of a line, kept on its entry line.
func revaluationMemo(l RevaluationLine, base backoffice.Currency) string {
	if l.Balance == 0 {
		return fmt.Sprintf("no %s left: %s booked cleared", l.Currency, backoffice.NewMoney(l.Booked, base))
	}
	return fmt.Sprintf("%s at %s of %s: %s booked, %s revalued", backoffice.NewMoney(l.Balance, l.Currency), l.Rate, l.RateDate,
		backoffice.NewMoney(l.Booked, base), backoffice.NewMoney(l.Revalued, base))
}

// exchangeAccount finds the default account for unrealised gains (income)
// or losses (expense): the first unblocked one of subtype
// exchange_difference by code (4120 and 7030 in the default chart).
func exchangeAccount(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, t AccountType) (backoffice.ID, error) {
	var id backoffice.ID
	err := q.QueryRowContext(ctx, `SELECT id FROM ledger_accounts WHERE company_id = ? AND type = ? AND subtype = 'exchange_difference'
		AND NOT blocked ORDER BY code LIMIT 1`, int64(companyID), string(t)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		field, what := "gain_account_id", "gains (an income account)"
		if t == Expense {
			field, what = "loss_account_id", "losses (an expense account)"
		}
		return 0, fieldError(field, "is required: the chart has no "+string(t)+" account of subtype exchange_difference for exchange "+what)
	}
	if err != nil {
		return 0, fmt.Errorf("find exchange difference account: %w", err)
	}
	return id, nil
}

// reverseTx posts the mirror of a just-posted entry inside the caller's
// transaction, linked to it like Reverse does. Reverse reads the original
// outside any transaction, where an entry posted in tx is not visible yet.
func (s *Service) reverseTx(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, orig Entry, date backoffice.Date, reason string) (Entry, error) {
	in := NewEntry{JournalID: orig.JournalID, Date: date, Reference: orig.Reference,
		Narration: fmt.Sprintf("Reversal of %s: %s", orig.Number, reason)}
	for _, l := range orig.Lines {
		in.Lines = append(in.Lines, NewLine{AccountID: l.AccountID, Currency: l.Currency, Amount: -l.Amount, CompanyAmount: -l.CompanyAmount,
			Rate: l.Rate, PartyID: l.PartyID, Dimensions: l.Dimensions, TaxCode: l.TaxCode, DueDate: l.DueDate, Memo: l.Memo})
	}
	l := newLookup(tx)
	p := &prepared{companyID: companyID, base: orig.Currency, in: in, reversesID: orig.ID, reason: reason}
	j, err := l.journal(ctx, companyID, in.JournalID)
	if err != nil || j == nil {
		return Entry{}, cmpErr(err, notFound("journal", in.JournalID))
	}
	p.journal = *j
	v := backoffice.Validation{}
	if err := s.prepareLines(ctx, l, p, v, ""); err != nil {
		return Entry{}, err
	}
	if err := v.Err("reversal"); err != nil {
		return Entry{}, err
	}
	p.hash = contentHash(in)
	locks, err := l.lockDates(ctx, companyID)
	if err != nil {
		return Entry{}, err
	}
	if err := checkLock(locks, j.Type, date); err != nil {
		return Entry{}, err
	}
	if err := s.postTx(ctx, tx, []*prepared{p}); err != nil {
		return Entry{}, err
	}
	return p.out, nil
}

// revaluationOn returns the posted revaluation of date, with its lines read
// back from its entry.
func (s *Service) revaluationOn(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, date backoffice.Date) (Revaluation, bool, error) {
	rv := Revaluation{Date: date, Posted: true, AlreadyPosted: true, Lines: []RevaluationLine{}}
	var created time.Time
	err := q.QueryRowContext(ctx, `SELECT entry_id, reversal_id, gain, loss, created_at FROM ledger_revaluations WHERE company_id = ? AND date = ?`,
		int64(companyID), date).Scan(&rv.EntryID, &rv.ReversalID, &rv.Gain, &rv.Loss, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Revaluation{}, false, nil
	}
	if err != nil {
		return Revaluation{}, false, fmt.Errorf("read revaluation: %w", err)
	}
	created = created.UTC()
	rv.CreatedAt = &created
	entry, err := getEntry(ctx, q, companyID, rv.EntryID)
	if err != nil {
		return Revaluation{}, false, err
	}
	rev, err := getEntry(ctx, q, companyID, rv.ReversalID)
	if err != nil {
		return Revaluation{}, false, err
	}
	rv.Currency, rv.EntryNumber, rv.ReversalNumber = entry.Currency, entry.Number, rev.Number
	for _, l := range entry.Lines {
		if l.Currency == entry.Currency {
			continue // the gain and loss lines
		}
		a, err := getAccount(ctx, q, companyID, l.AccountID)
		if err != nil {
			return Revaluation{}, false, err
		}
		rv.Lines = append(rv.Lines, RevaluationLine{AccountID: l.AccountID, AccountCode: a.Code, AccountName: a.Name, Currency: l.Currency,
			Rate: l.Rate, Difference: l.CompanyAmount, Note: l.Memo})
	}
	return rv, true, nil
}

// Revaluations lists the company's posted revaluations, latest first,
// without their lines.
func (s *Service) Revaluations(ctx context.Context, companyID backoffice.ID) ([]Revaluation, error) {
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.date, r.entry_id, r.reversal_id, r.gain, r.loss, r.created_at, e.number, v.number
		FROM ledger_revaluations r JOIN ledger_entries e ON e.id = r.entry_id JOIN ledger_entries v ON v.id = r.reversal_id
		WHERE r.company_id = ? ORDER BY r.date DESC LIMIT 500`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list revaluations: %w", err)
	}
	defer rows.Close()
	out := []Revaluation{}
	for rows.Next() {
		rv := Revaluation{Currency: base, Posted: true}
		var created time.Time
		if err := rows.Scan(&rv.Date, &rv.EntryID, &rv.ReversalID, &rv.Gain, &rv.Loss, &created, &rv.EntryNumber, &rv.ReversalNumber); err != nil {
			return nil, fmt.Errorf("list revaluations: %w", err)
		}
		created = created.UTC()
		rv.CreatedAt = &created
		out = append(out, rv)
	}
	return out, rows.Err()
}
