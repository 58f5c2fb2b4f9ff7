package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/csvio"
	"backoffice/invoice"
)

func newReportTaxCmd() *cobra.Command {
	var dsn, company, from, to, format string
	var settle bool
	cmd := &cobra.Command{
		Use:   "tax",
		Short: "Print the VAT return of a period, and post its settlement",
		Long: `tax prints the VAT return of --from to --to from the posted invoices, credit notes, bills and
refunds dated in that period, in company currency: the boxes of the return, then the amounts per tax
code. With --settle it also posts the settlement entry, which moves the period's output and input VAT
to the VAT settlement account (account 2110); a period is settled once and periods never overlap.`,
		Example: `  backoffice report tax --db data.db --company ACME --from 2026-10-01 --to 2026-10-31
  backoffice report tax --db data.db --company ACME --from 2026-10-01 --to 2026-10-31 --settle
  backoffice report tax --db data.db --company ACME --from 2026-01-01 --to 2026-03-31 --format csv > q1.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			f, err := dateFlag("from", from, backoffice.Date{})
			if err != nil {
				return err
			}
			t, err := dateFlag("to", to, backoffice.Date{})
			if err != nil {
				return err
			}
			if settle {
				ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
				if _, err := a.inv.SettleTax(ctx, c.ID, f, t); err != nil {
					return err
				}
			}
			rep, err := a.inv.TaxReport(ctx, c.ID, f, t)
			if err != nil {
				return err
			}
			return writeTaxReport(cmd.OutOrStdout(), format, rep)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&from, "from", "", "first day of the period, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&to, "to", "", "last day of the period, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&format, "format", "table", "csv, json or table")
	cmd.Flags().BoolVar(&settle, "settle", false, "post the settlement entry of the period first")
	for _, f := range []string{"company", "from", "to"} {
		_ = cmd.MarkFlagRequired(f)
	}
	return cmd
}

// writeTaxReport prints the boxes (and, as a table, the codes and the
// settlement) as csv, json or an aligned table.
func writeTaxReport(w io.Writer, format string, rep invoice.TaxReport) error {
	c := rep.Currency
	switch format {
	case "csv":
		rows := make([][]string, 0, len(rep.Boxes))
		for _, b := range rep.Boxes {
			rows = append(rows, []string{b.Code, b.Name, amount(b.Amount, c)})
		}
		return csvio.Export(w, []string{"box", "name", "amount"}, slices.Values(rows))
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "table":
		fmt.Fprintf(w, "VAT return %s to %s (%s)\n\n", rep.From, rep.To, c)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, b := range rep.Boxes {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", b.Code, b.Name, amount(b.Amount, c))
		}
		fmt.Fprintln(tw, "\ntax code\tsales base\tsales tax\tpurchases base\tpurchases tax\tdocuments")
		for _, a := range rep.Codes {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", a.TaxCode, amount(a.SalesBase, c), amount(a.SalesTax, c), amount(a.PurchasesBase, c), amount(a.PurchasesTax, c), a.Documents)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nVAT payable: %s %s\n", amount(rep.Payable, c), c)
		if rep.Settlement != nil {
			fmt.Fprintf(w, "Settled by entry %d.\n", rep.Settlement.EntryID)
		}
		return nil
	}
	return fmt.Errorf("--format must be csv, json or table, not %q", format)
}
