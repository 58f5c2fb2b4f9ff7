package bank

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"backoffice"
)

// Statement is a stored bank statement.
type Statement struct {
	ID             backoffice.ID       `json:"id"`
	BankAccountID  backoffice.ID       `json:"bank_account_id"`
	StatementID    string              `json:"statement_id"` // the bank's id
	FromDate       backoffice.Date     `json:"from_date"`
	ToDate         backoffice.Date     `json:"to_date"`
	Currency       backoffice.Currency `json:"currency"`
	OpeningBalance *int64              `json:"opening_balance"` // minor units; nil when the file gave none
	ClosingBalance *int64              `json:"closing_balance"`
	FileName       string              `json:"file_name"`
	FileSHA256     string              `json:"file_sha256"`
	Format         string              `json:"format"`
	Warnings       []string            `json:"warnings"`
	BalanceProblem string              `json:"balance_problem"` // "" when the balances agree
	NewLines       int                 `json:"new_lines"`
	SkippedLines   int                 `json:"skipped_lines"`
	ImportedAt     time.Time           `json:"imported_at"`
}

// Statements returns the statements of a bank account, latest period first.
func (s *Service) Statements(ctx context.Context, companyID, bankAccountID backoffice.ID) ([]Statement, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, bank_account_id, statement_id, from_date, to_date, currency,
		opening_balance, closing_balance, file_name, file_sha256, format, warnings, balance_problem, new_lines, skipped_lines,
		imported_at FROM bank_statements WHERE company_id = ? AND bank_account_id = ? ORDER BY to_date DESC NULLS LAST, id DESC`,
		int64(companyID), int64(bankAccountID))
	if err != nil {
		return nil, fmt.Errorf("list statements: %w", err)
	}
	defer rows.Close()
	out := []Statement{}
	for rows.Next() {
		var st Statement
		var open, closing sql.NullInt64
		var warnings string
		if err := rows.Scan(&st.ID, &st.BankAccountID, &st.StatementID, &st.FromDate, &st.ToDate, &st.Currency, &open, &closing,
			&st.FileName, &st.FileSHA256, &st.Format, &warnings, &st.BalanceProblem, &st.NewLines, &st.SkippedLines,
			&st.ImportedAt); err != nil {
			return nil, fmt.Errorf("list statements: %w", err)
		}
		st.OpeningBalance, st.ClosingBalance = nullable(open), nullable(closing)
		st.Warnings = []string{}
		if warnings != "" {
			st.Warnings = strings.Split(warnings, "\n")
		}
		st.ImportedAt = st.ImportedAt.UTC()
		out = append(out, st)
	}
	return out, rows.Err()
}

func nullable(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}
