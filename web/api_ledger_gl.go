package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

type generalLedgerAccountOut struct {
	AccountID backoffice.ID      `json:"account_id"`
	Code      string             `json:"code"`
	Name      string             `json:"name"`
	Opening   string             `json:"opening"` // balance before from, debit − credit
	Closing   string             `json:"closing"` // balance at the end of to
	Continued bool               `json:"continued"`
	Lines     []statementLineOut `json:"lines"`
}

type generalLedgerOut struct {
	From     backoffice.Date           `json:"from"`
	To       backoffice.Date           `json:"to"`
	Currency backoffice.Currency       `json:"currency"`
	Accounts []generalLedgerAccountOut `json:"accounts"`
	Next     string                    `json:"next,omitempty"`
}

// glFilter reads ?from=&to=&account=CODE,CODE&limit=&after=; the period is
// the fiscal year to date by default.
func (s *Server) glFilter(r *http.Request, company backoffice.ID) (ledger.GeneralLedgerFilter, error) {
	var f ledger.GeneralLedgerFilter
	var err error
	if f.From, f.To, err = s.period(r, company); err != nil {
		return f, err
	}
	if f.Page, err = pageOf(r); err != nil {
		return f, err
	}
	for _, v := range r.URL.Query()["account"] {
		for code := range strings.SplitSeq(v, ",") {
			if code = strings.TrimSpace(code); code == "" {
				continue
			}
			a, err := s.Ledger.AccountByCode(r.Context(), company, code)
			if backoffice.ErrorCode(err) == backoffice.ENotFound {
				return f, &backoffice.Error{Code: backoffice.EInvalid, Message: "no account has the code " + code,
					Fields: map[string]string{"account": "no account has the code " + code}}
			}
			if err != nil {
				return f, err
			}
			f.AccountIDs = append(f.AccountIDs, a.ID)
		}
	}
	return f, nil
}

// generalLedger reads one page of the general ledger for the request. With
// peek, last says whether the page holds the last line of its last account,
// so that account's closing balance belongs under it: true without a next
// page, otherwise known by reading the next page's first line.
func (s *Server) generalLedger(r *http.Request, peek bool) (gl ledger.GeneralLedger, last bool, err error) {
	company, err := s.books(r)
	if err != nil {
		return gl, false, err
	}
	f, err := s.glFilter(r, company)
	if err != nil {
		return gl, false, err
	}
	if gl, err = s.Ledger.GeneralLedger(r.Context(), company, f); err != nil || gl.Next == "" || !peek {
		return gl, gl.Next == "", err
	}
	f.Page = backoffice.Page{Limit: 1, After: gl.Next}
	next, err := s.Ledger.GeneralLedger(r.Context(), company, f)
	return gl, len(next.Accounts) == 0 || !next.Accounts[0].Continued, err
}

// glCSV answers the page's CSV; a Link header names the next page.
func glCSV(w http.ResponseWriter, r *http.Request, gl ledger.GeneralLedger) error {
	if gl.Next != "" {
		w.Header().Set("Link", "<"+withQuery(r, "after", gl.Next)+`>; rel="next"`)
	}
	return reportCSV(w, "general-ledger-"+gl.From.String()+"-"+gl.To.String()+".csv", gl.WriteCSV)
}

func (s *Server) apiGeneralLedger(w http.ResponseWriter, r *http.Request) error {
	if wantsPDF(r) {
		return s.generalLedgerPDF(w, r)
	}
	gl, _, err := s.generalLedger(r, false)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return glCSV(w, r, gl)
	}
	c := gl.Currency
	out := generalLedgerOut{From: gl.From, To: gl.To, Currency: c, Accounts: make([]generalLedgerAccountOut, 0, len(gl.Accounts)), Next: gl.Next}
	for _, a := range gl.Accounts {
		ao := generalLedgerAccountOut{AccountID: a.AccountID, Code: a.Code, Name: a.Name, Opening: decimal(a.Opening, c), Closing: decimal(a.Closing, c),
			Continued: a.Continued, Lines: make([]statementLineOut, 0, len(a.Lines))}
		for _, l := range a.Lines {
			o := statementLineOut{EntryID: l.EntryID, LineNo: l.LineNo, Number: l.Number, Date: l.Date, Reference: l.Reference,
				Narration: l.Narration, Memo: l.Memo, Currency: l.Currency, Amount: decimal(l.Amount, l.Currency), Balance: decimal(l.Balance, c)}
			o.Debit, o.Credit = sides(l.CompanyAmount, c)
			ao.Lines = append(ao.Lines, o)
		}
		out.Accounts = append(out.Accounts, ao)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
