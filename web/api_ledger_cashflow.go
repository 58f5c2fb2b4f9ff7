package web

import (
	"net/http"

	"backoffice"
	"backoffice/ledger"
)

type cashFlowRowOut struct {
	Class     string        `json:"class"` // profit, non_cash, working_capital, investing, financing
	AccountID backoffice.ID `json:"account_id,omitempty"`
	Code      string        `json:"code,omitempty"`
	Name      string        `json:"name"`
	Amount    string        `json:"amount"` // effect on cash: positive brings cash in
}

type cashFlowSectionOut struct {
	Key   string           `json:"key"`
	Label string           `json:"label"`
	Rows  []cashFlowRowOut `json:"rows"`
	Total string           `json:"total"`
}

type cashFlowOut struct {
	From        backoffice.Date     `json:"from"`
	To          backoffice.Date     `json:"to"`
	Currency    backoffice.Currency `json:"currency"`
	Profit      string              `json:"profit"`
	Operating   cashFlowSectionOut  `json:"operating"`
	Investing   cashFlowSectionOut  `json:"investing"`
	Financing   cashFlowSectionOut  `json:"financing"`
	NetChange   string              `json:"net_change"`
	CashOpening string              `json:"cash_opening"`
	CashClosing string              `json:"cash_closing"`
	CashChange  string              `json:"cash_change"`
	Balanced    bool                `json:"balanced"` // the net change equals the cash accounts' movement
}

func cashFlowSection(s ledger.CashFlowSection, c backoffice.Currency) cashFlowSectionOut {
	out := cashFlowSectionOut{Key: s.Key, Label: s.Label, Rows: make([]cashFlowRowOut, 0, len(s.Rows)), Total: decimal(s.Total, c)}
	for _, r := range s.Rows {
		out.Rows = append(out.Rows, cashFlowRowOut{Class: r.Class, AccountID: r.AccountID, Code: r.Code, Name: r.Name, Amount: decimal(r.Amount, c)})
	}
	return out
}

// cashFlow reads ?from=&to= (the fiscal year to date by default).
func (s *Server) cashFlow(r *http.Request) (ledger.CashFlow, backoffice.Date, backoffice.Date, error) {
	company, err := s.books(r)
	if err != nil {
		return ledger.CashFlow{}, backoffice.Date{}, backoffice.Date{}, err
	}
	from, to, err := s.period(r, company)
	if err != nil {
		return ledger.CashFlow{}, from, to, err
	}
	cf, err := s.Ledger.CashFlow(r.Context(), company, from, to)
	return cf, from, to, err
}

func (s *Server) apiCashFlow(w http.ResponseWriter, r *http.Request) error {
	cf, from, to, err := s.cashFlow(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return reportCSV(w, "cash-flow-"+from.String()+"-"+to.String()+".csv", cf.WriteCSV)
	}
	if wantsPDF(r) {
		return s.cashFlowPDF(w, r, cf)
	}
	c := cf.Currency
	writeJSON(w, http.StatusOK, cashFlowOut{From: from, To: to, Currency: c, Profit: decimal(cf.Profit, c),
		Operating: cashFlowSection(cf.Operating, c), Investing: cashFlowSection(cf.Investing, c), Financing: cashFlowSection(cf.Financing, c),
		NetChange: decimal(cf.NetChange, c), CashOpening: decimal(cf.CashOpening, c), CashClosing: decimal(cf.CashClosing, c),
		CashChange: decimal(cf.CashChange, c), Balanced: cf.Balanced})
	return nil
}
