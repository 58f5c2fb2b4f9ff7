package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/bank"
)

// The cash position and forecast are read with bank.read, not ledger.read:
// they are the treasurer's view of the bank accounts (under Bank in the
// menu), and they show ledger figures only as balances of the bank and cash
// accounts and weekly totals of open items, never an entry or a party.

// cashItemOut is a line that explains a difference.
type cashItemOut struct {
	Source  string          `json:"source"` // statement or ledger
	Date    backoffice.Date `json:"date"`
	Amount  string          `json:"amount"`
	Text    string          `json:"text"`
	LineID  backoffice.ID   `json:"line_id,omitempty"`
	EntryID backoffice.ID   `json:"entry_id,omitempty"`
}

// cashAccountOut is one bank account's position; amounts are decimal
// strings in the account's currency.
type cashAccountOut struct {
	BankAccountID     backoffice.ID       `json:"bank_account_id"`
	Name              string              `json:"name"`
	IBAN              string              `json:"iban"`
	Currency          backoffice.Currency `json:"currency"`
	StatementID       backoffice.ID       `json:"statement_id,omitempty"`
	StatementDate     backoffice.Date     `json:"statement_date,omitzero"`
	StatementBalance  string              `json:"statement_balance,omitempty"`
	LedgerAtStatement string              `json:"ledger_at_statement"`
	LedgerToday       string              `json:"ledger_today"`
	Difference        string              `json:"difference"`
	BroughtForward    string              `json:"brought_forward"`
	WindowFrom        backoffice.Date     `json:"window_from,omitzero"`
	Unbooked          []cashItemOut       `json:"unbooked"`  // at the bank, not in the books
	Uncleared         []cashItemOut       `json:"uncleared"` // in the books, not at the bank
	Unexplained       string              `json:"unexplained"`
	AfterStatement    string              `json:"after_statement"`
	Reconciled        int                 `json:"reconciled"` // statement lines paired with the books by their reconciliation
}

type cashTotalOut struct {
	Currency          backoffice.Currency `json:"currency"`
	StatementBalance  string              `json:"statement_balance"`
	LedgerAtStatement string              `json:"ledger_at_statement"`
	LedgerToday       string              `json:"ledger_today"`
	Difference        string              `json:"difference"`
}

type cashPositionOut struct {
	Date         backoffice.Date     `json:"date"`
	Currency     backoffice.Currency `json:"currency"`
	Accounts     []cashAccountOut    `json:"accounts"`
	Totals       []cashTotalOut      `json:"totals"`
	CompanyTotal string              `json:"company_total"`
}

type cashWeekOut struct {
	Week         int             `json:"week"`
	From         backoffice.Date `json:"from"`
	To           backoffice.Date `json:"to"`
	Opening      string          `json:"opening"`
	Receivables  string          `json:"receivables"`
	Payables     string          `json:"payables"`
	RecurringIn  string          `json:"recurring_in"`
	RecurringOut string          `json:"recurring_out"`
	Receipts     string          `json:"receipts"`
	Payments     string          `json:"payments"`
	Closing      string          `json:"closing"`
}

type cashForecastOut struct {
	From            backoffice.Date     `json:"from"`
	Currency        backoffice.Currency `json:"currency"`
	Opening         string              `json:"opening"`
	Weeks           []cashWeekOut       `json:"weeks"`
	Overdue         string              `json:"overdue_receivables"`
	OverduePayables string              `json:"overdue_payables"`
	Later           string              `json:"later"`
}

func cashItems(items []bank.CashItem, c backoffice.Currency) []cashItemOut {
	out := make([]cashItemOut, 0, len(items))
	for _, it := range items {
		out = append(out, cashItemOut{Source: it.Source, Date: it.Date, Amount: decimal(it.Amount, c), Text: it.Text, LineID: it.LineID, EntryID: it.Entry})
	}
	return out
}

func toCashPositionOut(p bank.Position) cashPositionOut {
	out := cashPositionOut{Date: p.Date, Currency: p.Currency, Accounts: []cashAccountOut{}, Totals: []cashTotalOut{},
		CompanyTotal: decimal(p.CompanyTotal, p.Currency)}
	for _, a := range p.Accounts {
		c := a.Currency
		o := cashAccountOut{BankAccountID: a.Account.ID, Name: a.Account.Name, IBAN: a.Account.IBAN, Currency: c, StatementID: a.StatementID,
			StatementDate: a.StatementDate, LedgerAtStatement: decimal(a.LedgerAtStatement, c), LedgerToday: decimal(a.LedgerToday, c),
			Difference: decimal(a.Difference, c), BroughtForward: decimal(a.BroughtForward, c), WindowFrom: a.WindowFrom,
			Unbooked: cashItems(a.Unbooked, c), Uncleared: cashItems(a.Uncleared, c), Unexplained: decimal(a.Unexplained, c),
			AfterStatement: decimal(a.AfterStatement, c), Reconciled: a.Reconciled}
		if !a.StatementDate.IsZero() {
			o.StatementBalance = decimal(a.StatementBalance, c)
		}
		out.Accounts = append(out.Accounts, o)
	}
	for _, t := range p.Totals {
		c := t.Currency
		out.Totals = append(out.Totals, cashTotalOut{Currency: c, StatementBalance: decimal(t.StatementBalance, c),
			LedgerAtStatement: decimal(t.LedgerAtStatement, c), LedgerToday: decimal(t.LedgerToday, c), Difference: decimal(t.Difference, c)})
	}
	return out
}

func toCashForecastOut(f bank.Forecast) cashForecastOut {
	c := f.Currency
	out := cashForecastOut{From: f.From, Currency: c, Opening: decimal(f.Opening, c), Weeks: make([]cashWeekOut, 0, len(f.Weeks)),
		Overdue: decimal(f.Overdue, c), OverduePayables: decimal(f.OverduePayables, c), Later: decimal(f.Later, c)}
	for _, w := range f.Weeks {
		out.Weeks = append(out.Weeks, cashWeekOut{Week: w.Week, From: w.From, To: w.To, Opening: decimal(w.Opening, c),
			Receivables: decimal(w.Receivables, c), Payables: decimal(w.Payables, c), RecurringIn: decimal(w.RecurringIn, c),
			RecurringOut: decimal(w.RecurringOut, c), Receipts: decimal(w.Receipts, c), Payments: decimal(w.Payments, c), Closing: decimal(w.Closing, c)})
	}
	return out
}

// cashPosition reads ?date= (today when absent) and builds the position.
func (s *Server) cashPosition(r *http.Request) (bank.Position, error) {
	company, err := s.banking(r)
	if err != nil {
		return bank.Position{}, err
	}
	date, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return bank.Position{}, err
	}
	return s.Bank.Position(r.Context(), company, date)
}

// cashForecast reads ?from= (today) and ?weeks= (13) and builds the forecast.
func (s *Server) cashForecast(r *http.Request) (bank.Forecast, error) {
	company, err := s.banking(r)
	if err != nil {
		return bank.Forecast{}, err
	}
	q := r.URL.Query()
	from, err := dateParam(q, "from")
	if err != nil {
		return bank.Forecast{}, err
	}
	weeks := 13
	if v := strings.TrimSpace(q.Get("weeks")); v != "" {
		if weeks, err = strconv.Atoi(v); err != nil || weeks < 1 || weeks > bank.MaxForecastWeeks {
			return bank.Forecast{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "weeks must be a whole number from 1 to 52",
				Fields: map[string]string{"weeks": "must be a whole number from 1 to 52"}}
		}
	}
	return s.Bank.Forecast(r.Context(), company, from, weeks)
}

func (s *Server) apiCashPosition(w http.ResponseWriter, r *http.Request) error {
	p, err := s.cashPosition(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCashPositionOut(p))
	return nil
}

func (s *Server) apiCashForecast(w http.ResponseWriter, r *http.Request) error {
	f, err := s.cashForecast(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCashForecastOut(f))
	return nil
}
