package main

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/csvio"
	"backoffice/invoice"
)

func newImportProductsCmd() *cobra.Command {
	return csvImportCmd("products", "Import products and services from CSV", "the products belong to",
		`products reads a CSV file with a header line, one product or service per row, all or nothing:
when any row is wrong (a code the company has already included), every problem is listed with its
line and column and nothing is imported.
Columns (any order, case-insensitive):
`+columnHelp(invoice.ProductCSVColumns())+`UTF-8 with or without BOM; comma, semicolon or tab separated.`,
		"  backoffice import products --db data.db --company ACME --dry-run catalogue.csv\n  backoffice import products --db data.db --company ACME catalogue.csv",
		func(ctx context.Context, a *app, company backoffice.ID, r io.Reader, opts csvio.Options) (csvio.Report, error) {
			return a.inv.ImportProducts(ctx, r, company, opts)
		})
}

func newExportProductsCmd() *cobra.Command {
	var dsn, company, out string
	cmd := &cobra.Command{
		Use:     "products",
		Short:   "Export a company's products and services as CSV (the import format)",
		Example: `  backoffice export products --db data.db --company ACME --out catalogue.csv`,
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
			if err := a.inv.ExportProducts(ctx, w, c.ID); err != nil {
				closeOut()
				return err
			}
			return closeOut()
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&out, "out", "-", "file to write; - for standard output")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
