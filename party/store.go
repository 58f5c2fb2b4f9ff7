package party

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

const partyColumns = `id, company_id, kind, legal_name, trade_name,
	billing_lines, billing_city, billing_postal_code, billing_region, billing_country,
	shipping_lines, shipping_city, shipping_postal_code, shipping_region, shipping_country,
	vat_id, peppol_scheme, peppol_id, net_days, discount_basis_points, discount_days,
	receivable_account_id, payable_account_id, income_account_id, expense_account_id,
	tax_code, currency, credit_limit, language, blocked, merged_into_id, version, created_at, updated_at`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

func scanParty(s scanner) (Party, error) {
	var p Party
	var recv, pay, inc, exp, merged sql.NullInt64
	b, sh := &p.Billing, &p.Shipping
	if err := s.Scan(&p.ID, &p.CompanyID, &p.Kind, &p.LegalName, &p.TradeName,
		&b.Lines, &b.City, &b.PostalCode, &b.Region, &b.Country,
		&sh.Lines, &sh.City, &sh.PostalCode, &sh.Region, &sh.Country,
		&p.VATID, &p.PeppolScheme, &p.PeppolID, &p.Terms.NetDays, &p.Terms.DiscountBasisPoints, &p.Terms.DiscountDays,
		&recv, &pay, &inc, &exp, &p.TaxCode, &p.Currency, &p.CreditLimit, &p.Language, &p.Blocked, &merged,
		&p.Version, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return Party{}, err
	}
	p.ReceivableAccountID, p.PayableAccountID = backoffice.ID(recv.Int64), backoffice.ID(pay.Int64)
	p.IncomeAccountID, p.ExpenseAccountID = backoffice.ID(inc.Int64), backoffice.ID(exp.Int64)
	p.MergedIntoID = backoffice.ID(merged.Int64)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	p.Contacts, p.BankAccounts = []Contact{}, []BankAccount{}
	return p, nil
}

// nullID stores 0 as NULL.
func nullID(id backoffice.ID) any {
	if id == 0 {
		return nil
	}
	return int64(id)
}

// values are the column values of p after company_id, in partyColumns order.
func values(p Party) []any {
	b, sh := p.Billing, p.Shipping
	return []any{string(p.Kind), p.LegalName, p.TradeName,
		b.Lines, b.City, b.PostalCode, b.Region, b.Country,
		sh.Lines, sh.City, sh.PostalCode, sh.Region, sh.Country,
		p.VATID, p.PeppolScheme, p.PeppolID, p.Terms.NetDays, p.Terms.DiscountBasisPoints, p.Terms.DiscountDays,
		nullID(p.ReceivableAccountID), nullID(p.PayableAccountID), nullID(p.IncomeAccountID), nullID(p.ExpenseAccountID),
		p.TaxCode, string(p.Currency), p.CreditLimit, p.Language, p.Blocked, nullID(p.MergedIntoID), p.Version, p.UpdatedAt}
}

func insertParty(ctx context.Context, tx *sqldb.Tx, p Party) (backoffice.ID, error) {
	var id backoffice.ID
	args := append([]any{int64(p.CompanyID)}, values(p)...)
	args = append(args, NameKey(p.LegalName), p.CreatedAt)
	err := tx.QueryRowContext(ctx, `INSERT INTO parties (company_id, kind, legal_name, trade_name,
		billing_lines, billing_city, billing_postal_code, billing_region, billing_country,
		shipping_lines, shipping_city, shipping_postal_code, shipping_region, shipping_country,
		vat_id, peppol_scheme, peppol_id, net_days, discount_basis_points, discount_days,
		receivable_account_id, payable_account_id, income_account_id, expense_account_id,
		tax_code, currency, credit_limit, language, blocked, merged_into_id, version, updated_at, name_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		args...).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert party: %w", err)
	}
	return id, nil
}

// updateParty writes p when the stored version is still version.
func updateParty(ctx context.Context, tx *sqldb.Tx, p Party, version int64) error {
	args := append(values(p), NameKey(p.LegalName), int64(p.CompanyID), int64(p.ID), version)
	res, err := tx.ExecContext(ctx, `UPDATE parties SET kind = ?, legal_name = ?, trade_name = ?,
		billing_lines = ?, billing_city = ?, billing_postal_code = ?, billing_region = ?, billing_country = ?,
		shipping_lines = ?, shipping_city = ?, shipping_postal_code = ?, shipping_region = ?, shipping_country = ?,
		vat_id = ?, peppol_scheme = ?, peppol_id = ?, net_days = ?, discount_basis_points = ?, discount_days = ?,
		receivable_account_id = ?, payable_account_id = ?, income_account_id = ?, expense_account_id = ?,
		tax_code = ?, currency = ?, credit_limit = ?, language = ?, blocked = ?, merged_into_id = ?, version = ?, updated_at = ?,
		name_key = ? WHERE company_id = ? AND id = ? AND version = ?`, args...)
	if err != nil {
		return fmt.Errorf("update party: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update party: %w", err)
	} else if n == 0 {
		return stale(p.ID, version)
	}
	return nil
}

// replaceChildren stores p's contacts and bank accounts in place of the
// ones stored.
func replaceChildren(ctx context.Context, tx *sqldb.Tx, p Party) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM party_contacts WHERE party_id = ?`, int64(p.ID)); err != nil {
		return fmt.Errorf("replace contacts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM party_bank_accounts WHERE party_id = ?`, int64(p.ID)); err != nil {
		return fmt.Errorf("replace bank accounts: %w", err)
	}
	for _, c := range p.Contacts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO party_contacts (company_id, party_id, name, email, phone, role) VALUES (?, ?, ?, ?, ?, ?)`,
			int64(p.CompanyID), int64(p.ID), c.Name, c.Email, c.Phone, c.Role); err != nil {
			return fmt.Errorf("insert contact: %w", err)
		}
	}
	for _, b := range p.BankAccounts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO party_bank_accounts (company_id, party_id, iban, bic, holder) VALUES (?, ?, ?, ?, ?)`,
			int64(p.CompanyID), int64(p.ID), b.IBAN, b.BIC, b.Holder); err != nil {
			return fmt.Errorf("insert bank account: %w", err)
		}
	}
	return nil
}

// getParty reads one party of the company with its contacts and bank accounts.
func getParty(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Party, error) {
	p, err := scanParty(q.QueryRowContext(ctx, `SELECT `+partyColumns+` FROM parties WHERE company_id = ? AND id = ?`, int64(companyID), int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return Party{}, backoffice.Errorf(backoffice.ENotFound, "party %s not found in this company", id)
	}
	if err != nil {
		return Party{}, fmt.Errorf("get party: %w", err)
	}
	ps := []Party{p}
	if err := loadChildren(ctx, q, ps, id); err != nil {
		return Party{}, err
	}
	return ps[0], nil
}

// loadChildren fills the contacts and bank accounts of ps, all of one
// company; only of party one when it is not 0.
func loadChildren(ctx context.Context, q sqldb.Querier, ps []Party, one backoffice.ID) error {
	if len(ps) == 0 {
		return nil
	}
	at := map[backoffice.ID]int{}
	for i, p := range ps {
		at[p.ID] = i
	}
	rows, err := q.QueryContext(ctx, `SELECT party_id, name, email, phone, role FROM party_contacts WHERE company_id = ? AND (? = 0 OR party_id = ?) ORDER BY id`,
		int64(ps[0].CompanyID), int64(one), int64(one))
	if err != nil {
		return fmt.Errorf("load contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id backoffice.ID
		var c Contact
		if err := rows.Scan(&id, &c.Name, &c.Email, &c.Phone, &c.Role); err != nil {
			return fmt.Errorf("load contacts: %w", err)
		}
		if i, ok := at[id]; ok {
			ps[i].Contacts = append(ps[i].Contacts, c)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load contacts: %w", err)
	}
	brows, err := q.QueryContext(ctx, `SELECT party_id, iban, bic, holder FROM party_bank_accounts WHERE company_id = ? AND (? = 0 OR party_id = ?) ORDER BY id`,
		int64(ps[0].CompanyID), int64(one), int64(one))
	if err != nil {
		return fmt.Errorf("load bank accounts: %w", err)
	}
	defer brows.Close()
	for brows.Next() {
		var id backoffice.ID
		var b BankAccount
		if err := brows.Scan(&id, &b.IBAN, &b.BIC, &b.Holder); err != nil {
			return fmt.Errorf("load bank accounts: %w", err)
		}
		if i, ok := at[id]; ok {
			ps[i].BankAccounts = append(ps[i].BankAccounts, b)
		}
	}
	return brows.Err()
}
