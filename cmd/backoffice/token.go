package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var dsn, email, name, role, company string
	var days int
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token for a user; the secret is printed once",
		Long: `create makes an API token owned by a user. The token acts with the given role, never with
more than its owner may do, in one company (--company) or in all of the owner's companies.
Only a hash is stored: copy the printed secret now. Use it as "Authorization: Bearer <secret>".`,
		Example: `  backoffice token create --db data.db --user ann@example.com --name "bank sync" --role accountant --company DEMO --days 30`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := openApp(ctx, dsn, false, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.access.UserByEmail(ctx, email)
			if err != nil {
				return fmt.Errorf("user %q: %w", email, err)
			}
			r, err := a.access.RoleByName(ctx, role)
			if err != nil {
				return fmt.Errorf("role %q: %w", role, err)
			}
			nt := access.NewToken{Name: name, UserID: u.ID, RoleID: r.ID, ExpiresAt: time.Now().AddDate(0, 0, days)}
			if company != "" {
				c, err := a.access.CompanyByCode(ctx, company)
				if err != nil {
					return fmt.Errorf("company %q: %w", company, err)
				}
				nt.CompanyID = c.ID
			}
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			secret, t, err := a.access.CreateToken(ctx, nt)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "token %d %q for %s, role %s, expires %s\n", t.ID, t.Name, u.Email, r.Name, t.ExpiresAt.Format(time.DateOnly))
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			return nil
		},
	}
	dbFlag(create, &dsn)
	create.Flags().StringVar(&email, "user", "", "e-mail of the token's owner (required)")
	create.Flags().StringVar(&name, "name", "", "what the token is for (required)")
	create.Flags().StringVar(&role, "role", "auditor", "role the token acts with")
	create.Flags().StringVar(&company, "company", "", "limit the token to this company code (default: all the owner's companies)")
	create.Flags().IntVar(&days, "days", 90, "days until the token expires (at most 365)")
	_ = create.MarkFlagRequired("user")
	_ = create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}
