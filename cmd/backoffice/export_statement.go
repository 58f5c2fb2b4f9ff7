package main

import (
	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/invoice"
)

func newExportStatementCmd() *cobra.Command {
	var dsn, company, partyID, date, out string
	cmd := &cobra.Command{
		Use:   "statement",
		Short: "Write a customer's statement of account as PDF",
		Long: `statement writes a customer's statement of account at --date (today by default) as PDF, in the
customer's language (English, German or French): the receivables open at that date with their due
dates and days overdue, the balance and its ageing, and the documents issued and payments received
in that month up to the date, with the company's bank details for payment.`,
		Example: `  backoffice export statement --db data.db --company DEMO --party 12 --date 2026-03-31 > statement.pdf
  backoffice export statement --db data.db --company DEMO --party 12 --out statement.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			id, err := backoffice.ParseID(partyID)
			if err != nil {
				return &backoffice.Error{Code: backoffice.EInvalid, Message: "--party is not a party id", Fields: map[string]string{"party": "must be a party id"}}
			}
			var asOf backoffice.Date
			if date != "" {
				if asOf, err = backoffice.ParseDate(date); err != nil {
					return &backoffice.Error{Code: backoffice.EInvalid, Message: "--date is not a date", Fields: map[string]string{"date": "must be a date as YYYY-MM-DD"}}
				}
			}
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			data, err := a.inv.StatementPDF(ctx, c.ID, id, asOf)
			if err != nil {
				return err
			}
			w, closeOut, err := output(cmd, out)
			if err != nil {
				return err
			}
			defer closeOut()
			_, err = w.Write(data)
			return err
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&partyID, "party", "", "the customer's id (required)")
	cmd.Flags().StringVar(&date, "date", "", "the statement date, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&out, "out", "", "write to this file instead of stdout")
	_ = cmd.MarkFlagRequired("company")
	_ = cmd.MarkFlagRequired("party")
	return cmd
}

// writePrinted writes the stored PDF or Factur-X of a posted invoice or
// credit note (printed and stored on first use) for export invoice.
func writePrinted(cmd *cobra.Command, inv *invoice.Service, companyID, id backoffice.ID, format, out string) error {
	var data []byte
	var err error
	if format == invoice.FormatFacturX {
		data, err = inv.FacturX(cmd.Context(), companyID, id)
	} else {
		data, err = inv.PDF(cmd.Context(), companyID, id)
	}
	if err != nil {
		return err
	}
	w, closeOut, err := output(cmd, out)
	if err != nil {
		return err
	}
	defer closeOut()
	_, err = w.Write(data)
	return err
}
