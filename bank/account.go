package bank

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Account is one bank account of a company, linked to the ledger account
// (subtype bank or cash) its movements post to.
type Account struct {
	ID              backoffice.ID       `json:"id"`
	CompanyID       backoffice.ID       `json:"company_id"`
	Name            string              `json:"name"`
	IBAN            string              `json:"iban"`           // normalised, "" when the account has none
	AccountNumber   string              `json:"account_number"` // national number, BBAN or the bank's own id
	BIC             string              `json:"bic"`
	Currency        backoffice.Currency `json:"currency"`
	BankName        string              `json:"bank_name"`
	LedgerAccountID backoffice.ID       `json:"ledger_account_id"`
	Active          bool                `json:"active"`
	Version         int64               `json:"version"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

// NewAccount is the input of Create. An account needs an IBAN or an account
// number (or both).
type NewAccount struct {
	Name            string              `json:"name"`
	IBAN            string              `json:"iban"`
	AccountNumber   string              `json:"account_number"`
	BIC             string              `json:"bic"`
	Currency        backoffice.Currency `json:"currency"`
	BankName        string              `json:"bank_name"`
	LedgerAccountID backoffice.ID       `json:"ledger_account_id"`
}

// AccountPatch changes the fields that are not nil.
type AccountPatch struct {
	Name            *string              `json:"name,omitempty"`
	IBAN            *string              `json:"iban,omitempty"`
	AccountNumber   *string              `json:"account_number,omitempty"`
	BIC             *string              `json:"bic,omitempty"`
	Currency        *backoffice.Currency `json:"currency,omitempty"`
	BankName        *string              `json:"bank_name,omitempty"`
	LedgerAccountID *backoffice.ID       `json:"ledger_account_id,omitempty"`
	Active          *bool                `json:"active,omitempty"`
}

// normalise trims the text fields and normalises IBAN and BIC.
func (a *NewAccount) normalise() {
	a.Name, a.BankName = strings.TrimSpace(a.Name), strings.TrimSpace(a.BankName)
	a.AccountNumber = strings.TrimSpace(a.AccountNumber)
	a.IBAN, a.BIC = NormalizeIBAN(a.IBAN), strings.ToUpper(strings.TrimSpace(a.BIC))
}

// check validates everything but the ledger account.
func (a *NewAccount) check() error {
	v := backoffice.Validation{}
	v.Check(a.Name != "", "name", "is required")
	v.Check(a.IBAN != "" || a.AccountNumber != "", "iban", "is required when there is no account number")
	if a.IBAN != "" {
		if msg := CheckIBAN(a.IBAN); msg != "" {
			v.Add("iban", msg)
		}
	}
	if a.BIC != "" {
		if msg := CheckBIC(a.BIC); msg != "" {
			v.Add("bic", msg)
		}
	}
	v.Check(a.Currency.Valid(), "currency", "must be an ISO 4217 currency code")
	v.Check(a.LedgerAccountID != 0, "ledger_account_id", "is required: the ledger account of subtype bank or cash this account posts to")
	return v.Err("bank account")
}

// checkLedgerAccount proves that id is an unblocked ledger account of the
// company, of subtype bank or cash, that can hold currency.
func (s *Service) checkLedgerAccount(ctx context.Context, companyID, id backoffice.ID, currency backoffice.Currency) error {
	la, err := s.Ledger.GetAccount(ctx, companyID, id)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return fieldError("ledger_account_id", "is not an account of this company")
	}
	if err != nil {
		return err
	}
	if la.Subtype != "bank" && la.Subtype != "cash" {
		return fieldError("ledger_account_id", fmt.Sprintf("account %s is of subtype %q; a bank account needs one of subtype bank or cash", la.Code, la.Subtype))
	}
	if la.Currency != "" && la.Currency != currency {
		return fieldError("currency", fmt.Sprintf("is %s but ledger account %s keeps %s", currency, la.Code, la.Currency))
	}
	return nil
}

// Create adds a bank account to a company.
func (s *Service) Create(ctx context.Context, companyID backoffice.ID, in NewAccount) (Account, error) {
	in.normalise()
	if err := in.check(); err != nil {
		return Account{}, err
	}
	if err := s.checkLedgerAccount(ctx, companyID, in.LedgerAccountID, in.Currency); err != nil {
		return Account{}, err
	}
	now := s.now()
	a := Account{CompanyID: companyID, Name: in.Name, IBAN: in.IBAN, AccountNumber: in.AccountNumber, BIC: in.BIC,
		Currency: in.Currency, BankName: in.BankName, LedgerAccountID: in.LedgerAccountID, Active: true,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		id, err := insertAccount(ctx, tx, a)
		if err != nil {
			return err
		}
		a.ID = id
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "bank_account", EntityID: id.String(), Action: "create", New: a})
		return err
	})
	if err != nil {
		return Account{}, err
	}
	return a, nil
}

// Update changes a bank account when version is still its current version
// (EPrecondition otherwise).
func (s *Service) Update(ctx context.Context, companyID, id backoffice.ID, version int64, p AccountPatch) (Account, error) {
	before, err := s.Get(ctx, companyID, id)
	if err != nil {
		return Account{}, err
	}
	in := NewAccount{Name: before.Name, IBAN: before.IBAN, AccountNumber: before.AccountNumber, BIC: before.BIC,
		Currency: before.Currency, BankName: before.BankName, LedgerAccountID: before.LedgerAccountID}
	set(&in.Name, p.Name)
	set(&in.IBAN, p.IBAN)
	set(&in.AccountNumber, p.AccountNumber)
	set(&in.BIC, p.BIC)
	set(&in.Currency, p.Currency)
	set(&in.BankName, p.BankName)
	set(&in.LedgerAccountID, p.LedgerAccountID)
	in.normalise()
	if err := in.check(); err != nil {
		return Account{}, err
	}
	if err := s.checkLedgerAccount(ctx, companyID, in.LedgerAccountID, in.Currency); err != nil {
		return Account{}, err
	}
	after := before
	after.Name, after.IBAN, after.AccountNumber, after.BIC = in.Name, in.IBAN, in.AccountNumber, in.BIC
	after.Currency, after.BankName, after.LedgerAccountID = in.Currency, in.BankName, in.LedgerAccountID
	set(&after.Active, p.Active)
	after.Version, after.UpdatedAt = version+1, s.now()
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := updateAccount(ctx, tx, after, version); err != nil {
			return err
		}
		old, new, err := audit.Diff(before, after)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "bank_account", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return Account{}, err
	}
	return after, nil
}

func set[T any](dst *T, p *T) {
	if p != nil {
		*dst = *p
	}
}

// Get returns one bank account of the company.
func (s *Service) Get(ctx context.Context, companyID, id backoffice.ID) (Account, error) {
	return oneAccount(ctx, s.DB, `WHERE company_id = ? AND id = ?`, int64(companyID), int64(id))
}

// ByIBAN returns the company's bank account with that IBAN (spaces and case
// do not matter).
func (s *Service) ByIBAN(ctx context.Context, companyID backoffice.ID, iban string) (Account, error) {
	return oneAccount(ctx, s.DB, `WHERE company_id = ? AND iban = ?`, int64(companyID), NormalizeIBAN(iban))
}

// List returns the company's bank accounts by name; inactive ones only when
// withInactive is set.
func (s *Service) List(ctx context.Context, companyID backoffice.ID, withInactive bool) ([]Account, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+accountColumns+` FROM bank_accounts
		WHERE company_id = ? AND (active OR ?) ORDER BY name, id`, int64(companyID), withInactive)
	if err != nil {
		return nil, fmt.Errorf("list bank accounts: %w", err)
	}
	defer rows.Close()
	out := []Account{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list bank accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const accountColumns = `id, company_id, name, iban, account_number, bic, currency, bank_name, ledger_account_id, active, version, created_at, updated_at`

func scanAccount(s scanner) (Account, error) {
	var a Account
	err := s.Scan(&a.ID, &a.CompanyID, &a.Name, &a.IBAN, &a.AccountNumber, &a.BIC, &a.Currency, &a.BankName,
		&a.LedgerAccountID, &a.Active, &a.Version, &a.CreatedAt, &a.UpdatedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// oneAccount reads the bank account that where (with args) selects.
func oneAccount(ctx context.Context, q sqldb.Querier, where string, args ...any) (Account, error) {
	a, err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM bank_accounts `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, backoffice.Errorf(backoffice.ENotFound, "no such bank account in this company")
	}
	if err != nil {
		return Account{}, fmt.Errorf("read bank account: %w", err)
	}
	return a, nil
}

func insertAccount(ctx context.Context, tx *sqldb.Tx, a Account) (backoffice.ID, error) {
	var id backoffice.ID
	err := tx.QueryRowContext(ctx, `INSERT INTO bank_accounts (company_id, name, iban, account_number, bic, currency, bank_name,
		ledger_account_id, active, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(a.CompanyID), a.Name, a.IBAN, a.AccountNumber, a.BIC, string(a.Currency), a.BankName, int64(a.LedgerAccountID),
		a.Active, a.Version, a.CreatedAt, a.UpdatedAt).Scan(&id)
	if sqldb.IsUniqueViolation(err) {
		return 0, fieldError("iban", fmt.Sprintf("%s is already a bank account of this company", a.IBAN))
	}
	if err != nil {
		return 0, fmt.Errorf("insert bank account: %w", err)
	}
	return id, nil
}

// updateAccount writes a when the stored version is still version.
func updateAccount(ctx context.Context, tx *sqldb.Tx, a Account, version int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE bank_accounts SET name = ?, iban = ?, account_number = ?, bic = ?, currency = ?,
		bank_name = ?, ledger_account_id = ?, active = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		a.Name, a.IBAN, a.AccountNumber, a.BIC, string(a.Currency), a.BankName, int64(a.LedgerAccountID), a.Active,
		a.Version, a.UpdatedAt, int64(a.ID), version)
	if sqldb.IsUniqueViolation(err) {
		return fieldError("iban", fmt.Sprintf("%s is already a bank account of this company", a.IBAN))
	}
	if err != nil {
		return fmt.Errorf("update bank account: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return backoffice.Errorf(backoffice.EPrecondition, "bank account %s was changed by someone else (you had version %d); reload it", a.Name, version)
	}
	return nil
}
