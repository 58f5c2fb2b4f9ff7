package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"backoffice"
)

func newCompanyProfileCmd() *cobra.Command {
	var dsn, company, logo string
	cmd := &cobra.Command{
		Use:   "profile",
		Short: "Show or change a company's legal details (seller on invoices, debtor in payment files)",
		Long: `profile prints the company's legal details as JSON. Given flags, it changes those fields and
keeps the others: invoices, e-invoices, dunning letters and SEPA files state what is saved here.
E-invoices need at least the legal name, the address with its country and the VAT id; Peppol
also wants the endpoint, and German buyers a phone number and e-mail.`,
		Example: `  backoffice company profile --db data.db --company ACME
  backoffice company profile --db data.db --company ACME --legal-name "Acme GmbH" --street "Hauptstr. 1" \
    --postal-code 10115 --city Berlin --country DE --vat-id DE123456788 --peppol 9930:DE123456788 \
    --iban DE89370400440532013000 --bic COBADEFFXXX --email billing@acme.example --phone "+49 30 123456"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			p, err := a.party.Profile(ctx, c.ID)
			if err != nil {
				return err
			}
			changed := false
			fl := cmd.Flags()
			for name, field := range map[string]*string{"legal-name": &p.LegalName, "trade-name": &p.TradeName, "street": &p.Address.Lines,
				"city": &p.Address.City, "postal-code": &p.Address.PostalCode, "region": &p.Address.Region, "country": &p.Address.Country,
				"vat-id": &p.VATID, "tax-id": &p.TaxID, "registration-id": &p.RegistrationID, "email": &p.Email, "phone": &p.Phone,
				"website": &p.Website, "iban": &p.IBAN, "bic": &p.BIC, "bank-name": &p.BankName, "creditor-id": &p.CreditorID, "language": &p.Language} {
				if fl.Changed(name) {
					v, _ := fl.GetString(name)
					*field, changed = v, true
				}
			}
			if fl.Changed("peppol") {
				v, _ := fl.GetString("peppol")
				scheme, id, ok := strings.Cut(v, ":")
				if !ok && v != "" {
					return fmt.Errorf("--peppol must be SCHEME:ID, e.g. 9930:DE123456788")
				}
				p.PeppolScheme, p.PeppolID, changed = scheme, id, true
			}
			if changed {
				if p, err = a.party.SetProfile(ctx, c.ID, p.Version, p.ProfileInput); err != nil {
					return err
				}
			}
			if logo != "" {
				data, err := os.ReadFile(logo)
				if err != nil {
					return err
				}
				if p, err = a.party.SetLogo(ctx, c.ID, data); err != nil {
					return err
				}
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(p)
		},
	}
	dbFlag(cmd, &dsn)
	fl := cmd.Flags()
	fl.StringVar(&company, "company", "", "company code (required)")
	for _, f := range []struct{ name, help string }{{"legal-name", "legal name as registered"}, {"trade-name", "trade name"},
		{"street", "street and number"}, {"city", "city"}, {"postal-code", "postal code"}, {"region", "region or state"},
		{"country", "ISO 3166-1 country code, e.g. DE"}, {"vat-id", "VAT id with country prefix"}, {"tax-id", "local tax number"},
		{"registration-id", "company register number, e.g. HRB 12345"}, {"email", "e-mail for invoices"}, {"phone", "phone"},
		{"website", "website"}, {"iban", "IBAN customers pay to"}, {"bic", "BIC of that account"}, {"bank-name", "name of the bank"},
		{"creditor-id", "SEPA creditor identifier, for direct debits"}, {"language", "language of documents: en, de, fr …"},
		{"peppol", "Peppol endpoint as SCHEME:ID"}} {
		fl.String(f.name, "", f.help)
	}
	fl.StringVar(&logo, "logo", "", "PNG or JPEG file to use as the logo on documents")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
