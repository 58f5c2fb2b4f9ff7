package main

import (
	"context"
	"errors"
	"fmt"

	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
	"backoffice/party"
)

// demoAdmin is the e-mail of the demo's administrator.
const demoAdmin = "admin@demo.example"

func newDemoCmd() *cobra.Command {
	var dataDir string
	opts := serveOptions{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try Backoffice: demo data on an embedded database, then serve it",
		Long: `demo creates a data folder (./backoffice-data by default) with an embedded SQLite database,
fills it with two demo companies with a year of books, users for every built-in role, starts the
server and prints where to sign in. Running it again reuses the same data and login.`,
		Example: `  backoffice demo
  backoffice demo --data /tmp/bo-demo --addr 127.0.0.1:9090`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := os.MkdirAll(dataDir, 0o700); err != nil {
				return fmt.Errorf("create data folder: %w", err)
			}
			opts.dsn = "sqlite:" + filepath.Join(dataDir, "backoffice.db")
			a, err := openApp(ctx, opts.dsn, true, nil)
			if err != nil {
				return err
			}
			password, err := ensureDemo(ctx, a, filepath.Join(dataDir, "demo-login.txt"))
			a.Close()
			if err != nil {
				return err
			}
			opts.ready = func(url string) {
				fmt.Fprintf(cmd.OutOrStdout(), "\nBackoffice demo is running at %s\n  e-mail:   %s\n  password: %s\nData in %s. Stop with Ctrl+C; run `backoffice demo` again to continue.\n\n",
					url, demoAdmin, password, dataDir)
			}
			return serve(ctx, opts, cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&dataDir, "data", "backoffice-data", "folder for the demo database and login")
	cmd.Flags().StringVar(&opts.addr, "addr", "127.0.0.1:8080", "address to listen on")
	cmd.Flags().StringVar(&opts.logLevel, "log-level", "warn", "debug, info, warn or error")
	opts.migrate = true
	opts.allowPrivate = true // demo webhooks may point at a local receiver
	return cmd
}

// ensureDemo loads the demo data once and returns the admin's password. The
// password is generated on the first run and kept (mode 0600) in loginFile,
// so later runs can print it again.
func ensureDemo(ctx context.Context, a *app, loginFile string) (string, error) {
	if b, err := os.ReadFile(loginFile); err == nil {
		if _, err := a.access.UserByEmail(ctx, demoAdmin); err == nil {
			return strings.TrimSpace(string(b)), nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	ctx = backoffice.WithActor(ctx, backoffice.System("demo"))
	password, err := loadDemo(ctx, a)
	if err != nil {
		return "", fmt.Errorf("load demo data: %w", err)
	}
	if err := os.WriteFile(loginFile, []byte(password+"\n"), 0o600); err != nil {
		return "", err
	}
	return password, nil
}

// demoProfiles are the demo companies' legal details, by code: valid VAT
// ids, IBANs and Peppol endpoints, so their e-invoices validate.
var demoProfiles = map[string]party.ProfileInput{
	"DEMO": {LegalName: "Demo Trading GmbH", Address: party.Address{Lines: "Hauptstraße 12", City: "Berlin", PostalCode: "10115", Country: "DE"},
		VATID: "DE123456788", RegistrationID: "HRB 123456 B", PeppolScheme: "9930", PeppolID: "DE123456788", Email: "billing@demo.example",
		Phone: "+49 30 1234567", Website: "https://demo.example", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX",
		BankName: "Commerzbank", CreditorID: "DE98ZZZ09999999999", Language: "de"},
	"DEMO-US": {LegalName: "Demo Trading Inc.", Address: party.Address{Lines: "100 Main Street", City: "Springfield", PostalCode: "62701", Region: "IL", Country: "US"},
		Email: "billing@demo-us.example", Phone: "+1 217 555 0100", Language: "en"},
}

// demoProfile saves a demo company's legal details unless it has some.
func demoProfile(ctx context.Context, a *app, c access.Company) error {
	p, err := a.party.Profile(ctx, c.ID)
	if err != nil || p.Version > 0 {
		return err
	}
	_, err = a.party.SetProfile(ctx, c.ID, 0, demoProfiles[c.Code])
	return err
}

// loadDemo creates the demo companies and one user per built-in role.
func loadDemo(ctx context.Context, a *app) (string, error) {
	companies := []access.NewCompany{
		{Code: "DEMO", Name: "Demo Trading GmbH", Currency: "EUR"},
		{Code: "DEMO-US", Name: "Demo Trading Inc.", Currency: "USD"},
	}
	var ids []backoffice.ID
	for i, nc := range companies {
		c, err := a.access.CompanyByCode(ctx, nc.Code)
		if err != nil {
			c, err = a.access.CreateCompany(ctx, nc)
		}
		if err != nil {
			return "", err
		}
		if err := a.ledger.SetUpCompany(ctx, c.ID); err != nil {
			return "", err
		}
		if err := demoProfile(ctx, a, c); err != nil {
			return "", err
		}
		if _, err := demoBooks(ctx, a.ledger, c.ID, demoToday(), uint64(i+1)); err != nil {
			return "", err
		}
		if c.Currency == "EUR" {
			if _, err := demoInvoices(ctx, a, c.ID, demoToday(), uint64(i+1)); err != nil {
				return "", err
			}
			if err := demoBank(ctx, a, c.ID, demoToday(), uint64(i+1)); err != nil {
				return "", err
			}
		}
		ids = append(ids, c.ID)
	}
	people := []struct{ email, name, role string }{
		{demoAdmin, "Ada Admin", "admin"},
		{"anna.accountant@demo.example", "Anna Berger", "accountant"},
		{"carl.clerk@demo.example", "Carl Novak", "clerk"},
		{"audrey.auditor@demo.example", "Audrey Laurent", "auditor"},
		{"diego.accountant@demo.example", "Diego Alvarez", "accountant"},
		{"emma.clerk@demo.example", "Emma Schulz", "clerk"},
	}
	var adminPassword string
	for _, p := range people {
		role, err := a.access.RoleByName(ctx, p.role)
		if err != nil {
			return "", err
		}
		ms := []access.NewMembership{{CompanyID: ids[0], RoleID: role.ID}}
		if p.role == "admin" || p.role == "auditor" {
			ms = append(ms, access.NewMembership{CompanyID: ids[1], RoleID: role.ID})
		}
		if _, err := a.access.UserByEmail(ctx, p.email); err == nil {
			continue
		}
		_, pw, err := a.access.CreateUser(ctx, access.NewUser{Email: p.email, Name: p.name, Memberships: ms})
		if err != nil {
			return "", err
		}
		if p.email == demoAdmin {
			adminPassword = pw
		}
	}
	if adminPassword == "" {
		// The admin existed without a saved login (the file was deleted): issue a new password.
		u, err := a.access.UserByEmail(ctx, demoAdmin)
		if err != nil {
			return "", err
		}
		if adminPassword, err = a.access.ResetPassword(ctx, u.ID); err != nil {
			return "", err
		}
	}
	return adminPassword, nil
}
