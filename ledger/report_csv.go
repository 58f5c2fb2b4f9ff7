package ledger

import (
	"io"
	"iter"
	"strconv"

	"backoffice"
	"backoffice/csvio"
)

// CSV files of the reports: amounts are plain decimals with the company
// currency's digits ("1234.56", "-0.71"), one column per report column.

// WriteCSV writes the balance sheet: section, code, name, level, then one
// amount per column; each section ends with its total row, and a last row
// gives liabilities plus equity.
func (bs BalanceSheet) WriteCSV(w io.Writer) error {
	rows := func(yield func([]string) bool) {
		for _, sec := range []Section{bs.Assets, bs.Liabilities, bs.Equity} {
			if !yieldSection(yield, sec, bs.Currency) {
				return
			}
		}
		yield(amountRow([]string{"total", "", "Liabilities and equity", "0"}, bs.LiabilitiesAndEquity, bs.Currency))
	}
	return csvio.Export(w, statementHeader(bs.Columns), rows)
}

// WriteCSV writes the income statement like the balance sheet, ending with
// the net profit row.
func (is IncomeStatement) WriteCSV(w io.Writer) error {
	rows := func(yield func([]string) bool) {
		for _, sec := range []Section{is.Income, is.Expenses} {
			if !yieldSection(yield, sec, is.Currency) {
				return
			}
		}
		yield(amountRow([]string{"total", "", "Net profit", "0"}, is.NetProfit, is.Currency))
	}
	return csvio.Export(w, statementHeader(is.Columns), rows)
}

func statementHeader(cols []Column) []string {
	h := []string{"section", "code", "name", "level"}
	for _, c := range cols {
		h = append(h, c.Key)
	}
	return h
}

func yieldSection(yield func([]string) bool, sec Section, cur backoffice.Currency) bool {
	for _, r := range sec.Rows {
		if !yield(amountRow([]string{sec.Key, r.Code, r.Name, strconv.Itoa(r.Level)}, r.Amounts, cur)) {
			return false
		}
	}
	return yield(amountRow([]string{sec.Key, "", "Total " + sec.Label, "0"}, sec.Total, cur))
}

func amountRow(head []string, amounts []int64, cur backoffice.Currency) []string {
	for _, a := range amounts {
		head = append(head, backoffice.FormatMinor(a, cur.Exponent()))
	}
	return head
}

// WriteCSV writes the cash-flow statement: section, class, code, name,
// amount; each section ends with its total, then the net change and the
// cash movement.
func (cf CashFlow) WriteCSV(w io.Writer) error {
	money := func(v int64) string { return backoffice.FormatMinor(v, cf.Currency.Exponent()) }
	rows := func(yield func([]string) bool) {
		for _, sec := range []CashFlowSection{cf.Operating, cf.Investing, cf.Financing} {
			for _, r := range sec.Rows {
				if !yield([]string{sec.Key, r.Class, r.Code, r.Name, money(r.Amount)}) {
					return
				}
			}
			if !yield([]string{sec.Key, "total", "", "Total " + sec.Label, money(sec.Total)}) {
				return
			}
		}
		if yield([]string{"total", "net_change", "", "Net change in cash", money(cf.NetChange)}) {
			yield([]string{"total", "cash_change", "", "Cash at the end less cash at the start", money(cf.CashChange)})
		}
	}
	return csvio.Export(w, []string{"section", "class", "code", "name", "amount"}, rows)
}

// WriteCSV writes one general ledger page: one row per line with the
// running balance after it, preceded by each account's opening row.
func (gl GeneralLedger) WriteCSV(w io.Writer) error {
	money := func(v int64) string { return backoffice.FormatMinor(v, gl.Currency.Exponent()) }
	rows := func(yield func([]string) bool) {
		for _, a := range gl.Accounts {
			if !a.Continued && !yield([]string{a.Code, gl.From.String(), "", "", "Opening balance", "", money(a.Opening)}) {
				return
			}
			for _, l := range a.Lines {
				if !yield([]string{a.Code, l.Date.String(), l.Number, l.Reference, l.Narration, money(l.CompanyAmount), money(l.Balance)}) {
					return
				}
			}
		}
	}
	return csvio.Export(w, []string{"account", "date", "number", "reference", "narration", "amount", "balance"}, rows)
}

// WriteCSV writes the budget-vs-actual report, one row per account and
// dimension value.
func (r BudgetReport) WriteCSV(w io.Writer) error {
	money := func(v int64) string { return backoffice.FormatMinor(v, r.Currency.Exponent()) }
	var rows iter.Seq[[]string] = func(yield func([]string) bool) {
		for _, x := range r.Rows {
			if !yield([]string{x.Code, x.Name, x.Dimension, x.Value, money(x.Budget), money(x.Actual), money(x.Variance), x.VariancePercent()}) {
				return
			}
		}
	}
	return csvio.Export(w, []string{"account", "name", "dimension", "value", "budget", "actual", "variance", "variance_pct"}, rows)
}

// WriteCSV writes the journal listing, one row per line in number order:
// the entry's number, date, reference and narration, the line's account,
// its debit or credit in company currency, and its amount in its own
// currency with the memo.
func (jl JournalListing) WriteCSV(w io.Writer) error {
	rows := func(yield func([]string) bool) {
		for _, e := range jl.Entries {
			for _, l := range e.Lines {
				debit, credit := "", ""
				if l.CompanyAmount >= 0 {
					debit = backoffice.FormatMinor(l.CompanyAmount, e.Currency.Exponent())
				} else {
					credit = backoffice.FormatMinor(-l.CompanyAmount, e.Currency.Exponent())
				}
				if !yield([]string{e.Number, e.Date.String(), e.Reference, e.Narration, l.AccountCode, debit, credit,
					string(l.Currency), backoffice.FormatMinor(l.Amount, l.Currency.Exponent()), l.Memo}) {
					return
				}
			}
		}
	}
	return csvio.Export(w, []string{"number", "date", "reference", "narration", "account", "debit", "credit", "currency", "amount", "memo"}, rows)
}
