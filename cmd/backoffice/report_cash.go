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
	"backoffice/bank"
	"backoffice/csvio"
)

func newReportCashCmd() *cobra.Command {
	var dsn, company, date, format string
	var weeks int
	cmd := &cobra.Command{
		Use:   "cash",
		Short: "Print the cash position per bank account and the weekly cash forecast",
		Long: `cash prints, at --date (today by default), every active bank account's last statement closing
balance, the ledger balance on that statement's date and at --date, the difference and what explains
it (statement lines not booked, ledger lines not at the bank, a difference brought forward), then the
cash forecast for --weeks weeks in company currency: opening cash (ledger accounts of subtype bank or
cash), receivables and payables still open by due date (overdue ones in week 1), recurring entries
on bank and cash accounts, and the closing cash of each week.
CSV prints the forecast weeks only; JSON prints {"position", "forecast"} with amounts in minor units.`,
		Example: `  backoffice report cash --db data.db --company ACME
  backoffice report cash --db data.db --company ACME --date 2026-06-30 --weeks 26
  backoffice report cash --db data.db --company ACME --format csv > forecast.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "csv" && format != "json" {
				return fmt.Errorf("--format must be csv, json or table, not %q", format)
			}
			if weeks < 1 || weeks > bank.MaxForecastWeeks {
				return fmt.Errorf("--weeks must be 1 to %d, not %d", bank.MaxForecastWeeks, weeks)
			}
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
			p, err := a.bank.Position(ctx, c.ID, at)
			if err != nil {
				return err
			}
			f, err := a.bank.Forecast(ctx, c.ID, p.Date, weeks)
			if err != nil {
				return err
			}
			return writeCash(cmd.OutOrStdout(), format, p, f)
		},
	}
	dbFlag(cmd, &dsn)
	cmd.Flags().StringVar(&company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&date, "date", "", "position at the end of this day and forecast from it, YYYY-MM-DD (default today)")
	cmd.Flags().IntVar(&weeks, "weeks", 13, "weeks of forecast, 1 to 52")
	cmd.Flags().StringVar(&format, "format", "table", "csv, json or table")
	_ = cmd.MarkFlagRequired("company")
	return cmd
}

// writeCash prints the position and the forecast.
func writeCash(w io.Writer, format string, p bank.Position, f bank.Forecast) error {
	c := f.Currency
	switch format {
	case "csv":
		rows := make([][]string, 0, len(f.Weeks))
		for _, wk := range f.Weeks {
			rows = append(rows, []string{strconv.Itoa(wk.Week), wk.From.String(), wk.To.String(), amount(wk.Opening, c), amount(wk.Receivables, c),
				amount(wk.RecurringIn, c), amount(wk.Payables, c), amount(wk.RecurringOut, c), amount(wk.Receipts, c), amount(wk.Payments, c), amount(wk.Closing, c)})
		}
		return csvio.Export(w, []string{"week", "from", "to", "opening", "receivables", "recurring_in", "payables", "recurring_out", "receipts", "payments", "closing"},
			slices.Values(rows))
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Position bank.Position `json:"position"`
			Forecast bank.Forecast `json:"forecast"`
		}{p, f})
	}
	fmt.Fprintf(w, "Cash position at %s\n\n", p.Date)
	if len(p.Accounts) == 0 {
		fmt.Fprintln(w, "No active bank accounts: add one (backoffice bank-account create, or Bank > Bank accounts) to compare statements with the books.")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	if len(p.Accounts) > 0 {
		fmt.Fprintln(tw, "account\tcurrency\tstatement date\tstatement\tledger that day\tdifference\tunexplained\tledger now\t")
	}
	for _, ap := range p.Accounts {
		ac := ap.Currency
		stDate, stBal := "none", "-"
		if !ap.StatementDate.IsZero() {
			stDate, stBal = ap.StatementDate.String(), amount(ap.StatementBalance, ac)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", ap.Account.Name, ac, stDate, stBal, amount(ap.LedgerAtStatement, ac),
			amount(ap.Difference, ac), amount(ap.Unexplained, ac), amount(ap.LedgerToday, ac))
	}
	for _, t := range p.Totals {
		fmt.Fprintf(tw, "total\t%s\t\t%s\t%s\t%s\t\t%s\t\n", t.Currency, amount(t.StatementBalance, t.Currency), amount(t.LedgerAtStatement, t.Currency),
			amount(t.Difference, t.Currency), amount(t.LedgerToday, t.Currency))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, ap := range p.Accounts {
		if ap.Difference == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: difference %s %s\n", ap.Account.Name, amount(ap.Difference, ap.Currency), ap.Currency)
		if ap.BroughtForward != 0 {
			fmt.Fprintf(w, "  %s  brought forward          %s\n", ap.WindowFrom, amount(ap.BroughtForward, ap.Currency))
		}
		for _, it := range ap.Unbooked {
			fmt.Fprintf(w, "  %s  at the bank, not booked  %s  %s\n", it.Date, amount(it.Amount, ap.Currency), it.Text)
		}
		for _, it := range ap.Uncleared {
			fmt.Fprintf(w, "  %s  booked, not at the bank  %s  %s\n", it.Date, amount(-it.Amount, ap.Currency), it.Text)
		}
	}
	fmt.Fprintf(w, "\nCash forecast from %s (%s), %d weeks\n\n", f.From, c, len(f.Weeks))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "week of\topening\treceivables\trecurring in\tpayables\trecurring out\tclosing\t")
	for _, wk := range f.Weeks {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", wk.From, amount(wk.Opening, c), amount(wk.Receivables, c), amount(wk.RecurringIn, c),
			amount(wk.Payables, c), amount(wk.RecurringOut, c), amount(wk.Closing, c))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nOverdue in week 1: %s receivable, %s payable. Due after the last week: %s net.\n",
		amount(f.Overdue, c), amount(f.OverduePayables, c), amount(f.Later, c))
	return nil
}
