package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// YearClosing is the close of a fiscal year: the closing entry that moved
// every income and expense balance to retained earnings on the year's last
// day (EntryID 0 when there was nothing to move), and, once reopened, the
// reversal of that entry.
type YearClosing struct {
	ID           backoffice.ID   `json:"id"`
	CompanyID    backoffice.ID   `json:"company_id"`
	Year         int             `json:"year"`
	End          backoffice.Date `json:"end"`
	EntryID      backoffice.ID   `json:"entry_id,omitempty"`
	ReversalID   backoffice.ID   `json:"reversal_id,omitempty"`
	Reason       string          `json:"reason"`
	ReopenReason string          `json:"reopen_reason,omitempty"`
	ClosedAt     time.Time       `json:"closed_at"`
	ReopenedAt   *time.Time      `json:"reopened_at,omitempty"`
}

// fiscalYearBounds returns the first and last day of fiscal year year.
func fiscalYearBounds(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, year int) (backoffice.Date, backoffice.Date, error) {
	if year < 1900 || year > 9998 {
		return backoffice.Date{}, backoffice.Date{}, fieldError("fiscal_year", "must be a year from 1900 to 9998")
	}
	m, err := fiscalStartMonth(ctx, q, companyID)
	if err != nil {
		return backoffice.Date{}, backoffice.Date{}, err
	}
	// A fiscal year is named after the calendar year it ends in.
	lastMonth := backoffice.NewDate(year, 12, 1)
	if m != time.January {
		lastMonth = backoffice.NewDate(year, m-1, 1)
	}
	_, start, end := fiscalYearOf(lastMonth, m)
	return start, end, nil
}

// CloseYear closes a fiscal year: it posts, on the year's last day in the
// company's general journal, an entry moving every income and expense
// balance to the retained-earnings account (subtype retained_earnings, the
// lowest code when there are several), then locks the books up to that
// day. Calling it again for a closed year changes nothing and returns the
// same closing (it completes a lock that an interrupted call missed).
// The year must have ended; the reason goes to the change log.
func (s *Service) CloseYear(ctx context.Context, companyID backoffice.ID, fiscalYear int, reason string) (YearClosing, error) {
	if _, err := companyCurrency(ctx, s.DB, companyID); err != nil {
		return YearClosing{}, err
	}
	_, end, err := fiscalYearBounds(ctx, s.DB, companyID, fiscalYear)
	if err != nil {
		return YearClosing{}, err
	}
	if end.After(s.today()) {
		return YearClosing{}, fieldError("fiscal_year", fmt.Sprintf("has not ended yet: it ends on %s", end))
	}
	if c, err := closingInForce(ctx, s.DB, companyID, fiscalYear); err != nil || c != nil {
		if err != nil {
			return YearClosing{}, err
		}
		return *c, s.lockUpTo(ctx, companyID, end)
	}
	entryID, err := s.postClosing(ctx, companyID, fiscalYear, end, reason)
	if err != nil {
		return YearClosing{}, err
	}
	c := YearClosing{CompanyID: companyID, Year: fiscalYear, End: end, EntryID: entryID, Reason: reason, ClosedAt: s.now()}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO ledger_year_closings (company_id, year, end_date, entry_id, reason, reopen_reason, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, int64(companyID), fiscalYear, end, nullID(entryID), reason, "", c.ClosedAt).Scan(&c.ID)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "fiscal_year", EntityID: strconv.Itoa(fiscalYear),
			Action: "close", New: map[string]any{"closing_entry_id": entryID, "end": end}, Reason: reason})
		return err
	})
	if sqldb.IsUniqueViolation(err) {
		// A concurrent call closed the year first, with the same entry (its
		// idempotency key): answer with its closing.
		return s.CloseYear(ctx, companyID, fiscalYear, reason)
	}
	if err != nil {
		return YearClosing{}, fmt.Errorf("record year closing: %w", err)
	}
	return c, s.lockUpTo(ctx, companyID, end)
}

// postClosing posts the closing entry of a year and returns its id, 0 when
// no income or expense account has a balance. Its idempotency key counts
// earlier closings of the year, so a year closed, reopened and closed again
// gets a new entry while concurrent closings share one.
func (s *Service) postClosing(ctx context.Context, companyID backoffice.ID, year int, end backoffice.Date, reason string) (backoffice.ID, error) {
	var earlier int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_year_closings WHERE company_id = ? AND year = ?`,
		int64(companyID), year).Scan(&earlier); err != nil {
		return 0, fmt.Errorf("count year closings: %w", err)
	}
	key := fmt.Sprintf("year-close:%d:%d", year, earlier+1)
	if e, _, err := entryByKey(ctx, s.DB, companyID, key); err != nil || e != nil {
		if err != nil {
			return 0, err
		}
		return e.ID, nil // posted by a call that stopped before recording the closing
	}
	retained, err := s.findRetainedEarnings(ctx, companyID)
	if err != nil {
		return 0, err
	}
	journal, err := s.generalJournal(ctx, companyID)
	if err != nil {
		return 0, err
	}
	lines, err := closingLines(ctx, s.DB, companyID, end, retained)
	if err != nil || len(lines) == 0 {
		return 0, err
	}
	e, err := s.Post(ctx, companyID, NewEntry{JournalID: journal.ID, Date: end, Reference: fmt.Sprintf("CLOSE-%d", year),
		Narration:      fmt.Sprintf("Year-end close %d: income and expenses to retained earnings. %s", year, reason),
		IdempotencyKey: key, Lines: lines})
	if err != nil {
		return 0, err
	}
	return e.ID, nil
}

// closingLines zeroes every income and expense balance at the end of end,
// per account and currency, against one line to the retained earnings.
func closingLines(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, end backoffice.Date, retained Account) ([]NewLine, error) {
	base, err := companyCurrency(ctx, q, companyID)
	if err != nil {
		return nil, err
	}
	cond, args := spansUpTo(end)
	rows, err := q.QueryContext(ctx, `SELECT b.account_id, b.currency, CAST(SUM(b.debit - b.credit) AS BIGINT), CAST(SUM(b.company_debit - b.company_credit) AS BIGINT)
		FROM ledger_balances b JOIN ledger_accounts a ON a.id = b.account_id
		WHERE b.company_id = ? AND a.type IN ('income', 'expense') AND `+cond+`
		GROUP BY b.account_id, a.code, b.currency ORDER BY a.code, b.currency`, append([]any{int64(companyID)}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("read income and expense balances: %w", err)
	}
	defer rows.Close()
	var lines []NewLine
	var profit int64
	for rows.Next() {
		var l NewLine
		var amount, company int64
		if err := rows.Scan(&l.AccountID, &l.Currency, &amount, &company); err != nil {
			return nil, fmt.Errorf("read income and expense balances: %w", err)
		}
		if company == 0 {
			continue // a foreign amount worth nothing in company currency stays
		}
		l.Amount, l.CompanyAmount = -amount, -company
		switch {
		case l.Currency == base:
			l.CompanyAmount = 0
		case amount == 0 || (amount > 0) != (company > 0):
			l.Amount = 0 // exchange differences left a balance only in company currency
		}
		profit += company
		lines = append(lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read income and expense balances: %w", err)
	}
	if len(lines) == 0 {
		return nil, nil
	}
	return append(lines, NewLine{AccountID: retained.ID, Currency: base, Amount: profit, Memo: "Profit of the year"}), nil
}

// findRetainedEarnings is the company's retained-earnings account.
func (s *Service) findRetainedEarnings(ctx context.Context, companyID backoffice.ID) (Account, error) {
	a, err := scanAccount(s.DB.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM ledger_accounts
		WHERE company_id = ? AND type = ? AND subtype = 'retained_earnings' AND blocked = ? ORDER BY code LIMIT 1`,
		int64(companyID), string(Equity), false))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, backoffice.Errorf(backoffice.EPrecondition, "the company has no retained-earnings account: give an equity account the subtype retained_earnings first")
	}
	if err != nil {
		return Account{}, fmt.Errorf("read retained-earnings account: %w", err)
	}
	return a, nil
}

// generalJournal is the company's general journal (the lowest code).
func (s *Service) generalJournal(ctx context.Context, companyID backoffice.ID) (Journal, error) {
	j, err := scanJournal(s.DB.QueryRowContext(ctx, `SELECT `+journalColumns+` FROM ledger_journals
		WHERE company_id = ? AND type = 'general' AND blocked = ? ORDER BY code LIMIT 1`, int64(companyID), false))
	if errors.Is(err, sql.ErrNoRows) {
		return Journal{}, backoffice.Errorf(backoffice.EPrecondition, "the company has no general journal for the closing entry: create one of type general")
	}
	if err != nil {
		return Journal{}, fmt.Errorf("read general journal: %w", err)
	}
	return j, nil
}

// lockUpTo moves the lock date of all journals forward to end, if it is
// earlier.
func (s *Service) lockUpTo(ctx context.Context, companyID backoffice.ID, end backoffice.Date) error {
	locks, err := lockDates(ctx, s.DB, companyID)
	if err != nil {
		return err
	}
	for _, l := range locks {
		if l.JournalType == "" && !l.Date.Before(end) {
			return nil
		}
	}
	return s.SetLockDate(ctx, companyID, "", end, "")
}
