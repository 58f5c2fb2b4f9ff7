package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newInvoiceListCmd() *cobra.Command {
	var dsn, company, kind, state, from, to, query string
	var party int64
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List documents, newest first",
		Example: `  backoffice invoice list --db data.db --company ACME
  backoffice invoice list --db data.db --company ACME --kind bill --state draft --from 2026-01-01 --search paper`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			f := invoice.Filter{Kind: invoice.Kind(kind), State: invoice.State(state), PartyID: backoffice.ID(party), Query: query,
				Page: backoffice.Page{Limit: min(limit, backoffice.MaxPageLimit)}}
			var err error
			if from != "" {
				if f.From, err = backoffice.ParseDate(from); err != nil {
					return err
				}
			}
			if to != "" {
				if f.To, err = backoffice.ParseDate(to); err != nil {
					return err
				}
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNUMBER\tKIND\tSTATE\tISSUED\tDUE\tPARTY\tPAYABLE\tCURRENCY")
			for shown := 0; shown < limit; {
				page, err := a.inv.List(ctx, c.ID, f)
				if err != nil {
					return err
				}
				for _, d := range page.Items {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Number, d.Kind, d.State, d.IssueDate, d.DueDate, d.PartyName,
						backoffice.FormatMinor(d.Totals.Payable, d.Currency.Exponent()), d.Currency)
				}
				shown += len(page.Items)
				if page.Next == "" {
					break
				}
				f.Page.After = page.Next
			}
			return tw.Flush()
		},
	}
	dbFlag(list, &dsn)
	fl := list.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&kind, "kind", "", "invoice, credit_note, bill or refund (all when empty)")
	fl.StringVar(&state, "state", "", "draft, posted or cancelled (all when empty)")
	fl.Int64Var(&party, "party", 0, "only this party's documents")
	fl.StringVar(&from, "from", "", "issued on or after YYYY-MM-DD")
	fl.StringVar(&to, "to", "", "issued on or before YYYY-MM-DD")
	fl.StringVar(&query, "search", "", "part of the number, party name, supplier reference or notes")
	fl.IntVar(&limit, "limit", 100, "show at most this many")
	_ = list.MarkFlagRequired("company")
	return list
}

func newInvoiceShowCmd() *cobra.Command {
	var dsn, company string
	var asJSON bool
	show := &cobra.Command{
		Use:     "show ID",
		Short:   "Show one document with its lines, tax breakdown and totals",
		Example: `  backoffice invoice show --db data.db --company ACME 42 --json`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := backoffice.ParseID(args[0])
			if err != nil {
				return err
			}
			a, c, err := openCompany(cmd.Context(), dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			d, err := a.inv.Get(cmd.Context(), c.ID, id)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(d)
			}
			printDocument(cmd.OutOrStdout(), d)
			return nil
		},
	}
	dbFlag(show, &dsn)
	show.Flags().StringVar(&company, "company", "", "company code (required)")
	show.Flags().BoolVar(&asJSON, "json", false, "print the document as the API's JSON")
	_ = show.MarkFlagRequired("company")
	return show
}

func newInvoicePostCmd() *cobra.Command {
	var dsn, company, reason string
	post := &cobra.Command{
		Use:   "post ID...",
		Short: "Post drafts: each gets its number and ledger entry",
		Long: `post posts each draft in its own transaction: the document gets the next gapless number of its
kind and fiscal year (INV-2026-00001, CN-…, BILL-…, REF-…) and its ledger entry. A draft that
cannot be posted is reported and the others are still posted; the exit status is then 1.`,
		Example: `  backoffice invoice post --db data.db --company ACME 41 42 43
  backoffice invoice post --db data.db --company ACME 44 --duplicate-reason "second delivery"`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			failed := 0
			for _, arg := range args {
				id, err := backoffice.ParseID(arg)
				if err == nil {
					var d invoice.Document
					if d, err = a.inv.Post(ctx, c.ID, id, invoice.PostOptions{DuplicateReason: reason}); err == nil {
						fmt.Fprintf(cmd.OutOrStdout(), "%s\tposted %s (entry %d), payable %s %s\n", arg, d.Number, d.EntryID,
							backoffice.FormatMinor(d.Totals.Payable, d.Currency.Exponent()), d.Currency)
						continue
					}
				}
				failed++
				fmt.Fprintf(cmd.ErrOrStderr(), "%s\tnot posted: %v\n", arg, err)
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d documents not posted", failed, len(args))
			}
			return nil
		},
	}
	dbFlag(post, &dsn)
	post.Flags().StringVar(&company, "company", "", "company code (required)")
	post.Flags().StringVar(&reason, "duplicate-reason", "", "why a bill that looks like another is not a duplicate")
	_ = post.MarkFlagRequired("company")
	return post
}

func newInvoiceCancelCmd() *cobra.Command {
	var dsn, company, reason, date string
	cancel := &cobra.Command{
		Use:     "cancel ID",
		Short:   "Cancel a posted invoice or bill with a credit note or refund for what remains",
		Example: `  backoffice invoice cancel --db data.db --company ACME 42 --reason "ordered twice" --date 2026-03-10`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			id, err := backoffice.ParseID(args[0])
			if err != nil {
				return err
			}
			in := invoice.CancelInput{Reason: reason}
			if date != "" {
				if in.Date, err = backoffice.ParseDate(date); err != nil {
					return err
				}
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			d, err := a.inv.Cancel(ctx, c.ID, id, in)
			if err != nil {
				return err
			}
			printDocument(cmd.OutOrStdout(), d)
			return nil
		},
	}
	dbFlag(cancel, &dsn)
	cancel.Flags().StringVar(&company, "company", "", "company code (required)")
	cancel.Flags().StringVar(&reason, "reason", "", "why the document is cancelled (required)")
	cancel.Flags().StringVar(&date, "date", "", "date of the credit note YYYY-MM-DD (default today)")
	_ = cancel.MarkFlagRequired("company")
	_ = cancel.MarkFlagRequired("reason")
	return cancel
}
