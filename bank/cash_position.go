package bank

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"backoffice"
)

// The position explains the difference between the statement and the
// ledger by pairing lines: over a window
// that starts at the opening balance of a statement, every statement line
// and every ledger line of the bank's ledger account (in the account's
// currency) is paired with its counterpart: first by the live
// reconciliations (bank_reconciliations), then the rest by amount, each
// with the unpaired line of the other side closest in date. Matched pairs
// cancel, so
//
//	statement closing − ledger balance = brought forward
//	    + Σ statement lines without a ledger match
//	    − Σ ledger lines without a statement match
//
// exactly, when the statements of the window follow one another without a
// gap. Whatever is left (a gap, a balance problem on a statement) is shown
// as Unexplained, never hidden.

// positionWindowDays bounds the matching window: it starts at the opening
// balance of the oldest statement that ends within this many days before
// the statement date, so the work stays proportional to a year's lines.
const positionWindowDays = 366

// CashItem is one line that explains a difference: a statement line with
// no ledger line of the same amount (Source "statement"), or a ledger line
// with no statement line (Source "ledger"). Amount is in the account's
// currency, positive for money in.
type CashItem struct {
	Source string          `json:"source"`
	Date   backoffice.Date `json:"date"`
	Amount int64           `json:"amount"`
	Text   string          `json:"text"` // counterparty and remittance, or ledger number and reference
	LineID backoffice.ID   `json:"line_id,omitempty"`
	Entry  backoffice.ID   `json:"entry_id,omitempty"`
	LineNo int             `json:"line_no,omitempty"` // of the ledger entry
	// linked is the ledger line a statement line is reconciled with.
	linked ledgerRef
}

// ledgerRef names a ledger line.
type ledgerRef struct {
	entry  backoffice.ID
	lineNo int
}

// AccountPosition is one bank account's balance per statement and per
// ledger, in the account's currency, and why they differ.
type AccountPosition struct {
	Account           Account             `json:"account"`
	Currency          backoffice.Currency `json:"currency"`
	StatementID       backoffice.ID       `json:"statement_id,omitempty"`
	StatementDate     backoffice.Date     `json:"statement_date,omitzero"` // zero: no statement with a closing balance yet
	StatementBalance  int64               `json:"statement_balance"`
	LedgerAtStatement int64               `json:"ledger_at_statement"`
	LedgerToday       int64               `json:"ledger_today"`
	LedgerCompany     int64               `json:"ledger_company"` // LedgerToday in company currency
	Difference        int64               `json:"difference"`     // StatementBalance − LedgerAtStatement
	BroughtForward    int64               `json:"brought_forward"`
	WindowFrom        backoffice.Date     `json:"window_from,omitzero"`
	Unbooked          []CashItem          `json:"unbooked"`        // at the bank, not in the books
	Uncleared         []CashItem          `json:"uncleared"`       // in the books, not at the bank
	Unexplained       int64               `json:"unexplained"`     // what the items do not account for
	AfterStatement    int64               `json:"after_statement"` // ledger movement after the statement date up to Date
	Reconciled        int                 `json:"reconciled"`      // statement lines of the window paired by their reconciliation
}

// PositionTotal sums the positions of one currency.
type PositionTotal struct {
	Currency          backoffice.Currency `json:"currency"`
	StatementBalance  int64               `json:"statement_balance"`
	LedgerAtStatement int64               `json:"ledger_at_statement"`
	LedgerToday       int64               `json:"ledger_today"`
	Difference        int64               `json:"difference"`
}

// Position is the company's cash position at a date.
type Position struct {
	CompanyID    backoffice.ID       `json:"company_id"`
	Date         backoffice.Date     `json:"date"`
	Currency     backoffice.Currency `json:"currency"` // company currency
	Accounts     []AccountPosition   `json:"accounts"`
	Totals       []PositionTotal     `json:"totals"`
	CompanyTotal int64               `json:"company_total"` // ledger balances at Date in company currency
}

// Position reports, for every active bank account of the company, the last
// statement closing balance on or before date, the ledger balance at that
// statement's date and at date, the difference and the lines that explain
// it, with totals per currency. A zero date is today.
func (s *Service) Position(ctx context.Context, companyID backoffice.ID, date backoffice.Date) (Position, error) {
	if date.IsZero() {
		date = backoffice.DateOf(s.now())
	}
	base, err := s.companyCurrency(ctx, companyID)
	if err != nil {
		return Position{}, err
	}
	accounts, err := s.List(ctx, companyID, false)
	if err != nil {
		return Position{}, err
	}
	p := Position{CompanyID: companyID, Date: date, Currency: base, Accounts: []AccountPosition{}, Totals: []PositionTotal{}}
	totals := map[backoffice.Currency]*PositionTotal{}
	for _, a := range accounts {
		ap, err := s.accountPosition(ctx, companyID, a, date)
		if err != nil {
			return Position{}, err
		}
		p.Accounts = append(p.Accounts, ap)
		p.CompanyTotal += ap.LedgerCompany
		t := totals[a.Currency]
		if t == nil {
			t = &PositionTotal{Currency: a.Currency}
			totals[a.Currency] = t
		}
		t.StatementBalance += ap.StatementBalance
		t.LedgerAtStatement += ap.LedgerAtStatement
		t.LedgerToday += ap.LedgerToday
		t.Difference += ap.Difference
	}
	for _, t := range totals {
		p.Totals = append(p.Totals, *t)
	}
	slices.SortFunc(p.Totals, func(a, b PositionTotal) int { return cmp.Compare(a.Currency, b.Currency) })
	return p, nil
}

// companyCurrency reads the company's currency; an unknown company is not found.
func (s *Service) companyCurrency(ctx context.Context, companyID backoffice.ID) (backoffice.Currency, error) {
	var c backoffice.Currency
	err := s.DB.QueryRowContext(ctx, `SELECT currency FROM companies WHERE id = ?`, int64(companyID)).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", backoffice.Errorf(backoffice.ENotFound, "company %d not found", companyID)
	}
	if err != nil {
		return "", fmt.Errorf("read company currency: %w", err)
	}
	return c, nil
}

// accountPosition builds one account's position.
func (s *Service) accountPosition(ctx context.Context, companyID backoffice.ID, a Account, date backoffice.Date) (AccountPosition, error) {
	ap := AccountPosition{Account: a, Currency: a.Currency, Unbooked: []CashItem{}, Uncleared: []CashItem{}}
	today, err := s.Ledger.Balance(ctx, companyID, a.LedgerAccountID, a.Currency, date)
	if err != nil {
		return ap, err
	}
	ap.LedgerToday, ap.LedgerCompany = today.Balance, today.CompanyBalance
	last, ok, err := s.lastClosing(ctx, companyID, a.ID, date)
	if err != nil || !ok {
		ap.LedgerAtStatement = ap.LedgerToday
		return ap, err
	}
	ap.StatementID, ap.StatementDate, ap.StatementBalance = last.id, last.date, last.balance
	at, err := s.Ledger.Balance(ctx, companyID, a.LedgerAccountID, a.Currency, last.date)
	if err != nil {
		return ap, err
	}
	ap.LedgerAtStatement = at.Balance
	ap.Difference = ap.StatementBalance - ap.LedgerAtStatement
	ap.AfterStatement = ap.LedgerToday - ap.LedgerAtStatement
	if err := s.explain(ctx, companyID, a, &ap); err != nil {
		return ap, err
	}
	return ap, nil
}

// closing is a statement's closing balance and the date it holds for.
type closing struct {
	id      backoffice.ID
	date    backoffice.Date
	balance int64
}

// lastClosing returns the latest statement closing balance of the account
// dated on or before date.
func (s *Service) lastClosing(ctx context.Context, companyID, accountID backoffice.ID, date backoffice.Date) (closing, bool, error) {
	var c closing
	err := s.DB.QueryRowContext(ctx, `SELECT id, COALESCE(closing_date, to_date), closing_balance FROM bank_statements
		WHERE company_id = ? AND bank_account_id = ? AND closing_balance IS NOT NULL AND COALESCE(closing_date, to_date) <= ?
		ORDER BY COALESCE(closing_date, to_date) DESC, id DESC LIMIT 1`, int64(companyID), int64(accountID), date).Scan(&c.id, &c.date, &c.balance)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("read last statement balance: %w", err)
	}
	return c, true, nil
}

// explain fills the window, the brought-forward difference, the unmatched
// lines of both sides and what remains unexplained.
func (s *Service) explain(ctx context.Context, companyID backoffice.ID, a Account, ap *AccountPosition) error {
	var open sql.NullInt64
	var from backoffice.Date
	err := s.DB.QueryRowContext(ctx, `SELECT from_date, opening_balance FROM bank_statements
		WHERE company_id = ? AND bank_account_id = ? AND from_date IS NOT NULL AND COALESCE(closing_date, to_date) >= ?
		AND from_date <= ? ORDER BY from_date, id LIMIT 1`, int64(companyID), int64(a.ID), ap.StatementDate.AddDays(-positionWindowDays),
		ap.StatementDate).Scan(&from, &open)
	if errors.Is(err, sql.ErrNoRows) {
		ap.Unexplained = ap.Difference
		return nil
	}
	if err != nil {
		return fmt.Errorf("read statement window: %w", err)
	}
	ap.WindowFrom = from
	before, err := s.Ledger.Balance(ctx, companyID, a.LedgerAccountID, a.Currency, from.AddDays(-1))
	if err != nil {
		return err
	}
	if open.Valid {
		ap.BroughtForward = open.Int64 - before.Balance
	}
	bankSide, err := s.windowLines(ctx, companyID, a.ID, from, ap.StatementDate)
	if err != nil {
		return err
	}
	bookSide, err := s.ledgerLines(ctx, companyID, a, from, ap.StatementDate)
	if err != nil {
		return err
	}
	ap.Unbooked, ap.Uncleared, ap.Reconciled = unmatched(bankSide, bookSide)
	ap.Unexplained = ap.Difference - ap.BroughtForward
	for _, it := range ap.Unbooked {
		ap.Unexplained -= it.Amount
	}
	for _, it := range ap.Uncleared {
		ap.Unexplained += it.Amount
	}
	return nil
}

// windowLines reads the account's statement lines booked from from to to.
func (s *Service) windowLines(ctx context.Context, companyID, accountID backoffice.ID, from, to backoffice.Date) ([]CashItem, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT l.id, l.booking_date, l.amount, l.counterparty_name, l.remittance,
		COALESCE(r.entry_id, 0), COALESCE(r.line_no, 0) FROM bank_statement_lines l
		LEFT JOIN bank_reconciliations r ON r.statement_line_id = l.id AND r.undone_at IS NULL
		WHERE l.company_id = ? AND l.bank_account_id = ? AND l.booking_date >= ? AND l.booking_date <= ? ORDER BY l.booking_date, l.id`,
		int64(companyID), int64(accountID), from, to)
	if err != nil {
		return nil, fmt.Errorf("read statement lines: %w", err)
	}
	defer rows.Close()
	var out []CashItem
	for rows.Next() {
		it := CashItem{Source: "statement"}
		var name, remittance string
		if err := rows.Scan(&it.LineID, &it.Date, &it.Amount, &name, &remittance, &it.linked.entry, &it.linked.lineNo); err != nil {
			return nil, fmt.Errorf("read statement lines: %w", err)
		}
		it.Text = joinText(name, remittance)
		out = append(out, it)
	}
	return out, rows.Err()
}

// ledgerLines reads the lines of the bank's ledger account in its currency
// from from to to, page by page.
func (s *Service) ledgerLines(ctx context.Context, companyID backoffice.ID, a Account, from, to backoffice.Date) ([]CashItem, error) {
	var out []CashItem
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		st, err := s.Ledger.AccountStatement(ctx, companyID, a.LedgerAccountID, from, to, page)
		if err != nil {
			return nil, err
		}
		for _, l := range st.Lines {
			if l.Currency == a.Currency {
				out = append(out, CashItem{Source: "ledger", Date: l.Date, Amount: l.Amount, Text: joinText(l.Number, l.Reference, l.Narration), Entry: l.EntryID, LineNo: l.LineNo})
			}
		}
		if st.Next == "" {
			return out, nil
		}
		page.After = st.Next
	}
}

// unmatched pairs each reconciled statement line with its ledger line, then
// the other statement and ledger lines of equal amount, each with the
// unpaired one of the other side closest in date, and returns what is left
// and how many pairs the reconciliations made.
func unmatched(bankSide, bookSide []CashItem) (unbooked, uncleared []CashItem, reconciled int) {
	byAmount := map[int64][]int{}
	byRef := map[ledgerRef]int{}
	for i, it := range bookSide {
		byAmount[it.Amount] = append(byAmount[it.Amount], i)
		byRef[ledgerRef{it.Entry, it.LineNo}] = i
	}
	used := make([]bool, len(bookSide))
	paired := make([]bool, len(bankSide))
	for i, it := range bankSide {
		// A reconciliation pairs lines of the same amount; one that does not
		// (a line in another currency) is left to the amount pass.
		if j, ok := byRef[it.linked]; ok && it.linked.entry != 0 && !used[j] && bookSide[j].Amount == it.Amount {
			used[j], paired[i] = true, true
			reconciled++
		}
	}
	unbooked, uncleared = []CashItem{}, []CashItem{}
	for i, it := range bankSide {
		if paired[i] {
			continue
		}
		best := -1
		for _, j := range byAmount[it.Amount] {
			if used[j] {
				continue
			}
			if best < 0 || absDays(it.Date, bookSide[j].Date) < absDays(it.Date, bookSide[best].Date) {
				best = j
			}
		}
		if best < 0 {
			unbooked = append(unbooked, it)
			continue
		}
		used[best] = true
	}
	for j, it := range bookSide {
		if !used[j] {
			uncleared = append(uncleared, it)
		}
	}
	return unbooked, uncleared, reconciled
}

func absDays(a, b backoffice.Date) int {
	d := a.DaysUntil(b)
	if d < 0 {
		return -d
	}
	return d
}

// joinText joins the non-empty parts with " · ".
func joinText(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " · "
		}
		out += p
	}
	return out
}
