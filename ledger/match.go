package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Match is one settled pair: a debit line and a credit line of one account
// and party, for Amount in Currency. DebitAmount and CreditAmount are what
// each side lost in its own currency, DebitCompany and CreditCompany in
// company currency (all positive). The company parts differ when the
// exchange rate moved between the two lines; FXEntryID then names the
// entry that posted the realised exchange difference.
type Match struct {
	ID               backoffice.ID       `json:"id"`
	ReconciliationID backoffice.ID       `json:"reconciliation_id"`
	AccountID        backoffice.ID       `json:"account_id"`
	Date             backoffice.Date     `json:"date"`
	Debit            LineRef             `json:"debit"`
	Credit           LineRef             `json:"credit"`
	Currency         backoffice.Currency `json:"currency"`
	Amount           int64               `json:"amount"`
	DebitAmount      int64               `json:"debit_amount"`
	DebitCompany     int64               `json:"debit_company"`
	CreditAmount     int64               `json:"credit_amount"`
	CreditCompany    int64               `json:"credit_company"`
	FXEntryID        backoffice.ID       `json:"fx_entry_id,omitempty"`
}

// Reconciliation is the result of one MatchLines call: every pair it
// settled and the open items as they are afterwards.
type Reconciliation struct {
	ID      backoffice.ID `json:"id"`
	Matches []Match       `json:"matches"`
	Items   []OpenItem    `json:"items"`
}

// MatchLines settles open items against each other in its own transaction;
// see MatchTx.
func (s *Service) MatchLines(ctx context.Context, companyID backoffice.ID, refs []LineRef) (Reconciliation, error) {
	var rec Reconciliation
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		rec, err = s.MatchTx(ctx, tx, companyID, refs)
		return err
	})
	return rec, err
}

// MatchTx settles the given open items against each other inside the
// caller's transaction (a payment posted and allocated to its invoices
// commits as one). The items must share an account and a party and hold
// both debits and credits; debits are settled by credits in due-date order
// (oldest first) until one side is used up, so a payment smaller than its
// invoice leaves the invoice partly open and a larger one leaves a credit.
// When every item is in one foreign currency the match is made in it and
// each side loses its proportional part in company currency; if the two
// parts differ, the realised exchange gain or loss is posted at once.
func (s *Service) MatchTx(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, refs []LineRef) (Reconciliation, error) {
	items, err := lockItems(ctx, tx, companyID, refs)
	if err != nil {
		return Reconciliation{}, err
	}
	if err := checkMatchable(items); err != nil {
		return Reconciliation{}, err
	}
	base, err := companyCurrency(ctx, tx, companyID)
	if err != nil {
		return Reconciliation{}, err
	}
	// One foreign currency throughout: match in it. Otherwise, or when a
	// line holds only a company-currency remainder, match in company currency.
	currency := items[0].Currency
	for _, it := range items {
		if it.Currency != currency || it.Residual == 0 {
			currency = base
		}
	}
	date := items[0].Date
	for _, it := range items {
		if it.Date.After(date) {
			date = it.Date
		}
	}
	matches, err := allocate(ctx, tx, items, currency, date)
	if err != nil {
		return Reconciliation{}, err
	}
	if err := s.postFXDifferences(ctx, tx, companyID, items, matches, date); err != nil {
		return Reconciliation{}, err
	}
	rec, err := s.storeMatches(ctx, tx, companyID, matches)
	if err != nil {
		return Reconciliation{}, err
	}
	for _, it := range items {
		rec.Items = append(rec.Items, *it)
	}
	return rec, nil
}

// lockItems locks the items in key order, so two reconciliations touching
// the same lines never deadlock, and answers them in the order given.
func lockItems(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, refs []LineRef) ([]*OpenItem, error) {
	if len(refs) < 2 {
		return nil, fieldError("lines", "give at least two open items to match")
	}
	sorted := slices.Clone(refs)
	slices.SortFunc(sorted, func(a, b LineRef) int {
		return cmp.Or(cmp.Compare(a.EntryID, b.EntryID), cmp.Compare(a.LineNo, b.LineNo))
	})
	if len(slices.Compact(sorted)) != len(refs) {
		return nil, fieldError("lines", "names a line twice")
	}
	byRef := map[LineRef]*OpenItem{}
	for _, r := range sorted {
		it, err := lockOpenItem(ctx, tx, companyID, r)
		if err != nil {
			return nil, err
		}
		byRef[r] = &it
	}
	items := make([]*OpenItem, len(refs))
	for i, r := range refs {
		items[i] = byRef[r]
	}
	return items, nil
}

// checkMatchable refuses a set that cannot settle: settled lines, lines of
// several accounts or parties, or no debit or no credit among them.
func checkMatchable(items []*OpenItem) error {
	var debit, credit bool
	for _, it := range items {
		switch {
		case it.Residual == 0 && it.CompanyResidual == 0:
			return backoffice.Errorf(backoffice.EConflict, "%s is already settled", it.text())
		case it.AccountID != items[0].AccountID:
			return fieldError("lines", fmt.Sprintf("%s and %s are on different accounts; only lines of one account settle each other", items[0].text(), it.text()))
		case it.PartyID != items[0].PartyID:
			return fieldError("lines", fmt.Sprintf("%s and %s belong to different parties", items[0].text(), it.text()))
		}
		debit = debit || it.sign() > 0
		credit = credit || it.sign() < 0
	}
	if !debit || !credit {
		return fieldError("lines", "matching needs at least one open debit and one open credit")
	}
	return nil
}

// sign is +1 for an open debit, -1 for an open credit.
func (it *OpenItem) sign() int {
	if it.Residual != 0 {
		return cmp.Compare(it.Residual, 0)
	}
	return cmp.Compare(it.CompanyResidual, 0)
}

// inMatchCurrency says whether the item is counted in its own currency in a
// match made in currency (else in company currency).
func (it *OpenItem) inMatchCurrency(currency backoffice.Currency) bool {
	return it.Currency == currency && it.Residual != 0
}

// open is what is left of the item in the match currency, positive.
func (it *OpenItem) open(currency backoffice.Currency) int64 {
	if it.inMatchCurrency(currency) {
		return abs(it.Residual)
	}
	return abs(it.CompanyResidual)
}

// take is what taking amount (match currency) removes from the item, as
// positive parts in its own currency and in company currency: all that is
// left when amount empties it, else the proportional share of the other
// residual, rounded half away from zero.
func (it *OpenItem) take(amount int64, currency backoffice.Currency) (own, company int64) {
	r, c := abs(it.Residual), abs(it.CompanyResidual)
	if amount == it.open(currency) {
		return r, c
	}
	if it.inMatchCurrency(currency) {
		return amount, mulDivRound(c, amount, r)
	}
	return mulDivRound(r, amount, c), amount
}

func abs(v int64) int64 { return max(v, -v) }

// mulDivRound is a×b/c rounded half away from zero, for a, b ≥ 0 and c > 0,
// without overflow for ledger-sized amounts (below 2^53 minor units).
func mulDivRound(a, b, c int64) int64 {
	q, r := a*b/c, a*b%c
	if 2*r >= c {
		q++
	}
	return q
}

// allocate pairs debits with credits, oldest due date first, and lowers
// the residuals.
func allocate(ctx context.Context, tx *sqldb.Tx, items []*OpenItem, currency backoffice.Currency, date backoffice.Date) ([]Match, error) {
	var debits, credits []*OpenItem
	for _, it := range items {
		if it.sign() > 0 {
			debits = append(debits, it)
		} else {
			credits = append(credits, it)
		}
	}
	byDue := func(a, b *OpenItem) int {
		return cmp.Or(a.dueOrDate().Compare(b.dueOrDate()), cmp.Compare(a.EntryID, b.EntryID), cmp.Compare(a.LineNo, b.LineNo))
	}
	slices.SortStableFunc(debits, byDue)
	slices.SortStableFunc(credits, byDue)
	var out []Match
	for len(debits) > 0 && len(credits) > 0 {
		d, c := debits[0], credits[0]
		amt := min(d.open(currency), c.open(currency))
		m := Match{AccountID: d.AccountID, Date: date, Debit: d.LineRef, Credit: c.LineRef, Currency: currency, Amount: amt}
		m.DebitAmount, m.DebitCompany = d.take(amt, currency)
		m.CreditAmount, m.CreditCompany = c.take(amt, currency)
		if err := settle(ctx, tx, d, m.DebitAmount, m.DebitCompany, date); err != nil {
			return nil, err
		}
		if err := settle(ctx, tx, c, -m.CreditAmount, -m.CreditCompany, date); err != nil {
			return nil, err
		}
		out = append(out, m)
		if d.open(currency) == 0 {
			debits = debits[1:]
		}
		if c.open(currency) == 0 {
			credits = credits[1:]
		}
	}
	return out, nil
}

func (it *OpenItem) dueOrDate() backoffice.Date {
	if !it.DueDate.IsZero() {
		return it.DueDate
	}
	return it.Date
}

// storeMatches writes the matches with one reconciliation id and logs the
// reconciliation once.
func (s *Service) storeMatches(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, ms []Match) (Reconciliation, error) {
	now := s.now()
	var rec Reconciliation
	for i := range ms {
		m := &ms[i]
		m.ReconciliationID = rec.ID
		err := tx.QueryRowContext(ctx, `INSERT INTO ledger_matches (reconciliation_id, company_id, account_id, date, debit_entry_id, debit_line_no,
			credit_entry_id, credit_line_no, currency, amount, debit_amount, debit_company, credit_amount, credit_company, fx_entry_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			int64(rec.ID), int64(companyID), int64(m.AccountID), m.Date, int64(m.Debit.EntryID), m.Debit.LineNo, int64(m.Credit.EntryID), m.Credit.LineNo,
			string(m.Currency), m.Amount, m.DebitAmount, m.DebitCompany, m.CreditAmount, m.CreditCompany, nullID(m.FXEntryID), now).Scan(&m.ID)
		if err != nil {
			return rec, fmt.Errorf("store match: %w", err)
		}
		if rec.ID == 0 {
			rec.ID, m.ReconciliationID = m.ID, m.ID
			if _, err := tx.ExecContext(ctx, `UPDATE ledger_matches SET reconciliation_id = ? WHERE id = ?`, int64(m.ID), int64(m.ID)); err != nil {
				return rec, fmt.Errorf("store match: %w", err)
			}
		}
	}
	rec.Matches = ms
	pairs := make([]string, len(ms))
	for i, m := range ms {
		pairs[i] = fmt.Sprintf("%d/%d~%d/%d %d %s", m.Debit.EntryID, m.Debit.LineNo, m.Credit.EntryID, m.Credit.LineNo, m.Amount, m.Currency)
	}
	_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_reconciliation", EntityID: rec.ID.String(),
		Action: "match", New: map[string]any{"matches": pairs}})
	return rec, err
}

// postFXDifferences posts, for matches whose two sides lost different
// company amounts, the realised exchange difference: the account is brought
// back in line by a company-currency-only line (amount 0 in the items'
// currency) against the exchange gain or loss account. The difference line
// is an open item settled at once.
func (s *Service) postFXDifferences(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, items []*OpenItem, ms []Match, date backoffice.Date) error {
	var diff int64
	for _, m := range ms {
		diff += m.DebitCompany - m.CreditCompany
	}
	if diff == 0 {
		return nil
	}
	gain, loss, journal, err := fxAccounts(ctx, tx, companyID)
	if err != nil {
		return err
	}
	// diff > 0: the debit side lost more than the credit side gave, so the
	// account holds diff too much: credit it; the other side is a loss for
	// a receivable settled with less, a gain for a payable.
	it := items[0]
	other := loss
	if diff < 0 {
		other = gain
	}
	in := NewEntry{JournalID: journal, Date: date, Reference: "FX", Narration: "Realised exchange difference on settlement",
		Lines: []NewLine{
			{AccountID: it.AccountID, Currency: it.Currency, Amount: 0, CompanyAmount: -diff, PartyID: it.PartyID, Memo: "exchange difference"},
			{AccountID: other, Amount: diff, Memo: "realised exchange difference"},
		}}
	e, err := s.PostTx(ctx, tx, companyID, in)
	if err != nil {
		return fmt.Errorf("post the realised exchange difference: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE ledger_open_items SET residual = 0, company_residual = 0, settled_on = ? WHERE entry_id = ? AND line_no = 1`,
		date, int64(e.ID)); err != nil {
		return fmt.Errorf("settle the exchange difference line: %w", err)
	}
	for i := range ms {
		ms[i].FXEntryID = e.ID
	}
	return nil
}

// fxAccounts finds the company's exchange gain and loss accounts (subtype
// exchange_difference, income and expense) and its general journal.
func fxAccounts(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (gain, loss, journal backoffice.ID, err error) {
	rows, err := q.QueryContext(ctx, `SELECT id, type FROM ledger_accounts WHERE company_id = ? AND subtype = 'exchange_difference' AND NOT blocked ORDER BY code`, int64(companyID))
	if err != nil {
		return 0, 0, 0, fmt.Errorf("find exchange difference accounts: %w", err)
	}
	for rows.Next() {
		var id backoffice.ID
		var t AccountType
		if err := rows.Scan(&id, &t); err != nil {
			rows.Close()
			return 0, 0, 0, err
		}
		if t == Income && gain == 0 {
			gain = id
		}
		if t == Expense && loss == 0 {
			loss = id
		}
	}
	rows.Close()
	if gain == 0 || loss == 0 {
		return 0, 0, 0, backoffice.Errorf(backoffice.EInvalid, "the chart has no exchange gain and loss accounts (subtype exchange_difference, one income and one expense): add them to settle in foreign currency")
	}
	err = q.QueryRowContext(ctx, `SELECT id FROM ledger_journals WHERE company_id = ? AND type = 'general' AND NOT blocked ORDER BY code LIMIT 1`, int64(companyID)).Scan(&journal)
	if err != nil {
		return 0, 0, 0, backoffice.Errorf(backoffice.EInvalid, "the company has no open general journal for exchange differences")
	}
	return gain, loss, journal, nil
}

// Unmatch undoes a reconciliation: the lines it settled are open again for
// what it took, and its exchange difference entry, if any, is reversed in
// the same transaction.
func (s *Service) Unmatch(ctx context.Context, companyID, reconciliationID backoffice.ID, reason string) error {
	if len(reason) < 3 {
		return fieldError("reason", "is required: say why the lines are no longer settled")
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		ms, err := matchesOf(ctx, tx, companyID, reconciliationID)
		if err != nil {
			return err
		}
		var refs []LineRef
		for _, m := range ms {
			refs = append(refs, m.Debit, m.Credit)
		}
		slices.SortFunc(refs, func(a, b LineRef) int {
			return cmp.Or(cmp.Compare(a.EntryID, b.EntryID), cmp.Compare(a.LineNo, b.LineNo))
		})
		for _, r := range slices.Compact(refs) {
			if _, err := lockOpenItem(ctx, tx, companyID, r); err != nil {
				return err
			}
		}
		for _, m := range ms {
			if err := reopen(ctx, tx, m.Debit, m.DebitAmount, m.DebitCompany); err != nil {
				return err
			}
			if err := reopen(ctx, tx, m.Credit, -m.CreditAmount, -m.CreditCompany); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_matches WHERE reconciliation_id = ? AND company_id = ?`, int64(reconciliationID), int64(companyID)); err != nil {
			return fmt.Errorf("delete matches: %w", err)
		}
		if _, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_reconciliation", EntityID: reconciliationID.String(),
			Action: "unmatch", Old: map[string]any{"matches": len(ms)}, Reason: reason}); err != nil {
			return err
		}
		if fx := ms[0].FXEntryID; fx != 0 {
			// Open the difference line again so that its reversal settles it.
			if _, err := tx.ExecContext(ctx, `UPDATE ledger_open_items SET residual = amount, company_residual = company_amount, settled_on = NULL
				WHERE entry_id = ? AND line_no = 1`, int64(fx)); err != nil {
				return fmt.Errorf("reopen the exchange difference: %w", err)
			}
			if _, err := s.ReverseTx(ctx, tx, companyID, fx, backoffice.Date{}, "unmatched: "+reason); err != nil {
				return err
			}
		}
		return nil
	})
}

// reopen gives an item back what a match took (signed like the item).
func reopen(ctx context.Context, tx *sqldb.Tx, r LineRef, amount, company int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE ledger_open_items SET residual = residual + ?, company_residual = company_residual + ?, settled_on = NULL
		WHERE entry_id = ? AND line_no = ?`, amount, company, int64(r.EntryID), r.LineNo)
	if err != nil {
		return fmt.Errorf("reopen %s: %w", r.text(), err)
	}
	return nil
}

// matchesOf reads a reconciliation's matches.
func matchesOf(ctx context.Context, q sqldb.Querier, companyID, reconciliationID backoffice.ID) ([]Match, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, reconciliation_id, account_id, date, debit_entry_id, debit_line_no, credit_entry_id, credit_line_no,
		currency, amount, debit_amount, debit_company, credit_amount, credit_company, fx_entry_id FROM ledger_matches WHERE reconciliation_id = ? AND company_id = ? ORDER BY id`,
		int64(reconciliationID), int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read matches: %w", err)
	}
	defer rows.Close()
	var out []Match
	for rows.Next() {
		var m Match
		var fx *int64
		if err := rows.Scan(&m.ID, &m.ReconciliationID, &m.AccountID, &m.Date, &m.Debit.EntryID, &m.Debit.LineNo, &m.Credit.EntryID, &m.Credit.LineNo,
			&m.Currency, &m.Amount, &m.DebitAmount, &m.DebitCompany, &m.CreditAmount, &m.CreditCompany, &fx); err != nil {
			return nil, fmt.Errorf("read matches: %w", err)
		}
		if fx != nil {
			m.FXEntryID = backoffice.ID(*fx)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, notFound("reconciliation", reconciliationID)
	}
	return out, nil
}
