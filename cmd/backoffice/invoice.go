package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newInvoiceCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "invoice", Short: "Customer invoices and credit notes, supplier bills and refunds"}
	cmd.AddCommand(newInvoiceCreateCmd(), newInvoiceListCmd(), newInvoiceShowCmd(), newInvoicePostCmd(), newInvoiceCancelCmd())
	return cmd
}

// invoiceCreateFlags are the flags of invoice create.
type invoiceCreateFlags struct {
	dsn, company, kind, issue, due, jsonFile, reason string
	lines                                            []string
	post                                             bool
	in                                               invoice.Input
}

func newInvoiceCreateCmd() *cobra.Command {
	var f invoiceCreateFlags
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a draft invoice, credit note, bill or refund (and post it with --post)",
		Long: `create stores a draft. Give the lines with --line, once per line, as
  DESCRIPTION|QUANTITY|UNIT PRICE|TAX CODE[|ACCOUNT CODE]
with the price as a decimal in the document currency, or as
  product:CODE|QUANTITY
to take the product's name, price, tax code and account. Or give the whole document as JSON
(the API's format, amounts in minor units) with --json FILE ("-" reads standard input).

The due date comes from the party's payment terms unless given; the currency from the party.
Totals and the tax breakdown follow EN 16931. A bill that looks like one already recorded
(same supplier and reference, or same supplier, total and date) is refused unless
--duplicate-reason says why it is not a duplicate.`,
		Example: `  backoffice invoice create --db data.db --company ACME --party 12 --date 2026-03-01 \
    --line "Consulting|2.5|120.00|VAT19" --line "product:BOOK-1|3" --post
  backoffice invoice create --db data.db --company ACME --kind bill --party 40 --date 2026-03-02 \
    --supplier-ref PM-1001 --line "Paper|10|4.99|VAT19|6120"
  backoffice invoice create --db data.db --company ACME --json invoice.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			in, err := f.input(ctx, cmd.InOrStdin(), a, c.ID, c.Currency)
			if err != nil {
				return err
			}
			d, err := a.inv.Create(ctx, c.ID, in)
			if err != nil {
				return err
			}
			if f.post {
				if d, err = a.inv.Post(ctx, c.ID, d.ID, invoice.PostOptions{}); err != nil {
					return fmt.Errorf("draft %d was created but not posted: %w", d.ID, err)
				}
			}
			printDocument(cmd.OutOrStdout(), d)
			return nil
		},
	}
	fl := create.Flags()
	dbFlag(create, &f.dsn)
	fl.StringVar(&f.company, "company", "", "company code (required)")
	fl.StringVar(&f.kind, "kind", "invoice", "invoice, credit_note, bill or refund")
	fl.Int64Var((*int64)(&f.in.PartyID), "party", 0, "id of the customer or supplier (see party list)")
	fl.StringVar(&f.issue, "date", "", "issue date YYYY-MM-DD (default today)")
	fl.StringVar(&f.due, "due", "", "due date YYYY-MM-DD (default from the party's payment terms)")
	fl.StringVar((*string)(&f.in.Currency), "currency", "", "ISO 4217 currency (default the party's)")
	fl.StringVar(&f.in.Rate, "rate", "", "company currency per unit of a foreign currency, e.g. 0.9123")
	fl.StringArrayVar(&f.lines, "line", nil, `a line: "DESCRIPTION|QTY|PRICE|TAX CODE[|ACCOUNT]" or "product:CODE|QTY" (repeat)`)
	fl.StringVar(&f.in.SupplierReference, "supplier-ref", "", "the supplier's own invoice number (bills)")
	fl.Int64Var((*int64)(&f.in.CreditsID), "credits", 0, "id of the invoice (bill) a credit note (refund) credits")
	fl.StringVar(&f.in.Notes, "notes", "", "notes printed on the document")
	fl.StringVar(&f.reason, "duplicate-reason", "", "why a bill that looks like another is not a duplicate")
	fl.StringVar(&f.jsonFile, "json", "", `the document as JSON in the API's format ("-" for standard input)`)
	fl.BoolVar(&f.post, "post", false, "post the document at once")
	_ = create.MarkFlagRequired("company")
	return create
}

// input is the document the flags (or the JSON file) describe.
func (f *invoiceCreateFlags) input(ctx context.Context, stdin io.Reader, a *app, company backoffice.ID, base backoffice.Currency) (invoice.Input, error) {
	if f.jsonFile != "" {
		var r io.Reader = stdin
		if f.jsonFile != "-" {
			file, err := os.Open(f.jsonFile)
			if err != nil {
				return invoice.Input{}, err
			}
			defer file.Close()
			r = file
		}
		var in invoice.Input
		dec := json.NewDecoder(r)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return invoice.Input{}, fmt.Errorf("read %s: %w", f.jsonFile, err)
		}
		return in, nil
	}
	in := f.in
	in.Kind, in.DuplicateReason = invoice.Kind(f.kind), f.reason
	var err error
	in.IssueDate = backoffice.DateOf(time.Now())
	if f.issue != "" {
		if in.IssueDate, err = backoffice.ParseDate(f.issue); err != nil {
			return in, err
		}
	}
	if f.due != "" {
		if in.DueDate, err = backoffice.ParseDate(f.due); err != nil {
			return in, err
		}
	}
	cur := in.Currency
	if cur == "" && in.PartyID != 0 {
		if p, err := a.party.Get(ctx, company, in.PartyID); err == nil {
			cur = p.Currency
		}
	}
	if cur == "" {
		cur = base
	}
	for i, s := range f.lines {
		l, err := parseLineFlag(s, cur)
		if err != nil {
			return in, fmt.Errorf("--line %d %q: %w", i+1, s, err)
		}
		if l.AccountID == 0 && l.accountCode != "" {
			acc, err := a.ledger.AccountByCode(ctx, company, l.accountCode)
			if err != nil {
				return in, fmt.Errorf("--line %d: %w", i+1, err)
			}
			l.AccountID = acc.ID
		}
		in.Lines = append(in.Lines, l.LineInput)
	}
	return in, nil
}

// lineFlag is a parsed --line with the account still as a code.
type lineFlag struct {
	invoice.LineInput
	accountCode string
}

// parseLineFlag reads "DESCRIPTION|QTY|PRICE|TAX[|ACCOUNT]" or "product:CODE|QTY".
func parseLineFlag(s string, cur backoffice.Currency) (lineFlag, error) {
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	var l lineFlag
	var err error
	if code, ok := strings.CutPrefix(parts[0], "product:"); ok {
		l.ProductCode = code
		if len(parts) > 1 && parts[1] != "" {
			l.Quantity, err = invoice.ParseQuantity(parts[1])
		}
		return l, err
	}
	if len(parts) < 4 || len(parts) > 5 {
		return l, fmt.Errorf(`want "DESCRIPTION|QTY|PRICE|TAX CODE[|ACCOUNT]" or "product:CODE|QTY"`)
	}
	l.Description = parts[0]
	if l.Quantity, err = invoice.ParseQuantity(parts[1]); err != nil {
		return l, fmt.Errorf("quantity: %w", err)
	}
	price, err := backoffice.ParseMinor(parts[2], cur.Exponent())
	if err != nil {
		return l, fmt.Errorf("price: %w", err)
	}
	l.UnitPrice, l.TaxCodes = &price, []string{parts[3]}
	if len(parts) == 5 {
		l.accountCode = parts[4]
	}
	return l, nil
}

// printDocument writes a document's header, lines, tax breakdown and totals.
func printDocument(w io.Writer, d invoice.Document) {
	exp := d.Currency.Exponent()
	amt := func(n int64) string { return backoffice.FormatMinor(n, exp) }
	label := d.Number
	if label == "" {
		label = "draft " + d.ID.String()
	}
	fmt.Fprintf(w, "%s %s (id %d, %s)\n%s  issued %s  due %s  %s", d.Kind, label, d.ID, d.State, d.PartyName, d.IssueDate, d.DueDate, d.Currency)
	if d.Rate != "" {
		fmt.Fprintf(w, " at %s", d.Rate)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "#\tdescription\tquantity\tunit\tprice\tdiscount %\ttax\tnet\t")
	for _, l := range d.Lines {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", l.LineNo, l.Description, l.Quantity, l.Unit, amt(l.UnitPrice), l.DiscountPercent,
			strings.Join(l.TaxCodes, ","), amt(l.NetAmount))
	}
	tw.Flush()
	for _, a := range d.Allowances {
		what := "allowance"
		if a.Charge {
			what = "charge"
		}
		fmt.Fprintf(w, "%s %s (%s, %s)\n", what, amt(a.Amount), a.Reason, a.TaxCode)
	}
	for _, t := range d.Taxes {
		fmt.Fprintf(w, "tax %s %s %s %%: %s on %s\n", t.TaxCode, t.Category, t.Rate, amt(t.TaxAmount), amt(t.TaxableAmount))
	}
	t := d.Totals
	fmt.Fprintf(w, "net %s  tax %s  total %s", amt(t.TaxExclusive), amt(t.TaxTotal), amt(t.TaxInclusive))
	if t.Withheld != 0 {
		fmt.Fprintf(w, "  withheld %s", amt(t.Withheld))
	}
	fmt.Fprintf(w, "  payable %s %s\n", amt(t.Payable), d.Currency)
	if d.EntryID != 0 {
		fmt.Fprintf(w, "ledger entry %d\n", d.EntryID)
	}
}
