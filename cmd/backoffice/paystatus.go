package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/bank/pain"
)

func newImportPaymentStatusCmd() *cobra.Command {
	var dsn, company string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "payment-status FILE",
		Short: "Apply a bank's pain.002 status report: rejected payments are reversed and their invoices open again",
		Long: `payment-status reads a pain.002 payment status report (versions 001.03 to 001.10) and matches each
transaction by its end-to-end id to our payments: supplier transfers of payment runs and direct
debit collections. A rejection (RJCT) reverses the payment with the reason "rejected by the bank:
<code> <text>", so the bill or invoice it settled is open again; a rejected first (FRST), final or
one-off collection gives its mandate that sequence type back. Every status (ACCP, ACSC, PDNG,
RJCT …) is recorded on the payment. Transactions of no payment of ours are listed as unmatched.
Applying the same report twice changes nothing the second time.
Exit status 0 when the report was applied, 1 when it could not be read or applied.`,
		Example: `  backoffice import payment-status --db data.db --company ACME pain002-from-bank.xml
  backoffice import payment-status --db data.db --company ACME --json status.xml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			defer f.Close()
			rpt, err := pain.Read(f)
			if err != nil {
				return &exitError{code: 1, err: fmt.Errorf("%s: %s", args[0], userMessage(err))}
			}
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			res, err := a.inv.ApplyStatusReport(ctx, c.ID, rpt)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s: %d reversed, %d recorded, %d unmatched\n", args[0], res.Reversed, res.Recorded, res.Unmatched)
			tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
			for _, o := range res.Outcomes {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s %s\n", o.EndToEndID, o.Status, o.Outcome, o.PaymentNumber, o.ReasonCode, o.ReasonText)
			}
			tw.Flush()
			for _, w := range rpt.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s:%s\n", args[0], w)
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was done as JSON")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
