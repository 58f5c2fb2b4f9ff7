package web

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
	"backoffice/pdf"
)

// Printed reports: every ledger report answers a PDF to ?format=pdf, or to
// an Accept header that prefers application/pdf, on its API route and on
// its page, under the same permission as its JSON.

// wantsPDF reports whether the request asks for the PDF of a report.
func wantsPDF(r *http.Request) bool {
	switch r.URL.Query().Get("format") {
	case "pdf":
		return true
	case "":
		return acceptsPDF(r.Header.Get("Accept"))
	}
	return false
}

// acceptsPDF reports whether an Accept header names application/pdf
// before any other type it accepts (a browser's */* does not count).
func acceptsPDF(accept string) bool {
	for part := range strings.SplitSeq(accept, ",") {
		t, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if q, err := strconv.ParseFloat(params["q"], 64); err == nil && q == 0 {
			continue
		}
		return t == "application/pdf"
	}
	return false
}

// pdfHeading is the heading of a report printed for the request: the
// current company with its logo, and the server's clock.
func (s *Server) pdfHeading(r *http.Request) (pdf.Heading, error) {
	c := principal(r).Company
	h := pdf.Heading{Company: c.Name, Generated: s.now()}
	if h.Company == "" {
		h.Company = c.Code
	}
	if s.Party == nil {
		return h, nil
	}
	_, logo, err := s.Party.Logo(r.Context(), c.ID)
	switch {
	case err == nil:
		h.Logo = logo
	case backoffice.ErrorCode(err) != backoffice.ENotFound:
		return h, err
	}
	return h, nil
}

// reportPDF answers a printed report as a download: write prints it under
// the request's heading. The document is made in memory first, so that an
// error still gets its problem answer.
func (s *Server) reportPDF(w http.ResponseWriter, r *http.Request, filename string, write func(io.Writer, pdf.Heading) error) error {
	h, err := s.pdfHeading(r)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := write(&b, h); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	_, err = w.Write(b.Bytes())
	return err
}

// pdfURL is the request's URL asking for the PDF of the whole report:
// without the page cursor, limit or flash.
func pdfURL(r *http.Request) string {
	q := cloneQuery(r.URL.Query())
	for _, k := range []string{"after", "limit", "flash"} {
		q.Del(k)
	}
	q.Set("format", "pdf")
	return r.URL.Path + "?" + q.Encode()
}

func (s *Server) trialBalancePDF(w http.ResponseWriter, r *http.Request, date backoffice.Date, rows []ledger.TrialBalanceRow) error {
	return s.reportPDF(w, r, "trial-balance-"+date.String()+".pdf", func(w io.Writer, h pdf.Heading) error {
		return ledger.WriteTrialBalancePDF(w, h, date, rows)
	})
}

func (s *Server) balanceSheetPDF(w http.ResponseWriter, r *http.Request, bs ledger.BalanceSheet, date backoffice.Date) error {
	return s.reportPDF(w, r, "balance-sheet-"+date.String()+".pdf", bs.WritePDF)
}

func (s *Server) incomeStatementPDF(w http.ResponseWriter, r *http.Request, is ledger.IncomeStatement, from, to backoffice.Date) error {
	return s.reportPDF(w, r, "income-statement-"+from.String()+"-"+to.String()+".pdf", is.WritePDF)
}

func (s *Server) cashFlowPDF(w http.ResponseWriter, r *http.Request, cf ledger.CashFlow) error {
	return s.reportPDF(w, r, "cash-flow-"+cf.From.String()+"-"+cf.To.String()+".pdf", cf.WritePDF)
}

// generalLedgerPDF prints the whole general ledger of the request's period
// and accounts, whatever page the request was on.
func (s *Server) generalLedgerPDF(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f, err := s.glFilter(r, company)
	if err != nil {
		return err
	}
	return s.reportPDF(w, r, "general-ledger-"+f.From.String()+"-"+f.To.String()+".pdf", func(w io.Writer, h pdf.Heading) error {
		return s.Ledger.WriteGeneralLedgerPDF(r.Context(), w, h, company, f)
	})
}

// statementPDF prints an account's whole statement over ?from=&to=.
func (s *Server) statementPDF(w http.ResponseWriter, r *http.Request, company backoffice.ID, a ledger.Account) error {
	q := r.URL.Query()
	from, ferr := dateParam(q, "from")
	to, terr := dateParam(q, "to")
	if ferr != nil || terr != nil {
		return joinFieldErrors(ferr, terr)
	}
	return s.reportPDF(w, r, "statement-"+fileSafe(a.Code)+".pdf", func(w io.Writer, h pdf.Heading) error {
		return s.Ledger.WriteAccountStatementPDF(r.Context(), w, h, company, a.ID, from, to)
	})
}

// journalListingPDF prints the whole listing of the journal and period of
// jl, a page of it read for the request.
func (s *Server) journalListingPDF(w http.ResponseWriter, r *http.Request, jl ledger.JournalListing) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	return s.reportPDF(w, r, "journal-"+fileSafe(jl.Journal.Code)+".pdf", func(w io.Writer, h pdf.Heading) error {
		return s.Ledger.WriteJournalListingPDF(r.Context(), w, h, company, jl.Journal.ID, jl.From, jl.To)
	})
}

func (s *Server) budgetPDF(w http.ResponseWriter, r *http.Request, rep ledger.BudgetReport) error {
	return s.reportPDF(w, r, "budget-vs-actual-"+rep.From.String()+"-"+rep.To.String()+".pdf", rep.WritePDF)
}

// consolidatedHeading names the companies of a consolidation, with the
// rate each was translated at, in place of the one company.
func consolidatedHeading(h pdf.Heading, title string, companies []consolidatedCompanyOut) pdf.Heading {
	names := make([]string, len(companies))
	for i, c := range companies {
		names[i] = c.Name
		if c.Rate != "" {
			names[i] += " (" + string(c.Currency) + " at " + c.Rate + ")"
		}
	}
	h.Company, h.Title = strings.Join(names, ", "), title
	return h
}

func (s *Server) consolidatedBalanceSheetPDF(w http.ResponseWriter, r *http.Request, out consolidatedBalanceSheetOut, bs ledger.BalanceSheet) error {
	return s.reportPDF(w, r, "consolidated-balance-sheet-"+out.Date.String()+".pdf", func(w io.Writer, h pdf.Heading) error {
		return bs.WritePDF(w, consolidatedHeading(h, "Consolidated balance sheet", out.Companies))
	})
}

func (s *Server) consolidatedIncomeStatementPDF(w http.ResponseWriter, r *http.Request, out consolidatedIncomeStatementOut, is ledger.IncomeStatement) error {
	return s.reportPDF(w, r, "consolidated-income-statement-"+out.From.String()+"-"+out.To.String()+".pdf", func(w io.Writer, h pdf.Heading) error {
		return is.WritePDF(w, consolidatedHeading(h, "Consolidated income statement", out.Companies))
	})
}

// agingPDF prints the aged receivables or payables the request asks for.
func (s *Server) agingPDF(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	o, err := s.agingOptions(r, company)
	if err != nil {
		return err
	}
	ag, err := s.Ledger.Aging(r.Context(), company, o)
	if err != nil {
		return err
	}
	names, err := s.partyNames(r, company, ag.Rows)
	if err != nil {
		return err
	}
	return s.reportPDF(w, r, "aging-"+ag.Kind+"-"+ag.AsOf.String()+".pdf", func(w io.Writer, h pdf.Heading) error {
		return ag.WritePDF(w, h, names)
	})
}

// fileSafe keeps the letters, digits, dots and dashes of a name for a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, s)
}
