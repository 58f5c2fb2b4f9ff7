package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/access"
	"backoffice/csvio"
	"backoffice/ledger"
	"backoffice/pdf"
)

// Printed reports from the command line: every report command takes
// --format pdf and writes the PDF to standard output.

// writePDF prints a report to standard output under the company's
// heading (its name and logo, made now), unless standard output is a
// terminal, where a PDF would only scramble the screen.
func writePDF(cmd *cobra.Command, a *app, c access.Company, write func(io.Writer, pdf.Heading) error) error {
	w := cmd.OutOrStdout()
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return fmt.Errorf("--format pdf writes a binary file: redirect standard output to a file (> report.pdf)")
		}
	}
	h := pdf.Heading{Company: c.Name, Generated: time.Now()}
	if h.Company == "" {
		h.Company = c.Code
	}
	_, logo, err := a.party.Logo(cmd.Context(), c.ID)
	switch {
	case err == nil:
		h.Logo = logo
	case backoffice.ErrorCode(err) != backoffice.ENotFound:
		return err
	}
	return write(w, h)
}

// groupMember names a company of a consolidation, with the rate it is
// translated at when it has one.
func groupMember(c access.Company, rate string) string {
	if rate == "" {
		return c.Name
	}
	return c.Name + " (" + string(c.Currency) + " at " + rate + ")"
}

// consolidated prints a group's report under the names of its companies.
func consolidated(names []string, title string, write func(io.Writer, pdf.Heading) error) func(io.Writer, pdf.Heading) error {
	return func(w io.Writer, h pdf.Heading) error {
		h.Company, h.Title = strings.Join(names, ", "), title
		return write(w, h)
	}
}

func newAccountStatementCmd() *cobra.Command {
	var f reportFlags
	var account, from, to string
	cmd := &cobra.Command{
		Use:   "account-statement",
		Short: "Print an account's posted lines with the running balance",
		Long: `account-statement prints the posted lines of the --account code from --from to --to (both
open by default): the opening balance, each line's debit or credit in the company
currency with the running balance after it, and the closing balance. CSV has the header
date,number,reference,narration,memo,debit,credit,balance.`,
		Example: `  backoffice report account-statement --db data.db --company ACME --account 1110 --from 2026-01-01 --to 2026-03-31
  backoffice report account-statement --db data.db --company ACME --account 1200 --format pdf > receivables.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			start, err := dateFlag("from", from, backoffice.Date{})
			if err != nil {
				return err
			}
			end, err := dateFlag("to", to, backoffice.Date{})
			if err != nil {
				return err
			}
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			acct, err := a.ledger.AccountByCode(ctx, c.ID, strings.TrimSpace(account))
			if err != nil {
				return fmt.Errorf("--account %s: %w", account, err)
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, func(w io.Writer, h pdf.Heading) error {
					return a.ledger.WriteAccountStatementPDF(ctx, w, h, c.ID, acct.ID, start, end)
				})
			}
			st, err := wholeStatement(cmd, a.ledger, c.ID, acct.ID, start, end)
			if err != nil {
				return err
			}
			return writeAccountStatement(cmd.OutOrStdout(), f.format, st)
		},
	}
	f.register(cmd, "")
	cmd.Flags().StringVar(&account, "account", "", "the account's code (required)")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (default the first posting)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (default the last posting)")
	_ = cmd.MarkFlagRequired("account")
	return cmd
}

// wholeStatement reads every page of an account's statement into one.
func wholeStatement(cmd *cobra.Command, l *ledger.Service, company, account backoffice.ID, from, to backoffice.Date) (ledger.Statement, error) {
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	var all ledger.Statement
	for {
		st, err := l.AccountStatement(cmd.Context(), company, account, from, to, page)
		if err != nil {
			return all, err
		}
		if page.After == "" {
			all = st
		} else {
			all.Lines = append(all.Lines, st.Lines...)
		}
		if st.Next == "" {
			all.Next = ""
			return all, nil
		}
		page.After = st.Next
	}
}

// writeAccountStatement prints the statement as csv, json or a table.
func writeAccountStatement(w io.Writer, format string, st ledger.Statement) error {
	money := func(v int64) string { return amount(v, st.Currency) }
	sides := func(v int64) (string, string) {
		if v < 0 {
			return "", money(-v)
		}
		return money(v), ""
	}
	switch format {
	case "csv":
		rows := func(yield func([]string) bool) {
			for _, l := range st.Lines {
				dr, cr := sides(l.CompanyAmount)
				if !yield([]string{l.Date.String(), l.Number, l.Reference, l.Narration, l.Memo, dr, cr, money(l.Balance)}) {
					return
				}
			}
		}
		return csvio.Export(w, []string{"date", "number", "reference", "narration", "memo", "debit", "credit", "balance"}, rows)
	case "json":
		type line struct {
			Date      backoffice.Date `json:"date"`
			Number    string          `json:"number"`
			Reference string          `json:"reference,omitempty"`
			Narration string          `json:"narration"`
			Memo      string          `json:"memo,omitempty"`
			Amount    string          `json:"amount"` // company currency, debit positive
			Balance   string          `json:"balance"`
		}
		out := []line{}
		for _, l := range st.Lines {
			out = append(out, line{l.Date, l.Number, l.Reference, l.Narration, l.Memo, money(l.CompanyAmount), money(l.Balance)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"account": st.Account.Code, "name": st.Account.Name, "currency": st.Currency,
			"from": st.From, "to": st.To, "opening": money(st.Opening), "closing": money(st.Closing), "lines": out})
	case "table":
		lines := [][]string{{st.Account.Code + " " + st.Account.Name}, {"date", "number", "text", "debit (" + string(st.Currency) + ")", "credit", "balance"},
			{"", "", "Opening balance", "", "", money(st.Opening)}}
		for _, l := range st.Lines {
			dr, cr := sides(l.CompanyAmount)
			lines = append(lines, []string{l.Date.String(), l.Number, l.Text(), dr, cr, money(l.Balance)})
		}
		lines = append(lines, []string{"", "", "Closing balance", "", "", money(st.Closing)})
		_, err := io.WriteString(w, aligned(lines, 3))
		return err
	}
	return fmt.Errorf("--format must be csv, json, table or pdf, not %q", format)
}
