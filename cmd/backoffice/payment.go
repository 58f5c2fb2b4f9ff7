package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newPaymentCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "payment", Short: "Payments received from customers and paid to suppliers, allocated to documents"}
	cmd.AddCommand(newPaymentCreateCmd(), newPaymentListCmd(), newPaymentApplyCmd(), newPaymentReverseCmd(), newPaymentSettingsCmd())
	return cmd
}

// paymentCreateFlags are the flags of payment create.
type paymentCreateFlags struct {
	dsn, company, direction, date, account, amount string
	allocs                                         []string
	auto                                           bool
	writeOffAccount, writeOffReason                string
	in                                             invoice.PaymentInput
}

func newPaymentCreateCmd() *cobra.Command {
	var f paymentCreateFlags
	create := &cobra.Command{
		Use:   "create",
		Short: "Register and post a payment, allocated to posted documents of the party",
		Long: `create posts a payment in one transaction: the bank (or cash) line, one receivable or payable
line per allocation, settled against the document at once, and what is left as the party's
credit. Give allocations with --alloc, once per document, as
  NUMBER=AMOUNT[:DISCOUNT]
(AMOUNT is what the payment settles of the document, a decimal in the payment currency,
including the early-payment DISCOUNT taken), or let --auto spread the amount over the party's
open documents, oldest due first. --write-off-account writes a small difference off instead
of keeping it as credit; it must lie within the company's tolerance (default 1.00).
An allocation beyond what is open, a document of another party or a closed period is an
error, and nothing is stored.`,
		Example: `  backoffice payment create --db data.db --company ACME --party 12 --date 2026-03-10 --account 1110 \
    --amount 150.00 --reference "SEPA 4711" --alloc INV-2026-00001=119.00
  backoffice payment create --db data.db --company ACME --direction paid --party 40 --date 2026-03-10 \
    --account 1110 --amount 116.62 --alloc BILL-2026-00003=119.00:2.38
  backoffice payment create --db data.db --company ACME --party 12 --amount 99.50 --auto \
    --write-off-account 6210 --write-off-reason "bank charges"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			in, err := f.input(ctx, a, c.ID, c.Currency)
			if err != nil {
				return err
			}
			p, err := a.inv.CreatePayment(ctx, c.ID, in)
			if err != nil {
				return err
			}
			printPayment(cmd.OutOrStdout(), p)
			return nil
		},
	}
	fl := create.Flags()
	dbFlag(create, &f.dsn)
	fl.StringVar(&f.company, "company", "", "company code (required)")
	fl.StringVar(&f.direction, "direction", "received", "received (from a customer) or paid (to a supplier)")
	fl.Int64Var((*int64)(&f.in.PartyID), "party", 0, "id of the customer or supplier (see party list)")
	fl.StringVar(&f.date, "date", "", "payment date YYYY-MM-DD (default today)")
	fl.StringVar(&f.account, "account", "1110", "code of the bank or cash account")
	fl.StringVar(&f.amount, "amount", "", "amount that moved, a decimal in the payment currency (required)")
	fl.StringVar((*string)(&f.in.Currency), "currency", "", "ISO 4217 currency (default the company's)")
	fl.StringVar(&f.in.Rate, "rate", "", "company currency per unit of a foreign currency")
	fl.StringVar(&f.in.Reference, "reference", "", "the bank's reference or remittance text")
	fl.StringArrayVar(&f.allocs, "alloc", nil, "an allocation NUMBER=AMOUNT[:DISCOUNT] (repeat)")
	fl.BoolVar(&f.auto, "auto", false, "allocate to the party's open documents, oldest due first")
	fl.StringVar(&f.writeOffAccount, "write-off-account", "", "code of the account a small difference is written off to")
	fl.StringVar(&f.writeOffReason, "write-off-reason", "", "why the difference is written off")
	_ = create.MarkFlagRequired("company")
	_ = create.MarkFlagRequired("party")
	_ = create.MarkFlagRequired("amount")
	return create
}

// input is the payment the flags describe.
func (f *paymentCreateFlags) input(ctx context.Context, a *app, company backoffice.ID, base backoffice.Currency) (invoice.PaymentInput, error) {
	in := f.in
	in.Direction = invoice.Direction(f.direction)
	cur := cmpOrCurrency(in.Currency, base)
	var err error
	if in.Amount, err = backoffice.ParseMinor(f.amount, cur.Exponent()); err != nil {
		return in, fmt.Errorf("--amount: %w", err)
	}
	in.Date = backoffice.DateOf(time.Now())
	if f.date != "" {
		if in.Date, err = backoffice.ParseDate(f.date); err != nil {
			return in, fmt.Errorf("--date: %w", err)
		}
	}
	acc, err := a.ledger.AccountByCode(ctx, company, f.account)
	if err != nil {
		return in, fmt.Errorf("--account: %w", err)
	}
	in.AccountID = acc.ID
	if f.writeOffAccount != "" {
		w, err := a.ledger.AccountByCode(ctx, company, f.writeOffAccount)
		if err != nil {
			return in, fmt.Errorf("--write-off-account: %w", err)
		}
		in.WriteOff = &invoice.WriteOffInput{AccountID: w.ID, Reason: f.writeOffReason}
	}
	if f.auto {
		p, err := a.party.Get(ctx, company, in.PartyID)
		if err != nil {
			return in, err
		}
		sales := p.Kind == "customer" || (p.Kind == "both" && in.Direction == invoice.Received)
		open, err := a.inv.OpenDocuments(ctx, company, in.PartyID, sales)
		if err != nil {
			return in, err
		}
		in.Allocations = invoice.SuggestAllocations(open, in.Direction, in.Amount)
	}
	for _, s := range f.allocs {
		al, err := parseAllocation(ctx, a, company, s, cur)
		if err != nil {
			return in, err
		}
		in.Allocations = append(in.Allocations, al)
	}
	return in, nil
}

// parseAllocation reads NUMBER=AMOUNT[:DISCOUNT].
func parseAllocation(ctx context.Context, a *app, company backoffice.ID, s string, cur backoffice.Currency) (invoice.AllocationInput, error) {
	number, amounts, ok := strings.Cut(s, "=")
	if !ok {
		return invoice.AllocationInput{}, fmt.Errorf("--alloc %q: write NUMBER=AMOUNT[:DISCOUNT]", s)
	}
	amount, discount, _ := strings.Cut(amounts, ":")
	var al invoice.AllocationInput
	var err error
	if al.Amount, err = backoffice.ParseMinor(amount, cur.Exponent()); err != nil {
		return al, fmt.Errorf("--alloc %q: %w", s, err)
	}
	if discount != "" {
		if al.Discount, err = backoffice.ParseMinor(discount, cur.Exponent()); err != nil {
			return al, fmt.Errorf("--alloc %q: %w", s, err)
		}
	}
	d, err := documentByNumber(ctx, a, company, number)
	if err != nil {
		return al, fmt.Errorf("--alloc %q: %w", s, err)
	}
	al.DocumentID = d.ID
	return al, nil
}

func cmpOrCurrency(c, base backoffice.Currency) backoffice.Currency {
	if c == "" {
		return base
	}
	return backoffice.Currency(strings.ToUpper(string(c)))
}

// printPayment writes a payment and its allocations.
func printPayment(w io.Writer, p invoice.Payment) {
	amt := func(n int64) string { return backoffice.FormatMinor(n, p.Currency.Exponent()) }
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s %s\tentry %d\n", p.Number, p.Direction, p.Date, p.PartyName, amt(p.Amount), p.Currency, p.EntryID)
	for _, al := range p.Allocations {
		line := fmt.Sprintf("  settles %s\t%s", cmpOrText(al.DocumentNumber, al.PaymentNumber), amt(al.Amount))
		if al.Discount != 0 {
			line += "\tdiscount " + amt(al.Discount)
		}
		fmt.Fprintln(w, line)
	}
	if p.Unallocated != 0 {
		fmt.Fprintf(w, "  unallocated credit\t%s\n", amt(p.Unallocated))
	}
	if p.WriteOff != 0 {
		fmt.Fprintf(w, "  written off\t%s\t%s\n", amt(p.WriteOff), p.WriteOffReason)
	}
}

func cmpOrText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func newPaymentListCmd() *cobra.Command {
	var dsn, company, direction, query string
	var partyID int64
	var limit int
	list := &cobra.Command{
		Use:   "list",
		Short: "List payments, newest first",
		Example: `  backoffice payment list --db data.db --company ACME
  backoffice payment list --db data.db --company ACME --direction paid --search "BO-"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			ps, err := a.inv.ListPayments(ctx, c.ID, invoice.PaymentFilter{Direction: invoice.Direction(direction), PartyID: backoffice.ID(partyID),
				Query: query, Page: backoffice.Page{Limit: limit}})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NUMBER\tDATE\tDIRECTION\tPARTY\tAMOUNT\tUNALLOCATED\tSTATE\tEND-TO-END")
			for _, p := range ps.Items {
				exp := p.Currency.Exponent()
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s\t%s\t%s\n", p.Number, p.Date, p.Direction, p.PartyName, backoffice.FormatMinor(p.Amount, exp),
					p.Currency, backoffice.FormatMinor(p.Unallocated, exp), p.State, p.EndToEndID)
			}
			return tw.Flush()
		},
	}
	dbFlag(list, &dsn)
	fl := list.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&direction, "direction", "", "received or paid; both when empty")
	fl.Int64Var(&partyID, "party", 0, "only this party's payments")
	fl.StringVar(&query, "search", "", "part of the number, reference, end-to-end id or party name")
	fl.IntVar(&limit, "limit", 50, "how many to list (at most 500)")
	_ = list.MarkFlagRequired("company")
	return list
}

// parseID reads a record id argument.
func parseRunID(s string) (backoffice.ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a payment run id", s)
	}
	return backoffice.ID(n), nil
}

// documentByNumber finds a posted document by its number.
func documentByNumber(ctx context.Context, a *app, company backoffice.ID, number string) (invoice.Document, error) {
	number = strings.TrimSpace(number)
	list, err := a.inv.List(ctx, company, invoice.Filter{Query: number, Page: backoffice.Page{Limit: 10}})
	if err != nil {
		return invoice.Document{}, err
	}
	for _, d := range list.Items {
		if strings.EqualFold(d.Number, number) {
			return d, nil
		}
	}
	return invoice.Document{}, backoffice.Errorf(backoffice.ENotFound, "no posted document is numbered %s", number)
}

// paymentByNumber finds a payment by its number.
func paymentByNumber(ctx context.Context, a *app, company backoffice.ID, number string) (invoice.Payment, error) {
	number = strings.TrimSpace(number)
	list, err := a.inv.ListPayments(ctx, company, invoice.PaymentFilter{Query: number, Page: backoffice.Page{Limit: 10}})
	if err != nil {
		return invoice.Payment{}, err
	}
	for _, p := range list.Items {
		if strings.EqualFold(p.Number, number) {
			return p, nil
		}
	}
	return invoice.Payment{}, backoffice.Errorf(backoffice.ENotFound, "no payment is numbered %s", number)
}

func newPaymentApplyCmd() *cobra.Command {
	var dsn, company, doc, creditNote, payment string
	apply := &cobra.Command{
		Use:   "apply",
		Short: "Apply a credit note or a payment's unallocated credit to a posted document of the same party",
		Long: `apply settles a posted invoice (or bill) with a credit the party already has: a credit note (or
refund) that is still open, or what a payment left unallocated. It settles as much as both have
open, oldest due date first, and records it in the document's history.`,
		Example: `  backoffice payment apply --db data.db --company ACME --document INV-2026-00007 --payment RCV-2026-00003
  backoffice payment apply --db data.db --company ACME --document INV-2026-00007 --credit-note CN-2026-00001`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			d, err := documentByNumber(ctx, a, c.ID, doc)
			if err != nil {
				return fmt.Errorf("--document: %w", err)
			}
			var in invoice.ApplyCreditInput
			if creditNote != "" {
				cn, err := documentByNumber(ctx, a, c.ID, creditNote)
				if err != nil {
					return fmt.Errorf("--credit-note: %w", err)
				}
				in.CreditNoteID = cn.ID
			}
			if payment != "" {
				p, err := paymentByNumber(ctx, a, c.ID, payment)
				if err != nil {
					return fmt.Errorf("--payment: %w", err)
				}
				in.PaymentID = p.ID
			}
			app, err := a.inv.ApplyCredit(ctx, c.ID, d.ID, in)
			if err != nil {
				return err
			}
			exp := d.Currency.Exponent()
			fmt.Fprintf(cmd.OutOrStdout(), "applied %s %s of %s to %s: %s open, %s\n", backoffice.FormatMinor(app.Amount, exp), d.Currency, app.Credit,
				d.Number, backoffice.FormatMinor(app.Balance.Open, exp), app.Balance.Status)
			return nil
		},
	}
	dbFlag(apply, &dsn)
	fl := apply.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&doc, "document", "", "number of the document to settle (required)")
	fl.StringVar(&creditNote, "credit-note", "", "number of the credit note (or refund) to apply")
	fl.StringVar(&payment, "payment", "", "number of the payment whose credit to apply")
	_ = apply.MarkFlagRequired("company")
	_ = apply.MarkFlagRequired("document")
	return apply
}

func newPaymentReverseCmd() *cobra.Command {
	var dsn, company, date, reason string
	reverse := &cobra.Command{
		Use:     "reverse NUMBER",
		Short:   "Reverse a payment: what it settled opens again and a reversal entry is posted",
		Example: `  backoffice payment reverse --db data.db --company ACME --reason "cheque bounced" RCV-2026-00003`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			p, err := paymentByNumber(ctx, a, c.ID, args[0])
			if err != nil {
				return err
			}
			in := invoice.ReversePaymentInput{Reason: reason}
			if date != "" {
				if in.Date, err = backoffice.ParseDate(date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
			}
			if p, err = a.inv.ReversePayment(ctx, c.ID, p.ID, in); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s reversed by entry %d\n", p.Number, p.ReversalEntryID)
			return nil
		},
	}
	dbFlag(reverse, &dsn)
	fl := reverse.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&date, "date", "", "date of the reversal entry (default the payment's date)")
	fl.StringVar(&reason, "reason", "", "why the payment is reversed (required)")
	_ = reverse.MarkFlagRequired("company")
	_ = reverse.MarkFlagRequired("reason")
	return reverse
}

func newPaymentSettingsCmd() *cobra.Command {
	var dsn, company, tolerance string
	settings := &cobra.Command{
		Use:   "settings",
		Short: "Show or set the company's payment settings (the write-off tolerance)",
		Example: `  backoffice payment settings --db data.db --company ACME
  backoffice payment settings --db data.db --company ACME --write-off-tolerance 2.50`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			st, err := a.inv.PaymentSettings(ctx, c.ID)
			if err != nil {
				return err
			}
			if tolerance != "" {
				minor, err := backoffice.ParseMinor(tolerance, c.Currency.Exponent())
				if err != nil {
					return fmt.Errorf("--write-off-tolerance: %w", err)
				}
				if st, err = a.inv.SetWriteOffTolerance(ctx, c.ID, minor); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "write-off tolerance %s %s\n", backoffice.FormatMinor(st.WriteOffTolerance, c.Currency.Exponent()), c.Currency)
			return nil
		},
	}
	dbFlag(settings, &dsn)
	settings.Flags().StringVar(&company, "company", "", "company code (required)")
	settings.Flags().StringVar(&tolerance, "write-off-tolerance", "", "set the largest difference a payment may write off, in company currency")
	_ = settings.MarkFlagRequired("company")
	return settings
}
