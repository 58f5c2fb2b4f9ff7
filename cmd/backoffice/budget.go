package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/csvio"
	"backoffice/ledger"
)

// budgetColumns are the columns of a budget CSV file.
func budgetColumns() []csvio.Column {
	return []csvio.Column{
		{Name: "account", Required: true, Help: "account code, e.g. 6100"},
		{Name: "month", Required: true, Help: "YYYY-MM (or any day of the month as YYYY-MM-DD)"},
		{Name: "amount", Required: true, Help: "plain decimal in company currency on the account's natural side, e.g. 2400.00"},
		{Name: "action", Help: "on posting beyond it: stop, warn (default) or ignore"},
		{Name: "dimension", Help: "optional: budget only the lines with this dimension (cost_center, project, …)"},
		{Name: "value", Help: "the dimension's value, with dimension"},
	}
}

// budgetField finds "budgets[i].field" in the ledger's errors.
var budgetField = regexp.MustCompile(`^budgets\[(\d+)\]\.(\w+)$`)

// importBudgets reads a budget CSV and sets every line in one transaction:
// all lines or none, every bad row named with its line and column.
func importBudgets(ctx context.Context, l *ledger.Service, company backoffice.ID, base backoffice.Currency, r io.Reader, opts csvio.Options) (csvio.Report, error) {
	codes := map[string]backoffice.ID{}
	schema := csvio.Schema[ledger.BudgetLine]{Entity: "budget", Columns: budgetColumns(), Parse: func(row csvio.Row) (ledger.BudgetLine, error) {
		v := backoffice.Validation{}
		b := ledger.BudgetLine{Dimension: row.Get("dimension"), Value: row.Get("value"), Action: ledger.BudgetAction(strings.ToLower(row.Get("action")))}
		if b.Action == "" {
			b.Action = ledger.BudgetWarn
		}
		code := row.Get("account")
		id, ok := codes[code]
		if !ok {
			a, err := l.AccountByCode(ctx, company, code)
			if err != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
				return b, err
			}
			id, codes[code] = a.ID, a.ID
		}
		v.Check(id != 0, "account", "no account has the code "+code)
		b.AccountID = id
		month := row.Get("month")
		if len(month) == 7 {
			month += "-01"
		}
		d, err := backoffice.ParseDate(month)
		v.Check(err == nil, "month", "must be a month as YYYY-MM")
		b.Month = d
		amount, err := backoffice.ParseMinor(row.Get("amount"), base.Exponent())
		v.Check(err == nil, "amount", fmt.Sprintf("must be a decimal amount in %s with at most %d decimals", base, base.Exponent()))
		b.Amount = amount
		return b, v.Err("budget")
	}}
	return csvio.Import(ctx, r, schema, opts, func(ctx context.Context, items []ledger.BudgetLine, _ []int) error {
		_, err := l.SetBudgets(ctx, company, items)
		var be *backoffice.Error
		if !errors.As(err, &be) || be.Code != backoffice.EInvalid {
			return err
		}
		var blamed []error
		for field, msg := range be.Fields {
			m := budgetField.FindStringSubmatch(field)
			if m == nil {
				continue
			}
			i, _ := strconv.Atoi(m[1])
			col := m[2]
			if col == "account_id" {
				col = "account"
			}
			blamed = append(blamed, &csvio.ItemError{Index: i, Column: col, Err: errors.New(msg)})
		}
		if len(blamed) == 0 {
			return err
		}
		return errors.Join(blamed...)
	})
}

func newImportBudgetsCmd() *cobra.Command {
	return csvImportCmd("budgets", "Import budget lines from CSV", "the budgets are set in",
		"budgets reads a CSV file with a header line, one budget line per row (an account, optionally one\ndimension value, in one month), and sets them all or none: a line for the same account, dimension\nvalue and month replaces the one before.\nColumns (any order, case-insensitive):\n"+columnHelp(budgetColumns())+"UTF-8 with or without BOM; comma, semicolon or tab separated.",
		"  backoffice import budgets --db data.db --company ACME --dry-run budgets-2026.csv\n  backoffice import budgets --db data.db --company ACME budgets-2026.csv\n\n  account,month,amount,action\n  6100,2026-01,2400.00,warn\n  6170,2026-01,800.00,stop",
		func(ctx context.Context, a *app, company backoffice.ID, r io.Reader, opts csvio.Options) (csvio.Report, error) {
			c, err := a.access.GetCompany(ctx, company)
			if err != nil {
				return csvio.Report{}, err
			}
			return importBudgets(ctx, a.ledger, company, c.Currency, r, opts)
		})
}

func newBudgetVsActualCmd() *cobra.Command {
	var f reportFlags
	var from, to string
	cmd := &cobra.Command{
		Use:   "budget-vs-actual",
		Short: "Print each budget against the actual postings, with the variance",
		Long: `budget-vs-actual compares every budget line of the months that --from to --to touch (by
default the current fiscal year to date) with the posted figures, one row per account and
dimension value: budget, actual, variance (budget − actual; negative is beyond the budget) and
the variance as a percentage of the budget. Amounts are plain decimals in company currency on
each account's natural side. CSV has the header
account,name,dimension,value,budget,actual,variance,variance_pct; JSON adds each month.`,
		Example: `  backoffice report budget-vs-actual --db data.db --company ACME --from 2026-01-01 --to 2026-06-30
  backoffice report budget-vs-actual --db data.db --company ACME --format csv > bva.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			start, end, err := periodFlags(ctx, a.ledger, c.ID, from, to)
			if err != nil {
				return err
			}
			rep, err := a.ledger.BudgetVsActual(ctx, c.ID, start, end)
			if err != nil {
				return err
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, rep.WritePDF)
			}
			return writeBudgetReport(cmd.OutOrStdout(), f.format, rep)
		},
	}
	f.register(cmd, "")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (default the start of the fiscal year of --to)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (default today)")
	return cmd
}

// writeBudgetReport prints the report as csv, json or an aligned table.
func writeBudgetReport(w io.Writer, format string, rep ledger.BudgetReport) error {
	money := func(v int64) string { return amount(v, rep.Currency) }
	switch format {
	case "csv":
		return rep.WriteCSV(w)
	case "json":
		type month struct {
			Month  string `json:"month"`
			Budget string `json:"budget"`
			Actual string `json:"actual"`
		}
		type row struct {
			Account     string  `json:"account"`
			Name        string  `json:"name"`
			Dimension   string  `json:"dimension,omitempty"`
			Value       string  `json:"value,omitempty"`
			Action      string  `json:"action"`
			Budget      string  `json:"budget"`
			Actual      string  `json:"actual"`
			Variance    string  `json:"variance"`
			VariancePct string  `json:"variance_pct,omitempty"`
			Months      []month `json:"months"`
		}
		rows := []row{}
		for _, x := range rep.Rows {
			r := row{x.Code, x.Name, x.Dimension, x.Value, string(x.Action), money(x.Budget), money(x.Actual), money(x.Variance), x.VariancePercent(), []month{}}
			for _, m := range x.Months {
				r.Months = append(r.Months, month{fmt.Sprintf("%04d-%02d", m.Month.Year, int(m.Month.Month)), money(m.Budget), money(m.Actual)})
			}
			rows = append(rows, r)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"currency": rep.Currency, "from": rep.From, "to": rep.To, "rows": rows})
	case "table":
		lines := [][]string{{"Account", "Name", "For", "Budget", "Actual", "Variance", "%"}}
		var budget, actual int64
		for _, x := range rep.Rows {
			scope := "whole account"
			if x.Dimension != "" {
				scope = x.Dimension + "=" + x.Value
			}
			lines = append(lines, []string{x.Code, x.Name, scope, money(x.Budget), money(x.Actual), money(x.Variance), x.VariancePercent()})
			budget, actual = budget+x.Budget, actual+x.Actual
		}
		lines = append(lines, []string{"Total", "", "", money(budget), money(actual), money(budget - actual),
			ledger.BudgetRow{Budget: budget, Variance: budget - actual}.VariancePercent()})
		_, err := fmt.Fprintf(w, "Budget against actual %s – %s, %s\n%s", rep.From, rep.To, rep.Currency, aligned(lines, 3))
		return err
	}
	return fmt.Errorf("--format must be csv, json, table or pdf, not %q", format)
}
