package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"backoffice/invoice"
)

func newImportEInvoiceCmd() *cobra.Command {
	var dsn, company string
	cmd := &cobra.Command{
		Use:   "einvoice FILE...",
		Short: "Import suppliers' e-invoices (UBL, CII) as draft bills",
		Long: `einvoice reads each file as a UBL 2.1 Invoice or CreditNote or a UN/CEFACT CII invoice and
records it as a draft bill (a credit note as a draft refund) of the company. The supplier is found
by VAT id, Peppol endpoint or legal name, or created from the document; each VAT category and rate
takes the company's tax code of that category and rate, or a new one. Lines whose quantity × price
does not give their net amount in cents are booked as one unit at the net amount.

Every file gets one line: the draft's number and amount, what was created, and each difference
between the document's totals and the bill's. A file that cannot be imported is named with the
reason; the others are still imported. Exit 1 when any file failed.`,
		Example: `  backoffice import einvoice --db data.db --company ACME inbox/*.xml`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, files []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			out, failed := cmd.OutOrStdout(), 0
			for _, f := range files {
				name := filepath.Base(f)
				data, err := os.ReadFile(f)
				if err == nil {
					var res invoice.EInvoiceImport
					res, err = a.inv.ImportEInvoice(ctx, c.ID, data)
					if err == nil {
						d := res.Document
						fmt.Fprintf(out, "%s: draft %s %d from %s, supplier's number %s, %s %s", name, d.Kind, d.ID, d.PartyName, d.SupplierReference,
							amount(d.Totals.Payable, d.Currency), d.Currency)
						if res.SupplierCreated {
							fmt.Fprint(out, ", supplier created")
						}
						for _, code := range res.TaxCodesCreated {
							fmt.Fprintf(out, ", tax code %s created", code)
						}
						fmt.Fprintln(out)
						for _, m := range append(res.Differences, res.Warnings...) {
							fmt.Fprintf(out, "  %s\n", m)
						}
						continue
					}
				}
				failed++
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: not imported: %s\n", name, userMessage(err))
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files were not imported", failed, len(files))
			}
			return nil
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}
