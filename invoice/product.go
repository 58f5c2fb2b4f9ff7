package invoice

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

// ProductInput is what a user gives to create a product or service or to
// replace its fields. Unit is a UN/ECE Recommendation 20 code (C62 one,
// HUR hour, KGM kilogram, DAY day, MTR metre, LTR litre). UnitPrice is minor
// units of Currency; TaxCode the company's tax code lines take by default.
type ProductInput struct {
	Code             string              `json:"code"`
	Name             string              `json:"name"`
	Unit             string              `json:"unit"`
	UnitPrice        int64               `json:"unit_price"`
	Currency         backoffice.Currency `json:"currency"`
	TaxCode          string              `json:"tax_code"`
	IncomeAccountID  backoffice.ID       `json:"income_account_id,omitempty"`
	ExpenseAccountID backoffice.ID       `json:"expense_account_id,omitempty"`
	Active           bool                `json:"active"`
}

// Product is a stored product or service of the catalogue.
type Product struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	ProductInput
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// validUnit accepts the shape of a UN/ECE Rec 20 code: 2 or 3 upper-case
// letters or digits.
func validUnit(u string) bool {
	if len(u) < 2 || len(u) > 3 {
		return false
	}
	for _, c := range u {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// validProductCode accepts 1–50 printable characters without spaces around.
func validProductCode(code string) bool {
	return len(code) >= 1 && len(code) <= 50 && strings.TrimSpace(code) == code && !strings.ContainsAny(code, "\n\r\t")
}

// normalise trims text, upper-cases codes and fills the unit (C62, one)
// and the currency (base) when empty.
func (in *ProductInput) normalise(base backoffice.Currency) {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
	in.Unit = strings.ToUpper(strings.TrimSpace(in.Unit))
	if in.Unit == "" {
		in.Unit = "C62"
	}
	in.TaxCode = strings.ToUpper(strings.TrimSpace(in.TaxCode))
	in.Currency = backoffice.Currency(strings.ToUpper(strings.TrimSpace(string(in.Currency))))
	if in.Currency == "" {
		in.Currency = base
	}
}

// check validates the fields that need no database, naming each bad one.
func (in *ProductInput) check() backoffice.Validation {
	v := backoffice.Validation{}
	v.Check(validProductCode(in.Code), "code", "must be 1 to 50 characters without surrounding spaces")
	v.Check(in.Name != "" && len([]rune(in.Name)) <= 200, "name", "must be 1 to 200 characters")
	v.Check(validUnit(in.Unit), "unit", "must be a UN/ECE Rec 20 unit code such as C62 (one), HUR (hour), KGM (kilogram)")
	v.Check(in.UnitPrice >= 0 && in.UnitPrice <= maxAmount, "unit_price", "must be zero or more")
	v.Check(in.Currency.Valid(), "currency", "must be an ISO 4217 currency code like EUR")
	return v
}

// validateProduct normalises in and names every bad field.
func (s *Service) validateProduct(ctx context.Context, companyID backoffice.ID, in *ProductInput) error {
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return err
	}
	in.normalise(base)
	v := in.check()
	if in.TaxCode != "" {
		t, err := taxCodeByCode(ctx, s.DB, companyID, in.TaxCode)
		switch {
		case backoffice.ErrorCode(err) == backoffice.ENotFound:
			v.Add("tax_code", "is not a tax code of this company")
		case err != nil:
			return err
		case !t.Active:
			v.Add("tax_code", fmt.Sprintf("tax code %s is inactive", t.Code))
		}
	}
	if _, err := s.accountOf(ctx, companyID, in.IncomeAccountID, v, "income_account_id"); err != nil {
		return err
	}
	if _, err := s.accountOf(ctx, companyID, in.ExpenseAccountID, v, "expense_account_id"); err != nil {
		return err
	}
	return v.Err("product")
}

// CreateProduct adds a product or service to the company's catalogue.
func (s *Service) CreateProduct(ctx context.Context, companyID backoffice.ID, in ProductInput) (Product, error) {
	if err := s.validateProduct(ctx, companyID, &in); err != nil {
		return Product{}, err
	}
	now := s.now()
	p := Product{CompanyID: companyID, ProductInput: in, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := insertProduct(ctx, tx, &p); err != nil {
			return err
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "product", EntityID: p.ID.String(), Action: "create", New: p})
		return err
	})
	if err != nil {
		return Product{}, err
	}
	return p, nil
}

// insertProduct stores a new product, setting p.ID; a code the company
// has already is a conflict.
func insertProduct(ctx context.Context, tx *sqldb.Tx, p *Product) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO invoice_products (company_id, code, name, unit, unit_price, currency, tax_code,
		income_account_id, expense_account_id, active, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, code) DO NOTHING RETURNING id`,
		int64(p.CompanyID), p.Code, p.Name, p.Unit, p.UnitPrice, string(p.Currency), p.TaxCode, nullID(p.IncomeAccountID),
		nullID(p.ExpenseAccountID), p.Active, p.Version, p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return &backoffice.Error{Code: backoffice.EConflict, Message: fmt.Sprintf("product %s already exists", p.Code),
			Fields: map[string]string{"code": "already exists in this company"}}
	}
	if err != nil {
		return fmt.Errorf("insert product: %w", err)
	}
	return nil
}

// UpdateProduct replaces a product's fields when version is still current.
// Documents keep the prices and accounts they were written with.
func (s *Service) UpdateProduct(ctx context.Context, companyID, id backoffice.ID, version int64, in ProductInput) (Product, error) {
	if err := s.validateProduct(ctx, companyID, &in); err != nil {
		return Product{}, err
	}
	var after Product
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getProduct(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return stale("product", id, version)
		}
		after = before
		after.ProductInput, after.Version, after.UpdatedAt = in, version+1, s.now()
		res, err := tx.ExecContext(ctx, `UPDATE invoice_products SET code = ?, name = ?, unit = ?, unit_price = ?, currency = ?, tax_code = ?,
			income_account_id = ?, expense_account_id = ?, active = ?, version = ?, updated_at = ? WHERE id = ? AND version = ?`,
			in.Code, in.Name, in.Unit, in.UnitPrice, string(in.Currency), in.TaxCode, nullID(in.IncomeAccountID), nullID(in.ExpenseAccountID),
			in.Active, after.Version, after.UpdatedAt, int64(id), version)
		if sqldb.IsUniqueViolation(err) {
			return &backoffice.Error{Code: backoffice.EConflict, Message: fmt.Sprintf("product %s already exists", in.Code),
				Fields: map[string]string{"code": "already exists in this company"}}
		}
		if err != nil {
			return fmt.Errorf("update product: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return stale("product", id, version)
		}
		old, new, err := audit.Diff(before, after)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "product", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	return after, err
}

const productColumns = `id, company_id, code, name, unit, unit_price, currency, tax_code, income_account_id, expense_account_id,
	active, version, created_at, updated_at`

func scanProduct(s scanner) (Product, error) {
	var p Product
	var income, expense sql.NullInt64
	err := s.Scan(&p.ID, &p.CompanyID, &p.Code, &p.Name, &p.Unit, &p.UnitPrice, &p.Currency, &p.TaxCode, &income, &expense,
		&p.Active, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	p.IncomeAccountID, p.ExpenseAccountID = backoffice.ID(income.Int64), backoffice.ID(expense.Int64)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, err
}

func getProduct(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Product, error) {
	p, err := scanProduct(q.QueryRowContext(ctx, `SELECT `+productColumns+` FROM invoice_products WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return Product{}, notFound("product", id)
	}
	if err != nil {
		return Product{}, fmt.Errorf("read product: %w", err)
	}
	return p, nil
}

// GetProduct returns one product of the company.
func (s *Service) GetProduct(ctx context.Context, companyID, id backoffice.ID) (Product, error) {
	return getProduct(ctx, s.DB, companyID, id)
}

// ProductByCode returns the company's product with that code.
func (s *Service) ProductByCode(ctx context.Context, companyID backoffice.ID, code string) (Product, error) {
	p, err := scanProduct(s.DB.QueryRowContext(ctx, `SELECT `+productColumns+` FROM invoice_products WHERE company_id = ? AND code = ?`,
		int64(companyID), strings.TrimSpace(code)))
	if errors.Is(err, sql.ErrNoRows) {
		return Product{}, backoffice.Errorf(backoffice.ENotFound, "product %q does not exist in this company", code)
	}
	if err != nil {
		return Product{}, fmt.Errorf("read product: %w", err)
	}
	return p, nil
}

// ProductFilter narrows ListProducts.
type ProductFilter struct {
	Query        string // part of the code or name, any case
	WithInactive bool
	Page         backoffice.Page
}

type productPos struct {
	Code string        `json:"c"`
	ID   backoffice.ID `json:"id"`
}

// ListProducts returns one page of the catalogue ordered by code.
func (s *Service) ListProducts(ctx context.Context, companyID backoffice.ID, f ProductFilter) (backoffice.List[Product], error) {
	where := []string{"company_id = ?", "(active OR ?)"}
	args := []any{int64(companyID), f.WithInactive}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		p := "%" + escapeLike(q) + "%"
		where = append(where, `(LOWER(code) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	if f.Page.After != "" {
		var pos productPos
		if err := decodeCursor(f.Page.After, "products", &pos); err != nil {
			return backoffice.List[Product]{}, err
		}
		where = append(where, "(code, id) > (?, ?)")
		args = append(args, pos.Code, int64(pos.ID))
	}
	limit := limitOf(f.Page)
	rows, err := s.DB.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM invoice_products WHERE %s ORDER BY code, id LIMIT %d`,
		productColumns, strings.Join(where, " AND "), limit+1), args...)
	if err != nil {
		return backoffice.List[Product]{}, fmt.Errorf("list products: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Product]{Items: []Product{}}
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return backoffice.List[Product]{}, fmt.Errorf("list products: %w", err)
		}
		out.Items = append(out.Items, p)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[Product]{}, fmt.Errorf("list products: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		out.Next = encodeCursor("products", productPos{Code: last.Code, ID: last.ID})
	}
	return out, nil
}
