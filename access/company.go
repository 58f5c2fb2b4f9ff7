package access

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

// Company is a legal entity with its own books. Every business row carries one.
type Company struct {
	ID        backoffice.ID       `json:"id"`
	Code      string              `json:"code"`
	Name      string              `json:"name"`
	Currency  backoffice.Currency `json:"currency"`
	Version   int64               `json:"version"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
}

// NewCompany is the input of CreateCompany.
type NewCompany struct {
	Code     string
	Name     string
	Currency string
}

// CompanyPatch changes the fields that are not nil. Code and currency are
// fixed once books exist.
type CompanyPatch struct {
	Name *string
}

// validCompanyCode reports whether code is 1–20 letters, digits, "_" or "-".
func validCompanyCode(code string) bool {
	if len(code) < 1 || len(code) > 20 {
		return false
	}
	for _, c := range code {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

const companyColumns = `id, code, name, currency, version, created_at, updated_at`

func scanCompany(s interface{ Scan(...any) error }) (Company, error) {
	var c Company
	if err := s.Scan(&c.ID, &c.Code, &c.Name, &c.Currency, &c.Version, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return Company{}, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, nil
}

func getCompany(ctx context.Context, q sqldb.Querier, where string, arg any) (Company, error) {
	c, err := scanCompany(q.QueryRowContext(ctx, "SELECT "+companyColumns+" FROM companies WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Company{}, notFound("company")
	}
	if err != nil {
		return Company{}, fmt.Errorf("read company: %w", err)
	}
	return c, nil
}

func validName(name string) bool {
	n := len([]rune(name))
	return n >= 1 && n <= 200
}

// CreateCompany adds a company. When a user creates it (signed in or through
// one of their API tokens), that user becomes its admin in the same
// transaction, so no company is left without one.
func (s *Service) CreateCompany(ctx context.Context, in NewCompany) (Company, error) {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	v := backoffice.Validation{}
	v.Check(validCompanyCode(in.Code), "code", "must be 1 to 20 letters, digits, _ or -")
	v.Check(validName(in.Name), "name", "must be 1 to 200 characters")
	cur, err := backoffice.ParseCurrency(in.Currency)
	if err != nil {
		v.Add("currency", backoffice.ErrorMessage(err))
	}
	if err := v.Err("company"); err != nil {
		return Company{}, err
	}
	actor := backoffice.ActorFrom(ctx)
	var out Company
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		now := s.now()
		var id backoffice.ID
		err := tx.QueryRowContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, 1) RETURNING id`, in.Code, in.Name, string(cur), now, now).Scan(&id)
		if sqldb.IsUniqueViolation(err) {
			return backoffice.Errorf(backoffice.EConflict, "company code %s is already used", in.Code)
		}
		if err != nil {
			return fmt.Errorf("insert company: %w", err)
		}
		if out, err = getCompany(ctx, tx, "id = ?", int64(id)); err != nil {
			return err
		}
		fields, err := created(out)
		if err != nil {
			return err
		}
		changes := []audit.Change{{CompanyID: id, Entity: "company", EntityID: idText(id), Action: "create", New: fields}}
		if actor.UserID != 0 {
			admin, err := roleByName(ctx, tx, RoleAdmin)
			if err != nil {
				return fmt.Errorf("the admin role is missing (run SyncBuiltinRoles at start): %w", err)
			}
			if err := insertMember(ctx, tx, id, actor.UserID, admin.ID, now); err != nil {
				return err
			}
			changes = append(changes, membershipChange(id, actor.UserID, "create", nil, &admin))
		}
		return s.appendLog(ctx, tx, changes...)
	})
	return out, err
}

// GetCompany returns one company.
func (s *Service) GetCompany(ctx context.Context, id backoffice.ID) (Company, error) {
	return getCompany(ctx, s.DB, "id = ?", int64(id))
}

// CompanyByCode returns the company with that code.
func (s *Service) CompanyByCode(ctx context.Context, code string) (Company, error) {
	return getCompany(ctx, s.DB, "code = ?", strings.TrimSpace(code))
}

// ListCompanies returns the companies with the given ids, or all of them when
// ids is nil, ordered by code.
func (s *Service) ListCompanies(ctx context.Context, ids []backoffice.ID) ([]Company, error) {
	query := "SELECT " + companyColumns + " FROM companies"
	var args []any
	if ids != nil {
		if len(ids) == 0 {
			return []Company{}, nil
		}
		for _, id := range ids {
			args = append(args, int64(id))
		}
		query += " WHERE id IN (" + placeholders(len(ids)) + ")"
	}
	rows, err := s.DB.QueryContext(ctx, query+" ORDER BY code", args...)
	if err != nil {
		return nil, fmt.Errorf("list companies: %w", err)
	}
	defer rows.Close()
	out := []Company{}
	for rows.Next() {
		c, err := scanCompany(rows)
		if err != nil {
			return nil, fmt.Errorf("list companies: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// UpdateCompany changes a company's name.
func (s *Service) UpdateCompany(ctx context.Context, id backoffice.ID, version int64, p CompanyPatch) (Company, error) {
	var out Company
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getCompany(ctx, tx, "id = ?", int64(id))
		if err != nil {
			return err
		}
		if before.Version != version {
			return stale("company")
		}
		after := before
		if p.Name != nil {
			after.Name = strings.TrimSpace(*p.Name)
		}
		v := backoffice.Validation{}
		v.Check(validName(after.Name), "name", "must be 1 to 200 characters")
		if err := v.Err("company"); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE companies SET name = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
			after.Name, s.now(), int64(id), version)
		if err != nil {
			return fmt.Errorf("update company: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return stale("company")
		}
		if out, err = getCompany(ctx, tx, "id = ?", int64(id)); err != nil {
			return err
		}
		old, new, err := diff(before, out)
		if err != nil || len(new) == 0 {
			return err
		}
		return s.appendLog(ctx, tx, audit.Change{CompanyID: id, Entity: "company", EntityID: idText(id), Action: "update", Old: old, New: new})
	})
	return out, err
}
