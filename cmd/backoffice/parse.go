package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"backoffice/bank/csvimport"
	"backoffice/bank/statement"
	"backoffice/bank/statementfile"
)

func newParseCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "parse", Short: "Read a file and print what Backoffice understands of it"}
	var format, profile string
	var asJSON bool
	st := &cobra.Command{
		Use:   "statement FILE",
		Short: "Read a bank statement (camt.05x, MT940/MT942, OFX/QFX, CSV) and print it normalised",
		Long: `statement reads a bank statement file and prints its statements and entries in one normalised
form, without touching any database. The format is detected from the content; --format
names it when detection is not wanted. CSV files are read with a guessed column profile, or
with --csv-profile naming a built-in one (or a JSON file holding a profile).

With --json the output is:
  {"format", "statements":[{"account":{"iban","number","bic","currency"}, "id", "from_date",
   "to_date", "opening_balance":{"amount","date"}, "closing_balance":{…}, "entries":[{
   "booking_date", "value_date", "amount", "currency", "counterparty":{"name","iban","bic"},
   "remittance", "end_to_end_id", "bank_reference", "mandate_id", "creditor_id",
   "bank_tx_code"}]}], "warnings":[{"line","message"}]}
Amounts are signed decimal strings, money in (credit) positive. Exit status 0 when the file
was read (warnings or not), 1 when it could not be read.`,
		Example: `  backoffice parse statement --json statement.xml
  backoffice parse statement --format mt940 export.sta
  backoffice parse statement --csv-profile "Generic, ISO dates" bank.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return &exitError{code: 1, err: err}
			}
			opts := statementfile.Options{Format: format}
			if profile != "" {
				p, err := csvProfile(profile)
				if err != nil {
					return &exitError{code: 1, err: err}
				}
				opts.CSVProfile = &p
			}
			res, err := parseSafely(data, opts)
			if err != nil {
				return &exitError{code: 1, err: fmt.Errorf("%s: %s", args[0], userMessage(err))}
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			printStatements(cmd, args[0], res)
			return nil
		},
	}
	st.Flags().StringVar(&format, "format", "auto", "auto, camt, mt940, ofx or csv")
	st.Flags().StringVar(&profile, "csv-profile", "", "CSV column profile: a built-in profile's name or a JSON file")
	st.Flags().BoolVar(&asJSON, "json", false, "print the normalised JSON")
	cmd.AddCommand(st, newParseEinvoiceCmd(), newParsePaymentStatusCmd())
	return cmd
}

// parseSafely turns a parser panic into an error: a bad file must never
// crash the command, whatever a parser's bug.
func parseSafely(data []byte, opts statementfile.Options) (res *statement.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("the file could not be read (internal error: %v); please report it with the file", p)
		}
	}()
	return statementfile.Parse(data, opts)
}

// csvProfile finds a built-in profile by name, or reads one from a JSON file.
func csvProfile(name string) (csvimport.Profile, error) {
	var names []string
	for _, p := range csvimport.BuiltinProfiles() {
		if strings.EqualFold(p.Name, name) {
			return p, nil
		}
		names = append(names, fmt.Sprintf("%q", p.Name))
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return csvimport.Profile{}, fmt.Errorf("--csv-profile %q is neither a built-in profile (%s) nor a readable file", name, strings.Join(names, ", "))
	}
	var p csvimport.Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return csvimport.Profile{}, fmt.Errorf("--csv-profile %s: %w", name, err)
	}
	return p, nil
}

func printStatements(cmd *cobra.Command, file string, res *statement.Result) {
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%s: %s, %d statement(s)\n", file, res.Format, len(res.Statements))
	for _, s := range res.Statements {
		acct := s.Account.IBAN
		if acct == "" {
			acct = s.Account.Number
		}
		fmt.Fprintf(out, "\n%s %s  %s … %s  id %s\n", acct, s.Account.Currency, s.FromDate, s.ToDate, s.ID)
		if s.OpeningBalance != nil {
			fmt.Fprintf(out, "  opening %14s on %s\n", statement.Decimal(s.OpeningBalance.Amount), s.OpeningBalance.Date)
		}
		for _, e := range s.Entries {
			fmt.Fprintf(out, "  %s %14s %s  %s  %s\n", e.BookingDate, statement.Decimal(e.Amount), e.Amount.Currency, e.Counterparty.Name, e.Remittance)
		}
		if s.ClosingBalance != nil {
			fmt.Fprintf(out, "  closing %14s on %s\n", statement.Decimal(s.ClosingBalance.Amount), s.ClosingBalance.Date)
		}
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(cmd.ErrOrStderr(), "%s:%s\n", file, w)
	}
}
