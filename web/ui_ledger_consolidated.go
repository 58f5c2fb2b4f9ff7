package web

import (
	"net/http"
	"slices"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// consolidatedView is the consolidated report page: the companies of the
// group the caller belongs to with their rates, then the report.
type consolidatedView struct {
	Report                   string // balance-sheet or income-statement
	Date, From, To, Currency string
	Companies                []consolidatedChoice
	Title                    string
	Columns                  []string
	Span                     int
	Sections                 []financialSection
	Totals                   []financialTotal
	Balanced, Shown          bool
	CSVURL, Error            string
	PDFURL                   string
	Fields                   map[string]string
	Intercompany             []ledger.Account // of the current company
	CompanyCode              string
	CanManage                bool
}

// consolidatedChoice is one company the caller may include.
type consolidatedChoice struct {
	Code, Name, Rate string
	Currency         backoffice.Currency
	Checked          bool
}

// ledgerConsolidated shows the balance sheet or income statement of the
// chosen companies in one currency, intercompany accounts left out. Only
// the caller's own companies are offered; the API checks each again.
func (s *Server) ledgerConsolidated(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.books(r); err != nil {
		return err
	}
	p := principal(r)
	q := r.URL.Query()
	v := consolidatedView{Report: q.Get("report"), Date: q.Get("date"), From: q.Get("from"), To: q.Get("to"),
		Currency: strings.ToUpper(q.Get("currency")), Fields: map[string]string{}}
	if v.Report != "income-statement" {
		v.Report = "balance-sheet"
	}
	if v.Currency == "" {
		v.Currency = string(baseCurrency(r))
	}
	ic, err := s.Ledger.IntercompanyAccounts(r.Context(), p.Company.ID)
	if err != nil {
		return err
	}
	v.Intercompany, v.CompanyCode, v.CanManage = ic, p.Company.Code, p.Can("ledger.manage")
	chosen := map[string]bool{}
	for _, c := range q["companies"] {
		for code := range strings.SplitSeq(c, ",") {
			chosen[strings.TrimSpace(code)] = true
		}
	}
	if len(chosen) == 0 {
		chosen[p.Company.Code] = true
	}
	for _, m := range p.Memberships {
		c, err := s.Access.GetCompany(r.Context(), m.CompanyID)
		if err != nil {
			return err
		}
		v.Companies = append(v.Companies, consolidatedChoice{Code: c.Code, Name: c.Name, Currency: c.Currency, Rate: q.Get("rate." + c.Code), Checked: chosen[c.Code]})
	}
	if q.Get("companies") == "" {
		q.Set("companies", p.Company.Code) // the current company alone until the user chooses
		r.URL.RawQuery = q.Encode()
	}
	if q.Get("format") == "csv" || wantsPDF(r) {
		if v.Report == "balance-sheet" {
			return s.apiConsolidatedBalanceSheet(w, r)
		}
		return s.apiConsolidatedIncomeStatement(w, r)
	}
	if v.Report == "balance-sheet" {
		err = s.consolidatedBalanceSheetView(r, &v)
	} else {
		err = s.consolidatedIncomeStatementView(r, &v)
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		v.Error, v.Fields, v.Shown = fe.Message, fe.Fields, false
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "ledger_consolidated", "Consolidated reports", v)
	}
	cq := cloneQuery(q)
	cq.Set("format", "csv")
	cq.Del("flash")
	v.CSVURL = r.URL.Path + "?" + cq.Encode()
	cq.Set("format", "pdf")
	v.PDFURL = r.URL.Path + "?" + cq.Encode()
	return s.render(w, r, http.StatusOK, "ledger_consolidated", v.Title, v)
}

func (s *Server) consolidatedBalanceSheetView(r *http.Request, v *consolidatedView) error {
	out, bs, err := s.consolidatedBalanceSheet(r)
	if err != nil {
		return err
	}
	c := bs.Currency
	v.Date, v.Title, v.Shown, v.Balanced = out.Date.String(), "Consolidated balance sheet "+out.Date.String(), true, bs.Balanced
	v.Columns, v.Span = []string{out.Date.String()}, 2
	v.Sections = financialSections([]ledger.Section{bs.Assets, bs.Liabilities, bs.Equity}, bs.Columns, c)
	v.Totals = []financialTotal{{Label: "Liabilities and equity", Amounts: amountsOut(bs.LiabilitiesAndEquity, c)}}
	v.Companies = markRates(v.Companies, out.Companies)
	return nil
}

func (s *Server) consolidatedIncomeStatementView(r *http.Request, v *consolidatedView) error {
	out, is, err := s.consolidatedIncomeStatement(r)
	if err != nil {
		return err
	}
	c := is.Currency
	v.From, v.To, v.Shown = out.From.String(), out.To.String(), true
	v.Title = "Consolidated income statement " + v.From + " – " + v.To
	v.Columns, v.Span = []string{v.From + " – " + v.To}, 2
	v.Sections = financialSections([]ledger.Section{is.Income, is.Expenses}, is.Columns, c)
	v.Totals = []financialTotal{{Label: "Net profit", Amounts: amountsOut(is.NetProfit, c)}}
	v.Companies = markRates(v.Companies, out.Companies)
	return nil
}

// markRates shows the rate each included company was translated at.
func markRates(choices []consolidatedChoice, used []consolidatedCompanyOut) []consolidatedChoice {
	for i := range choices {
		if k := slices.IndexFunc(used, func(u consolidatedCompanyOut) bool { return u.Code == choices[i].Code }); k >= 0 {
			choices[i].Checked = true
			if used[k].Rate != "" {
				choices[i].Rate = used[k].Rate
			}
		}
	}
	return choices
}

// ledgerSetIntercompany flags (intercompany=1) or unflags an account of the
// current company by its code, from the consolidated reports page.
func (s *Server) ledgerSetIntercompany(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	code := strings.TrimSpace(r.PostForm.Get("account"))
	flag := r.PostForm.Get("intercompany") == "1"
	back := "/ledger/reports/consolidated"
	if q := r.URL.Query(); len(q) > 0 {
		back += "?" + q.Encode()
	}
	a, err := s.Ledger.AccountByCode(r.Context(), company, code)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return redirectFlash(w, r, back, "No account has the code "+code+".")
	}
	if err != nil {
		return err
	}
	if err := s.Ledger.SetIntercompany(r.Context(), company, a.ID, flag); err != nil {
		return err
	}
	msg := a.Code + " " + a.Name + " is no longer intercompany."
	if flag {
		msg = a.Code + " " + a.Name + " is intercompany: consolidated reports leave it out."
	}
	return redirectFlash(w, r, back, msg)
}
