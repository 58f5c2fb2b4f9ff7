package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/csvio"
	"backoffice/ledger"
	"backoffice/pdf"
)

func newAgingCmd() *cobra.Command {
	var dsn, company, kind, date, format string
	var buckets []int
	cmd := &cobra.Command{
		Use:   "aging",
		Short: "Print aged receivables or payables at a date",
		Long: `aging prints what each party owes (--kind receivable) or is owed (--kind payable) at the
end of --date (today by default), by days past the due date: not due, then one column per
bucket (--buckets 30,60,90 gives 1–30, 31–60, 61–90 and over 90 days). Amounts are in the
items' currency, signed like the account (receivables positive, payables negative); the total
row is in company currency and equals the balance of the accounts in the trial balance.`,
		Example: `  backoffice report aging --db data.db --company ACME --kind receivable --date 2026-12-31
  backoffice report aging --db data.db --company ACME --kind payable --buckets 15,30,60 --format csv > ap.csv
  backoffice report aging --db data.db --company ACME --date 2026-12-31 --format pdf > ar.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, dsn, company)
			if err != nil {
				return err
			}
			defer a.Close()
			at, err := dateFlag("date", date, backoffice.Date{})
			if err != nil {
				return err
			}
			ag, err := a.ledger.Aging(ctx, c.ID, ledger.AgingOptions{Kind: kind, AsOf: at, Buckets: buckets})
			if err != nil {
				return err
			}
			names := map[int64]string{0: "(no party)"}
			for _, r := range ag.Rows {
				if _, ok := names[r.PartyID]; ok {
					continue
				}
				names[r.PartyID] = "#" + strconv.FormatInt(r.PartyID, 10)
				if p, err := a.party.Get(ctx, c.ID, backoffice.ID(r.PartyID)); err == nil {
					names[r.PartyID] = p.Name()
				}
			}
			if format == "pdf" {
				return writePDF(cmd, a, c, func(w io.Writer, h pdf.Heading) error { return ag.WritePDF(w, h, names) })
			}
			return writeAging(cmd.OutOrStdout(), format, ag, names)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&kind, "kind", "receivable", "receivable or payable")
	cmd.Flags().StringVar(&date, "date", "", "age at the end of this day, YYYY-MM-DD (default today)")
	cmd.Flags().IntSliceVar(&buckets, "buckets", nil, "upper bounds of the overdue buckets in days (default 30,60,90)")
	cmd.Flags().StringVar(&format, "format", "table", "csv, json, table or pdf")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// writeAging prints the aging as csv, json or an aligned table.
func writeAging(w io.Writer, format string, ag ledger.Aging, names map[int64]string) error {
	header := []string{"party_id", "party", "currency"}
	for _, b := range ag.Buckets {
		header = append(header, b.Label)
	}
	header = append(header, "total", "total_company")
	var rows [][]string
	for _, r := range ag.Rows {
		row := []string{strconv.FormatInt(r.PartyID, 10), names[r.PartyID], string(r.Currency)}
		for _, v := range r.Amounts {
			row = append(row, amount(v, r.Currency))
		}
		rows = append(rows, append(row, amount(r.Total, r.Currency), amount(r.TotalCompany, ag.Currency)))
	}
	total := []string{"", "total", string(ag.Currency)}
	for _, v := range ag.Total {
		total = append(total, amount(v, ag.Currency))
	}
	total = append(total, amount(ag.TotalCompany, ag.Currency), amount(ag.TotalCompany, ag.Currency))
	switch format {
	case "csv":
		return csvio.Export(w, header, slices.Values(rows))
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ag)
	case "table":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, r := range append(append([][]string{header}, rows...), total) {
			for _, cell := range r {
				fmt.Fprint(tw, cell, "\t")
			}
			fmt.Fprintln(tw)
		}
		return tw.Flush()
	}
	return fmt.Errorf("--format must be csv, json or table, not %q", format)
}
