package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"backoffice/invoice"
)

func newExportInvoiceCmd() *cobra.Command {
	var dsn, company, number, format, out string
	var allowInvalid bool
	cmd := &cobra.Command{
		Use:   "invoice",
		Short: "Write a posted invoice or credit note as an e-invoice (UBL or CII)",
		Long: `invoice writes a posted invoice or credit note as an EN 16931 e-invoice: --format ubl gives
UBL 2.1 following Peppol BIS Billing 3.0, --format cii a UN/CEFACT Cross Industry Invoice. The
seller is the company's details (backoffice: Company details), the buyer the customer.

The written document is checked with the EN 16931 and Peppol rules first. Warnings go to stderr;
when a rule fails fatally (say the customer has no address or VAT id) nothing is written and the
command exits 1 naming each rule, unless --allow-invalid is given.`,
		Example: `  backoffice export invoice --db data.db --company DEMO --number INV-2026-00042 --format ubl > INV-2026-00042.xml
  backoffice export invoice --db data.db --company DEMO --number CN-2026-00003 --format cii --out cn.xml
  backoffice export invoice --db data.db --company DEMO --number INV-2026-00042 --format facturx > INV-2026-00042.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			doc, err := a.inv.DocumentByNumber(ctx, c.ID, number)
			if err != nil {
				return err
			}
			if f := strings.ToLower(format); f == invoice.FormatPDF || f == invoice.FormatFacturX {
				return writePrinted(cmd, a.inv, c.ID, doc.ID, f, out)
			}
			var b bytes.Buffer
			rep, err := a.inv.ExportEInvoice(ctx, c.ID, doc.ID, strings.ToLower(format), &b)
			if err != nil {
				return err
			}
			var fatal []string
			for _, f := range rep.Errors {
				line := fmt.Sprintf("%s %s: %s (%s)", f.Flag, f.Rule, f.Message, f.Location)
				if f.Flag == "fatal" {
					fatal = append(fatal, line)
				} else {
					fmt.Fprintln(cmd.ErrOrStderr(), line)
				}
			}
			if len(fatal) > 0 && !allowInvalid {
				return fmt.Errorf("%s would not be a valid e-invoice:\n  %s", number, strings.Join(fatal, "\n  "))
			}
			w, closeOut, err := output(cmd, out)
			if err != nil {
				return err
			}
			defer closeOut()
			_, err = w.Write(b.Bytes())
			return err
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&number, "number", "", "the document number, e.g. INV-2026-00042 (required)")
	cmd.Flags().StringVar(&format, "format", invoice.FormatUBL, "ubl, cii, pdf (the printed invoice, stored on first print) or facturx (the PDF with the CII embedded)")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	cmd.Flags().BoolVar(&allowInvalid, "allow-invalid", false, "write the document even when a rule fails fatally")
	_ = cmd.MarkFlagRequired("company")
	_ = cmd.MarkFlagRequired("number")
	return cmd
}
