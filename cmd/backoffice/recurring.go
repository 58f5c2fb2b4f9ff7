package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/ledger"
)

// newLedgerCmd groups commands that work on a company's books.
func newLedgerCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger",
		Short: "Work on a company's books: run due recurring entries and schedules",
	}
	cmd.AddCommand(newLedgerRunDueCmd())
	return cmd
}

func newLedgerRunDueCmd() *cobra.Command {
	var dsn, company, date string
	cmd := &cobra.Command{
		Use:   "run-due",
		Short: "Generate the recurring entries and schedule periods due up to a date",
		Long: `run-due does at once what the server's hourly job does: every active recurring entry and
accrual/deferral schedule of the company posts (or drafts) each period due on or before --date
(today by default), oldest first, catching up any periods missed while nothing ran. Each period
is generated once, however often this runs and whatever runs beside it. A template that fails
(a closed period, a blocked account) is reported and keeps its error for the UI; the others go
on. The exit status is 1 when any template failed.`,
		Example: `  backoffice ledger run-due --db ./backoffice-data/backoffice.db --company ACME
  backoffice ledger run-due --db postgres://app@db/backoffice --company ACME --date 2026-12-31`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("ledger.run_due"))
			upTo := backoffice.DateOf(time.Now())
			if date != "" {
				d, err := backoffice.ParseDate(date)
				if err != nil {
					return fmt.Errorf("--date %q: write YYYY-MM-DD", date)
				}
				upTo = d
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			rep, err := a.ledger.RunDue(ctx, c.ID, upTo)
			if err != nil {
				return err
			}
			printRunReport(cmd, rep, c.Currency)
			if len(rep.Failures) > 0 {
				return &exitError{code: 1, err: fmt.Errorf("%d of the due templates failed; fix the cause and run again", len(rep.Failures))}
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&date, "date", "", "generate what is due on or before this date, YYYY-MM-DD (default today)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// printRunReport lists the generated entries and the failures.
func printRunReport(cmd *cobra.Command, rep ledger.RunReport, cur backoffice.Currency) {
	out := cmd.OutOrStdout()
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	if len(rep.Generated) > 0 {
		fmt.Fprintln(tw, "PERIOD\tSOURCE\tNAME\tENTRY\tSTATE\tAMOUNT")
		for _, g := range rep.Generated {
			number := g.EntryNumber
			if number == "" {
				number = "#" + g.EntryID.String()
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", g.Period, g.Source, g.Name, number, g.State, backoffice.NewMoney(g.Amount, cur))
		}
		tw.Flush()
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(cmd.ErrOrStderr(), "failed: %s %q (period %s): %s\n", f.Source, f.Name, f.Period, f.Error)
	}
	fmt.Fprintf(out, "%d entries generated up to %s, %d templates failed\n", len(rep.Generated), rep.UpTo, len(rep.Failures))
}
