package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// consolidatedCompanyOut is a member of a consolidation as the reports name it.
type consolidatedCompanyOut struct {
	Code     string              `json:"code"`
	Name     string              `json:"name"`
	Currency backoffice.Currency `json:"currency"`
	Rate     string              `json:"rate,omitempty"` // group currency per unit; absent in the group currency
}

type consolidatedBalanceSheetOut struct {
	Companies []consolidatedCompanyOut `json:"companies"`
	balanceSheetOut
}

type consolidatedIncomeStatementOut struct {
	Companies []consolidatedCompanyOut `json:"companies"`
	incomeStatementOut
}

// consolidation reads ?companies=CODE,CODE (the current company when
// absent), ?currency= (the current company's by default) and ?rate.CODE=
// for each company in another currency. The caller must belong to every
// company and read its books there: a consolidation shows each member's
// figures, so it needs each member's permission, never just the current one.
func (s *Server) consolidation(r *http.Request) (backoffice.Currency, []ledger.Member, []consolidatedCompanyOut, error) {
	if _, err := s.books(r); err != nil {
		return "", nil, nil, err
	}
	p := principal(r)
	q := r.URL.Query()
	group := backoffice.Currency(strings.ToUpper(strings.TrimSpace(q.Get("currency"))))
	if group == "" {
		group = baseCurrency(r)
	}
	var codes []string
	for _, v := range q["companies"] {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
	}
	if len(codes) == 0 {
		codes = []string{p.Company.Code}
	}
	v := backoffice.Validation{}
	v.Check(group.Valid(), "currency", "must be an ISO 4217 currency code")
	var members []ledger.Member
	var out []consolidatedCompanyOut
	for _, code := range codes {
		i := -1
		for k, m := range p.Memberships {
			if strings.EqualFold(m.CompanyCode, code) {
				i = k
			}
		}
		if i < 0 {
			v.Add("companies", "you are not a member of company "+code)
			continue
		}
		m := p.Memberships[i]
		role, err := s.Access.GetRole(r.Context(), m.RoleID)
		if err != nil {
			return "", nil, nil, err
		}
		if !role.Has("ledger.read") {
			return "", nil, nil, backoffice.Errorf(backoffice.EForbidden, "your role %s in company %s may not read its books (ledger.read)", role.Name, m.CompanyCode)
		}
		c, err := s.Access.GetCompany(r.Context(), m.CompanyID)
		if err != nil {
			return "", nil, nil, err
		}
		rate := strings.TrimSpace(q.Get("rate." + m.CompanyCode))
		if c.Currency == group {
			rate = ""
		}
		members = append(members, ledger.Member{CompanyID: c.ID, Rate: rate})
		out = append(out, consolidatedCompanyOut{Code: c.Code, Name: c.Name, Currency: c.Currency, Rate: rate})
	}
	if err := v.Err("consolidation"); err != nil {
		return "", nil, nil, err
	}
	return group, members, out, nil
}

// memberFields renames the ledger's members[i].rate fields to the query's
// rate.CODE, so a form can put each message beside its input.
func memberFields(err error, companies []consolidatedCompanyOut) error {
	e, ok := err.(*backoffice.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = map[string]string{}
	for k, m := range e.Fields {
		for i, c := range companies {
			if k == "members["+strconv.Itoa(i)+"].rate" {
				k = "rate." + c.Code
			}
		}
		out.Fields[k] = m
	}
	return &out
}

// consolidatedBalanceSheet reads the consolidation and ?date= (today by default).
func (s *Server) consolidatedBalanceSheet(r *http.Request) (consolidatedBalanceSheetOut, ledger.BalanceSheet, error) {
	group, members, companies, err := s.consolidation(r)
	if err != nil {
		return consolidatedBalanceSheetOut{}, ledger.BalanceSheet{}, err
	}
	date, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return consolidatedBalanceSheetOut{}, ledger.BalanceSheet{}, err
	}
	if date.IsZero() {
		date = s.today()
	}
	bs, err := s.Ledger.ConsolidatedBalanceSheet(r.Context(), group, date, members)
	if err != nil {
		return consolidatedBalanceSheetOut{}, bs, memberFields(err, companies)
	}
	c := bs.Currency
	return consolidatedBalanceSheetOut{Companies: companies, balanceSheetOut: balanceSheetOut{Date: date, Currency: c, Columns: bs.Columns,
		Assets: sectionOut(bs.Assets, c), Liabilities: sectionOut(bs.Liabilities, c), Equity: sectionOut(bs.Equity, c),
		LiabilitiesAndEquity: amountsOut(bs.LiabilitiesAndEquity, c), Balanced: bs.Balanced}}, bs, nil
}

// consolidatedIncomeStatement reads the consolidation and ?from=&to= (the
// current company's fiscal year to date by default).
func (s *Server) consolidatedIncomeStatement(r *http.Request) (consolidatedIncomeStatementOut, ledger.IncomeStatement, error) {
	group, members, companies, err := s.consolidation(r)
	if err != nil {
		return consolidatedIncomeStatementOut{}, ledger.IncomeStatement{}, err
	}
	from, to, err := s.period(r, principal(r).Company.ID)
	if err != nil {
		return consolidatedIncomeStatementOut{}, ledger.IncomeStatement{}, err
	}
	is, err := s.Ledger.ConsolidatedIncomeStatement(r.Context(), group, from, to, members)
	if err != nil {
		return consolidatedIncomeStatementOut{}, is, memberFields(err, companies)
	}
	c := is.Currency
	return consolidatedIncomeStatementOut{Companies: companies, incomeStatementOut: incomeStatementOut{From: from, To: to, Currency: c,
		Columns: is.Columns, Income: sectionOut(is.Income, c), Expenses: sectionOut(is.Expenses, c), NetProfit: amountsOut(is.NetProfit, c)}}, is, nil
}

func (s *Server) apiConsolidatedBalanceSheet(w http.ResponseWriter, r *http.Request) error {
	out, bs, err := s.consolidatedBalanceSheet(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "consolidated-balance-sheet-"+out.Date.String()+".csv", bs.WriteCSV)
	}
	if wantsPDF(r) {
		return s.consolidatedBalanceSheetPDF(w, r, out, bs)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiConsolidatedIncomeStatement(w http.ResponseWriter, r *http.Request) error {
	out, is, err := s.consolidatedIncomeStatement(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "consolidated-income-statement-"+out.From.String()+"-"+out.To.String()+".csv", is.WriteCSV)
	}
	if wantsPDF(r) {
		return s.consolidatedIncomeStatementPDF(w, r, out, is)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// intercompanyIn flags or unflags an account as intercompany.
type intercompanyIn struct {
	Intercompany bool `json:"intercompany"`
}

// intercompanyOut is an account flagged intercompany (or just unflagged).
type intercompanyOut struct {
	AccountID    backoffice.ID      `json:"account_id"`
	Account      string             `json:"account"`
	Name         string             `json:"name"`
	Type         ledger.AccountType `json:"type"`
	Intercompany bool               `json:"intercompany"`
}

// apiIntercompanyAccounts lists the accounts that consolidated reports leave out.
func (s *Server) apiIntercompanyAccounts(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	as, err := s.Ledger.IntercompanyAccounts(r.Context(), company)
	if err != nil {
		return err
	}
	out := listOf[intercompanyOut]{Items: make([]intercompanyOut, 0, len(as))}
	for _, a := range as {
		out.Items = append(out.Items, intercompanyOut{AccountID: a.ID, Account: a.Code, Name: a.Name, Type: a.Type, Intercompany: true})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiSetIntercompany flags an account as intercompany (a receivable from,
// payable to, sale to or cost from another company of the group) or
// unflags it; the change is in the account's history.
func (s *Server) apiSetIntercompany(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	var in intercompanyIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.Ledger.SetIntercompany(r.Context(), company, a.ID, in.Intercompany); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, intercompanyOut{AccountID: a.ID, Account: a.Code, Name: a.Name, Type: a.Type, Intercompany: in.Intercompany})
	return nil
}
