package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// TaxType says how a tax code's tax is handled: VAT and sales tax are added
// to the price; withholding tax is kept back by the payer and reduces what
// is paid.
type TaxType string

// The tax types.
const (
	TaxVAT         TaxType = "vat"
	TaxSales       TaxType = "sales_tax"
	TaxWithholding TaxType = "withholding"
)

// Valid reports whether t is a known tax type.
func (t TaxType) Valid() bool { return t == TaxVAT || t == TaxSales || t == TaxWithholding }

// categories are the EN 16931 VAT category codes (UNCL5305 subset) with
// what they mean; exemptCategories need an exemption reason, and
// zeroCategories must have a zero rate (BR-Z-05, BR-E-05, BR-AE-05, …).
var (
	categories       = []string{"S", "Z", "E", "AE", "K", "G", "O", "L", "M"}
	exemptCategories = []string{"E", "AE", "K", "G", "O"}
	zeroCategories   = []string{"Z", "E", "AE", "K", "G", "O"}
)

// Categories lists the EN 16931 VAT category codes a tax code may carry.
func Categories() []string { return slices.Clone(categories) }

// Rounding is the company setting for rounding tax: per line (each line's
// tax rounded, then summed) or per document (the taxable amount of each
// rate summed, then its tax rounded once).
type Rounding string

// The rounding settings.
const (
	RoundPerLine     Rounding = "line"
	RoundPerDocument Rounding = "document"
)

// TaxCodeInput is what a user gives to create a tax code or replace its
// fields. Rate is a Percent: "19", "7.7". Collected is the account of tax
// we owe (output VAT, tax we withhold from suppliers); deductible is the
// account of tax we claim back (input VAT, tax customers withhold from us).
type TaxCodeInput struct {
	Code                string        `json:"code"`
	Name                string        `json:"name"`
	Rate                Percent       `json:"rate"`
	Type                TaxType       `json:"type"`
	PriceInclusive      bool          `json:"price_inclusive"`
	Category            string        `json:"category"`         // EN 16931 VAT category: S, Z, E, AE, K, G, O, L, M
	ExemptionCode       string        `json:"exemption_code"`   // VATEX code, e.g. VATEX-EU-AE
	ExemptionReason     string        `json:"exemption_reason"` // text printed on the document
	CollectedAccountID  backoffice.ID `json:"collected_account_id"`
	DeductibleAccountID backoffice.ID `json:"deductible_account_id"`
	Active              bool          `json:"active"`
}

// TaxCode is a stored tax code of a company.
type TaxCode struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	TaxCodeInput
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DefaultTaxCodes are the codes SetUpCompany creates: a German-style set a
// company edits to its country's rates. Accounts are filled in by SetUpCompany.
func DefaultTaxCodes() []TaxCodeInput {
	c := func(code, name string, rate Percent, cat, exCode, exReason string) TaxCodeInput {
		return TaxCodeInput{Code: code, Name: name, Rate: rate, Type: TaxVAT, Category: cat, ExemptionCode: exCode, ExemptionReason: exReason, Active: true}
	}
	return []TaxCodeInput{
		c("VAT19", "VAT standard rate 19 %", 190000, "S", "", ""),
		c("VAT7", "VAT reduced rate 7 %", 70000, "S", "", ""),
		c("VAT0", "VAT zero rate", 0, "Z", "", ""),
		c("EXEMPT", "Exempt from VAT", 0, "E", "VATEX-EU-132", "Exempt from VAT"),
		c("RC", "Reverse charge", 0, "AE", "VATEX-EU-AE", "Reverse charge"),
		c("IC", "Intra-community supply", 0, "K", "VATEX-EU-IC", "Intra-community supply"),
		c("EXPORT", "Export outside the EU", 0, "G", "VATEX-EU-G", "Export outside the EU"),
		c("OUTSIDE", "Outside the scope of VAT", 0, "O", "VATEX-EU-O", "Not subject to VAT"),
	}
}

// validTaxCode accepts 1–20 upper-case letters, digits, "-" and "_".
func validTaxCode(code string) bool {
	if len(code) < 1 || len(code) > 20 {
		return false
	}
	for _, c := range code {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// normalise trims text and upper-cases codes.
func (in *TaxCodeInput) normalise() {
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = strings.TrimSpace(in.Name)
	in.Category = strings.ToUpper(strings.TrimSpace(in.Category))
	in.ExemptionCode = strings.ToUpper(strings.TrimSpace(in.ExemptionCode))
	in.ExemptionReason = strings.TrimSpace(in.ExemptionReason)
	in.Type = TaxType(strings.ToLower(strings.TrimSpace(string(in.Type))))
}

// check validates the fields that need no database, naming each bad one.
func (in *TaxCodeInput) check() backoffice.Validation {
	v := backoffice.Validation{}
	v.Check(validTaxCode(in.Code), "code", "must be 1 to 20 upper-case letters, digits, - or _")
	v.Check(in.Name != "" && len([]rune(in.Name)) <= 200, "name", "must be 1 to 200 characters")
	v.Check(in.Rate >= 0 && in.Rate <= 100*fixedScale, "rate", "must be a percentage from 0 to 100")
	v.Check(in.Type.Valid(), "type", "must be vat, sales_tax or withholding")
	switch {
	case in.Category == "" && in.Type == TaxVAT:
		v.Add("category", "is required for VAT: one of "+strings.Join(categories, ", "))
	case in.Category != "" && !slices.Contains(categories, in.Category):
		v.Add("category", "must be an EN 16931 VAT category: one of "+strings.Join(categories, ", "))
	case slices.Contains(zeroCategories, in.Category) && in.Rate != 0:
		v.Add("rate", fmt.Sprintf("must be 0 for category %s", in.Category))
	case in.Category == "S" && in.Rate == 0:
		v.Add("rate", "must be above 0 for the standard category S (use Z for zero-rated)")
	}
	if slices.Contains(exemptCategories, in.Category) {
		v.Check(in.ExemptionCode != "" || in.ExemptionReason != "", "exemption_reason",
			fmt.Sprintf("category %s needs an exemption reason code (VATEX-…) or text, as EN 16931 requires", in.Category))
	} else {
		v.Check(in.ExemptionCode == "" && in.ExemptionReason == "", "exemption_code", "is only for the exempt categories E, AE, K, G and O")
	}
	v.Check(in.ExemptionCode == "" || strings.HasPrefix(in.ExemptionCode, "VATEX-"), "exemption_code", "must be a VATEX code such as VATEX-EU-AE")
	v.Check(len(in.ExemptionReason) <= 500, "exemption_reason", "must be at most 500 characters")
	v.Check(!in.PriceInclusive || in.Type != TaxWithholding, "price_inclusive", "does not apply to withholding tax")
	return v
}

// validateTaxCode normalises in and checks it with its accounts.
func (s *Service) validateTaxCode(ctx context.Context, companyID backoffice.ID, in *TaxCodeInput) error {
	in.normalise()
	v := in.check()
	if in.Rate > 0 {
		v.Check(in.CollectedAccountID != 0, "collected_account_id", "is required: the account of tax owed (e.g. output VAT)")
		v.Check(in.DeductibleAccountID != 0, "deductible_account_id", "is required: the account of tax claimed back (e.g. input VAT)")
	}
	if _, err := s.accountOf(ctx, companyID, in.CollectedAccountID, v, "collected_account_id"); err != nil {
		return err
	}
	if _, err := s.accountOf(ctx, companyID, in.DeductibleAccountID, v, "deductible_account_id"); err != nil {
		return err
	}
	return v.Err("tax code")
}

// CreateTaxCode adds a tax code to the company; the code is unique per company.
func (s *Service) CreateTaxCode(ctx context.Context, companyID backoffice.ID, in TaxCodeInput) (TaxCode, error) {
	if err := s.validateTaxCode(ctx, companyID, &in); err != nil {
		return TaxCode{}, err
	}
	var out TaxCode
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		out, err = s.createTaxCode(ctx, tx, companyID, in)
		return err
	})
	return out, err
}

func (s *Service) createTaxCode(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, in TaxCodeInput) (TaxCode, error) {
	now := s.now()
	t := TaxCode{CompanyID: companyID, TaxCodeInput: in, Version: 1, CreatedAt: now, UpdatedAt: now}
	err := tx.QueryRowContext(ctx, `INSERT INTO invoice_tax_codes (company_id, code, name, rate, type, price_inclusive, category,
		exemption_code, exemption_reason, collected_account_id, deductible_account_id, active, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (company_id, code) DO NOTHING RETURNING id`,
		int64(companyID), in.Code, in.Name, int64(in.Rate), string(in.Type), in.PriceInclusive, in.Category, in.ExemptionCode,
		in.ExemptionReason, nullID(in.CollectedAccountID), nullID(in.DeductibleAccountID), in.Active, t.Version, now, now).Scan(&t.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return TaxCode{}, &backoffice.Error{Code: backoffice.EConflict, Message: fmt.Sprintf("tax code %s already exists", in.Code),
			Fields: map[string]string{"code": "already exists in this company"}}
	}
	if err != nil {
		return TaxCode{}, fmt.Errorf("insert tax code: %w", err)
	}
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "tax_code", EntityID: t.ID.String(), Action: "create", New: t})
	return t, err
}

// UpdateTaxCode replaces the fields of a tax code when version is still its
// current version. The code itself cannot change: documents name it. Drafts
// use the new rate when next saved; posted documents keep theirs.
func (s *Service) UpdateTaxCode(ctx context.Context, companyID, id backoffice.ID, version int64, in TaxCodeInput) (TaxCode, error) {
	if err := s.validateTaxCode(ctx, companyID, &in); err != nil {
		return TaxCode{}, err
	}
	var after TaxCode
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getTaxCode(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return stale("tax code", id, version)
		}
		if in.Code != before.Code {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "a tax code's code cannot change: create a new code and deactivate this one",
				Fields: map[string]string{"code": "cannot change"}}
		}
		after = before
		after.TaxCodeInput, after.Version, after.UpdatedAt = in, version+1, s.now()
		res, err := tx.ExecContext(ctx, `UPDATE invoice_tax_codes SET name = ?, rate = ?, type = ?, price_inclusive = ?, category = ?,
			exemption_code = ?, exemption_reason = ?, collected_account_id = ?, deductible_account_id = ?, active = ?, version = ?, updated_at = ?
			WHERE id = ? AND version = ?`, in.Name, int64(in.Rate), string(in.Type), in.PriceInclusive, in.Category, in.ExemptionCode,
			in.ExemptionReason, nullID(in.CollectedAccountID), nullID(in.DeductibleAccountID), in.Active, after.Version, after.UpdatedAt,
			int64(id), version)
		if err != nil {
			return fmt.Errorf("update tax code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return stale("tax code", id, version)
		}
		old, new, err := audit.Diff(before, after)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "tax_code", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	return after, err
}

const taxCodeColumns = `id, company_id, code, name, rate, type, price_inclusive, category, exemption_code, exemption_reason,
	collected_account_id, deductible_account_id, active, version, created_at, updated_at`

func scanTaxCode(s scanner) (TaxCode, error) {
	var t TaxCode
	var rate int64
	var collected, deductible sql.NullInt64
	err := s.Scan(&t.ID, &t.CompanyID, &t.Code, &t.Name, &rate, &t.Type, &t.PriceInclusive, &t.Category, &t.ExemptionCode,
		&t.ExemptionReason, &collected, &deductible, &t.Active, &t.Version, &t.CreatedAt, &t.UpdatedAt)
	t.Rate, t.CollectedAccountID, t.DeductibleAccountID = Percent(rate), backoffice.ID(collected.Int64), backoffice.ID(deductible.Int64)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return t, err
}

func getTaxCode(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (TaxCode, error) {
	t, err := scanTaxCode(q.QueryRowContext(ctx, `SELECT `+taxCodeColumns+` FROM invoice_tax_codes WHERE id = ? AND company_id = ?`, int64(id), int64(companyID)))
	if errors.Is(err, sql.ErrNoRows) {
		return TaxCode{}, notFound("tax code", id)
	}
	if err != nil {
		return TaxCode{}, fmt.Errorf("read tax code: %w", err)
	}
	return t, nil
}

func taxCodeByCode(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, code string) (TaxCode, error) {
	t, err := scanTaxCode(q.QueryRowContext(ctx, `SELECT `+taxCodeColumns+` FROM invoice_tax_codes WHERE company_id = ? AND code = ?`, int64(companyID), code))
	if errors.Is(err, sql.ErrNoRows) {
		return TaxCode{}, backoffice.Errorf(backoffice.ENotFound, "tax code %q does not exist in this company", code)
	}
	if err != nil {
		return TaxCode{}, fmt.Errorf("read tax code: %w", err)
	}
	return t, nil
}

// GetTaxCode returns one tax code of the company.
func (s *Service) GetTaxCode(ctx context.Context, companyID, id backoffice.ID) (TaxCode, error) {
	return getTaxCode(ctx, s.DB, companyID, id)
}

// TaxCodeByCode returns the company's tax code with that code.
func (s *Service) TaxCodeByCode(ctx context.Context, companyID backoffice.ID, code string) (TaxCode, error) {
	return taxCodeByCode(ctx, s.DB, companyID, strings.ToUpper(strings.TrimSpace(code)))
}

// ListTaxCodes returns the company's tax codes by code; a company has few,
// so the list is not paginated. Inactive codes come only when asked for.
func (s *Service) ListTaxCodes(ctx context.Context, companyID backoffice.ID, withInactive bool) ([]TaxCode, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+taxCodeColumns+` FROM invoice_tax_codes WHERE company_id = ? AND (active OR ?) ORDER BY code`,
		int64(companyID), withInactive)
	if err != nil {
		return nil, fmt.Errorf("list tax codes: %w", err)
	}
	defer rows.Close()
	out := []TaxCode{}
	for rows.Next() {
		t, err := scanTaxCode(rows)
		if err != nil {
			return nil, fmt.Errorf("list tax codes: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// taxCodesByCode reads the company's tax codes named in codes, keyed by code.
func taxCodesByCode(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (map[string]TaxCode, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+taxCodeColumns+` FROM invoice_tax_codes WHERE company_id = ?`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("read tax codes: %w", err)
	}
	defer rows.Close()
	out := map[string]TaxCode{}
	for rows.Next() {
		t, err := scanTaxCode(rows)
		if err != nil {
			return nil, fmt.Errorf("read tax codes: %w", err)
		}
		out[t.Code] = t
	}
	return out, rows.Err()
}

// Settings are a company's invoicing settings.
type Settings struct {
	Rounding Rounding `json:"rounding"` // line or document
	Version  int64    `json:"version"`
}

// ensureSettings creates the default settings (rounding per line) unless set.
func (s *Service) ensureSettings(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO invoice_settings (company_id, rounding, version, updated_at) VALUES (?, ?, 1, ?)
		ON CONFLICT (company_id) DO NOTHING`, int64(companyID), string(RoundPerLine), s.now())
	if err != nil {
		return fmt.Errorf("create invoice settings: %w", err)
	}
	return nil
}

func getSettings(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (Settings, error) {
	st := Settings{Rounding: RoundPerLine}
	err := q.QueryRowContext(ctx, `SELECT rounding, version FROM invoice_settings WHERE company_id = ?`, int64(companyID)).Scan(&st.Rounding, &st.Version)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("read invoice settings: %w", err)
	}
	return st, nil
}

// GetSettings returns the company's invoicing settings (rounding per line
// when never set).
func (s *Service) GetSettings(ctx context.Context, companyID backoffice.ID) (Settings, error) {
	return getSettings(ctx, s.DB, companyID)
}

// SetRounding sets how tax is rounded on the company's documents from now
// on; posted documents keep their figures.
func (s *Service) SetRounding(ctx context.Context, companyID backoffice.ID, r Rounding) (Settings, error) {
	if r != RoundPerLine && r != RoundPerDocument {
		return Settings{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "rounding must be line or document",
			Fields: map[string]string{"rounding": "must be line or document"}}
	}
	var out Settings
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.ensureSettings(ctx, tx, companyID); err != nil {
			return err
		}
		before, err := getSettings(ctx, tx, companyID)
		if err != nil {
			return err
		}
		out = Settings{Rounding: r, Version: before.Version + 1}
		if before.Rounding == r {
			out = before
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invoice_settings SET rounding = ?, version = ?, updated_at = ? WHERE company_id = ?`,
			string(r), out.Version, s.now(), int64(companyID)); err != nil {
			return fmt.Errorf("update invoice settings: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "invoice_settings", EntityID: companyID.String(),
			Action: "update", Old: map[string]any{"rounding": before.Rounding}, New: map[string]any{"rounding": r}})
		return err
	})
	return out, err
}
