package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newTaxCodeCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "tax-code", Short: "A company's tax codes: VAT, sales tax and withholding rates"}
	cmd.AddCommand(newTaxCodeListCmd(), newTaxCodeCreateCmd(), newTaxCodeDefaultsCmd(), newTaxCodeRoundingCmd())
	return cmd
}

func newTaxCodeListCmd() *cobra.Command {
	var dsn, company string
	var all bool
	list := &cobra.Command{
		Use:     "list",
		Short:   "List the company's tax codes",
		Example: `  backoffice tax-code list --db data.db --company ACME --all`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, c, err := openCompany(cmd.Context(), dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			codes, err := a.inv.ListTaxCodes(cmd.Context(), c.ID, all)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tRATE %\tTYPE\tCATEGORY\tINCLUSIVE\tEXEMPTION\tACTIVE\tNAME")
			for _, t := range codes {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\t%v\t%s\n", t.Code, t.Rate, t.Type, t.Category, t.PriceInclusive, t.ExemptionCode, t.Active, t.Name)
			}
			return tw.Flush()
		},
	}
	dbFlag(list, &dsn)
	list.Flags().StringVar(&company, "company", "", "company code (required)")
	list.Flags().BoolVar(&all, "all", false, "include inactive codes")
	_ = list.MarkFlagRequired("company")
	return list
}

func newTaxCodeCreateCmd() *cobra.Command {
	var dsn, company, rate, collected, deductible string
	in := invoice.TaxCodeInput{Active: true}
	create := &cobra.Command{
		Use:   "create",
		Short: "Add a tax code",
		Long: `create adds a tax code. The rate is an exact decimal percentage ("19", "7.7", "5.5"). The EN 16931
VAT category is S (standard), Z (zero rated), E (exempt), AE (reverse charge), K (intra-community),
G (export), O (outside scope), L (Canary Islands) or M (Ceuta and Melilla); E, AE, K, G and O need an
exemption reason code (VATEX-…) or text. Tax is posted to the collected account on sales (output
tax) and to the deductible account on purchases (input tax); withholding the other way round.`,
		Example: `  backoffice tax-code create --db data.db --company ACME --code VAT19 --name "VAT 19 %" --rate 19 \
    --category S --collected 2100 --deductible 1400
  backoffice tax-code create --db data.db --company ACME --code RC --name "Reverse charge" --rate 0 \
    --category AE --exemption-code VATEX-EU-AE --exemption-reason "Reverse charge"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			var err error
			if in.Rate, err = invoice.ParsePercent(rate); err != nil {
				return fmt.Errorf("--rate: %w", err)
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			for _, acc := range []struct {
				code string
				id   *backoffice.ID
			}{{collected, &in.CollectedAccountID}, {deductible, &in.DeductibleAccountID}} {
				if acc.code == "" {
					continue
				}
				la, err := a.ledger.AccountByCode(ctx, c.ID, acc.code)
				if err != nil {
					return err
				}
				*acc.id = la.ID
			}
			t, err := a.inv.CreateTaxCode(ctx, c.ID, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created tax code %s (%s %%, %s %s)\n", t.Code, t.Rate, t.Type, t.Category)
			return nil
		},
	}
	dbFlag(create, &dsn)
	fl := create.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	fl.StringVar(&in.Code, "code", "", "the code documents name, e.g. VAT19 (required)")
	fl.StringVar(&in.Name, "name", "", "a name people read (required)")
	fl.StringVar(&rate, "rate", "0", "rate in percent, e.g. 19 or 7.7")
	fl.StringVar((*string)(&in.Type), "type", "vat", "vat, sales_tax or withholding")
	fl.StringVar(&in.Category, "category", "S", "EN 16931 VAT category: S, Z, E, AE, K, G, O, L, M")
	fl.StringVar(&in.ExemptionCode, "exemption-code", "", "VATEX exemption reason code, e.g. VATEX-EU-IC")
	fl.StringVar(&in.ExemptionReason, "exemption-reason", "", "exemption reason text printed on documents")
	fl.BoolVar(&in.PriceInclusive, "inclusive", false, "unit prices include this tax")
	fl.StringVar(&collected, "collected", "2100", "account code of tax owed (output tax)")
	fl.StringVar(&deductible, "deductible", "1400", "account code of tax claimed back (input tax)")
	_ = create.MarkFlagRequired("company")
	_ = create.MarkFlagRequired("code")
	_ = create.MarkFlagRequired("name")
	return create
}

func newTaxCodeDefaultsCmd() *cobra.Command {
	var dsn, company string
	defaults := &cobra.Command{
		Use:   "defaults",
		Short: "Create the default tax codes the company does not have yet",
		Long: `defaults creates the standard set (VAT19, VAT7, VAT0, EXEMPT, RC, IC, EXPORT, OUTSIDE) on the accounts
2100 (output VAT) and 1400 (input VAT); codes that exist are left as they are. Change the rates with
the API or create your country's codes with tax-code create.`,
		Example: `  backoffice tax-code defaults --db data.db --company ACME`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.inv.SetUpCompany(ctx, c.ID); err != nil {
				return err
			}
			codes, err := a.inv.ListTaxCodes(ctx, c.ID, true)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s has %d tax codes\n", c.Code, len(codes))
			return nil
		},
	}
	dbFlag(defaults, &dsn)
	defaults.Flags().StringVar(&company, "company", "", "company code (required)")
	_ = defaults.MarkFlagRequired("company")
	return defaults
}

func newTaxCodeRoundingCmd() *cobra.Command {
	var dsn, company string
	rounding := &cobra.Command{
		Use:   "rounding [line|document]",
		Short: "Show or set how tax is rounded: per line or per document",
		Long: `rounding without an argument prints the company's setting. "line" rounds each line's tax and adds
them up; "document" adds up the taxable amounts of each rate and rounds their tax once. Documents
saved from then on use the new setting; posted documents keep their figures.`,
		Example: `  backoffice tax-code rounding --db data.db --company ACME document`,
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("cli"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			st, err := a.inv.GetSettings(ctx, c.ID)
			if len(args) == 1 && err == nil {
				st, err = a.inv.SetRounding(ctx, c.ID, invoice.Rounding(args[0]))
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s rounds tax per %s\n", c.Code, st.Rounding)
			return nil
		},
	}
	dbFlag(rounding, &dsn)
	rounding.Flags().StringVar(&company, "company", "", "company code (required)")
	_ = rounding.MarkFlagRequired("company")
	return rounding
}
