package ledger

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"backoffice"
	"backoffice/ledger/coa"
)

// ChartImport says what ImportChart did, or would do on a dry run.
type ChartImport struct {
	Format   string   `json:"format"`   // gnucash, frappe, odoo or csv
	Accounts int      `json:"accounts"` // in the file
	Created  int      `json:"created"`  // new accounts; 0 on a dry run
	Existing int      `json:"existing"` // codes the company already has, left as they are
	DryRun   bool     `json:"dry_run"`
	Warnings []string `json:"warnings"`
}

// ImportChart reads a chart of accounts — a GnuCash account template, a
// Frappe Books/ERPNext JSON chart, an Odoo CSV or our own CSV, detected from
// the content — and creates its accounts that the company does not have yet,
// parents first, all or nothing. Codes the company already uses are kept as
// they are. Subtypes the ledger does not know become "other", with a warning.
func (s *Service) ImportChart(ctx context.Context, companyID backoffice.ID, data []byte, dryRun bool) (ChartImport, error) {
	rep := ChartImport{Format: coa.Detect(data), DryRun: dryRun}
	var parse func(r *bytes.Reader) (*coa.Chart, error)
	switch rep.Format {
	case coa.FormatGnuCash:
		parse = func(r *bytes.Reader) (*coa.Chart, error) { return coa.ParseGnuCash(r) }
	case coa.FormatFrappe:
		parse = func(r *bytes.Reader) (*coa.Chart, error) { return coa.ParseFrappe(r) }
	case coa.FormatOdoo:
		parse = func(r *bytes.Reader) (*coa.Chart, error) { return coa.ParseOdoo(r) }
	case coa.FormatCSV:
		parse = func(r *bytes.Reader) (*coa.Chart, error) { return coa.ParseCSV(r) }
	default:
		return rep, backoffice.Errorf(backoffice.EInvalid, "not a chart of accounts: expected a GnuCash account template, a Frappe/ERPNext JSON chart, an Odoo CSV or our CSV (code,name,type,subtype,parent,…)")
	}
	chart, err := parse(bytes.NewReader(data))
	if err != nil {
		return rep, err
	}
	for _, w := range chart.Warnings {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("line %d: %s", w.Line, w.Message))
	}
	known := Subtypes()
	var missing []NewAccount
	for _, a := range chart.Sorted() {
		rep.Accounts++
		if _, err := s.AccountByCode(ctx, companyID, a.Code); err == nil {
			rep.Existing++
			continue
		} else if backoffice.ErrorCode(err) != backoffice.ENotFound {
			return rep, err
		}
		sub := a.Subtype
		if sub == coa.SubtypeRoundOff {
			sub = "rounding"
		}
		if !slices.Contains(known, sub) {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("account %s: subtype %q is not one the ledger knows; imported as other", a.Code, sub))
			sub = "other"
		}
		missing = append(missing, NewAccount{Code: a.Code, Name: a.Name, Type: AccountType(a.Type), Subtype: sub,
			Parent: a.Parent, Currency: backoffice.Currency(a.Currency), Reconcilable: a.Reconcilable})
	}
	if dryRun || len(missing) == 0 {
		return rep, nil
	}
	if _, err := s.CreateAccounts(ctx, companyID, missing); err != nil {
		return rep, err
	}
	rep.Created = len(missing)
	return rep, nil
}
