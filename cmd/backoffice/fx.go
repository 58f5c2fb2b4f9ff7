package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/ledger"
)

// addFXCommands puts the exchange-rate commands into their groups:
// `import rates` and `ledger revalue`.
func addFXCommands(root *cobra.Command) {
	for _, c := range root.Commands() {
		switch c.Name() {
		case "import":
			c.AddCommand(newImportRatesCmd())
		case "ledger":
			c.AddCommand(newLedgerRevalueCmd())
		}
	}
}

func newImportRatesCmd() *cobra.Command {
	var dsn, company string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "rates FILE",
		Short: "Import the European Central Bank's reference rates (ECB CSV) as exchange rates",
		Long: `rates reads an ECB euro reference-rate file — eurofxref.csv (one day) or eurofxref-hist.csv
(every day since 1999), unzipped from https://www.ecb.europa.eu/stats/eurofxref/ — and stores
each rate as company currency per unit of the foreign currency: inverted for a EUR company,
crossed through the euro for a company whose currency is one of the file's columns. Days on
which the company currency has no rate ("N/A") are skipped, and so are the columns of
currencies that no longer exist (CYP, SIT, ...). A file with any bad line imports nothing and
every problem is listed by line. Importing the same file again changes nothing. "-" reads
standard input.`,
		Example: `  backoffice import rates --db ./backoffice-data/backoffice.db --company ACME eurofxref-hist.csv
  curl -s https://www.ecb.europa.eu/stats/eurofxref/eurofxref.zip | funzip | backoffice import rates --company ACME -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("import"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			var in io.Reader = cmd.InOrStdin()
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				defer f.Close()
				in = f
			}
			rep, err := a.ledger.ImportECBRates(ctx, c.ID, in, dryRun)
			for _, e := range rep.Errors {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: %s\n", args[0], e)
			}
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			w := cmd.OutOrStdout()
			if rep.Rates == 0 {
				fmt.Fprintf(w, "%s: no rate in %s\n", args[0], c.Currency)
				return nil
			}
			done := fmt.Sprintf("%d new or changed", rep.Changed)
			if dryRun {
				done = "nothing stored (dry run)"
			}
			fmt.Fprintf(w, "%s: %d day(s) from %s to %s, %d rate(s) in %s for %s: %s\n", args[0], rep.Days, rep.From, rep.To, rep.Rates,
				c.Currency, joinCurrencies(rep.Currencies), done)
			if rep.SkippedDays > 0 {
				fmt.Fprintf(w, "%d day(s) without a %s rate skipped\n", rep.SkippedDays, c.Currency)
			}
			if len(rep.Skipped) > 0 {
				fmt.Fprintf(w, "columns of retired currencies skipped: %s\n", strings.Join(rep.Skipped, ", "))
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and report, store nothing")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

func joinCurrencies(cs []backoffice.Currency) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, " ")
}

func newLedgerRevalueCmd() *cobra.Command {
	var dsn, company, date, journal string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "revalue",
		Short: "Revalue foreign-currency balances at a period end (unrealised exchange gains and losses)",
		Long: `revalue restates, at the end of --date, the foreign-currency balances of the company's bank,
cash, receivable and payable accounts (and other monetary accounts kept in one foreign
currency) at the exchange rate of that day: the latest rate on or before it. The difference
to the amounts booked in company currency is posted as unrealised exchange gains and losses
(the chart's exchange difference accounts) in one entry, reversed on the next day. Each date
is revalued once: running it again posts nothing and shows what was posted. --dry-run shows
the computation without posting.`,
		Example: `  backoffice ledger revalue --db ./backoffice-data/backoffice.db --company ACME --date 2026-03-31 --dry-run
  backoffice ledger revalue --db postgres://app@db/backoffice --company ACME --date 2026-03-31`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("ledger.revalue"))
			d, err := backoffice.ParseDate(date)
			if err != nil {
				return fmt.Errorf("--date: %w", err)
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			opts := ledger.RevalueOptions{Date: d, DryRun: dryRun}
			if journal != "" {
				j, err := a.ledger.JournalByCode(ctx, c.ID, journal)
				if err != nil {
					return fmt.Errorf("--journal: %w", err)
				}
				opts.JournalID = j.ID
			}
			rv, err := a.ledger.Revalue(ctx, c.ID, opts)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			return writeRevaluation(cmd.OutOrStdout(), rv)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&date, "date", "", "the period end to revalue at, YYYY-MM-DD (required)")
	cmd.Flags().StringVar(&journal, "journal", "", "journal code for the entry (GEN by default)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "show the revaluation, post nothing")
	_ = cmd.MarkFlagRequired("company")
	_ = cmd.MarkFlagRequired("date")
	return cmd
}

// writeRevaluation prints the revalued balances and what was posted.
func writeRevaluation(w io.Writer, rv ledger.Revaluation) error {
	base := rv.Currency
	if rv.AlreadyPosted { // read back from the posted entry: its line memos keep the computation
		for _, l := range rv.Lines {
			fmt.Fprintf(w, "%s %s: %s, difference %s %s\n", l.AccountCode, l.Currency, l.Note, amount(l.Difference, base), base)
		}
	} else {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "account\tcurrency\tbalance\trate\tbooked\trevalued\tdifference\t")
		for _, l := range rv.Lines {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.AccountCode, l.Currency, amount(l.Balance, l.Currency), l.Rate,
				amount(l.Booked, base), amount(l.Revalued, base), amount(l.Difference, base))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "unrealised gains %s, losses %s %s\n", amount(rv.Gain, base), amount(rv.Loss, base), base)
	switch {
	case rv.AlreadyPosted:
		fmt.Fprintf(w, "already posted as %s, reversed by %s: nothing new posted\n", rv.EntryNumber, rv.ReversalNumber)
	case rv.Posted:
		fmt.Fprintf(w, "posted %s on %s, reversed by %s on %s\n", rv.EntryNumber, rv.Date, rv.ReversalNumber, rv.Date.AddDays(1))
	case rv.NothingToRevalue:
		fmt.Fprintln(w, "nothing to revalue: every foreign balance is booked at the rate of the day")
	default:
		fmt.Fprintln(w, "dry run: nothing posted")
	}
	return nil
}
