package ledger

import (
	"context"
	"database/sql"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

// StatementLine is one posted line of an account statement with the running
// balance in company currency after it.
type StatementLine struct {
	EntryID       backoffice.ID       `json:"entry_id"`
	LineNo        int                 `json:"line_no"`
	Number        string              `json:"number"`
	Date          backoffice.Date     `json:"date"`
	Reference     string              `json:"reference"`
	Narration     string              `json:"narration"`
	Memo          string              `json:"memo,omitempty"`
	PartyID       int64               `json:"party_id,omitempty"`
	Currency      backoffice.Currency `json:"currency"`
	Amount        int64               `json:"amount"`
	CompanyAmount int64               `json:"company_amount"`
	Balance       int64               `json:"balance"`
}

// Statement is one page of an account's lines between two dates. Opening is
// the company-currency balance before the page's first line (before From on
// the first page); Closing is the balance at the end of To.
type Statement struct {
	Account  Account             `json:"account"`
	From     backoffice.Date     `json:"from,omitzero"`
	To       backoffice.Date     `json:"to,omitzero"`
	Currency backoffice.Currency `json:"currency"`
	Opening  int64               `json:"opening"`
	Closing  int64               `json:"closing"`
	Lines    []StatementLine     `json:"lines"`
	Next     string              `json:"next,omitempty"`
}

// statementPos is the keyset position after a line, with the running balance
// there, so the next page needs no sum over earlier lines.
type statementPos struct {
	Date    backoffice.Date `json:"d"`
	Entry   backoffice.ID   `json:"e"`
	Line    int             `json:"n"`
	Balance int64           `json:"b"`
}

// Far bounds stand in for open ends of a date range.
var (
	firstDate = backoffice.NewDate(1, 1, 1)
	lastDate  = backoffice.NewDate(9999, 12, 31)
)

// AccountStatement returns one page of an account's posted lines from from
// to to (either may be zero for an open end), ordered by date and entry,
// with running balances. The opening balance comes from the maintained
// summaries and each page continues from its cursor: no page sums the
// lines before it.
func (s *Service) AccountStatement(ctx context.Context, companyID, accountID backoffice.ID, from, to backoffice.Date, page backoffice.Page) (Statement, error) {
	a, err := getAccount(ctx, s.DB, companyID, accountID)
	if err != nil {
		return Statement{}, err
	}
	base, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return Statement{}, err
	}
	st := Statement{Account: a, From: from, To: to, Currency: base, Lines: []StatementLine{}}
	lo, hi := from, to
	if lo.IsZero() {
		lo = firstDate
	}
	if hi.IsZero() {
		hi = lastDate
	}
	if hi.Before(lo) {
		return Statement{}, fieldError("to", "must not be before from")
	}
	if st.Closing, err = companyBalanceAt(ctx, s.DB, accountID, hi); err != nil {
		return Statement{}, err
	}
	pos := statementPos{Date: lo, Entry: 0, Line: 0}
	if page.After != "" {
		if err := decodeCursor(page.After, "statement", &pos); err != nil {
			return Statement{}, err
		}
	} else if !from.IsZero() {
		if pos.Balance, err = companyBalanceAt(ctx, s.DB, accountID, from.AddDays(-1)); err != nil {
			return Statement{}, err
		}
	}
	st.Opening = pos.Balance
	limit := limitOf(page)
	if err := statementLines(ctx, s.DB, &st, pos, hi, limit); err != nil {
		return Statement{}, err
	}
	return st, nil
}

// statementLines reads up to limit lines after pos, and the cursor of the
// next page when one more line exists.
func statementLines(ctx context.Context, q sqldb.Querier, st *Statement, pos statementPos, hi backoffice.Date, limit int) error {
	rows, err := q.QueryContext(ctx, fmt.Sprintf(`SELECT l.entry_id, l.line_no, e.number, l.date, e.reference, e.narration, l.memo, l.party_id,
		l.currency, l.amount, l.company_amount
		FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id
		WHERE l.account_id = ? AND (l.date, l.entry_id, l.line_no) > (?, ?, ?) AND l.date <= ?
		ORDER BY l.date, l.entry_id, l.line_no LIMIT %d`, limit+1),
		int64(st.Account.ID), pos.Date, int64(pos.Entry), pos.Line, hi)
	if err != nil {
		return fmt.Errorf("account statement: %w", err)
	}
	defer rows.Close()
	balance := pos.Balance
	for rows.Next() {
		var l StatementLine
		var party sql.NullInt64
		if err := rows.Scan(&l.EntryID, &l.LineNo, &l.Number, &l.Date, &l.Reference, &l.Narration, &l.Memo, &party,
			&l.Currency, &l.Amount, &l.CompanyAmount); err != nil {
			return fmt.Errorf("account statement: %w", err)
		}
		if len(st.Lines) == limit {
			last := st.Lines[limit-1]
			st.Next = encodeCursor("statement", statementPos{Date: last.Date, Entry: last.EntryID, Line: last.LineNo, Balance: last.Balance})
			break
		}
		l.PartyID = party.Int64
		balance += l.CompanyAmount
		l.Balance = balance
		st.Lines = append(st.Lines, l)
	}
	return rows.Err()
}

// companyBalanceAt is an account's balance in company currency, all line
// currencies together, at the end of date.
func companyBalanceAt(ctx context.Context, q sqldb.Querier, accountID backoffice.ID, date backoffice.Date) (int64, error) {
	cond, args := spansUpTo(date)
	var b int64
	err := q.QueryRowContext(ctx, `SELECT CAST(COALESCE(SUM(company_debit - company_credit), 0) AS BIGINT) FROM ledger_balances
		WHERE account_id = ? AND `+cond, append([]any{int64(accountID)}, args...)...).Scan(&b)
	if err != nil {
		return 0, fmt.Errorf("read balance: %w", err)
	}
	return b, nil
}
