package web

import (
	"net/http"

	"backoffice"
	"backoffice/ledger"
)

// cashFlowView is the cash-flow statement page.
type cashFlowView struct {
	From, To      string
	Currency      backoffice.Currency
	Sections      []cashFlowSectionView
	Totals        []cashFlowTotal
	Balanced      bool
	Shown         bool
	CSVURL, Error string
	PDFURL        string
}

type cashFlowSectionView struct {
	Label string
	Rows  []cashFlowRowView
	Total string
}

type cashFlowRowView struct {
	Class, Code, Name, Amount string
	URL                       string // the account's statement over the period
}

type cashFlowTotal struct{ Label, Amount string }

// cashFlowClass names a cash-flow row's class for people.
func cashFlowClass(class string) string {
	switch class {
	case "profit":
		return "Profit"
	case "non_cash":
		return "Non-cash adjustment"
	case "working_capital":
		return "Change in working capital"
	case "investing":
		return "Investing"
	case "financing":
		return "Financing"
	}
	return class
}

// ledgerCashFlow shows the cash-flow statement (indirect method) of a
// period, the fiscal year to date by default; account rows open the
// account's statement over the period.
func (s *Server) ledgerCashFlow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := cashFlowView{From: q.Get("from"), To: q.Get("to")}
	cf, from, to, err := s.cashFlow(r)
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "ledger_report_cash_flow", "Cash flow", v)
	case err != nil:
		return err
	}
	if q.Get("format") == "csv" {
		return reportCSV(w, "cash-flow-"+from.String()+"-"+to.String()+".csv", cf.WriteCSV)
	}
	if wantsPDF(r) {
		return s.cashFlowPDF(w, r, cf)
	}
	c := cf.Currency
	v.PDFURL = pdfURL(r)
	v.From, v.To, v.Currency, v.Shown, v.Balanced, v.CSVURL = from.String(), to.String(), c, true, cf.Balanced, withQuery(r, "format", "csv")
	period := ledger.Column{From: from, To: to}
	for _, sec := range []ledger.CashFlowSection{cf.Operating, cf.Investing, cf.Financing} {
		sv := cashFlowSectionView{Label: sec.Label, Total: decimal(sec.Total, c)}
		for _, row := range sec.Rows {
			rv := cashFlowRowView{Class: cashFlowClass(row.Class), Code: row.Code, Name: row.Name, Amount: decimal(row.Amount, c)}
			if row.AccountID != 0 {
				rv.URL = statementURL(row.AccountID, period)
			}
			sv.Rows = append(sv.Rows, rv)
		}
		v.Sections = append(v.Sections, sv)
	}
	v.Totals = []cashFlowTotal{{"Net change in cash", decimal(cf.NetChange, c)}, {"Cash at the start", decimal(cf.CashOpening, c)},
		{"Cash at the end", decimal(cf.CashClosing, c)}}
	return s.render(w, r, http.StatusOK, "ledger_report_cash_flow", "Cash flow "+from.String()+" – "+to.String(), v)
}
