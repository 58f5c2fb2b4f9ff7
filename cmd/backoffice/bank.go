package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/bank"
)

func newBankAccountCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "bank-account", Short: "Manage a company's bank accounts"}
	var dsn, company, ledgerCode string
	var in bank.NewAccount
	create := &cobra.Command{
		Use:   "create",
		Short: "Create a bank account linked to a ledger account of subtype bank or cash",
		Long: `create adds a company bank account. Statements are imported into it when their IBAN (or,
without one, their account number) is the account's. The IBAN's check digits and the BIC's
form are checked. --ledger-account names the ledger account (subtype bank or cash) its
movements post to; the default chart has 1110 "Main bank account".`,
		Example: `  backoffice bank-account create --db data.db --company ACME --name "Main account" \
    --iban "DE89 3704 0044 0532 0130 00" --bic COBADEFFXXX --currency EUR --ledger-account 1110`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			la, err := a.ledger.AccountByCode(ctx, c.ID, ledgerCode)
			if err != nil {
				return fmt.Errorf("--ledger-account %s: %w", ledgerCode, err)
			}
			in.LedgerAccountID = la.ID
			if in.Currency == "" {
				in.Currency = c.Currency
			}
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			acct, err := a.bank.Create(ctx, c.ID, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created bank account %d %s (%s, %s, ledger account %s)\n",
				acct.ID, acct.Name, accountLabel(acct), acct.Currency, la.Code)
			return nil
		},
	}
	dbFlag(create, &dsn)
	create.Flags().StringVar(&company, "company", "", "company code (required)")
	create.Flags().StringVar(&in.Name, "name", "", "name shown to users (required)")
	create.Flags().StringVar(&in.IBAN, "iban", "", "IBAN, spaces allowed (this or --number is required)")
	create.Flags().StringVar(&in.AccountNumber, "number", "", "account number as the bank's statements give it")
	create.Flags().StringVar(&in.BIC, "bic", "", "BIC of the bank")
	create.Flags().StringVar(&in.BankName, "bank-name", "", "name of the bank")
	create.Flags().StringVar((*string)(&in.Currency), "currency", "", "currency, ISO 4217 (default: the company's)")
	create.Flags().StringVar(&ledgerCode, "ledger-account", "", "code of the ledger account of subtype bank or cash (required)")
	_ = create.MarkFlagRequired("company")
	_ = create.MarkFlagRequired("name")
	_ = create.MarkFlagRequired("ledger-account")
	cmd.AddCommand(create, newBankAccountListCmd())
	return cmd
}

func newBankAccountListCmd() *cobra.Command {
	var dsn, company string
	var all bool
	list := &cobra.Command{
		Use:     "list",
		Short:   "List a company's bank accounts",
		Example: `  backoffice bank-account list --db data.db --company ACME`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			accts, err := a.bank.List(ctx, c.ID, all)
			if err != nil {
				return err
			}
			for _, acct := range accts {
				fmt.Fprintf(cmd.OutOrStdout(), "%d\t%s\t%s\t%s\tactive=%v\n", acct.ID, acct.Name, accountLabel(acct), acct.Currency, acct.Active)
			}
			return nil
		},
	}
	dbFlag(list, &dsn)
	list.Flags().StringVar(&company, "company", "", "company code (required)")
	list.Flags().BoolVar(&all, "all", false, "include inactive accounts")
	_ = list.MarkFlagRequired("company")
	return list
}

// accountLabel is the IBAN of a bank account, else its number.
func accountLabel(a bank.Account) string {
	if a.IBAN != "" {
		return a.IBAN
	}
	return a.AccountNumber
}

func newImportStatementCmd() *cobra.Command {
	var dsn, company, account, format, profile string
	cmd := &cobra.Command{
		Use:   "statement FILE...",
		Short: "Import bank statement files (camt.05x, MT940/MT942, OFX/QFX, CSV) into the company's bank accounts",
		Long: `statement imports each file in one transaction: a file that cannot be read, or that holds
a statement for an account the company does not have, imports nothing. Each statement goes
to the bank account with its IBAN (else its account number), or to --bank-account for every
statement of every file. Nothing is imported twice: the same file, the same statement, or
lines already imported from an overlapping statement are skipped and counted. Balances are
checked (opening = previous closing, opening + lines = closing); a mismatch is stored on the
statement and printed. Exit status 1 when any file failed; the others are still imported.`,
		Example: `  backoffice import statement --db data.db --company ACME statements/*.xml
  backoffice import statement --db data.db --company ACME --bank-account "DE89 3704 0044 0532 0130 00" export.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			opts := bank.ImportOptions{Format: format}
			if account != "" {
				acct, err := a.bank.ByIBAN(ctx, c.ID, account)
				if err != nil {
					return fmt.Errorf("--bank-account %s: %w", account, err)
				}
				opts.BankAccountID = acct.ID
			}
			if profile != "" {
				p, err := csvProfile(profile)
				if err != nil {
					return err
				}
				opts.CSVProfile = &p
			}
			ctx = backoffice.WithActor(ctx, backoffice.System("cli"))
			return importStatements(ctx, cmd, a.bank, c.ID, args, opts)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&account, "bank-account", "", "IBAN of the bank account every statement goes to (default: matched by the file's IBAN or number)")
	cmd.Flags().StringVar(&format, "format", "auto", "auto, camt, mt940, ofx or csv")
	cmd.Flags().StringVar(&profile, "csv-profile", "", "CSV column profile: a built-in profile's name or a JSON file")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// importStatements imports every file, printing a summary per file, and
// fails (exit 1) after the last file when any of them failed.
func importStatements(ctx context.Context, cmd *cobra.Command, s *bank.Service, companyID backoffice.ID, files []string, opts bank.ImportOptions) error {
	bar := newProgress(cmd, int64(len(files)), "importing statements")
	failed := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		var rep bank.ImportReport
		if err == nil {
			rep, err = s.Import(ctx, companyID, f, data, opts)
		}
		_ = bar.Add(1)
		if err != nil {
			failed++
			fmt.Fprintln(cmd.ErrOrStderr(), userMessage(err))
			continue
		}
		fmt.Fprintln(cmd.OutOrStdout(), importSummary(rep))
	}
	_ = bar.Finish()
	if failed > 0 {
		return &exitError{code: 1, err: fmt.Errorf("%d of %d files could not be imported", failed, len(files))}
	}
	return nil
}

// importSummary is one line per file, followed by its balance problems:
// "jan.xml: camt.053, 1 statement, 12 new lines, 0 skipped, balance ok".
func importSummary(rep bank.ImportReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s, %s, %s, %d skipped", rep.FileName, rep.Format, plural(len(rep.Statements), "statement"),
		plural(rep.NewLines(), "new line"), rep.SkippedLines())
	problems := rep.BalanceProblems()
	switch {
	case rep.AlreadyImported:
		b.WriteString(", already imported")
	case len(problems) == 0:
		b.WriteString(", balance ok")
	default:
		b.WriteString(", balance problem")
		for _, p := range problems {
			b.WriteString("\n  " + p)
		}
	}
	for _, w := range rep.Warnings {
		b.WriteString("\n  warning: " + w.String())
	}
	return b.String()
}

// plural is "1 statement" or "2 statements".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
