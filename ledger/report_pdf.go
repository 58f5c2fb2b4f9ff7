package ledger

import (
	"io"
	"strings"

	"backoffice"
	"backoffice/pdf"
)

// Printed reports. Each WritePDF shows the rows and columns of the report's
// CSV, laid out for reading: the caller's heading gives the company, logo
// and clock, the report its period and, unless the caller named it (a
// consolidated balance sheet), its title. Amounts are in the report's
// currency with thousands grouped, totals bold under a rule.

// titled sets the heading's title unless the caller gave one.
func titled(h pdf.Heading, title string) pdf.Heading {
	if h.Title == "" {
		h.Title = title
	}
	return h
}

// WritePDF prints the balance sheet: each section's accounts indented by
// tree level and its total, then liabilities plus equity, and whether the
// sheet balances.
func (bs BalanceSheet) WritePDF(w io.Writer, h pdf.Heading) error {
	h = titled(h, "Balance sheet")
	h.Period = "At the end of " + bs.Columns[0].To.String()
	d := statementPDF(h, bs.Currency, bs.Columns, []Section{bs.Assets, bs.Liabilities, bs.Equity},
		[]pdfTotal{{"Liabilities and equity", bs.LiabilitiesAndEquity}})
	d.Paragraph(balanced(bs.Balanced, "assets equal liabilities plus equity in every column"))
	return d.Write(w)
}

// WritePDF prints the income statement: income, expenses, the net profit.
func (is IncomeStatement) WritePDF(w io.Writer, h pdf.Heading) error {
	h = titled(h, "Income statement")
	h.Period = is.Columns[0].From.String() + " – " + is.Columns[0].To.String()
	d := statementPDF(h, is.Currency, is.Columns, []Section{is.Income, is.Expenses}, []pdfTotal{{"Net profit", is.NetProfit}})
	return d.Write(w)
}

type pdfTotal struct {
	label   string
	amounts []int64
}

// statementPDF lays out a balance sheet or income statement: an account
// column and one amount column per report column, landscape past three.
func statementPDF(h pdf.Heading, cur backoffice.Currency, cols []Column, sections []Section, totals []pdfTotal) *pdf.Document {
	h.Landscape = len(cols) > 3
	d := pdf.New(h)
	tc := []pdf.Column{{Header: "Account (" + string(cur) + ")", Width: 3.2}}
	for _, c := range cols {
		tc = append(tc, pdf.Column{Header: c.Label, Width: 1.3, Align: pdf.Right})
	}
	t := d.Table(tc...)
	amounts := func(head string, v []int64) []string {
		out := []string{head}
		for _, a := range v {
			out = append(out, pdf.Amount(a, cur))
		}
		return out
	}
	for _, sec := range sections {
		t.Add(pdf.Row{Cells: []string{sec.Label}, Bold: true})
		for _, r := range sec.Rows {
			t.Add(pdf.Row{Cells: amounts(strings.TrimSpace(r.Code+" "+r.Name), r.Amounts), Level: r.Level + 1})
		}
		t.Add(pdf.Row{Cells: amounts("Total "+sec.Label, sec.Total), Bold: true, Rule: true})
	}
	for _, x := range totals {
		t.Add(pdf.Row{Cells: amounts(x.label, x.amounts), Bold: true, Rule: true})
	}
	return d
}

// balanced is the sentence under a report that checks itself.
func balanced(ok bool, what string) string {
	if ok {
		return "Balanced: " + what + "."
	}
	return "NOT balanced: expected that " + what + "."
}

// WritePDF prints the cash-flow statement: operating, investing and
// financing activities with their totals, the net change, the cash at both
// ends, and whether the net change equals the movement of cash.
func (cf CashFlow) WritePDF(w io.Writer, h pdf.Heading) error {
	h = titled(h, "Cash-flow statement")
	h.Period = cf.From.String() + " – " + cf.To.String()
	d := pdf.New(h)
	t := d.Table(pdf.Column{Header: "Item (" + string(cf.Currency) + ")", Width: 3.4}, pdf.Column{Header: "Class", Width: 1.2},
		pdf.Column{Header: "Amount", Width: 1.4, Align: pdf.Right})
	money := func(v int64) string { return pdf.Amount(v, cf.Currency) }
	for _, sec := range []CashFlowSection{cf.Operating, cf.Investing, cf.Financing} {
		t.Add(pdf.Row{Cells: []string{sec.Label}, Bold: true})
		for _, r := range sec.Rows {
			t.Add(pdf.Row{Cells: []string{strings.TrimSpace(r.Code + " " + r.Name), strings.ReplaceAll(r.Class, "_", " "), money(r.Amount)}, Level: 1})
		}
		t.Add(pdf.Row{Cells: []string{"Total " + sec.Label, "", money(sec.Total)}, Bold: true, Rule: true})
	}
	t.Add(pdf.Row{Cells: []string{"Net change in cash", "", money(cf.NetChange)}, Bold: true, Rule: true})
	t.Add(pdf.Row{Cells: []string{"Cash at the start", "", money(cf.CashOpening)}})
	t.Add(pdf.Row{Cells: []string{"Cash at the end", "", money(cf.CashClosing)}})
	t.Add(pdf.Row{Cells: []string{"Cash at the end less cash at the start", "", money(cf.CashChange)}, Bold: true})
	d.Paragraph(balanced(cf.Balanced, "the net change equals the movement of the cash and bank accounts"))
	return d.Write(w)
}

// WriteTrialBalancePDF prints the trial balance at date: one row per
// account and currency with its debits, credits and balance in that
// currency, and a total per currency. The code and name share a column,
// where a long code wraps with the name rather than inside itself.
func WriteTrialBalancePDF(w io.Writer, h pdf.Heading, date backoffice.Date, rows []TrialBalanceRow) error {
	h = titled(h, "Trial balance")
	h.Period = "At the end of " + date.String()
	d := pdf.New(h)
	t := d.Table(pdf.Column{Header: "Account", Width: 3.5}, pdf.Column{Header: "Currency", Width: 0.8},
		pdf.Column{Header: "Debit", Width: 1.3, Align: pdf.Right}, pdf.Column{Header: "Credit", Width: 1.3, Align: pdf.Right},
		pdf.Column{Header: "Balance", Width: 1.3, Align: pdf.Right})
	var order []backoffice.Currency
	sums := map[backoffice.Currency]*[2]int64{}
	for _, r := range rows {
		t.Add(pdf.Row{Cells: []string{r.Code + " " + r.Name, string(r.Currency), pdf.Amount(r.Debit, r.Currency),
			pdf.Amount(r.Credit, r.Currency), pdf.Amount(r.Balance, r.Currency)}})
		if sums[r.Currency] == nil {
			sums[r.Currency] = &[2]int64{}
			order = append(order, r.Currency)
		}
		sums[r.Currency][0] += r.Debit
		sums[r.Currency][1] += r.Credit
	}
	for i, c := range order {
		s := sums[c]
		t.Add(pdf.Row{Cells: []string{"Total", string(c), pdf.Amount(s[0], c), pdf.Amount(s[1], c), pdf.Amount(s[0]-s[1], c)},
			Bold: true, Rule: i == 0})
	}
	if len(rows) == 0 {
		d.Paragraph("No account has postings up to this date.")
	}
	return d.Write(w)
}

// WritePDF prints the budget-vs-actual report: one row per account and
// dimension value with its budget, actual figure and variance (budget −
// actual, and as a percentage of the budget).
func (r BudgetReport) WritePDF(w io.Writer, h pdf.Heading) error {
	h = titled(h, "Budget against actual")
	h.Period = r.From.String() + " – " + r.To.String()
	d := pdf.New(h)
	t := d.Table(pdf.Column{Header: "Account", Width: 3.4}, pdf.Column{Header: "Budget (" + string(r.Currency) + ")", Width: 1.3, Align: pdf.Right},
		pdf.Column{Header: "Actual", Width: 1.3, Align: pdf.Right}, pdf.Column{Header: "Variance", Width: 1.3, Align: pdf.Right},
		pdf.Column{Header: "Variance %", Width: 0.9, Align: pdf.Right})
	money := func(v int64) string { return pdf.Amount(v, r.Currency) }
	var total BudgetRow
	for _, x := range r.Rows {
		name := x.Code + " " + x.Name
		if x.Dimension != "" {
			name += " · " + x.Dimension + " " + x.Value
		}
		t.Add(pdf.Row{Cells: []string{name, money(x.Budget), money(x.Actual), money(x.Variance), x.VariancePercent()}})
		total.Budget, total.Actual = total.Budget+x.Budget, total.Actual+x.Actual
	}
	total.Variance = total.Budget - total.Actual
	if len(r.Rows) == 0 {
		d.Paragraph("No budget covers this period.")
	} else {
		t.Add(pdf.Row{Cells: []string{"Total", money(total.Budget), money(total.Actual), money(total.Variance), total.VariancePercent()}, Bold: true, Rule: true})
	}
	return d.Write(w)
}

// WritePDF prints the aged receivables or payables: one row per party and
// currency with what is not yet due and overdue per bucket in that
// currency, and the totals in company currency. names gives each party's
// name by id (the ledger knows parties by id only).
func (ag Aging) WritePDF(w io.Writer, h pdf.Heading, names map[int64]string) error {
	h = titled(h, "Aged "+ag.Kind+"s")
	h.Period = "At " + ag.AsOf.String()
	h.Landscape = len(ag.Buckets) > 4
	d := pdf.New(h)
	cols := []pdf.Column{{Header: "Party", Width: 3}, {Header: "Currency", Width: 0.8}}
	for _, b := range ag.Buckets {
		cols = append(cols, pdf.Column{Header: b.Label, Width: 1.2, Align: pdf.Right})
	}
	cols = append(cols, pdf.Column{Header: "Total", Width: 1.3, Align: pdf.Right},
		pdf.Column{Header: "Total (" + string(ag.Currency) + ")", Width: 1.4, Align: pdf.Right})
	t := d.Table(cols...)
	for _, r := range ag.Rows {
		name := names[r.PartyID]
		if name == "" {
			name = "(no party)"
		}
		cells := []string{name, string(r.Currency)}
		for _, a := range r.Amounts {
			cells = append(cells, pdf.Amount(a, r.Currency))
		}
		t.Add(pdf.Row{Cells: append(cells, pdf.Amount(r.Total, r.Currency), pdf.Amount(r.TotalCompany, ag.Currency))})
	}
	if len(ag.Rows) == 0 {
		d.Paragraph("Nothing is open at this date.")
		return d.Write(w)
	}
	total := []string{"Total", string(ag.Currency)}
	for _, a := range ag.Total {
		total = append(total, pdf.Amount(a, ag.Currency))
	}
	t.Add(pdf.Row{Cells: append(total, "", pdf.Amount(ag.TotalCompany, ag.Currency)), Bold: true, Rule: true})
	return d.Write(w)
}
