package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/csvio"
	"backoffice/ledger"
	"backoffice/ledger/plaintext"
	"backoffice/pdf"
)

func newImportJournalCmd() *cobra.Command {
	var dsn, company, format string
	var commodities []string
	cmd := &cobra.Command{
		Use:   "journal FILE",
		Short: "Import a ledger-cli or hledger journal into a company's books",
		Long: `journal reads a plain-text accounting journal (ledger-cli or hledger) and posts one entry
per transaction in the company's IMP journal. Accounts are named by their colon paths
("Assets:Bank:Checking") and created with their parents; the top-level name gives the type
(assets, liabilities, equity, income/revenue, expenses). Currency symbols are mapped with
--commodity; every posting must be in the company's currency or carry a cost in it (@ or @@).
Every problem is listed with file:line and nothing is imported from a file that has one.
Importing the same file again posts nothing twice.`,
		Example: `  backoffice import journal --db data.db --company ACME --format hledger --commodity '$=USD' books.journal
  backoffice import journal --db data.db --company ACME --format ledger --commodity '€=EUR' --commodity '=EUR' ledger.dat`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("import"))
			opts := plaintext.Options{Dialect: format, Commodities: map[string]backoffice.Currency{}}
			if format != plaintext.DialectLedger && format != plaintext.DialectHledger {
				return fmt.Errorf("--format must be ledger or hledger, not %q", format)
			}
			for _, c := range commodities {
				sym, code, ok := strings.Cut(c, "=")
				cur, err := backoffice.ParseCurrency(code)
				if !ok || err != nil {
					return fmt.Errorf("--commodity %q: write SYMBOL=ISO, e.g. '$=USD' ('=USD' for amounts without a symbol)", c)
				}
				opts.Commodities[sym] = cur
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			j, err := plaintext.Parse(args[0], f, opts)
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			bar := newProgress(cmd, int64(len(j.Transactions)), "posting")
			rep, err := a.ledger.ImportJournal(ctx, c.ID, j, func(done, _ int) { bar.Set(done) })
			bar.Finish()
			for _, w := range rep.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
			}
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d transactions, %d entries posted (%d already there), %d accounts created\n",
				args[0], rep.Transactions, rep.Posted, rep.Transactions-rep.Posted, rep.Accounts)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&format, "format", "hledger", "journal dialect: ledger or hledger")
	cmd.Flags().StringArrayVar(&commodities, "commodity", nil, "map a commodity symbol to an ISO currency, e.g. '$=USD' (repeatable)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

func newReportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "report", Short: "Print the books' reports"}
	var dsn, company, date, format string
	tb := &cobra.Command{
		Use:   "trial-balance",
		Short: "Print the trial balance at a date",
		Long: `trial-balance prints every account with postings up to the end of --date (today by default):
its debits, credits and balance (debit − credit) in each currency, as plain decimals with the
currency's digits. CSV has the header account,debit,credit,balance; JSON and the table also
name the currency.`,
		Example: `  backoffice report trial-balance --db data.db --company ACME --date 2026-12-31 --format table
  backoffice report trial-balance --db data.db --company ACME --format csv > tb.csv
  backoffice report trial-balance --db data.db --company ACME --date 2026-12-31 --format pdf > tb.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			at := backoffice.DateOf(time.Now())
			if date != "" {
				if at, err = backoffice.ParseDate(date); err != nil {
					return fmt.Errorf("--date: %w", err)
				}
			}
			rows, err := a.ledger.TrialBalance(ctx, c.ID, at)
			if err != nil {
				return err
			}
			if format == "pdf" {
				return writePDF(cmd, a, c, func(w io.Writer, h pdf.Heading) error { return ledger.WriteTrialBalancePDF(w, h, at, rows) })
			}
			return writeTrialBalance(cmd.OutOrStdout(), format, rows)
		},
	}
	dbFlag(tb, &dsn)
	tb.Flags().StringVar(&company, "company", "", "company code (required)")
	tb.Flags().StringVar(&date, "date", "", "balances at the end of this day, YYYY-MM-DD (default today)")
	tb.Flags().StringVar(&format, "format", "table", "csv, json, table or pdf")
	_ = tb.MarkFlagRequired("company")
	cmd.AddCommand(tb)
	cmd.AddCommand(newBalanceSheetCmd(), newIncomeStatementCmd(), newCashFlowCmd(), newGeneralLedgerCmd())
	cmd.AddCommand(newBudgetVsActualCmd(), newJournalReportCmd(), newConsolidatedCmd())
	cmd.AddCommand(newAgingCmd(), newReportTaxCmd())
	cmd.AddCommand(newReportCashCmd())
	cmd.AddCommand(newAccountStatementCmd())
	return cmd
}

func amount(minor int64, c backoffice.Currency) string {
	return backoffice.FormatMinor(minor, c.Exponent())
}

// writeTrialBalance prints rows as csv, json or an aligned table.
func writeTrialBalance(w io.Writer, format string, rows []ledger.TrialBalanceRow) error {
	switch format {
	case "csv":
		out := make([][]string, 0, len(rows))
		for _, r := range rows {
			out = append(out, []string{r.Code, amount(r.Debit, r.Currency), amount(r.Credit, r.Currency), amount(r.Balance, r.Currency)})
		}
		return csvio.Export(w, []string{"account", "debit", "credit", "balance"}, slices.Values(out))
	case "json":
		type row struct {
			Account  string              `json:"account"`
			Name     string              `json:"name"`
			Type     ledger.AccountType  `json:"type"`
			Currency backoffice.Currency `json:"currency"`
			Debit    string              `json:"debit"`
			Credit   string              `json:"credit"`
			Balance  string              `json:"balance"`
		}
		out := make([]row, 0, len(rows))
		for _, r := range rows {
			out = append(out, row{r.Code, r.Name, r.Type, r.Currency, amount(r.Debit, r.Currency), amount(r.Credit, r.Currency), amount(r.Balance, r.Currency)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "account\tname\tcurrency\tdebit\tcredit\tbalance\t")
		totals := map[backoffice.Currency][2]int64{}
		for _, r := range rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Code, r.Name, r.Currency, amount(r.Debit, r.Currency), amount(r.Credit, r.Currency), amount(r.Balance, r.Currency))
			t := totals[r.Currency]
			totals[r.Currency] = [2]int64{t[0] + r.Debit, t[1] + r.Credit}
		}
		for c, t := range totals {
			fmt.Fprintf(tw, "total\t\t%s\t%s\t%s\t%s\t\n", c, amount(t[0], c), amount(t[1], c), amount(t[0]-t[1], c))
		}
		return tw.Flush()
	}
	return fmt.Errorf("--format must be csv, json or table, not %q", format)
}

func newExportJournalCmd() *cobra.Command {
	var dsn, company, format, out string
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "Export a company's posted entries as an hledger journal",
		Long: `journal writes every posted entry as an hledger transaction, accounts by code, amounts with
their ISO currency, so that "hledger -f FILE bal" shows the same balances as the trial balance.`,
		Example: `  backoffice export journal --db data.db --company ACME --format hledger --out books.journal
  hledger -f books.journal bal`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if format != "hledger" {
				return fmt.Errorf("--format must be hledger")
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			w, closeOut, err := output(cmd, out)
			if err != nil {
				return err
			}
			defer closeOut()
			return exportHledger(ctx, w, a.ledger, c.ID, c.Currency)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&format, "format", "hledger", "hledger")
	cmd.Flags().StringVar(&out, "out", "-", "file to write; - for standard output")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// exportHledger writes the posted entries in hledger's journal format.
func exportHledger(ctx context.Context, w io.Writer, l *ledger.Service, companyID backoffice.ID, base backoffice.Currency) error {
	f := ledger.EntryFilter{State: ledger.Posted, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for {
		list, err := l.ListEntries(ctx, companyID, f)
		if err != nil {
			return err
		}
		for _, head := range list.Items {
			e, err := l.GetEntry(ctx, companyID, head.ID)
			if err != nil {
				return err
			}
			desc := strings.Join(strings.Fields(e.Number+" "+e.Narration), " ")
			fmt.Fprintf(w, "%s * %s\n", e.Date, desc)
			for _, line := range e.Lines {
				acct := strings.Join(strings.Fields(line.AccountCode), " ")
				fmt.Fprintf(w, "    %s  %s %s", acct, amount(line.Amount, line.Currency), line.Currency)
				if line.Currency != base {
					fmt.Fprintf(w, " @@ %s %s", amount(abs(line.CompanyAmount), base), base)
				}
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w)
		}
		if list.Next == "" {
			return nil
		}
		f.Page.After = list.Next
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func newImportAccountsCmd() *cobra.Command {
	var dsn, company string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "accounts FILE",
		Short: "Import a chart of accounts (GnuCash template, Frappe/ERPNext JSON, Odoo CSV or our CSV)",
		Long: `accounts reads a chart of accounts and creates the accounts the company does not have yet,
parents first, all or nothing; accounts whose code exists are left as they are. The format is
detected from the content: a GnuCash account template (*.gnucash-xea), a Frappe Books or
ERPNext chart (JSON), an Odoo account CSV, or our CSV with the header
code,name,type,subtype,parent,currency,reconcilable,placeholder.`,
		Example: `  backoffice import accounts --db data.db --company ACME --dry-run acctchrt_business.gnucash-xea
  backoffice import accounts --db data.db --company ACME de_skr04.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := backoffice.WithActor(cmd.Context(), backoffice.System("import"))
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			rep, err := a.ledger.ImportChart(ctx, c.ID, data, dryRun)
			for _, w := range rep.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: warning: %s\n", args[0], w)
			}
			if err != nil {
				return &exitError{code: 1, err: fmt.Errorf("%s: %w", args[0], err)}
			}
			verb := "created"
			if dryRun {
				verb, rep.Created = "would create (dry run)", rep.Accounts-rep.Existing
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s (%s): %d accounts, %s %d, %d already there\n", args[0], rep.Format, rep.Accounts, verb, rep.Created, rep.Existing)
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the file and report, create nothing")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
