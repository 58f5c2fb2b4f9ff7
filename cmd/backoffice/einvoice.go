package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"backoffice/einvoice"
)

func newParseEinvoiceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "einvoice FILE",
		Short: "Read a UBL 2.1 or CII e-invoice and print it normalised as JSON",
		Long: `einvoice reads a UBL Invoice, a UBL CreditNote or a UN/CEFACT CII invoice and prints it in one
normalised JSON form: format, customization_id, number, type_code, dates, currency, seller and
buyer, lines, VAT breakdown and document totals (amounts as decimal strings, as written).
Exit status 0 when read, 2 when the file cannot be read.`,
		Example: `  backoffice parse einvoice --json invoice.xml`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			doc, err := readSafely(data)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("%s: %s", args[0], userMessage(err))}
			}
			out, err := doc.NormalisedJSON()
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	}
	cmd.Flags().Bool("json", true, "print JSON (the only output form)")
	return cmd
}

func newValidateCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "validate", Short: "Check a document against its standard's rules"}
	var asJSON bool
	ei := &cobra.Command{
		Use:   "einvoice FILE",
		Short: "Check an e-invoice against the EN 16931 and Peppol BIS 3.0 business rules, offline",
		Long: `einvoice checks a UBL or CII invoice against the EN 16931 business rules (BR-*, BR-CO-*,
BR-DEC-*, the VAT category rules and the code lists) and, when the document claims Peppol BIS
Billing 3.0, the Peppol rules, natively — no Java, no network. Exit status 0 when valid, 1
when a fatal rule fails, 2 when the file cannot be read. --json prints
{"valid":bool,"errors":[{"rule","flag","location","message"}]}.`,
		Example: `  backoffice validate einvoice invoice.xml
  backoffice validate einvoice --json invoice.xml | jq .errors`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return &exitError{code: 2, err: err}
			}
			rep, err := validateSafely(data)
			if err != nil {
				return &exitError{code: 2, err: fmt.Errorf("%s: %s", args[0], userMessage(err))}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				if rep.Errors == nil {
					rep.Errors = []einvoice.Finding{}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				for _, f := range rep.Errors {
					fmt.Fprintf(out, "%s [%s] %s\n    at %s\n", f.Rule, f.Flag, f.Message, f.Location)
				}
				if rep.Valid {
					fmt.Fprintf(out, "%s: valid (%d warnings)\n", args[0], len(rep.Errors))
				}
			}
			if !rep.Valid {
				return &exitError{code: 1, err: fmt.Errorf("%s is not valid: %d finding(s)", args[0], len(rep.Errors))}
			}
			return nil
		},
	}
	ei.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.AddCommand(ei)
	return cmd
}

// readSafely and validateSafely turn a reader panic into an error: no file
// may crash the command.
func readSafely(data []byte) (doc *einvoice.Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("the file could not be read (internal error: %v); please report it with the file", p)
		}
	}()
	return einvoice.Read(data)
}

func validateSafely(data []byte) (rep einvoice.Report, err error) {
	defer func() {
		if p := recover(); p != nil {
			rep, err = einvoice.Report{}, fmt.Errorf("the file could not be checked (internal error: %v); please report it with the file", p)
		}
	}()
	return einvoice.Validate(data)
}
