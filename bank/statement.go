package bank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/bank/statement"
	"backoffice/sqldb"
)

// account finds the bank account a statement goes to: the one the caller
// named, else the company's account with the statement's IBAN, else with its
// account number. The statement's currency must be the account's.
func (imp *importer) account(ctx context.Context, st *statement.Statement) (Account, error) {
	var a Account
	var err error
	switch iban := NormalizeIBAN(st.Account.IBAN); {
	case imp.opts.BankAccountID != 0:
		a, err = oneAccount(ctx, imp.tx, `WHERE company_id = ? AND id = ?`, int64(imp.companyID), int64(imp.opts.BankAccountID))
	case iban != "":
		a, err = oneAccount(ctx, imp.tx, `WHERE company_id = ? AND iban = ?`, int64(imp.companyID), iban)
	case strings.TrimSpace(st.Account.Number) != "":
		a, err = oneAccount(ctx, imp.tx, `WHERE company_id = ? AND (account_number = ? OR iban = ?) ORDER BY id LIMIT 1`,
			int64(imp.companyID), strings.TrimSpace(st.Account.Number), NormalizeIBAN(st.Account.Number))
	default:
		return Account{}, backoffice.Errorf(backoffice.EInvalid,
			"statement %q names no account: choose the bank account it is for", st.ID)
	}
	if backoffice.ErrorCode(err) == backoffice.ENotFound && imp.opts.BankAccountID == 0 {
		return Account{}, backoffice.Errorf(backoffice.ENotFound,
			"statement %q is for account %s, which is not a bank account of this company: create it, or choose the bank account the file is for",
			st.ID, accountName(st.Account))
	}
	if err != nil {
		return Account{}, err
	}
	if c := st.Account.Currency; c != "" && c != a.Currency {
		return Account{}, backoffice.Errorf(backoffice.EInvalid,
			"statement %q is in %s, but bank account %s keeps %s", st.ID, c, a.Name, a.Currency)
	}
	return a, nil
}

// accountName is how a statement names its account, for messages.
func accountName(a statement.Account) string {
	if a.IBAN != "" {
		return "IBAN " + a.IBAN
	}
	return "number " + a.Number
}

// statementKey identifies a statement within its account: the bank's id
// with the period, because some banks (Rabobank MT940) give every statement
// the id 0.
func statementKey(st *statement.Statement) string {
	return st.ID + "|" + st.FromDate.String() + "|" + st.ToDate.String()
}

// balanceProblem checks opening balance = the closing balance of the
// account's previous statement (the latest stored one that ends on or
// before this one starts), and opening + Σ entries = closing. It returns ""
// when they agree or when the file gives no balances to compare.
func balanceProblem(ctx context.Context, q sqldb.Querier, a Account, st *statement.Statement) (string, error) {
	exp := statement.Exponent(a.Currency)
	var problems []string
	if st.OpeningBalance != nil && !st.FromDate.IsZero() {
		var prev int64
		var prevID string
		err := q.QueryRowContext(ctx, `SELECT closing_balance, statement_id FROM bank_statements
			WHERE bank_account_id = ? AND closing_balance IS NOT NULL AND to_date <= ? ORDER BY to_date DESC, id DESC LIMIT 1`,
			int64(a.ID), st.FromDate).Scan(&prev, &prevID)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return "", fmt.Errorf("read previous statement: %w", err)
		case prev != st.OpeningBalance.Amount.Amount:
			problems = append(problems, fmt.Sprintf("opening balance %s differs from the closing balance %s of the previous statement %s",
				backoffice.FormatMinor(st.OpeningBalance.Amount.Amount, exp), backoffice.FormatMinor(prev, exp), prevID))
		}
	}
	if st.OpeningBalance != nil && st.ClosingBalance != nil {
		total := st.OpeningBalance.Amount.Amount
		for _, e := range st.Entries {
			total += e.Amount.Amount
		}
		if total != st.ClosingBalance.Amount.Amount {
			problems = append(problems, fmt.Sprintf("opening balance %s plus the %d entries makes %s, but the closing balance is %s (difference %s)",
				backoffice.FormatMinor(st.OpeningBalance.Amount.Amount, exp), len(st.Entries), backoffice.FormatMinor(total, exp),
				backoffice.FormatMinor(st.ClosingBalance.Amount.Amount, exp), backoffice.FormatMinor(st.ClosingBalance.Amount.Amount-total, exp)))
		}
	}
	return strings.Join(problems, "; "), nil
}

// fileImported reports whether a file with this SHA-256 was imported for the company.
func fileImported(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, sha string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM bank_statements WHERE company_id = ? AND file_sha256 = ?`, int64(companyID), sha).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up statement file: %w", err)
	}
	return n > 0, nil
}

// statementExists reports whether the account has a statement with this key.
func statementExists(ctx context.Context, q sqldb.Querier, accountID backoffice.ID, key string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM bank_statements WHERE bank_account_id = ? AND statement_key = ?`, int64(accountID), key).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("look up statement: %w", err)
	}
	return n > 0, nil
}

// statementRow is what insertStatement writes.
type statementRow struct {
	companyID         backoffice.ID
	account           Account
	st                *statement.Statement
	key               string
	rep               *ImportReport
	problem           string
	newLines, skipped int
}

func insertStatement(ctx context.Context, tx *sqldb.Tx, r statementRow, now time.Time) (backoffice.ID, error) {
	warnings := make([]string, len(r.rep.Warnings))
	for i, w := range r.rep.Warnings {
		warnings[i] = w.String()
	}
	open, openDate := balance(r.st.OpeningBalance)
	closing, closeDate := balance(r.st.ClosingBalance)
	var id backoffice.ID
	err := tx.QueryRowContext(ctx, `INSERT INTO bank_statements (company_id, bank_account_id, statement_id, statement_key,
		from_date, to_date, currency, opening_balance, opening_date, closing_balance, closing_date, file_name, file_sha256,
		format, warnings, balance_problem, new_lines, skipped_lines, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(r.companyID), int64(r.account.ID), r.st.ID, r.key, r.st.FromDate, r.st.ToDate, string(r.account.Currency),
		open, openDate, closing, closeDate, r.rep.FileName, r.rep.SHA256, r.rep.Format, strings.Join(warnings, "\n"),
		r.problem, r.newLines, r.skipped, now).Scan(&id)
	if sqldb.IsUniqueViolation(err) {
		return 0, concurrentImport()
	}
	if err != nil {
		return 0, fmt.Errorf("insert statement: %w", err)
	}
	return id, nil
}

// balance splits b into nullable amount and date columns.
func balance(b *statement.Balance) (sql.NullInt64, backoffice.Date) {
	if b == nil {
		return sql.NullInt64{}, backoffice.Date{}
	}
	return sql.NullInt64{Int64: b.Amount.Amount, Valid: true}, b.Date
}

// concurrentImport is the error when another import stored the same
// statement or line between our check and our insert.
func concurrentImport() error {
	return backoffice.Errorf(backoffice.EConflict, "the same statement was being imported at the same time; import the file again to add what is missing")
}
