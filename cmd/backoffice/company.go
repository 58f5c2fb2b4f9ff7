package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
)

func newCompanyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "company", Short: "Manage companies"}
	var dsn, code, name, currency, admin string
	create := &cobra.Command{
		Use:     "create",
		Short:   "Create a company with its base currency, chart of accounts, journals and default tax codes",
		Example: `  backoffice company create --db data.db --code ACME --name "Acme GmbH" --currency EUR --admin ann@example.com`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := openApp(ctx, dsn, false, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: code, Name: name, Currency: currency})
			if err != nil {
				return err
			}
			if err := a.ledger.SetUpCompany(ctx, c.ID); err != nil {
				return fmt.Errorf("company %s created, but its books could not be set up: %w", c.Code, err)
			}
			if err := a.inv.SetUpCompany(ctx, c.ID); err != nil {
				return fmt.Errorf("company %s created, but its tax codes could not be set up: %w", c.Code, err)
			}
			if admin != "" {
				u, err := a.access.UserByEmail(ctx, admin)
				if err != nil {
					return fmt.Errorf("company %s created, but its admin %q: %w", c.Code, admin, err)
				}
				r, err := a.access.RoleByName(ctx, "admin")
				if err != nil {
					return err
				}
				if err := a.access.AddMember(ctx, c.ID, u.ID, r.ID); err != nil {
					return err
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created company %d %s (%s, %s)\n", c.ID, c.Code, c.Name, c.Currency)
			return nil
		},
	}
	dbFlag(create, &dsn)
	create.Flags().StringVar(&code, "code", "", "short unique code, letters, digits, - and _ (required)")
	create.Flags().StringVar(&name, "name", "", "legal name (required)")
	create.Flags().StringVar(&currency, "currency", "EUR", "base currency, ISO 4217")
	create.Flags().StringVar(&admin, "admin", "", "e-mail of an existing user who becomes the company's admin")
	_ = create.MarkFlagRequired("code")
	_ = create.MarkFlagRequired("name")
	cmd.AddCommand(create, newCompanyProfileCmd())
	return cmd
}
