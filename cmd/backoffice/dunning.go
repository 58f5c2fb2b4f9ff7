package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newDunningCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "dunning", Short: "Dunning: remind customers of overdue invoices, level by level, with fees and letters"}
	cmd.AddCommand(newDunningRunCmd(false), newDunningRunCmd(true))
	return cmd
}

// newDunningRunCmd is dunning preview (post false) or dunning run.
func newDunningRunCmd(post bool) *cobra.Command {
	var dsn, company, date, letters string
	use, short := "preview", "Show which overdue invoices a run on --date would dun, at which level, and which it skips"
	example := `  backoffice dunning preview --db data.db --company ACME --date 2026-03-31`
	if post {
		use, short = "run", "Post a dunning run on --date: new levels, fee invoices and one letter per party"
		example = `  backoffice dunning run --db data.db --company ACME --date 2026-03-31 --letters ./letters`
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: `An invoice is dunned once its days overdue reach the next level (defaults: reminder at 7 days,
second reminder at 21 days with a fee of 5.00, final demand at 35 days with 10.00 and 5 % interest
a year), one level per run, never skipping one and never again before the days between two levels
have passed. Invoices or parties on hold and invoices the party's open credit notes cover are
skipped. A run posts each fee (and interest) as a small invoice of the party, so it is in the aging,
and stores one letter per party in the party's language (en, de, fr); --letters writes them as PDF
files into a folder.`,
		Example: example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			d := backoffice.DateOf(time.Now())
			if date != "" {
				if d, err = backoffice.ParseDate(date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
			}
			out := cmd.OutOrStdout()
			if !post {
				p, err := a.inv.PreviewDunning(ctx, c.ID, d)
				if err != nil {
					return err
				}
				printDunningItems(out, p.Items)
				for _, s := range p.Skipped {
					fmt.Fprintf(out, "skipped %s (%s, %d days): %s\n", s.Number, s.PartyName, s.DaysOverdue, s.Reason)
				}
				return nil
			}
			run, err := a.inv.PostDunning(ctx, c.ID, invoice.DunningRunInput{Date: d})
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "dunning run %d on %s: %d invoices, %d letters\n", run.ID, run.Date, run.InvoiceCount, run.LetterCount)
			printDunningItems(out, run.Items)
			if letters == "" {
				return nil
			}
			if err := os.MkdirAll(letters, 0o755); err != nil {
				return err
			}
			for _, l := range run.Letters {
				b, err := a.inv.DunningLetterPDF(ctx, c.ID, run.ID, l.PartyID)
				if err != nil {
					return err
				}
				name := filepath.Join(letters, fmt.Sprintf("dunning-%d-party-%d.pdf", run.ID, l.PartyID))
				if err := os.WriteFile(name, b, 0o644); err != nil {
					return err
				}
				fmt.Fprintf(out, "letter to %s (%s): %s\n", l.PartyName, l.Language, name)
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	fl := cmd.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&date, "date", "", "the day of the run, YYYY-MM-DD (default today)")
	if post {
		fl.StringVar(&letters, "letters", "", "write the run's letters as PDF files into this folder")
	}
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

func printDunningItems(w io.Writer, items []invoice.DunningItem) {
	if len(items) == 0 {
		fmt.Fprintln(w, "no invoice to dun")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "INVOICE\tPARTY\tDUE\tDAYS\tOPEN\tLEVEL\tFEE\tINTEREST\t")
	for _, it := range items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d → %d\t%s\t%s\t\n", it.Number, it.PartyName, it.DueDate, it.DaysOverdue,
			backoffice.NewMoney(it.OpenAmount, it.Currency), it.CurrentLevel, it.Level, backoffice.NewMoney(it.Fee, it.Currency),
			backoffice.NewMoney(it.Interest, it.Currency))
	}
	tw.Flush()
}
