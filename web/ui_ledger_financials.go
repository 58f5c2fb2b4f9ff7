package web

import (
	"net/http"
	"net/url"

	"backoffice"
	"backoffice/ledger"
)

// financialView is the balance sheet or income statement page: the
// parameters on top, then one table with a column per report column.
type financialView struct {
	Action         string // the form's own URL
	Balance        bool   // a balance sheet (a date) rather than a period
	Date, From, To string
	Options        []compareOption
	Currency       backoffice.Currency
	Columns        []string
	Span           int // the table's column count
	Sections       []financialSection
	Totals         []financialTotal
	ShowBalanced   bool
	Balanced       bool
	CSVURL, Error  string
	PDFURL         string
}

type compareOption struct {
	Key, Label string
	Checked    bool
}

type financialSection struct {
	Label string
	Rows  []financialRow
	Total []string
}

type financialRow struct {
	Code, Name string
	Level      int // indentation class, at most 4
	Group      bool
	URL        string // the account's statement over the column's dates; "" for computed rows and groups
	Cells      []financialCell
}

type financialCell struct{ Amount, URL string }

// compareOptions lists the comparison checkboxes with the request's choices.
func compareOptions(c ledger.Compare, budget bool) []compareOption {
	out := []compareOption{{"previous_period", "Previous period", c.PreviousPeriod}, {"last_year", "Last year", c.LastYear}}
	if budget {
		out = append(out, compareOption{"budget", "Budget", c.Budget})
	}
	return out
}

// statementURL is the account page's statement over a column's dates.
func statementURL(id backoffice.ID, col ledger.Column) string {
	q := url.Values{"to": {col.To.String()}}
	if !col.From.IsZero() {
		q.Set("from", col.From.String())
	}
	return "/ledger/accounts/" + id.String() + "?" + q.Encode() + "#statement"
}

// financialSections turns report sections into rows whose account amounts
// link to the account's statement over that column's dates. Group rows are
// subtotals over their sub-accounts, so they do not link; budget columns
// have no statement behind them.
func financialSections(secs []ledger.Section, cols []ledger.Column, c backoffice.Currency) []financialSection {
	out := make([]financialSection, 0, len(secs))
	for _, s := range secs {
		fs := financialSection{Label: s.Label, Total: amountsOut(s.Total, c)}
		for _, r := range s.Rows {
			row := financialRow{Code: r.Code, Name: r.Name, Level: min(r.Level, 4), Group: r.Group}
			for i, a := range r.Amounts {
				cell := financialCell{Amount: decimal(a, c)}
				if r.AccountID != 0 && !r.Group && i < len(cols) && cols[i].Key != "budget" {
					cell.URL = statementURL(r.AccountID, cols[i])
				}
				row.Cells = append(row.Cells, cell)
			}
			fs.Rows = append(fs.Rows, row)
		}
		out = append(out, fs)
	}
	return out
}

func columnLabels(cols []ledger.Column) []string {
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		out = append(out, c.Label)
	}
	return out
}

// financialError shows a bad parameter on the page, or fails it otherwise.
func (s *Server) financialError(w http.ResponseWriter, r *http.Request, v financialView, title string, err error) error {
	if backoffice.ErrorCode(err) != backoffice.EInvalid {
		return err
	}
	v.Error = backoffice.ErrorMessage(err)
	return s.render(w, r, http.StatusUnprocessableEntity, "ledger_report_financial", title, v)
}

// ledgerBalanceSheet shows the balance sheet at a date with the chosen
// comparison columns; every account amount opens its statement up to that
// column's date.
func (s *Server) ledgerBalanceSheet(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	cmp, _ := compareParam(r, false)
	v := financialView{Action: "/ledger/reports/balance-sheet", Balance: true, Date: q.Get("date"), Options: compareOptions(cmp, false)}
	bs, date, err := s.balanceSheet(r)
	if err != nil {
		return s.financialError(w, r, v, "Balance sheet", err)
	}
	if q.Get("format") == "csv" {
		return reportCSV(w, "balance-sheet-"+date.String()+".csv", bs.WriteCSV)
	}
	if wantsPDF(r) {
		return s.balanceSheetPDF(w, r, bs, date)
	}
	c := bs.Currency
	v.Date, v.Currency, v.Columns, v.CSVURL, v.PDFURL = date.String(), c, columnLabels(bs.Columns), withQuery(r, "format", "csv"), pdfURL(r)
	v.Span = len(v.Columns) + 1
	v.Sections = financialSections([]ledger.Section{bs.Assets, bs.Liabilities, bs.Equity}, bs.Columns, c)
	v.Totals = []financialTotal{{"Liabilities and equity", amountsOut(bs.LiabilitiesAndEquity, c)}}
	v.ShowBalanced, v.Balanced = true, bs.Balanced
	return s.render(w, r, http.StatusOK, "ledger_report_financial", "Balance sheet "+date.String(), v)
}

type financialTotal struct {
	Label   string
	Amounts []string
}

// ledgerIncomeStatement shows income and expenses over a period (the
// current fiscal year to date by default) with comparison and budget columns.
func (s *Server) ledgerIncomeStatement(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	cmp, _ := compareParam(r, true)
	v := financialView{Action: "/ledger/reports/income-statement", From: q.Get("from"), To: q.Get("to"), Options: compareOptions(cmp, true)}
	is, from, to, err := s.incomeStatement(r)
	if err != nil {
		return s.financialError(w, r, v, "Income statement", err)
	}
	if q.Get("format") == "csv" {
		return reportCSV(w, "income-statement-"+from.String()+"-"+to.String()+".csv", is.WriteCSV)
	}
	if wantsPDF(r) {
		return s.incomeStatementPDF(w, r, is, from, to)
	}
	c := is.Currency
	v.From, v.To, v.Currency, v.Columns, v.CSVURL = from.String(), to.String(), c, columnLabels(is.Columns), withQuery(r, "format", "csv")
	v.PDFURL = pdfURL(r)
	v.Span = len(v.Columns) + 1
	v.Sections = financialSections([]ledger.Section{is.Income, is.Expenses}, is.Columns, c)
	v.Totals = []financialTotal{{"Net profit", amountsOut(is.NetProfit, c)}}
	return s.render(w, r, http.StatusOK, "ledger_report_financial", "Income statement "+from.String()+" – "+to.String(), v)
}
