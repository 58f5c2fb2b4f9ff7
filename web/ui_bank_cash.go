package web

import (
	"net/http"
	"strconv"

	"backoffice"
	"backoffice/bank"
)

// cashView is the cash page: the position per bank account and the
// weekly forecast, as tables and a chart.
type cashView struct {
	Date, Weeks string
	WeekChoices []string
	Error       string
	Currency    backoffice.Currency
	Tiles       []tile
	Accounts    []cashAccountRow
	Totals      []cashTotalOut
	Forecast    cashForecastOut
	Chart       chartData
	CanImport   bool
}

// cashAccountRow is one account of the position with its explanation.
type cashAccountRow struct {
	cashAccountOut
	URL, StatementURL string
	Explained         bool // the difference is fully accounted for by the items
	HasDifference     bool
	Effects           []cashEffect
}

// cashEffect is one item's share of a difference: a statement line adds
// its amount, a ledger line takes its amount away.
type cashEffect struct {
	Date       backoffice.Date
	Side, Text string
	Amount     string
}

// cashEffects lists what makes up an account's difference.
func cashEffects(ap bank.AccountPosition) []cashEffect {
	c := ap.Currency
	var out []cashEffect
	if ap.BroughtForward != 0 {
		out = append(out, cashEffect{Date: ap.WindowFrom, Side: "brought forward", Text: "statement opening balance against the ledger the day before",
			Amount: decimal(ap.BroughtForward, c)})
	}
	for _, it := range ap.Unbooked {
		out = append(out, cashEffect{Date: it.Date, Side: "at the bank, not booked", Text: it.Text, Amount: decimal(it.Amount, c)})
	}
	for _, it := range ap.Uncleared {
		out = append(out, cashEffect{Date: it.Date, Side: "booked, not at the bank", Text: it.Text, Amount: decimal(-it.Amount, c)})
	}
	return out
}

// bankCash shows the cash position at ?date= and the forecast for ?weeks=.
func (s *Server) bankCash(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := cashView{Date: q.Get("date"), Weeks: q.Get("weeks"), WeekChoices: []string{"4", "8", "13", "26", "52"}, CanImport: principal(r).Can("bank.manage")}
	if v.Weeks == "" {
		v.Weeks = "13"
	}
	p, err := s.cashPosition(r)
	var f bank.Forecast
	if err == nil {
		f, err = s.cashForecastFrom(r, p, v.Weeks)
	}
	switch {
	case backoffice.ErrorCode(err) == backoffice.EInvalid:
		v.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "bank_cash", "Cash position", v)
	case err != nil:
		return err
	}
	v.Date, v.Currency = p.Date.String(), p.Currency
	out := toCashPositionOut(p)
	v.Totals = out.Totals
	for i, a := range out.Accounts {
		ap := p.Accounts[i]
		row := cashAccountRow{cashAccountOut: a, URL: "/bank/accounts/" + strconv.FormatInt(int64(a.BankAccountID), 10),
			Explained: ap.Unexplained == 0, HasDifference: ap.Difference != 0, Effects: cashEffects(ap)}
		if a.StatementID != 0 {
			row.StatementURL = "/bank/statements/" + strconv.FormatInt(int64(a.StatementID), 10)
		}
		v.Accounts = append(v.Accounts, row)
	}
	v.Forecast = toCashForecastOut(f)
	c := f.Currency
	v.Chart = chartData{Currency: c, Series: []chartSeries{{Label: "Receipts", Kind: "bar"}, {Label: "Payments", Kind: "bar"}, {Label: "Closing cash", Kind: "line"}}}
	var low int64
	lowWeek := ""
	for i, wk := range f.Weeks {
		v.Chart.Labels = append(v.Chart.Labels, wk.From.String())
		v.Chart.Series[0].Values = append(v.Chart.Series[0].Values, major(wk.Receipts, c))
		v.Chart.Series[1].Values = append(v.Chart.Series[1].Values, major(wk.Payments, c))
		v.Chart.Series[2].Values = append(v.Chart.Series[2].Values, major(wk.Closing, c))
		if i == 0 || wk.Closing < low {
			low, lowWeek = wk.Closing, wk.From.String()
		}
	}
	closing := f.Opening
	if n := len(f.Weeks); n > 0 {
		closing = f.Weeks[n-1].Closing
	}
	// The figures behind the first two tiles are ledger pages; without
	// ledger.read they point at the forecast table instead.
	trial, aging := "#forecast", "#forecast"
	if principal(r).Can("ledger.read") {
		trial, aging = "/ledger/trial-balance?date="+p.Date.String(), "/ledger/reports/aging?kind=receivable&as_of="+p.Date.String()
	}
	v.Tiles = []tile{
		{"cash and bank at " + p.Date.String(), backoffice.NewMoney(f.Opening, c).String(), trial},
		{"overdue receivables, counted in week 1", backoffice.NewMoney(f.Overdue, c).String(), aging},
		{"lowest week-end cash (week of " + lowWeek + ")", backoffice.NewMoney(low, c).String(), "#forecast"},
		{"cash after " + strconv.Itoa(len(f.Weeks)) + " weeks", backoffice.NewMoney(closing, c).String(), "#forecast"},
	}
	return s.render(w, r, http.StatusOK, "bank_cash", "Cash position", v)
}

// cashForecastFrom builds the forecast for the weeks asked, from the
// position's date.
func (s *Server) cashForecastFrom(r *http.Request, p bank.Position, text string) (bank.Forecast, error) {
	weeks, err := strconv.Atoi(text)
	if err != nil || weeks < 1 || weeks > bank.MaxForecastWeeks {
		return bank.Forecast{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "weeks must be a whole number from 1 to 52",
			Fields: map[string]string{"weeks": "must be a whole number from 1 to 52"}}
	}
	return s.Bank.Forecast(r.Context(), p.CompanyID, p.Date, weeks)
}
