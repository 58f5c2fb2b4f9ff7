package coa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"backoffice"
	"backoffice/csvio"
)

// FormatOdoo is what Detect reports for an Odoo account.account CSV.
const FormatOdoo = "odoo"

// odooType maps an Odoo account_type (Odoo 16 and later) to a type and a
// subtype; ok is false for a value Odoo does not have.
func odooType(s string) (t Type, subtype string, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "asset_receivable":
		return Asset, SubtypeReceivable, true
	case "asset_cash": // Odoo's "Bank and Cash"
		return Asset, SubtypeBank, true
	case "asset_current":
		return Asset, SubtypeCurrentAsset, true
	case "asset_non_current":
		return Asset, SubtypeNonCurrentAsset, true
	case "asset_prepayments":
		return Asset, SubtypePrepayment, true
	case "asset_fixed":
		return Asset, SubtypeFixedAsset, true
	case "liability_payable":
		return Liability, SubtypePayable, true
	case "liability_credit_card":
		return Liability, SubtypeCreditCard, true
	case "liability_current":
		return Liability, SubtypeCurrentLiability, true
	case "liability_non_current":
		return Liability, SubtypeNonCurrentLiability, true
	case "equity":
		return Equity, SubtypeOther, true
	case "equity_unaffected": // "Current Year Earnings", closed into retained earnings
		return Equity, SubtypeRetainedEarnings, true
	case "income", "income_other":
		return Income, SubtypeOther, true
	case "expense":
		return Expense, SubtypeOther, true
	case "expense_depreciation":
		return Expense, SubtypeDepreciation, true
	case "expense_direct_cost":
		return Expense, SubtypeCostOfSales, true
	}
	return "", "", false
}

// odooRow is one row of an Odoo chart; skip is set for off-balance accounts.
type odooRow struct {
	acc  Account
	skip bool
}

// odooSchema describes the account.account CSV that Odoo exports and ships
// its charts in.
func odooSchema() csvio.Schema[odooRow] {
	return csvio.Schema[odooRow]{
		Entity: "Odoo account",
		Columns: []csvio.Column{
			{Name: "id", Help: "Odoo's external id; not imported"},
			{Name: "code", Required: true, Help: "the account code"},
			{Name: "name", Required: true, Help: "the account name"},
			{Name: "account_type", Required: true, Help: "Odoo's type, such as asset_receivable or expense"},
			{Name: "reconcile", Help: "True for accounts whose items are matched"},
			{Name: "currency_id", Help: "ISO 4217 code the account is fixed to"},
			{Name: "tag_ids", Help: "Odoo's report tags; not imported"},
			{Name: "non_trade", Help: "Odoo's non-trade flag; not imported"},
		},
		Parse: parseOdooRow,
	}
}

func parseOdooRow(r csvio.Row) (odooRow, error) {
	v := backoffice.Validation{}
	a := Account{Code: cleanText(r.Get("code")), Name: cleanText(r.Get("name"))}
	kind := r.Get("account_type")
	if strings.EqualFold(kind, "off_balance") {
		return odooRow{acc: a, skip: true}, nil
	}
	var ok bool
	if a.Type, a.Subtype, ok = odooType(kind); !ok && kind != "" {
		v.Add("account_type", fmt.Sprintf("%q is not an Odoo account type (asset_receivable, asset_cash, liability_payable, income, expense, …)", kind))
	}
	if a.Reconcilable, ok = parseYesNo(r.Get("reconcile"), reconcilableByDefault(a.Subtype)); !ok {
		v.Add("reconcile", "write True or False")
	}
	if cur := r.Get("currency_id"); cur != "" {
		// Odoo exports the currency as its code or as an external id (base.USD).
		c, err := backoffice.ParseCurrency(strings.TrimPrefix(cur, "base."))
		if err != nil {
			v.Add("currency_id", fmt.Sprintf("%q is not an ISO 4217 currency code", cur))
		}
		a.Currency = string(c)
	}
	return odooRow{acc: a}, v.Err("account")
}

// ParseOdoo reads an Odoo chart of accounts CSV (account.account, as Odoo
// exports it and ships its generic chart: id, name, code, account_type,
// reconcile, …). Odoo's charts are flat, so no account has a parent.
// Off-balance accounts are left out with a warning. Bad rows and duplicate
// codes are reported as ParseCSV reports them.
func ParseOdoo(r io.Reader) (*Chart, error) {
	c := &Chart{}
	var lines []int
	broken := errors.New("the chart rules are broken")
	commit := func(_ context.Context, rows []odooRow, rowLines []int) error {
		for i, row := range rows {
			if row.skip {
				c.Warnings = append(c.Warnings, Warning{Line: rowLines[i], Message: fmt.Sprintf("%q is an off-balance account, which the ledger does not keep: it is left out", row.acc.Name)})
				continue
			}
			c.Accounts = append(c.Accounts, row.acc)
			lines = append(lines, rowLines[i])
		}
		if len(c.problems()) > 0 {
			return broken
		}
		return nil
	}
	rep, err := csvio.Import(context.Background(), r, odooSchema(), csvio.Options{MaxFileSize: MaxFileSize}, commit)
	switch {
	case err == nil:
		if len(c.Accounts) == 0 {
			return nil, backoffice.Errorf(backoffice.EInvalid, "the file has only off-balance accounts: there is nothing to import")
		}
		return c, nil
	case errors.Is(err, broken):
		return nil, csvError(nil, c.problems(), lines)
	case len(rep.Errors) > 0:
		return nil, csvError(rep.Errors, nil, nil)
	}
	return nil, err
}
