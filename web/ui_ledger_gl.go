package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// generalLedgerView is one page of the general ledger detail.
type generalLedgerView struct {
	From, To, Account string
	Currency          backoffice.Currency
	Accounts          []glAccountView
	Shown             bool
	NextURL, FirstURL string
	CSVURL, Error     string
	PDFURL            string
}

type glAccountView struct {
	URL, Code, Name  string
	OpeningLabel     string
	Opening, Closing string
	Ends             bool // the account's last line is on this page: show its closing balance
	Rows             []statementRow
}

// ledgerGeneralLedger shows the posted lines of every account that moved
// in a period (the fiscal year to date by default), page by page, with the
// opening, running and closing balances.
func (s *Server) ledgerGeneralLedger(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := generalLedgerView{From: q.Get("from"), To: q.Get("to"), Account: q.Get("account")}
	gl, last, err := s.generalLedger(r, true)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_report_general_ledger", "General ledger", v)
	case err != nil:
		return err
	}
	if q.Get("format") == "csv" {
		return glCSV(w, r, gl)
	}
	if wantsPDF(r) {
		return s.generalLedgerPDF(w, r)
	}
	c := gl.Currency
	v.PDFURL = pdfURL(r)
	v.From, v.To, v.Currency, v.Shown = gl.From.String(), gl.To.String(), c, true
	cq := cloneQuery(q) // the CSV of this page: keep its cursor
	cq.Set("format", "csv")
	cq.Del("flash")
	v.CSVURL = r.URL.Path + "?" + cq.Encode()
	if q.Get("after") != "" {
		v.FirstURL = withQuery(r, "after", "")
	}
	if gl.Next != "" {
		v.NextURL = withQuery(r, "after", gl.Next)
	}
	for i, a := range gl.Accounts {
		av := glAccountView{URL: "/ledger/accounts/" + a.AccountID.String() + "?from=" + v.From + "&to=" + v.To + "#statement",
			Code: a.Code, Name: a.Name, OpeningLabel: "Opening balance", Opening: decimal(a.Opening, c), Closing: decimal(a.Closing, c),
			Ends: i < len(gl.Accounts)-1 || last}
		if a.Continued && len(a.Lines) > 0 {
			av.OpeningLabel = "Carried forward"
			av.Opening = decimal(a.Lines[0].Balance-a.Lines[0].CompanyAmount, c)
		}
		for _, l := range a.Lines {
			av.Rows = append(av.Rows, statementRowOf(l, c))
		}
		v.Accounts = append(v.Accounts, av)
	}
	return s.render(w, r, http.StatusOK, "ledger_report_general_ledger", "General ledger "+v.From+" – "+v.To, v)
}

// statementRowOf is a posted line as statements show it: the narration with
// the reference and memo it does not already hold, debit or credit, and the
// running balance.
func statementRowOf(l ledger.StatementLine, c backoffice.Currency) statementRow {
	text := l.Narration
	for _, extra := range []string{l.Reference, l.Memo} {
		if extra != "" && !strings.Contains(text, extra) {
			text = strings.TrimPrefix(text+" · "+extra, " · ")
		}
	}
	row := statementRow{Date: l.Date, EntryURL: "/ledger/entries/" + l.EntryID.String(), Number: l.Number, Text: text, Balance: decimal(l.Balance, c)}
	row.Debit, row.Credit = sides(l.CompanyAmount, c)
	return row
}
