package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
	"backoffice/csvio"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Import master data from files",
		Long: `import reads a file and creates what it describes, all or nothing: when any row is wrong,
every problem is listed with its line number and column, and nothing is imported.
--dry-run checks the file without importing.`,
	}
	users := csvImportCmd("users", "Import users from CSV into a company", "the users join",
		"users reads a CSV file with a header line, one user per row, all or nothing.\nColumns (any order, case-insensitive):\n"+columnHelp(access.UserCSVColumns())+"UTF-8 with or without BOM; comma, semicolon or tab separated.",
		"  backoffice import users --db data.db --company DEMO --dry-run staff.csv\n  backoffice import users --db data.db --company DEMO staff.csv",
		func(ctx context.Context, a *app, company backoffice.ID, r io.Reader, opts csvio.Options) (csvio.Report, error) {
			return a.access.ImportUsers(ctx, r, company, opts)
		})
	cmd.AddCommand(users, newImportJournalCmd(), newImportAccountsCmd(), newImportStatementCmd(), newImportPartiesCmd(), newImportProductsCmd(), newImportBudgetsCmd(), newImportEInvoiceCmd(), newImportPaymentStatusCmd())
	return cmd
}

// csvImportCmd builds a command that imports one CSV file into a company
// through run, with --dry-run, --json, a progress bar and the shared report.
func csvImportCmd(use, short, joins, long, example string,
	run func(ctx context.Context, a *app, company backoffice.ID, r io.Reader, opts csvio.Options) (csvio.Report, error)) *cobra.Command {
	var dsn, company string
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use: use + " FILE", Short: short, Long: long, Example: example, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			bar := newProgress(cmd, -1, "reading "+args[0])
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			rep, err := run(ctx, a, c.ID, f, csvio.Options{DryRun: dryRun, Progress: func(done, _ int) { bar.Set(done) }})
			bar.Finish()
			return printReport(cmd, args[0], rep, err, asJSON)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "code of the company "+joins+" (required)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and report, import nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// printReport prints an import report: a summary, then every problem. A file
// with problems exits 1.
func printReport(cmd *cobra.Command, file string, rep csvio.Report, err error, asJSON bool) error {
	out := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		for _, e := range rep.Errors {
			fmt.Fprintf(out, "%s:%s\n", file, e.String())
		}
	}
	if err != nil {
		return &exitError{code: 1, err: err}
	}
	if !asJSON {
		if rep.DryRun {
			fmt.Fprintf(out, "%s: %d rows checked, no problems; nothing imported (dry run)\n", file, rep.Rows)
		} else {
			fmt.Fprintf(out, "%s: imported %d rows\n", file, rep.Imported)
		}
	}
	return nil
}

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Export master data as CSV, books as a journal, invoices as e-invoices"}
	var dsn, company, out string
	users := &cobra.Command{
		Use:     "users",
		Short:   "Export the users of a company as CSV (the import format)",
		Example: `  backoffice export users --db data.db --company DEMO --out users.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			w, closeOut, err := output(cmd, out)
			if err != nil {
				return err
			}
			defer closeOut()
			return a.access.ExportUsers(ctx, w, c.ID)
		},
	}
	dbFlag(users, &dsn)
	users.Flags().StringVar(&company, "company", "", "company code (required)")
	users.Flags().StringVar(&out, "out", "-", "file to write; - for standard output")
	_ = users.MarkFlagRequired("company")
	cmd.AddCommand(users, newExportJournalCmd(), newExportPartiesCmd(), newExportProductsCmd(), newExportInvoiceCmd(), newExportStatementCmd(), newExportPaymentsCmd())
	return cmd
}
