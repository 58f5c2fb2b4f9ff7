package bank

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"backoffice"
)

// Line is one stored line of a bank statement. Amount is in minor units of
// Currency: positive for money in, negative for money out.
type Line struct {
	ID               backoffice.ID       `json:"id"`
	StatementID      backoffice.ID       `json:"statement_id"`
	BookingDate      backoffice.Date     `json:"booking_date"`
	ValueDate        backoffice.Date     `json:"value_date"`
	Amount           int64               `json:"amount"`
	Currency         backoffice.Currency `json:"currency"`
	CounterpartyName string              `json:"counterparty_name"`
	CounterpartyIBAN string              `json:"counterparty_iban"`
	CounterpartyBIC  string              `json:"counterparty_bic"`
	Remittance       string              `json:"remittance"`
	EndToEndID       string              `json:"end_to_end_id"`
	BankReference    string              `json:"bank_reference"`
	MandateID        string              `json:"mandate_id"`
	CreditorID       string              `json:"creditor_id"`
	BankTxCode       string              `json:"bank_tx_code"`
}

// LineFilter narrows Lines.
type LineFilter struct {
	Query string // part of the counterparty, remittance or a reference, any case
	Page  backoffice.Page
}

// linePos is the keyset position of a line: its booking date and id.
type linePos struct {
	Date backoffice.Date `json:"d"`
	ID   backoffice.ID   `json:"id"`
}

const statementColumns = `id, bank_account_id, statement_id, from_date, to_date, currency, opening_balance, closing_balance,
	file_name, file_sha256, format, warnings, balance_problem, new_lines, skipped_lines, imported_at`

// Statement returns one statement of the company.
func (s *Service) Statement(ctx context.Context, companyID, id backoffice.ID) (Statement, error) {
	row := s.DB.QueryRowContext(ctx, `SELECT `+statementColumns+` FROM bank_statements WHERE company_id = ? AND id = ?`,
		int64(companyID), int64(id))
	st, err := scanStatement(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Statement{}, backoffice.Errorf(backoffice.ENotFound, "bank statement %d not found", id)
	}
	if err != nil {
		return Statement{}, fmt.Errorf("get statement: %w", err)
	}
	return st, nil
}

// scanStatement reads the columns of statementColumns.
func scanStatement(r scanner) (Statement, error) {
	var st Statement
	var open, closing sql.NullInt64
	var warnings string
	if err := r.Scan(&st.ID, &st.BankAccountID, &st.StatementID, &st.FromDate, &st.ToDate, &st.Currency, &open, &closing,
		&st.FileName, &st.FileSHA256, &st.Format, &warnings, &st.BalanceProblem, &st.NewLines, &st.SkippedLines,
		&st.ImportedAt); err != nil {
		return Statement{}, err
	}
	st.OpeningBalance, st.ClosingBalance = nullable(open), nullable(closing)
	st.Warnings = []string{}
	if warnings != "" {
		st.Warnings = strings.Split(warnings, "\n")
	}
	st.ImportedAt = st.ImportedAt.UTC()
	return st, nil
}

// Lines returns one page of a statement's lines, ordered by booking date
// (undated lines last) and id, with a keyset cursor. A statement of another
// company is not found.
func (s *Service) Lines(ctx context.Context, companyID, statementID backoffice.ID, f LineFilter) (backoffice.List[Line], error) {
	if _, err := s.Statement(ctx, companyID, statementID); err != nil {
		return backoffice.List[Line]{}, err
	}
	const date = "COALESCE(booking_date, '9999-12-31')"
	where := []string{"company_id = ?", "statement_id = ?"}
	args := []any{int64(companyID), int64(statementID)}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		p := "%" + escapeLike(q) + "%"
		var or []string
		for _, c := range []string{"counterparty_name", "counterparty_iban", "remittance", "end_to_end_id", "bank_reference", "mandate_id", "creditor_id"} {
			or = append(or, "LOWER("+c+`) LIKE ? ESCAPE '\'`)
			args = append(args, p)
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if f.Page.After != "" {
		var pos linePos
		if err := decodeLineCursor(f.Page.After, &pos); err != nil {
			return backoffice.List[Line]{}, err
		}
		where = append(where, "("+date+", id) > (?, ?)")
		args = append(args, pos.Date, int64(pos.ID))
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = backoffice.DefaultPageLimit
	}
	limit = min(limit, backoffice.MaxPageLimit)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`SELECT id, statement_id, booking_date, value_date, amount, currency,
		counterparty_name, counterparty_iban, counterparty_bic, remittance, end_to_end_id, bank_reference, mandate_id, creditor_id,
		bank_tx_code FROM bank_statement_lines WHERE %s ORDER BY %s, id LIMIT %d`, strings.Join(where, " AND "), date, limit+1), args...)
	if err != nil {
		return backoffice.List[Line]{}, fmt.Errorf("list statement lines: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Line]{Items: []Line{}}
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.ID, &l.StatementID, &l.BookingDate, &l.ValueDate, &l.Amount, &l.Currency, &l.CounterpartyName,
			&l.CounterpartyIBAN, &l.CounterpartyBIC, &l.Remittance, &l.EndToEndID, &l.BankReference, &l.MandateID, &l.CreditorID,
			&l.BankTxCode); err != nil {
			return backoffice.List[Line]{}, fmt.Errorf("list statement lines: %w", err)
		}
		out.Items = append(out.Items, l)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Line]{}, fmt.Errorf("list statement lines: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		pos := linePos{Date: last.BookingDate, ID: last.ID}
		if pos.Date.IsZero() {
			pos.Date = backoffice.NewDate(9999, 12, 31) // as the COALESCE in the query: undated lines sort last
		}
		b, _ := json.Marshal(pos)
		out.Next = base64.RawURLEncoding.EncodeToString(b)
	}
	return out, nil
}

// decodeLineCursor reads a cursor written by Lines.
func decodeLineCursor(s string, pos *linePos) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, pos)
	}
	if err != nil || pos.Date.IsZero() || pos.ID <= 0 {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "the page cursor is not valid for these statement lines; start from the first page",
			Fields: map[string]string{"after": "is not a cursor of these statement lines"}}
	}
	return nil
}

// escapeLike escapes the LIKE wildcards of s for ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
