package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/csvio"
	"backoffice/party"
)

func newPartyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "party", Short: "Manage a company's customers and suppliers"}
	cmd.AddCommand(newPartyCreateCmd(), newPartyListCmd(), newPartyDuplicatesCmd(), newPartyMergeCmd())
	return cmd
}

// partyFlags are the flags of party create.
type partyFlags struct {
	dsn, company, peppol       string
	contact, email, phone      string
	iban, bic, street, country string
	in                         party.Input
}

func newPartyCreateCmd() *cobra.Command {
	var f partyFlags
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a customer or supplier",
		Long: `create adds a party. The VAT id's checksum (DE, FR, NL, BE, IT, ES, AT, PL, SE, DK, FI, IE, PT,
LU), the IBAN's check digits, the BIC and the Peppol endpoint are checked; every bad field is
named at once. Parties that may be the same business (same VAT id, same IBAN, similar name)
are printed as a warning; the party is created all the same.`,
		Example: `  backoffice party create --db data.db --company ACME --kind customer --name "Müller GmbH" \
    --vat DE136695976 --street "Hauptstr. 1" --city Berlin --postal-code 10115 --country DE \
    --iban "DE89 3704 0044 0532 0130 00" --net-days 30 --language de --peppol 9930:DE136695976`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			in := f.input(c.Currency)
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			p, dups, err := a.party.Create(ctx, c.ID, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created party %d %s (%s)\n", p.ID, p.LegalName, p.Kind)
			for _, d := range dups {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: may be the same as party %d %s: %s\n", d.PartyID, d.LegalName, strings.Join(d.Reasons, ", "))
			}
			return nil
		},
	}
	fl := create.Flags()
	dbFlag(create, &f.dsn)
	fl.StringVar(&f.company, "company", "", "company code (required)")
	fl.StringVar((*string)(&f.in.Kind), "kind", "customer", "customer, supplier or both")
	fl.StringVar(&f.in.LegalName, "name", "", "legal name (required)")
	fl.StringVar(&f.in.TradeName, "trade-name", "", "trade name, when it differs")
	fl.StringVar(&f.in.VATID, "vat", "", "VAT id with country prefix")
	fl.StringVar(&f.street, "street", "", "street line of the billing address")
	fl.StringVar(&f.in.Billing.City, "city", "", "city of the billing address")
	fl.StringVar(&f.in.Billing.PostalCode, "postal-code", "", "postal code of the billing address")
	fl.StringVar(&f.country, "country", "", "ISO 3166-1 country code of the billing address")
	fl.StringVar(&f.contact, "contact", "", "contact person")
	fl.StringVar(&f.email, "email", "", "contact e-mail")
	fl.StringVar(&f.phone, "phone", "", "contact phone")
	fl.StringVar(&f.iban, "iban", "", "IBAN of the party's bank account")
	fl.StringVar(&f.bic, "bic", "", "BIC of that account")
	fl.StringVar(&f.peppol, "peppol", "", "Peppol endpoint as SCHEME:ID, e.g. 0088:7300010000001")
	fl.StringVar((*string)(&f.in.Currency), "currency", "", "ISO 4217 currency (default: the company's)")
	fl.IntVar(&f.in.Terms.NetDays, "net-days", 0, "days until payment is due")
	fl.StringVar(&f.in.Language, "language", "en", "language of documents: en, de, fr …")
	_ = create.MarkFlagRequired("company")
	_ = create.MarkFlagRequired("name")
	return create
}

// input is the party the flags describe.
func (f *partyFlags) input(currency backoffice.Currency) party.Input {
	in := f.in
	if in.Currency == "" {
		in.Currency = currency
	}
	if f.street != "" || in.Billing.City != "" || f.country != "" {
		in.Billing.Lines, in.Billing.Country = f.street, f.country
	}
	if f.contact != "" || f.email != "" || f.phone != "" {
		in.Contacts = []party.Contact{{Name: f.contact, Email: f.email, Phone: f.phone}}
	}
	if f.iban != "" {
		in.BankAccounts = []party.BankAccount{{IBAN: f.iban, BIC: f.bic}}
	}
	if f.peppol != "" {
		in.PeppolScheme, in.PeppolID, _ = strings.Cut(f.peppol, ":")
	}
	return in
}

func newPartyListCmd() *cobra.Command {
	var dsn, company, kind, query string
	var all bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List a company's customers and suppliers",
		Example: `  backoffice party list --db data.db --company ACME
  backoffice party list --db data.db --company ACME --kind supplier --search müller --all`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			ps, err := a.party.List(ctx, c.ID, party.Filter{Kind: party.Kind(kind), Query: query, WithBlocked: all})
			if err != nil {
				return err
			}
			for _, p := range ps {
				fmt.Fprintf(cmd.OutOrStdout(), "%d\t%s\t%s\t%s\t%s\tblocked=%v\n", p.ID, p.LegalName, p.Kind, p.VATID, p.Currency, p.Blocked)
			}
			return nil
		},
	}
	dbFlag(list, &dsn)
	list.Flags().StringVar(&company, "company", "", "company code (required)")
	list.Flags().StringVar(&kind, "kind", "", "customer or supplier (each includes both); all when empty")
	list.Flags().StringVar(&query, "search", "", "part of the name or VAT id")
	list.Flags().BoolVar(&all, "all", false, "include blocked and merged parties")
	_ = list.MarkFlagRequired("company")
	return list
}

func newPartyDuplicatesCmd() *cobra.Command {
	var dsn, company string
	cmd := &cobra.Command{
		Use:   "duplicates",
		Short: "List groups of parties that may be one business (same VAT id, same IBAN, similar name)",
		Long: `duplicates compares names after removing case, accents, punctuation and legal forms (GmbH, Ltd,
SARL, BV, AG, Inc …); names count as similar from an edit-distance similarity of 0.85.`,
		Example: `  backoffice party duplicates --db data.db --company ACME`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			groups, err := a.party.Duplicates(ctx, c.ID)
			if err != nil {
				return err
			}
			for i, g := range groups {
				fmt.Fprintf(cmd.OutOrStdout(), "group %d\n", i+1)
				for _, d := range g.Parties {
					fmt.Fprintf(cmd.OutOrStdout(), "  %d\t%s\t%s\n", d.PartyID, d.LegalName, strings.Join(d.Reasons, ", "))
				}
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

func newPartyMergeCmd() *cobra.Command {
	var dsn, company, reason string
	cmd := &cobra.Command{
		Use:   "merge SURVIVOR-ID MERGED-ID",
		Short: "Merge a duplicate party into the one that stays",
		Long: `merge moves the merged party's contacts and bank accounts to the surviving party, blocks the
merged party and records both in the change log with the reason.`,
		Example: `  backoffice party merge --db data.db --company ACME --reason "typed twice" 12 57`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			survivor, err := backoffice.ParseID(args[0])
			if err != nil {
				return err
			}
			merged, err := backoffice.ParseID(args[1])
			if err != nil {
				return err
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			res, err := a.party.Merge(ctx, c.ID, survivor, merged, reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "merged party %d into %d: moved %d contacts and %d bank accounts\n",
				merged, survivor, res.Contacts, res.BankAccounts)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&reason, "reason", "", "why these parties are one (required)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// columnHelp lists CSV columns for a command's help.
func columnHelp(cols []csvio.Column) string {
	var b strings.Builder
	for _, c := range cols {
		req := ""
		if c.Required {
			req = "required, "
		}
		fmt.Fprintf(&b, "  %-21s %s%s\n", c.Name, req, c.Help)
	}
	return b.String()
}

func newImportPartiesCmd() *cobra.Command {
	return csvImportCmd("parties", "Import customers and suppliers from CSV", "the parties belong to",
		`parties reads a CSV file with a header line, one party per row, all or nothing: when any row
is wrong, every problem is listed with its line and column and nothing is imported.
Columns (any order, case-insensitive):
`+columnHelp(party.CSVColumns())+`UTF-8 with or without BOM; comma, semicolon or tab separated. Run "party duplicates" after
an import to find parties that were already there.`,
		"  backoffice import parties --db data.db --company ACME --dry-run customers.csv\n  backoffice import parties --db data.db --company ACME customers.csv",
		func(ctx context.Context, a *app, company backoffice.ID, r io.Reader, opts csvio.Options) (csvio.Report, error) {
			return a.party.Import(ctx, r, company, opts)
		})
}

func newExportPartiesCmd() *cobra.Command {
	var dsn, company, out string
	cmd := &cobra.Command{
		Use:   "parties",
		Short: "Export a company's customers and suppliers as CSV (the import format)",
		Long: `parties writes one row per party that was not merged away, with its first contact and first
bank account, in the columns "import parties" reads.`,
		Example: `  backoffice export parties --db data.db --company ACME --out parties.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			w, closeOut, err := output(cmd, out)
			if err != nil {
				return err
			}
			if err := a.party.Export(ctx, w, c.ID); err != nil {
				closeOut()
				return err
			}
			return closeOut()
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&out, "out", "-", "file to write; - for standard output")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
