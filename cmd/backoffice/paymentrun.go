package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newPaymentRunCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "payment-run", Short: "Supplier payment runs: select due bills, approve, confirm as paid"}
	cmd.AddCommand(newPaymentRunCreateCmd(), newPaymentRunActionCmd("approve", "Approve a draft payment run", "approve",
		func(ctx context.Context, s *invoice.Service, company, id backoffice.ID) (invoice.Run, error) {
			return s.ApproveRun(ctx, company, id)
		}),
		newPaymentRunActionCmd("confirm", "Confirm that the bank paid an approved run: post one payment per supplier", "confirm",
			func(ctx context.Context, s *invoice.Service, company, id backoffice.ID) (invoice.Run, error) {
				return s.ConfirmRun(ctx, company, id)
			}),
		newPaymentRunActionCmd("show", "Show a payment run with its bills and transfers", "show",
			func(ctx context.Context, s *invoice.Service, company, id backoffice.ID) (invoice.Run, error) {
				return s.GetRun(ctx, company, id)
			}))
	return cmd
}

func newPaymentRunCreateCmd() *cobra.Command {
	var dsn, company, payDate, dueBy, account string
	var in invoice.RunInput
	create := &cobra.Command{
		Use:   "create",
		Short: "Select the bills due into a draft payment run",
		Long: `create selects posted bills with something open that are due on or before --due-by and, with
--discounts, those whose early-payment discount is still open on --pay-date (paid less the
discount, which is posted to purchase discounts 5020). Bills in another open run are left out.
Each supplier gets one transfer with its own end-to-end id (BO-<company>-<run>-<n>), which the
payment file and the bank reconciliation use. Review the run, then approve and confirm it.`,
		Example: `  backoffice payment-run create --db data.db --company ACME --pay-date 2026-03-10 --due-by 2026-03-20 --discounts
  backoffice payment-run create --db data.db --company ACME --due-by 2026-03-31 --supplier 40 --account 1120`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			in.PayDate = backoffice.DateOf(time.Now())
			if payDate != "" {
				if in.PayDate, err = backoffice.ParseDate(payDate); err != nil {
					return fmt.Errorf("--pay-date: %w", err)
				}
			}
			in.DueBy = in.PayDate
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
			r, err := a.inv.CreateRun(ctx, c.ID, in)
			if err != nil {
				return err
			}
			printRun(cmd.OutOrStdout(), r)
			return nil
		},
	}
	dbFlag(create, &dsn)
	fl := create.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&payDate, "pay-date", "", "the day the bank pays, YYYY-MM-DD (default today)")
	fl.StringVar(&dueBy, "due-by", "", "pay bills due on or before this day (default the pay date)")
	fl.BoolVar(&in.TakeDiscounts, "discounts", false, "also pay bills whose early-payment discount is open on the pay date, less the discount")
	fl.Int64Var((*int64)(&in.SupplierID), "supplier", 0, "only this supplier's bills")
	fl.StringVar(&account, "account", "1110", "code of the bank account that pays")
	fl.StringVar((*string)(&in.Currency), "currency", "", "currency of the bills to pay (default the company's)")
	fl.StringVar(&in.Rate, "rate", "", "company currency per unit of a foreign currency")
	_ = create.MarkFlagRequired("company")
	return create
}

// newPaymentRunActionCmd is a subcommand that acts on one run by id.
func newPaymentRunActionCmd(use, short, verb string, act func(context.Context, *invoice.Service, backoffice.ID, backoffice.ID) (invoice.Run, error)) *cobra.Command {
	var dsn, company string
	cmd := &cobra.Command{
		Use:     use + " RUN-ID",
		Short:   short,
		Example: fmt.Sprintf("  backoffice payment-run %s --db data.db --company ACME 3", verb),
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
			printRun(cmd.OutOrStdout(), r)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// printRun writes a run: its header, then one block per transfer.
func printRun(w io.Writer, r invoice.Run) {
	amt := func(n int64) string { return backoffice.FormatMinor(n, r.Currency.Exponent()) }
	fmt.Fprintf(w, "%s (id %d)\t%s\tpay %s\tdue by %s\ttotal %s %s\tdiscounts %s\n", r.Number, r.ID, r.State, r.PayDate, r.DueBy,
		amt(r.Total), r.Currency, amt(r.Discounts))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, t := range r.Transfers() {
		paid := ""
		if t.PaymentID != 0 {
			paid = fmt.Sprintf("payment %d", t.PaymentID)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.EndToEndID, t.PartyName, amt(t.Amount), paid)
		for _, l := range t.Lines {
			fmt.Fprintf(tw, "  %d\t%s %s\tdue %s\t%s\tdiscount %s\n", l.Seq, l.DocumentNumber, l.Reference, l.DueDate, amt(l.Amount), amt(l.Discount))
		}
	}
	tw.Flush()
}
