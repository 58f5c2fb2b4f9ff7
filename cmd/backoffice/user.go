package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
)

func newUserCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users"}
	cmd.AddCommand(newUserCreateCmd())
	return cmd
}

func newUserCreateCmd() *cobra.Command {
	var dsn, email, name, company, role string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create a user; the password is read from standard input",
		Long: `create adds a user and makes them a member of a company with a role (admin, accountant,
clerk, auditor, or a custom role). The password is read from the first line of standard
input, so it never appears in the process list or the shell history; with an empty line a
password is generated and printed once.`,
		Example: `  printf '%s\n' 'correct horse battery' | backoffice user create --db data.db --email ann@example.com --name "Ann Smith" --company DEMO --role accountant
  echo | backoffice user create --db data.db --email bob@example.com --company DEMO   # generated password`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, err := openApp(ctx, dsn, false, nil)
			if err != nil {
				return err
			}
			defer a.Close()
			password, err := readSecretLine(cmd.InOrStdin())
			if err != nil {
				return err
			}
			c, err := a.access.CompanyByCode(ctx, company)
			if err != nil {
				return fmt.Errorf("company %q: %w", company, err)
			}
			r, err := a.access.RoleByName(ctx, role)
			if err != nil {
				return fmt.Errorf("role %q: %w", role, err)
			}
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			u, pw, err := a.access.CreateUser(ctx, access.NewUser{Email: email, Name: name, Password: password,
				Memberships: []access.NewMembership{{CompanyID: c.ID, RoleID: r.ID}}})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created user %d %s (%s in %s)\n", u.ID, u.Email, r.Name, c.Code)
			if password == "" {
				fmt.Fprintf(cmd.OutOrStdout(), "password: %s\n", pw)
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&email, "email", "", "e-mail address, used to sign in (required)")
	cmd.Flags().StringVar(&name, "name", "", "full name")
	cmd.Flags().StringVar(&company, "company", "", "code of the company the user joins (required)")
	cmd.Flags().StringVar(&role, "role", "clerk", "role in that company: admin, accountant, clerk, auditor or a custom role")
	_ = cmd.MarkFlagRequired("email")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// readSecretLine reads one line from r without its line ending; EOF on an
// empty input is an empty secret.
func readSecretLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
