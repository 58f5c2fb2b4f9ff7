package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/bank/pain"
	"backoffice/invoice"
)

func newDebitRunCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "debit-run", Short: "SEPA direct debit runs: collect due customer invoices under their mandates"}
	cmd.AddCommand(newDebitRunCreateCmd(),
		newDebitRunActionCmd("approve", "Approve a draft direct debit run so its pain.008 file can be exported",
			func(ctx context.Context, s *invoice.Service, company, id backoffice.ID) (invoice.DebitRun, error) {
				return s.ApproveDebitRun(ctx, company, id)
			}),
		newDebitRunActionCmd("confirm", "Confirm that the bank collected a run: post one received payment per invoice, FRST mandates become RCUR",
			func(ctx context.Context, s *invoice.Service, company, id backoffice.ID) (invoice.DebitRun, error) {
				return s.ConfirmDebitRun(ctx, company, id)
			}),
		newDebitRunActionCmd("show", "Show a direct debit run with its collections",
			func(ctx context.Context, s *invoice.Service, company, id backoffice.ID) (invoice.DebitRun, error) {
				return s.GetDebitRun(ctx, company, id)
			}))
	return cmd
}

func newDebitRunCreateCmd() *cobra.Command {
	var dsn, company, collect, dueBy, account string
	var in invoice.DebitRunInput
	create := &cobra.Command{
		Use:   "create",
		Short: "Select the customer invoices due into a draft direct debit run",
		Long: `create selects posted customer invoices in EUR with something open that are due on or before
--due-by, from customers with an active SEPA mandate (party mandates). Invoices in another open
run are left out. Each invoice is one collection with its own end-to-end id
(BO-<company>-D<run>-<n>) and the sequence type of its mandate: FRST for the first collection,
RCUR afterwards, OOFF for a one-off mandate, FNAL for the last. Review the run, approve it, export
it (backoffice export payments --debit-run ID) and confirm it once the bank collected.`,
		Example: `  backoffice debit-run create --db data.db --company ACME --collection-date 2026-03-10 --due-by 2026-03-10
  backoffice debit-run create --db data.db --company ACME --collection-date 2026-04-02 --due-by 2026-03-31 --customer 12`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			if in.CollectionDate, err = backoffice.ParseDate(collect); err != nil {
				return fmt.Errorf("--collection-date: %w", err)
			}
			in.DueBy = in.CollectionDate
			if dueBy != "" {
				if in.DueBy, err = backoffice.ParseDate(dueBy); err != nil {
					return fmt.Errorf("--due-by: %w", err)
				}
			}
			acc, err := a.ledger.AccountByCode(ctx, c.ID, account)
			if err != nil {
				return fmt.Errorf("--account: %w", err)
			}
			in.AccountID = acc.ID
			r, err := a.inv.CreateDebitRun(ctx, c.ID, in)
			if err != nil {
				return err
			}
			printDebitRun(cmd.OutOrStdout(), r)
			return nil
		},
	}
	dbFlag(create, &dsn)
	fl := create.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&collect, "collection-date", "", "the day the bank collects, YYYY-MM-DD (required)")
	fl.StringVar(&dueBy, "due-by", "", "collect invoices due on or before this day (default the collection date)")
	fl.Int64Var((*int64)(&in.PartyID), "customer", 0, "only this customer's invoices (party id)")
	fl.StringVar(&account, "account", "1110", "code of the bank ledger account the money arrives in")
	_ = create.MarkFlagRequired("company")
	_ = create.MarkFlagRequired("collection-date")
	return create
}

// newDebitRunActionCmd is a subcommand that acts on one run by id.
func newDebitRunActionCmd(use, short string, act func(context.Context, *invoice.Service, backoffice.ID, backoffice.ID) (invoice.DebitRun, error)) *cobra.Command {
	var dsn, company string
	cmd := &cobra.Command{
		Use:     use + " RUN-ID",
		Short:   short,
		Example: fmt.Sprintf("  backoffice debit-run %s --db data.db --company ACME 3", use),
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseRunID(args[0])
			if err != nil {
				return err
			}
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			r, err := act(ctx, a.inv, c.ID, id)
			if err != nil {
				return err
			}
			printDebitRun(cmd.OutOrStdout(), r)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// printDebitRun writes a run: its header, then one line per collection.
func printDebitRun(w io.Writer, r invoice.DebitRun) {
	amt := func(n int64) string { return backoffice.FormatMinor(n, r.Currency.Exponent()) }
	fmt.Fprintf(w, "%s (id %d)\t%s\tcollect %s\tdue by %s\ttotal %s %s\t%d collections\n", r.Number, r.ID, r.State, r.CollectionDate, r.DueBy,
		amt(r.Total), r.Currency, r.Count)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, l := range r.Lines {
		paid := ""
		if l.PaymentID != 0 {
			paid = fmt.Sprintf("payment %d", l.PaymentID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%s\t%s\t%s\n", l.EndToEndID, l.PartyName, l.DocumentNumber, l.MandateReference, l.SequenceType, l.IBAN, amt(l.Amount), paid)
	}
	tw.Flush()
}

// exportDebitRun writes a direct debit run as a pain.008 file of version v
// (export payments --debit-run).
func exportDebitRun(cmd *cobra.Command, dsn, company, out string, id int64, v pain.Version) error {
	if v == pain.CreditTransfer03 { // the flag's default, meant for payment runs
		v = pain.DirectDebit02
	}
	if v != pain.DirectDebit02 && v != pain.DirectDebit08 {
		return fmt.Errorf("--format %q: a direct debit run is written as %s or %s", v, pain.DirectDebit02, pain.DirectDebit08)
	}
	ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
	a, c, err := openCompany(ctx, dsn, company)
	if err != nil {
		return err
	}
	defer a.Close()
	// ExportDebitRun writes to memory first: an invalid run leaves no empty file behind.
	file, _, err := a.inv.ExportDebitRun(ctx, c.ID, backoffice.ID(id), v)
	if err != nil {
		return err
	}
	w, closeOut, err := output(cmd, out)
	if err != nil {
		return err
	}
	if _, err := w.Write(file); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}
