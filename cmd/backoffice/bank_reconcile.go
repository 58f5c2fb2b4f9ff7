package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/reconcile"
)

// newBankCmd groups the bank statement commands.
func newBankCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bank", Short: "Work with imported bank statements"}
	cmd.AddCommand(newBankReconcileCmd())
	return cmd
}

func newBankReconcileCmd() *cobra.Command {
	var dsn, company string
	var statementID int64
	var auto, dryRun bool
	cmd := &cobra.Command{
		Use:   "reconcile",
		Short: "Show the candidates of a statement's open lines, or reconcile the certain ones",
		Long: `reconcile runs the matching engine over the statement's unreconciled lines against the
company's open receivables and payables (RF and structured references, invoice numbers,
the payer's IBAN and name, the amount less a bank fee, several invoices of one party) and
prints one row per line: its best candidate, the confidence (0-100) and whether it is
certain enough to confirm without a person.

With --auto the certain lines are reconciled: for each, one transaction posts the bank
entry in the bank journal, settles the open items and records the reconciliation.
--dry-run prints what --auto would confirm and changes nothing.`,
		Example: `  backoffice bank reconcile --db data.db --company ACME --statement 12
  backoffice bank reconcile --db data.db --company ACME --statement 12 --auto`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			sug, err := a.bank.Suggest(ctx, c.ID, bank.SuggestFilter{StatementID: backoffice.ID(statementID)})
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			printSuggestions(w, sug)
			if !auto || dryRun {
				n := 0
				for _, s := range sug {
					if s.Auto() != nil {
						n++
					}
				}
				fmt.Fprintf(w, "%d line(s) open, %d certain enough to reconcile automatically (--auto)\n", len(sug), n)
				return nil
			}
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			res, err := a.bank.AutoReconcile(ctx, c.ID, backoffice.ID(statementID), reconcile.Options{})
			if err != nil {
				return err
			}
			for _, f := range res.Failed {
				fmt.Fprintln(w, "refused:", f)
			}
			fmt.Fprintf(w, "%d line(s) reconciled, %d left for a person\n", res.Confirmed, res.Left)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().Int64Var(&statementID, "statement", 0, "id of the imported statement (required)")
	cmd.Flags().BoolVar(&auto, "auto", false, "reconcile the lines whose best candidate is certain")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "with --auto: only show what would be reconciled")
	_ = cmd.MarkFlagRequired("company")
	_ = cmd.MarkFlagRequired("statement")
	return cmd
}

// printSuggestions writes one row per line: date, amount, counterparty,
// best candidate's documents, confidence and whether it is automatic.
func printSuggestions(w io.Writer, sug []bank.Suggestion) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LINE\tDATE\tAMOUNT\tCOUNTERPARTY\tBEST CANDIDATE\tCONFIDENCE\tAUTO")
	for _, s := range sug {
		l := s.Line
		best, conf, auto := "-", "", ""
		if len(s.Candidates) > 0 {
			c := s.Candidates[0]
			var docs []string
			for _, it := range c.Items {
				docs = append(docs, it.DocumentNumber)
			}
			best, conf = strings.Join(docs, "+")+" "+c.Items[0].PartyName, fmt.Sprint(c.Confidence)
			if c.Auto {
				auto = "yes"
			}
		} else if len(s.Posted) > 0 {
			best = "posted " + s.Posted[0].Number
		}
		fmt.Fprintf(tw, "%d\t%s\t%s %s\t%s\t%s\t%s\t%s\n", l.ID, l.BookingDate, backoffice.FormatMinor(l.Amount, l.Currency.Exponent()),
			l.Currency, truncate(l.CounterpartyName, 28), truncate(best, 40), conf, auto)
	}
	tw.Flush()
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
