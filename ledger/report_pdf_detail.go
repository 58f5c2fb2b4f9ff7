package ledger

import (
	"context"
	"fmt"
	"io"
	"strings"

	"backoffice"
	"backoffice/pdf"
)

// MaxPDFLines bounds the lines of one printed general ledger, account
// statement or journal listing: 100,000 lines are about 2,000 pages; past
// that a reader wants a shorter period, and the server should not hold
// the document in memory.
const MaxPDFLines = 100_000

// detailColumns are the columns of the line-by-line reports: the general
// ledger and the account statement, as the browser shows them.
func detailColumns(cur backoffice.Currency) []pdf.Column {
	return []pdf.Column{{Header: "Date", Width: 1.05}, {Header: "Number", Width: 1.6}, {Header: "Text", Width: 3.6},
		{Header: "Debit (" + string(cur) + ")", Width: 1.2, Align: pdf.Right}, {Header: "Credit", Width: 1.2, Align: pdf.Right},
		{Header: "Balance", Width: 1.3, Align: pdf.Right}}
}

// lineRow is one posted line: its debit or credit in company currency and
// the running balance after it.
func lineRow(l StatementLine, cur backoffice.Currency) pdf.Row {
	debit, credit := pdfSides(l.CompanyAmount, cur)
	return pdf.Row{Cells: []string{l.Date.String(), l.Number, l.Text(), debit, credit, pdf.Amount(l.Balance, cur)}}
}

// Text is the line as statements describe it: the narration, then the
// reference and the memo where the narration does not already hold them.
func (l StatementLine) Text() string {
	text := l.Narration
	for _, extra := range []string{l.Reference, l.Memo} {
		if extra != "" && !strings.Contains(text, extra) {
			text = strings.TrimPrefix(text+" · "+extra, " · ")
		}
	}
	return text
}

// balanceRow is an opening or closing balance line of an account.
func balanceRow(date backoffice.Date, label string, v int64, cur backoffice.Currency, closing bool) pdf.Row {
	day := ""
	if !date.IsZero() {
		day = date.String()
	}
	return pdf.Row{Cells: []string{day, "", label, "", "", pdf.Amount(v, cur)}, Bold: closing, Rule: closing}
}

// pdfSides splits a debit-positive amount into its debit and credit cells.
func pdfSides(v int64, cur backoffice.Currency) (debit, credit string) {
	if v < 0 {
		return "", pdf.Amount(-v, cur)
	}
	return pdf.Amount(v, cur), ""
}

// lineBudget counts the lines of one printed report against MaxPDFLines.
type lineBudget struct {
	report string // "general ledger", for the error
	left   int
}

func newLineBudget(report string) *lineBudget { return &lineBudget{report: report, left: MaxPDFLines} }

// spend takes n more lines, and refuses them past the limit.
func (b *lineBudget) spend(n int) error {
	if b.left -= n; b.left >= 0 {
		return nil
	}
	return &backoffice.Error{Code: backoffice.EInvalid,
		Message: fmt.Sprintf("the %s has more than %d lines, too many for one PDF: choose a shorter period or fewer accounts", b.report, MaxPDFLines),
		Fields:  map[string]string{"from": "choose a later start or an earlier end"}}
}

// WriteGeneralLedgerPDF prints the general ledger of f.From to f.To (f.Page
// is ignored): per account its opening balance, every line with the
// running balance, and its closing balance. It reads the ledger page by
// page, so its memory is the document's, not the query's.
func (s *Service) WriteGeneralLedgerPDF(ctx context.Context, w io.Writer, h pdf.Heading, companyID backoffice.ID, f GeneralLedgerFilter) error {
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	var d *pdf.Document
	var t *pdf.Table
	var open *GeneralLedgerAccount // the account whose closing balance is still to print
	lines := newLineBudget("general ledger")
	for {
		gl, err := s.GeneralLedger(ctx, companyID, f)
		if err != nil {
			return err
		}
		cur := gl.Currency
		if d == nil {
			h = titled(h, "General ledger")
			h.Period = gl.From.String() + " – " + gl.To.String()
			d = pdf.New(h)
			t = d.Table(detailColumns(cur)...)
		}
		for _, a := range gl.Accounts {
			if !a.Continued {
				if open != nil {
					t.Add(balanceRow(gl.To, "Closing balance", open.Closing, cur, true))
				}
				t.Add(pdf.Row{Cells: []string{a.Code + " " + a.Name}, Bold: true})
				t.Add(balanceRow(gl.From, "Opening balance", a.Opening, cur, false))
			}
			for _, l := range a.Lines {
				t.Add(lineRow(l, cur))
			}
			if err := lines.spend(len(a.Lines)); err != nil {
				return err
			}
			open = &a
		}
		if gl.Next == "" {
			if open != nil {
				t.Add(balanceRow(gl.To, "Closing balance", open.Closing, cur, true))
			} else {
				d.Paragraph("No account has postings in this period.")
			}
			return d.Write(w)
		}
		f.Page.After = gl.Next
	}
}

// WriteAccountStatementPDF prints an account's statement from from to to
// (either may be zero for an open end): the opening balance, every posted
// line with the running balance, and the closing balance. It reads the
// lines page by page: 10,000 lines print in well under two seconds.
func (s *Service) WriteAccountStatementPDF(ctx context.Context, w io.Writer, h pdf.Heading, companyID, accountID backoffice.ID, from, to backoffice.Date) error {
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	var d *pdf.Document
	var t *pdf.Table
	lines := newLineBudget("account statement")
	for {
		st, err := s.AccountStatement(ctx, companyID, accountID, from, to, page)
		if err != nil {
			return err
		}
		cur := st.Currency
		if d == nil {
			h = titled(h, "Account statement "+st.Account.Code+" "+st.Account.Name)
			h.Period = periodText(from, to)
			d = pdf.New(h)
			t = d.Table(detailColumns(cur)...)
			t.Add(balanceRow(from, "Opening balance", st.Opening, cur, false))
		}
		for _, l := range st.Lines {
			t.Add(lineRow(l, cur))
		}
		if err := lines.spend(len(st.Lines)); err != nil {
			return err
		}
		if st.Next == "" {
			t.Add(balanceRow(to, "Closing balance", st.Closing, cur, true))
			return d.Write(w)
		}
		page.After = st.Next
	}
}

// periodText names a date range whose ends may be open.
func periodText(from, to backoffice.Date) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "All postings"
	case from.IsZero():
		return "Up to " + to.String()
	case to.IsZero():
		return "From " + from.String()
	}
	return from.String() + " – " + to.String()
}

// WriteJournalListingPDF prints a journal's posted entries from from to to
// (either may be zero for an open end) in number order: each entry with
// its lines (account, memo, the amount in a foreign line currency, debit and
// credit in company currency), and the journal's totals.
func (s *Service) WriteJournalListingPDF(ctx context.Context, w io.Writer, h pdf.Heading, companyID, journalID backoffice.ID, from, to backoffice.Date) error {
	cur, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return err
	}
	accounts, err := chart(ctx, s.DB, companyID)
	if err != nil {
		return err
	}
	names := make(map[backoffice.ID]string, len(accounts))
	for _, a := range accounts {
		names[a.ID] = a.Code + " " + a.Name
	}
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	var d *pdf.Document
	var t *pdf.Table
	var debit, credit int64
	lines, entries := newLineBudget("journal listing"), 0
	for {
		jl, err := s.JournalListing(ctx, companyID, journalID, from, to, page)
		if err != nil {
			return err
		}
		if d == nil {
			h = titled(h, "Journal "+jl.Journal.Code+" "+jl.Journal.Name)
			h.Period = periodText(from, to)
			d = pdf.New(h)
			t = d.Table(pdf.Column{Header: "Account", Width: 3}, pdf.Column{Header: "Memo", Width: 2.4},
				pdf.Column{Header: "Foreign amount", Width: 1.6, Align: pdf.Right},
				pdf.Column{Header: "Debit (" + string(cur) + ")", Width: 1.45, Align: pdf.Right}, pdf.Column{Header: "Credit", Width: 1.45, Align: pdf.Right})
		}
		for _, e := range jl.Entries {
			t.Add(pdf.Row{Cells: []string{strings.Join(nonEmpty(e.Number, e.Date.String(), e.Reference, e.Narration), " · ")}, Bold: true})
			for _, l := range e.Lines {
				dr, cr := pdfSides(l.CompanyAmount, cur)
				foreign := ""
				if l.Currency != cur {
					foreign = pdf.Amount(l.Amount, l.Currency) + " " + string(l.Currency)
				}
				t.Add(pdf.Row{Cells: []string{names[l.AccountID], l.Memo, foreign, dr, cr}, Level: 1})
				if l.CompanyAmount < 0 {
					credit -= l.CompanyAmount
				} else {
					debit += l.CompanyAmount
				}
			}
			if err := lines.spend(len(e.Lines)); err != nil {
				return err
			}
		}
		entries += len(jl.Entries)
		if jl.Next == "" {
			if entries == 0 {
				d.Paragraph("The journal has no posted entries in this period.")
			} else {
				t.Add(pdf.Row{Cells: []string{"Total", "", "", pdf.Amount(debit, cur), pdf.Amount(credit, cur)}, Bold: true, Rule: true})
			}
			return d.Write(w)
		}
		page.After = jl.Next
	}
}

// nonEmpty drops the empty strings.
func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
