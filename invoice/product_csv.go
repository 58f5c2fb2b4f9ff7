package invoice

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/csvio"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// productColumnsCSV are the columns of the products CSV, for import and
// export alike.
var productColumnsCSV = []csvio.Column{
	{Name: "code", Required: true, Help: "the product's code, unique in the company: CONS-H"},
	{Name: "name", Required: true, Help: "what documents call it: Consulting hour"},
	{Name: "unit", Help: "UN/ECE Rec 20 unit code: C62 (one, the default), HUR (hour), KGM (kilogram), DAY, MTR, LTR"},
	{Name: "unit_price", Help: "price per unit in the currency, without tax unless the tax code is price-inclusive: 120.00"},
	{Name: "currency", Help: "ISO 4217 currency of the price; the company's when empty"},
	{Name: "tax_code", Help: "the company's tax code lines take by default: VAT19"},
	{Name: "income_account", Help: "ledger account code for sales of it: 4020"},
	{Name: "expense_account", Help: "ledger account code for purchases of it: 6120"},
	{Name: "active", Help: "false to keep it out of new documents; true when empty"},
}

// ProductCSVColumns describes the products CSV format, for help texts.
func ProductCSVColumns() []csvio.Column { return append([]csvio.Column(nil), productColumnsCSV...) }

// catalogue is what a products CSV refers to: account codes and tax codes.
type catalogue struct {
	base     backoffice.Currency
	accounts map[string]ledger.Account
	byID     map[backoffice.ID]string
	codes    map[string]TaxCode
}

func (s *Service) catalogue(ctx context.Context, companyID backoffice.ID) (catalogue, error) {
	c := catalogue{accounts: map[string]ledger.Account{}, byID: map[backoffice.ID]string{}}
	var err error
	if c.base, err = s.companyCurrency(ctx, s.DB, companyID); err != nil {
		return c, err
	}
	if c.codes, err = taxCodesByCode(ctx, s.DB, companyID); err != nil {
		return c, err
	}
	f := ledger.AccountFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for {
		list, err := s.Ledger.ListAccounts(ctx, companyID, f)
		if err != nil {
			return c, err
		}
		for _, a := range list.Items {
			c.accounts[a.Code], c.byID[a.ID] = a, a.Code
		}
		if list.Next == "" {
			return c, nil
		}
		f.Page.After = list.Next
	}
}

// ImportProducts creates products from CSV, all or nothing: every bad row
// is reported with its line and column, and nothing is stored unless every
// row is good (a code the company has already is a bad row).
func (s *Service) ImportProducts(ctx context.Context, r io.Reader, companyID backoffice.ID, opts csvio.Options) (csvio.Report, error) {
	cat, err := s.catalogue(ctx, companyID)
	if err != nil {
		return csvio.Report{}, err
	}
	schema := csvio.Schema[ProductInput]{Entity: "product", Columns: productColumnsCSV, Parse: func(row csvio.Row) (ProductInput, error) {
		return cat.parseProduct(row)
	}}
	return csvio.Import(ctx, r, schema, opts, func(ctx context.Context, items []ProductInput, _ []int) error {
		return s.commitProducts(ctx, companyID, items)
	})
}

// parseProduct turns one CSV row into a product input, naming bad cells.
func (cat catalogue) parseProduct(row csvio.Row) (ProductInput, error) {
	in := ProductInput{Code: row.Get("code"), Name: row.Get("name"), Unit: row.Get("unit"), Currency: backoffice.Currency(row.Get("currency")),
		TaxCode: row.Get("tax_code"), Active: true}
	in.normalise(cat.base)
	v := in.check()
	if p := row.Get("unit_price"); p != "" && in.Currency.Valid() {
		n, err := backoffice.ParseMinor(p, in.Currency.Exponent())
		v.Check(err == nil, "unit_price", fmt.Sprintf("must be an amount with at most %d decimals: 120.00", in.Currency.Exponent()))
		in.UnitPrice = n
		v.Check(n >= 0, "unit_price", "must be zero or more")
	}
	if in.TaxCode != "" {
		t, ok := cat.codes[in.TaxCode]
		v.Check(ok, "tax_code", "is not a tax code of this company")
		v.Check(!ok || t.Active, "tax_code", fmt.Sprintf("tax code %s is inactive", in.TaxCode))
	}
	for col, id := range map[string]*backoffice.ID{"income_account": &in.IncomeAccountID, "expense_account": &in.ExpenseAccountID} {
		code := row.Get(col)
		if code == "" {
			continue
		}
		a, ok := cat.accounts[code]
		switch {
		case !ok:
			v.Add(col, "no ledger account has code "+code)
		case a.Blocked:
			v.Add(col, fmt.Sprintf("account %s is blocked", code))
		default:
			*id = a.ID
		}
	}
	switch strings.ToLower(row.Get("active")) {
	case "", "true", "yes", "1":
	case "false", "no", "0":
		in.Active = false
	default:
		v.Add("active", "must be true or false")
	}
	return in, v.Err("product")
}

// commitProducts stores all products in one transaction, the change log last.
func (s *Service) commitProducts(ctx context.Context, companyID backoffice.ID, items []ProductInput) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		changes := make([]audit.Change, 0, len(items))
		for i, in := range items {
			p := Product{CompanyID: companyID, ProductInput: in, Version: 1, CreatedAt: now, UpdatedAt: now}
			if err := insertProduct(ctx, tx, &p); err != nil {
				return &csvio.ItemError{Index: i, Err: err}
			}
			changes = append(changes, audit.Change{CompanyID: companyID, Entity: "product", EntityID: p.ID.String(), Action: "create", New: p, Reason: "CSV import"})
		}
		_, err := s.Audit.Append(ctx, tx, changes...)
		return err
	})
}

// ExportProducts writes the company's products, inactive ones too, as CSV
// in the import format.
func (s *Service) ExportProducts(ctx context.Context, w io.Writer, companyID backoffice.ID) error {
	cat, err := s.catalogue(ctx, companyID)
	if err != nil {
		return err
	}
	header := make([]string, len(productColumnsCSV))
	for i, c := range productColumnsCSV {
		header[i] = c.Name
	}
	var failed error
	rows := iter.Seq[[]string](func(yield func([]string) bool) {
		f := ProductFilter{WithInactive: true, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
		for {
			list, err := s.ListProducts(ctx, companyID, f)
			if err != nil {
				failed = err
				return
			}
			for _, p := range list.Items {
				row := []string{p.Code, p.Name, p.Unit, backoffice.FormatMinor(p.UnitPrice, p.Currency.Exponent()), string(p.Currency), p.TaxCode,
					cat.byID[p.IncomeAccountID], cat.byID[p.ExpenseAccountID], fmt.Sprint(p.Active)}
				if !yield(row) {
					return
				}
			}
			if list.Next == "" {
				return
			}
			f.Page.After = list.Next
		}
	})
	if err := csvio.Export(w, header, rows); err != nil {
		return fmt.Errorf("export products: %w", err)
	}
	return failed
}
