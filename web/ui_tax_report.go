package web

import (
	"net/http"
	"net/url"
	"strings"

	"backoffice"
)

// taxReportView is the tax return page: the period, the boxes, the amounts
// per tax code linking to their documents, and the settlement.
type taxReportView struct {
	From, To  string
	Report    *taxReportOut
	DocsURL   func(code, side string) string
	CSVURL    string
	CanSettle bool
	Error     string
}

func (s *Server) taxReportPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderTaxReport(w, r, http.StatusOK, "")
}

func (s *Server) renderTaxReport(w http.ResponseWriter, r *http.Request, status int, failure string) error {
	q := r.URL.Query()
	v := taxReportView{From: q.Get("from"), To: q.Get("to"), CanSettle: principal(r).Can("invoice.post"), Error: failure}
	rep, err := s.taxReport(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "tax_report", "Tax report", v)
	case err != nil:
		return err
	}
	v.Report, v.From, v.To = &rep, rep.From.String(), rep.To.String()
	v.CSVURL = "/api/v1/tax-report?format=csv&from=" + v.From + "&to=" + v.To
	v.DocsURL = func(code, side string) string {
		return "/tax-report/documents?" + url.Values{"from": {v.From}, "to": {v.To}, "tax_code": {code}, "side": {side}}.Encode()
	}
	return s.render(w, r, status, "tax_report", "Tax report "+v.From+" – "+v.To, v)
}

// taxDocumentsView lists the documents behind one tax code and side.
type taxDocumentsView struct {
	From, To, TaxCode, Side string
	Docs                    []taxDocumentOut
	Currency                backoffice.Currency
	BackURL                 string
}

func (s *Server) taxDocumentsPage(w http.ResponseWriter, r *http.Request) error {
	docs, err := s.taxDocuments(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := taxDocumentsView{From: q.Get("from"), To: q.Get("to"), TaxCode: q.Get("tax_code"), Side: q.Get("side"), Docs: docs, Currency: baseCurrency(r),
		BackURL: "/tax-report?" + url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}}.Encode()}
	return s.render(w, r, http.StatusOK, "tax_report_documents", "Tax code "+v.TaxCode, v)
}

// taxSettle posts the settlement of the period in the form.
func (s *Server) taxSettle(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	from, ferr := backoffice.ParseDate(strings.TrimSpace(r.PostForm.Get("from")))
	to, terr := backoffice.ParseDate(strings.TrimSpace(r.PostForm.Get("to")))
	back := "/tax-report?" + url.Values{"from": {r.PostForm.Get("from")}, "to": {r.PostForm.Get("to")}}.Encode()
	if ferr != nil || terr != nil {
		r.URL.RawQuery = strings.TrimPrefix(back, "/tax-report?")
		return s.renderTaxReport(w, r, http.StatusUnprocessableEntity, "Give the period as two dates.")
	}
	st, err := s.Invoice.SettleTax(r.Context(), company, from, to)
	if err != nil {
		code := backoffice.ErrorCode(err)
		if code != backoffice.EInvalid && code != backoffice.EConflict && code != backoffice.EPeriodClosed {
			return err
		}
		r.URL.RawQuery = strings.TrimPrefix(back, "/tax-report?")
		return s.renderTaxReport(w, r, backoffice.HTTPStatus(code), "Not settled: "+backoffice.ErrorMessage(err))
	}
	return redirectFlash(w, r, back, "VAT settled: "+decimal(st.Payable, baseCurrency(r))+" "+string(baseCurrency(r))+" moved to the settlement account.")
}
