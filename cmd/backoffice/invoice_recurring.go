package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
)

// addRecurringInvoiceCommands adds run-due to the invoice command.
func addRecurringInvoiceCommands(root *cobra.Command) {
	for _, c := range root.Commands() {
		if c.Name() == "invoice" {
			c.AddCommand(newInvoiceRunDueCmd())
		}
	}
}

func newInvoiceRunDueCmd() *cobra.Command {
	var dsn, company, upTo string
	cmd := &cobra.Command{
		Use:   "run-due",
		Short: "Generate the recurring invoices due up to a day, catching up missed periods",
		Long: `run-due generates the invoice of every period up to --up-to (default today) of the company's
active recurring invoice templates, oldest first, posted or as drafts as each template says. Each
period is generated once, however often this runs and on however many nodes: the server's hourly
job does the same. A template whose invoice no longer validates (a blocked party, a closed period)
is reported and its later periods wait.`,
		Example: `  backoffice invoice run-due --db data.db --company ACME
  backoffice invoice run-due --db data.db --company ACME --up-to 2026-03-31`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			d := backoffice.DateOf(time.Now())
			if upTo != "" {
				if d, err = backoffice.ParseDate(upTo); err != nil {
					return fmt.Errorf("--up-to: %w", err)
				}
			}
			rep, err := a.inv.RunDue(ctx, c.ID, d)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, g := range rep.Generated {
				fmt.Fprintf(out, "template %d period %s: %s %s\n", g.RecurringID, g.Period, g.State, g.Number)
			}
			for _, f := range rep.Failures {
				fmt.Fprintf(out, "template %d %q period %s failed: %s\n", f.RecurringID, f.Name, f.Period, f.Error)
			}
			fmt.Fprintf(out, "%d invoices generated up to %s, %d templates failed\n", len(rep.Generated), rep.UpTo, len(rep.Failures))
			if len(rep.Failures) > 0 {
				return fmt.Errorf("%d recurring invoices failed", len(rep.Failures))
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&upTo, "up-to", "", "generate periods up to this day, YYYY-MM-DD (default today)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
