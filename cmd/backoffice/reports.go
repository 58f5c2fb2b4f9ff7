package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"backoffice"
	"backoffice/ledger"
	"backoffice/pdf"
)

// reportFlags are the flags the financial report commands share.
type reportFlags struct {
	dsn, company, format string
	compare              []string
}

func (f *reportFlags) register(cmd *cobra.Command, compare string) {
	dbFlag(cmd, &f.dsn)
	cmd.Flags().StringVar(&f.company, "company", "", "company code (required)")
	cmd.Flags().StringVar(&f.format, "format", "table", "csv, json, table or pdf")
	if compare != "" {
		cmd.Flags().StringSliceVar(&f.compare, "compare", nil, "comparison columns, separated by commas: "+compare)
	}
	_ = cmd.MarkFlagRequired("company")
}

// compareFlag reads --compare; budget only where the report has it.
func compareFlag(names []string, budget bool) (ledger.Compare, error) {
	var c ledger.Compare
	for _, n := range names {
		switch strings.TrimSpace(n) {
		case "previous_period":
			c.PreviousPeriod = true
		case "last_year":
			c.LastYear = true
		case "budget":
			if !budget {
				return c, fmt.Errorf("--compare: the balance sheet has no budget column")
			}
			c.Budget = true
		default:
			return c, fmt.Errorf("--compare: %q is not a column (previous_period, last_year%s)", n, map[bool]string{true: ", budget"}[budget])
		}
	}
	return c, nil
}

// dateFlag parses a YYYY-MM-DD flag value; empty gives def.
func dateFlag(name, v string, def backoffice.Date) (backoffice.Date, error) {
	if v == "" {
		return def, nil
	}
	d, err := backoffice.ParseDate(v)
	if err != nil {
		return d, fmt.Errorf("--%s: %w", name, err)
	}
	return d, nil
}

// fiscalYearStart is the first day of the company's fiscal year holding d,
// or 1 January of d's year when the books have no such year.
func fiscalYearStart(ctx context.Context, l *ledger.Service, company backoffice.ID, d backoffice.Date) (backoffice.Date, error) {
	years, err := l.FiscalYears(ctx, company)
	if err != nil {
		return backoffice.Date{}, err
	}
	for _, y := range years {
		if !d.Before(y.Start) && !y.End.Before(d) {
			return y.Start, nil
		}
	}
	return backoffice.NewDate(d.Year, 1, 1), nil
}

func newBalanceSheetCmd() *cobra.Command {
	var f reportFlags
	var date string
	cmd := &cobra.Command{
		Use:   "balance-sheet",
		Short: "Print the balance sheet at a date",
		Long: `balance-sheet prints assets, liabilities and equity at the end of --date (today by default),
groups with their sub-accounts indented, each section's total, and whether assets equal
liabilities plus equity. --compare adds columns: previous_period (a month earlier) and
last_year. Amounts are plain decimals in the company currency. CSV has the header
section,code,name,level and one column per report column.`,
		Example: `  backoffice report balance-sheet --db data.db --company ACME --date 2026-12-31 --compare previous_period,last_year
  backoffice report balance-sheet --db data.db --company ACME --format csv > bs.csv
  backoffice report balance-sheet --db data.db --company ACME --date 2026-12-31 --format pdf > bs.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cmp, err := compareFlag(f.compare, false)
			if err != nil {
				return err
			}
			at, err := dateFlag("date", date, backoffice.DateOf(time.Now()))
			if err != nil {
				return err
			}
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			bs, err := a.ledger.BalanceSheet(ctx, c.ID, at, cmp)
			if err != nil {
				return err
			}
			if f.format == "csv" {
				return bs.WriteCSV(cmd.OutOrStdout())
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, bs.WritePDF)
			}
			return writeStatement(cmd.OutOrStdout(), f.format, statementReport{Currency: bs.Currency, Columns: bs.Columns,
				Sections: []ledger.Section{bs.Assets, bs.Liabilities, bs.Equity},
				Totals:   []statementTotal{{"Liabilities and equity", bs.LiabilitiesAndEquity}}, Balanced: &bs.Balanced,
				Check: "assets equal liabilities plus equity"})
		},
	}
	f.register(cmd, "previous_period, last_year")
	cmd.Flags().StringVar(&date, "date", "", "balances at the end of this day, YYYY-MM-DD (default today)")
	return cmd
}

func newIncomeStatementCmd() *cobra.Command {
	var f reportFlags
	var from, to string
	cmd := &cobra.Command{
		Use:   "income-statement",
		Short: "Print the income statement for a period",
		Long: `income-statement prints income and expenses from --from to --to (by default the current
fiscal year to date) and the net profit. --compare adds columns: previous_period (the
period of the same length just before), last_year and budget. Amounts are plain decimals
in the company currency; CSV is like the balance sheet's.`,
		Example: `  backoffice report income-statement --db data.db --company ACME --from 2026-01-01 --to 2026-06-30 --compare last_year,budget
  backoffice report income-statement --db data.db --company ACME --format csv > pl.csv
  backoffice report income-statement --db data.db --company ACME --compare previous_period --format pdf > pl.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cmp, err := compareFlag(f.compare, true)
			if err != nil {
				return err
			}
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			start, end, err := periodFlags(ctx, a.ledger, c.ID, from, to)
			if err != nil {
				return err
			}
			is, err := a.ledger.IncomeStatement(ctx, c.ID, start, end, cmp)
			if err != nil {
				return err
			}
			if f.format == "csv" {
				return is.WriteCSV(cmd.OutOrStdout())
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, is.WritePDF)
			}
			return writeStatement(cmd.OutOrStdout(), f.format, statementReport{Currency: is.Currency, Columns: is.Columns,
				Sections: []ledger.Section{is.Income, is.Expenses}, Totals: []statementTotal{{"Net profit", is.NetProfit}}})
		},
	}
	f.register(cmd, "previous_period, last_year, budget")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (default the start of the fiscal year of --to)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (default today)")
	return cmd
}

// periodFlags reads --from and --to: to defaults to today, from to the
// start of the fiscal year that to falls in.
func periodFlags(ctx context.Context, l *ledger.Service, company backoffice.ID, from, to string) (backoffice.Date, backoffice.Date, error) {
	end, err := dateFlag("to", to, backoffice.DateOf(time.Now()))
	if err != nil {
		return end, end, err
	}
	start, err := dateFlag("from", from, backoffice.Date{})
	if err == nil && start.IsZero() {
		start, err = fiscalYearStart(ctx, l, company, end)
	}
	return start, end, err
}

// statementReport is a balance sheet or income statement as the table and
// JSON outputs print it.
type statementReport struct {
	Currency backoffice.Currency
	Columns  []ledger.Column
	Sections []ledger.Section
	Totals   []statementTotal
	Balanced *bool  // balance sheets and cash flows only
	Check    string // what Balanced says, such as "assets equal liabilities plus equity"
}

type statementTotal struct {
	Label   string
	Amounts []int64
}

func (r statementReport) amounts(v []int64) []string {
	out := make([]string, len(v))
	for i, a := range v {
		out[i] = amount(a, r.Currency)
	}
	return out
}

// writeStatement prints the report as json or an aligned table.
func writeStatement(w io.Writer, format string, r statementReport) error {
	switch format {
	case "json":
		return writeStatementJSON(w, r)
	case "table":
		return writeStatementTable(w, r)
	}
	return fmt.Errorf("--format must be csv, json, table or pdf, not %q", format)
}

func writeStatementJSON(w io.Writer, r statementReport) error {
	type row struct {
		Code    string   `json:"code,omitempty"`
		Name    string   `json:"name"`
		Level   int      `json:"level"`
		Group   bool     `json:"group"`
		Amounts []string `json:"amounts"`
	}
	type section struct {
		Key   string   `json:"key"`
		Label string   `json:"label"`
		Rows  []row    `json:"rows"`
		Total []string `json:"total"`
	}
	type total struct {
		Label   string   `json:"label"`
		Amounts []string `json:"amounts"`
	}
	out := struct {
		Currency backoffice.Currency `json:"currency"`
		Columns  []ledger.Column     `json:"columns"`
		Sections []section           `json:"sections"`
		Totals   []total             `json:"totals"`
		Balanced *bool               `json:"balanced,omitempty"`
	}{Currency: r.Currency, Columns: r.Columns, Balanced: r.Balanced}
	for _, s := range r.Sections {
		sec := section{Key: s.Key, Label: s.Label, Rows: []row{}, Total: r.amounts(s.Total)}
		for _, x := range s.Rows {
			sec.Rows = append(sec.Rows, row{x.Code, x.Name, x.Level, x.Group, r.amounts(x.Amounts)})
		}
		out.Sections = append(out.Sections, sec)
	}
	for _, t := range r.Totals {
		out.Totals = append(out.Totals, total{t.Label, r.amounts(t.Amounts)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeStatementTable prints one line per row, sub-accounts indented under
// their group, amounts right-aligned in one column per report column.
func writeStatementTable(w io.Writer, r statementReport) error {
	head := []string{"account (" + string(r.Currency) + ")"}
	for _, c := range r.Columns {
		head = append(head, c.Label)
	}
	lines := [][]string{head}
	for _, s := range r.Sections {
		lines = append(lines, []string{s.Label})
		for _, x := range s.Rows {
			lines = append(lines, append([]string{strings.Repeat("  ", x.Level+1) + strings.TrimSpace(x.Code+" "+x.Name)}, r.amounts(x.Amounts)...))
		}
		lines = append(lines, append([]string{"Total " + s.Label}, r.amounts(s.Total)...))
	}
	for _, t := range r.Totals {
		lines = append(lines, append([]string{t.Label}, r.amounts(t.Amounts)...))
	}
	var b strings.Builder
	b.WriteString(aligned(lines, 1))
	if r.Balanced != nil {
		b.WriteString(map[bool]string{true: "Balanced: ", false: "NOT balanced, expected: "}[*r.Balanced] + r.Check + ".\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// aligned lays lines out in columns two spaces apart, the columns from
// right on right-aligned (amounts); a line of one cell is printed as it is.
func aligned(lines [][]string, right int) string {
	var widths []int
	for _, l := range lines {
		for i, c := range l {
			if len(l) == 1 {
				break
			}
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	for _, l := range lines {
		var one strings.Builder
		for i, c := range l {
			pad := ""
			if len(l) > 1 {
				pad = strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			}
			switch {
			case i == 0:
				one.WriteString(c + pad)
			case i >= right:
				one.WriteString("  " + pad + c)
			default:
				one.WriteString("  " + c + pad)
			}
		}
		b.WriteString(strings.TrimRight(one.String(), " ") + "\n")
	}
	return b.String()
}

func newCashFlowCmd() *cobra.Command {
	var f reportFlags
	var from, to string
	cmd := &cobra.Command{
		Use:   "cash-flow",
		Short: "Print the cash-flow statement for a period",
		Long: `cash-flow prints where the cash of --from to --to (by default the current fiscal year to
date) came from and went, by the indirect method: the profit, non-cash adjustments and
changes in working capital, then investing and financing, each section's total, the net
change and the movement of the cash and bank accounts, which it equals. CSV has the header
section,class,code,name,amount.`,
		Example: `  backoffice report cash-flow --db data.db --company ACME --from 2026-01-01 --to 2026-12-31
  backoffice report cash-flow --db data.db --company ACME --format csv > cf.csv
  backoffice report cash-flow --db data.db --company ACME --format pdf > cf.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			start, end, err := periodFlags(ctx, a.ledger, c.ID, from, to)
			if err != nil {
				return err
			}
			cf, err := a.ledger.CashFlow(ctx, c.ID, start, end)
			if err != nil {
				return err
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, cf.WritePDF)
			}
			return writeCashFlow(cmd.OutOrStdout(), f.format, cf)
		},
	}
	f.register(cmd, "")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (default the start of the fiscal year of --to)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (default today)")
	return cmd
}

// writeCashFlow prints the statement as csv, json or an aligned table.
func writeCashFlow(w io.Writer, format string, cf ledger.CashFlow) error {
	money := func(v int64) string { return amount(v, cf.Currency) }
	switch format {
	case "csv":
		return cf.WriteCSV(w)
	case "json":
		type row struct {
			Class  string `json:"class"`
			Code   string `json:"code,omitempty"`
			Name   string `json:"name"`
			Amount string `json:"amount"`
		}
		type section struct {
			Label string `json:"label"`
			Rows  []row  `json:"rows"`
			Total string `json:"total"`
		}
		out := map[string]any{"currency": cf.Currency, "from": cf.From, "to": cf.To, "profit": money(cf.Profit), "net_change": money(cf.NetChange),
			"cash_opening": money(cf.CashOpening), "cash_closing": money(cf.CashClosing), "cash_change": money(cf.CashChange), "balanced": cf.Balanced}
		for _, s := range []ledger.CashFlowSection{cf.Operating, cf.Investing, cf.Financing} {
			sec := section{Label: s.Label, Rows: []row{}, Total: money(s.Total)}
			for _, r := range s.Rows {
				sec.Rows = append(sec.Rows, row{r.Class, r.Code, r.Name, money(r.Amount)})
			}
			out[s.Key] = sec
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "table":
		r := statementReport{Currency: cf.Currency, Columns: []ledger.Column{{Label: cf.From.String() + " – " + cf.To.String()}}}
		for _, s := range []ledger.CashFlowSection{cf.Operating, cf.Investing, cf.Financing} {
			sec := ledger.Section{Label: s.Label, Total: []int64{s.Total}}
			for _, x := range s.Rows {
				sec.Rows = append(sec.Rows, ledger.ReportRow{Code: x.Code, Name: x.Name, Amounts: []int64{x.Amount}})
			}
			r.Sections = append(r.Sections, sec)
		}
		r.Totals = []statementTotal{{"Net change in cash", []int64{cf.NetChange}}, {"Cash at the start", []int64{cf.CashOpening}},
			{"Cash at the end", []int64{cf.CashClosing}}}
		r.Balanced, r.Check = &cf.Balanced, "the net change equals the movement of the cash and bank accounts"
		return writeStatementTable(w, r)
	}
	return fmt.Errorf("--format must be csv, json, table or pdf, not %q", format)
}

func newGeneralLedgerCmd() *cobra.Command {
	var f reportFlags
	var from, to string
	var accounts []string
	cmd := &cobra.Command{
		Use:   "general-ledger",
		Short: "Print every posted line of a period, account by account",
		Long: `general-ledger prints, for every account with postings from --from to --to (by default the
current fiscal year to date) or only the --account codes given, the balance before the
period, each posted line with the running balance after it, and the closing balance, in
the company currency. CSV has the header account,date,number,reference,narration,amount,balance
with an opening-balance row first for each account.`,
		Example: `  backoffice report general-ledger --db data.db --company ACME --from 2026-01-01 --to 2026-03-31
  backoffice report general-ledger --db data.db --company ACME --account 1110,1200 --format csv > gl.csv
  backoffice report general-ledger --db data.db --company ACME --from 2026-01-01 --to 2026-03-31 --format pdf > gl.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			filter := ledger.GeneralLedgerFilter{}
			if filter.From, filter.To, err = periodFlags(ctx, a.ledger, c.ID, from, to); err != nil {
				return err
			}
			for _, code := range accounts {
				acct, err := a.ledger.AccountByCode(ctx, c.ID, strings.TrimSpace(code))
				if err != nil {
					return fmt.Errorf("--account %s: %w", code, err)
				}
				filter.AccountIDs = append(filter.AccountIDs, acct.ID)
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, func(w io.Writer, h pdf.Heading) error {
					return a.ledger.WriteGeneralLedgerPDF(ctx, w, h, c.ID, filter)
				})
			}
			gl, err := wholeGeneralLedger(ctx, a.ledger, c.ID, filter, 1000)
			if err != nil {
				return err
			}
			return writeGeneralLedger(cmd.OutOrStdout(), f.format, gl)
		},
	}
	f.register(cmd, "")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (default the start of the fiscal year of --to)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (default today)")
	cmd.Flags().StringSliceVar(&accounts, "account", nil, "only these account codes, separated by commas (default every account that moved)")
	return cmd
}

// wholeGeneralLedger reads every page of the general ledger, pageSize lines
// each, into one, joining an account that a page boundary splits.
func wholeGeneralLedger(ctx context.Context, l *ledger.Service, company backoffice.ID, f ledger.GeneralLedgerFilter, pageSize int) (ledger.GeneralLedger, error) {
	var all ledger.GeneralLedger
	f.Page = backoffice.Page{Limit: pageSize}
	for {
		gl, err := l.GeneralLedger(ctx, company, f)
		if err != nil {
			return all, err
		}
		if all.Accounts == nil {
			all = gl
		} else {
			for _, a := range gl.Accounts {
				if n := len(all.Accounts); a.Continued && n > 0 && all.Accounts[n-1].AccountID == a.AccountID {
					all.Accounts[n-1].Lines = append(all.Accounts[n-1].Lines, a.Lines...)
					continue
				}
				all.Accounts = append(all.Accounts, a)
			}
		}
		if gl.Next == "" {
			all.Next = ""
			return all, nil
		}
		f.Page.After = gl.Next
	}
}

// writeGeneralLedger prints the general ledger as csv, json or a table.
func writeGeneralLedger(w io.Writer, format string, gl ledger.GeneralLedger) error {
	money := func(v int64) string { return amount(v, gl.Currency) }
	switch format {
	case "csv":
		return gl.WriteCSV(w)
	case "json":
		type line struct {
			Date      backoffice.Date `json:"date"`
			Number    string          `json:"number"`
			Reference string          `json:"reference,omitempty"`
			Narration string          `json:"narration"`
			Amount    string          `json:"amount"` // company currency, debit positive
			Balance   string          `json:"balance"`
		}
		type account struct {
			Code    string `json:"code"`
			Name    string `json:"name"`
			Opening string `json:"opening"`
			Closing string `json:"closing"`
			Lines   []line `json:"lines"`
		}
		out := []account{}
		for _, a := range gl.Accounts {
			ao := account{Code: a.Code, Name: a.Name, Opening: money(a.Opening), Closing: money(a.Closing), Lines: []line{}}
			for _, l := range a.Lines {
				ao.Lines = append(ao.Lines, line{l.Date, l.Number, l.Reference, l.Narration, money(l.CompanyAmount), money(l.Balance)})
			}
			out = append(out, ao)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"currency": gl.Currency, "from": gl.From, "to": gl.To, "accounts": out})
	case "table":
		lines := [][]string{{"date", "number", "text", "amount (" + string(gl.Currency) + ")", "balance"}}
		for _, a := range gl.Accounts {
			lines = append(lines, []string{a.Code + " " + a.Name}, []string{gl.From.String(), "", "Opening balance", "", money(a.Opening)})
			for _, l := range a.Lines {
				lines = append(lines, []string{l.Date.String(), l.Number, strings.TrimSpace(l.Reference + " " + l.Narration), money(l.CompanyAmount), money(l.Balance)})
			}
			lines = append(lines, []string{gl.To.String(), "", "Closing balance", "", money(a.Closing)})
		}
		_, err := io.WriteString(w, aligned(lines, 3))
		return err
	}
	return fmt.Errorf("--format must be csv, json, table or pdf, not %q", format)
}

func newJournalReportCmd() *cobra.Command {
	var f reportFlags
	var journal, from, to string
	cmd := &cobra.Command{
		Use:   "journal",
		Short: "Print a journal's posted entries in number order, with their lines",
		Long: `journal prints the journal listing of --journal: its posted entries dated --from to --to (open
ends by default) in number order, each line with its account and its debit or credit in company
currency. CSV has the header number,date,reference,narration,account,debit,credit,currency,amount,memo
(amount in the line's own currency); JSON gives the entries with their lines.`,
		Example: `  backoffice report journal --db data.db --company ACME --journal SAL --from 2026-01-01 --to 2026-03-31
  backoffice report journal --db data.db --company ACME --journal BNK --format csv > bank-journal.csv
  backoffice report journal --db data.db --company ACME --journal GEN --format pdf > general-journal.pdf`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			j, err := a.ledger.JournalByCode(ctx, c.ID, journal)
			if err != nil {
				return fmt.Errorf("--journal: %w", err)
			}
			start, err := dateFlag("from", from, backoffice.Date{})
			if err != nil {
				return err
			}
			end, err := dateFlag("to", to, backoffice.Date{})
			if err != nil {
				return err
			}
			if f.format == "pdf" {
				return writePDF(cmd, a, c, func(w io.Writer, h pdf.Heading) error {
					return a.ledger.WriteJournalListingPDF(ctx, w, h, c.ID, j.ID, start, end)
				})
			}
			jl, err := wholeJournal(ctx, a.ledger, c.ID, j.ID, start, end)
			if err != nil {
				return err
			}
			return writeJournal(cmd.OutOrStdout(), f.format, jl, c.Currency)
		},
	}
	f.register(cmd, "")
	cmd.Flags().StringVar(&journal, "journal", "", "journal code (required)")
	cmd.Flags().StringVar(&from, "from", "", "first day, YYYY-MM-DD (default the first entry)")
	cmd.Flags().StringVar(&to, "to", "", "last day, YYYY-MM-DD (default the last entry)")
	_ = cmd.MarkFlagRequired("journal")
	return cmd
}

// wholeJournal reads every page of a journal listing.
func wholeJournal(ctx context.Context, l *ledger.Service, company, journal backoffice.ID, from, to backoffice.Date) (ledger.JournalListing, error) {
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	var out ledger.JournalListing
	for {
		jl, err := l.JournalListing(ctx, company, journal, from, to, page)
		if err != nil {
			return out, err
		}
		entries := append(out.Entries, jl.Entries...)
		out, out.Entries = jl, entries
		if jl.Next == "" {
			out.Next = ""
			return out, nil
		}
		page.After = jl.Next
	}
}

// writeJournal prints a journal listing as csv, json or an aligned table.
func writeJournal(w io.Writer, format string, jl ledger.JournalListing, base backoffice.Currency) error {
	money := func(v int64) string { return amount(v, base) }
	switch format {
	case "csv":
		return jl.WriteCSV(w)
	case "json":
		type line struct {
			Account  string              `json:"account"`
			Debit    string              `json:"debit,omitempty"`
			Credit   string              `json:"credit,omitempty"`
			Currency backoffice.Currency `json:"currency"`
			Amount   string              `json:"amount"`
			Memo     string              `json:"memo,omitempty"`
		}
		type entry struct {
			Number    string          `json:"number"`
			Date      backoffice.Date `json:"date"`
			Reference string          `json:"reference,omitempty"`
			Narration string          `json:"narration,omitempty"`
			Lines     []line          `json:"lines"`
		}
		out := []entry{}
		for _, e := range jl.Entries {
			en := entry{Number: e.Number, Date: e.Date, Reference: e.Reference, Narration: e.Narration}
			for _, l := range e.Lines {
				ln := line{Account: l.AccountCode, Currency: l.Currency, Amount: amount(l.Amount, l.Currency), Memo: l.Memo}
				if l.CompanyAmount >= 0 {
					ln.Debit = money(l.CompanyAmount)
				} else {
					ln.Credit = money(-l.CompanyAmount)
				}
				en.Lines = append(en.Lines, ln)
			}
			out = append(out, en)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"journal": jl.Journal.Code, "currency": base, "entries": out})
	case "table":
		lines := [][]string{{"Number", "Date", "Account / text", "Debit", "Credit"}}
		var total int64
		for _, e := range jl.Entries {
			text := strings.TrimSpace(e.Narration + " " + e.Reference)
			lines = append(lines, []string{e.Number, e.Date.String(), text, "", ""})
			for _, l := range e.Lines {
				d, c := "", ""
				if l.CompanyAmount >= 0 {
					d = money(l.CompanyAmount)
				} else {
					c = money(-l.CompanyAmount)
				}
				lines = append(lines, []string{"", "", "  " + l.AccountCode, d, c})
			}
			total += e.Amount
		}
		lines = append(lines, []string{"Total", "", "", money(total), money(total)})
		_, err := fmt.Fprintf(w, "Journal %s · %s, %s\n%s", jl.Journal.Code, jl.Journal.Name, base, aligned(lines, 3))
		return err
	}
	return fmt.Errorf("--format must be csv, json, table or pdf, not %q", format)
}

func newConsolidatedCmd() *cobra.Command {
	var f reportFlags
	var companies, rates []string
	var report, currency, date, from, to string
	cmd := &cobra.Command{
		Use:   "consolidated",
		Short: "Print the balance sheet or income statement of several companies as one group",
		Long: `consolidated prints the --report (balance-sheet at --date, or income-statement from --from to
--to) of the --companies as one group in --currency (the first company's by default): each
company's figures translated at its --rate CODE=RATE (group currency per unit of its currency;
needed for every company in another currency), accounts added by code, and accounts flagged
intercompany left out. --company is the first company when --companies is not given. CSV has
the header section,code,name,level,current.`,
		Example: `  backoffice report consolidated --db data.db --company ACME --companies ACME,ACME-US --rate ACME-US=0.92 --date 2026-12-31
  backoffice report consolidated --db data.db --company ACME --companies ACME,ACME-US --rate ACME-US=0.92 \
      --report income-statement --from 2026-01-01 --to 2026-12-31 --format csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			a, c, err := openCompany(ctx, f.dsn, f.company)
			if err != nil {
				return err
			}
			defer a.Close()
			group := backoffice.Currency(strings.ToUpper(currency))
			if group == "" {
				group = c.Currency
			}
			given := map[string]string{}
			for _, r := range rates {
				code, rate, ok := strings.Cut(r, "=")
				if !ok {
					return fmt.Errorf("--rate %q: write CODE=RATE, e.g. ACME-US=0.92", r)
				}
				given[strings.TrimSpace(code)] = strings.TrimSpace(rate)
			}
			if len(companies) == 0 {
				companies = []string{c.Code}
			}
			var members []ledger.Member
			var names []string // for a PDF's heading
			for _, code := range companies {
				m, err := a.access.CompanyByCode(ctx, strings.TrimSpace(code))
				if err != nil {
					return fmt.Errorf("--companies: company %q: %w", code, err)
				}
				rate := given[m.Code]
				if m.Currency == group {
					rate = ""
				}
				members = append(members, ledger.Member{CompanyID: m.ID, Rate: rate})
				names = append(names, groupMember(m, rate))
			}
			out := cmd.OutOrStdout()
			switch report {
			case "balance-sheet":
				at, err := dateFlag("date", date, backoffice.DateOf(time.Now()))
				if err != nil {
					return err
				}
				bs, err := a.ledger.ConsolidatedBalanceSheet(ctx, group, at, members)
				if err != nil {
					return consolidationError(err, companies)
				}
				if f.format == "csv" {
					return bs.WriteCSV(out)
				}
				if f.format == "pdf" {
					return writePDF(cmd, a, c, consolidated(names, "Consolidated balance sheet", bs.WritePDF))
				}
				return writeStatement(out, f.format, statementReport{Currency: bs.Currency, Columns: bs.Columns,
					Sections: []ledger.Section{bs.Assets, bs.Liabilities, bs.Equity},
					Totals:   []statementTotal{{"Liabilities and equity", bs.LiabilitiesAndEquity}}, Balanced: &bs.Balanced,
					Check: "assets equal liabilities plus equity"})
			case "income-statement":
				start, end, err := periodFlags(ctx, a.ledger, c.ID, from, to)
				if err != nil {
					return err
				}
				is, err := a.ledger.ConsolidatedIncomeStatement(ctx, group, start, end, members)
				if err != nil {
					return consolidationError(err, companies)
				}
				if f.format == "csv" {
					return is.WriteCSV(out)
				}
				if f.format == "pdf" {
					return writePDF(cmd, a, c, consolidated(names, "Consolidated income statement", is.WritePDF))
				}
				return writeStatement(out, f.format, statementReport{Currency: is.Currency, Columns: is.Columns,
					Sections: []ledger.Section{is.Income, is.Expenses}, Totals: []statementTotal{{"Net profit", is.NetProfit}}})
			}
			return fmt.Errorf("--report must be balance-sheet or income-statement, not %q", report)
		},
	}
	f.register(cmd, "")
	cmd.Flags().StringSliceVar(&companies, "companies", nil, "company codes of the group, separated by commas (default --company)")
	cmd.Flags().StringArrayVar(&rates, "rate", nil, "CODE=RATE: group currency per unit of that company's currency (repeat per company)")
	cmd.Flags().StringVar(&report, "report", "balance-sheet", "balance-sheet or income-statement")
	cmd.Flags().StringVar(&currency, "currency", "", "group currency (default the currency of --company)")
	cmd.Flags().StringVar(&date, "date", "", "balance sheet at the end of this day, YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&from, "from", "", "income statement from, YYYY-MM-DD (default the start of the fiscal year of --to)")
	cmd.Flags().StringVar(&to, "to", "", "income statement to, YYYY-MM-DD (default today)")
	return cmd
}

// consolidationError names the member behind members[i].field errors:
// "--rate ACME-US: give the rate from USD to EUR as a positive decimal".
func consolidationError(err error, companies []string) error {
	e, ok := err.(*backoffice.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	var msgs []string
	for field, msg := range e.Fields {
		for i, code := range companies {
			if strings.HasPrefix(field, fmt.Sprintf("members[%d].", i)) {
				field = "--" + strings.TrimPrefix(field, fmt.Sprintf("members[%d].", i)) + " " + code
				field = strings.Replace(field, "--company_id", "--companies", 1)
			}
		}
		msgs = append(msgs, field+": "+msg)
	}
	slices.Sort(msgs)
	return errors.New(strings.Join(msgs, "; "))
}
