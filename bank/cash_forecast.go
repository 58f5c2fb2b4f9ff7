package bank

import (
	"context"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// MaxForecastWeeks bounds Forecast: a quarter is the usual horizon, a year
// the longest that open items and templates can say anything about.
const MaxForecastWeeks = 52

// ForecastWeek is one week of the forecast, in company currency. Receipts
// are receivables due plus recurring entries into cash; payments are
// payables due plus recurring entries out of cash. Closing = Opening +
// Receipts − Payments, and the next week opens with it.
type ForecastWeek struct {
	Week         int             `json:"week"`
	From         backoffice.Date `json:"from"`
	To           backoffice.Date `json:"to"`
	Opening      int64           `json:"opening"`
	Receivables  int64           `json:"receivables"`
	Payables     int64           `json:"payables"`
	RecurringIn  int64           `json:"recurring_in"`
	RecurringOut int64           `json:"recurring_out"`
	Receipts     int64           `json:"receipts"`
	Payments     int64           `json:"payments"`
	Closing      int64           `json:"closing"`
	Items        int             `json:"items"` // open items and occurrences counted in the week
}

// Forecast is the cash forecast of a company from a date.
type Forecast struct {
	CompanyID       backoffice.ID       `json:"company_id"`
	From            backoffice.Date     `json:"from"`
	Currency        backoffice.Currency `json:"currency"`
	Opening         int64               `json:"opening"` // cash and bank balances at the end of From
	Weeks           []ForecastWeek      `json:"weeks"`
	Overdue         int64               `json:"overdue_receivables"` // receivables due before From, counted in week 1
	OverduePayables int64               `json:"overdue_payables"`
	Later           int64               `json:"later"` // net open items due after the last week, not in the table
}

// Forecast projects the company's cash week by week from from (today when
// zero) for weeks weeks (13 when 0): the opening is the company-currency
// balance of every ledger account of subtype bank or cash at the end of
// from; receivables and payables still open count at their company
// residual in the week of their due date (their entry date when they have
// none), overdue ones in week 1; active recurring entries count on each
// occurrence from their next run with their lines on bank and cash
// accounts.
func (s *Service) Forecast(ctx context.Context, companyID backoffice.ID, from backoffice.Date, weeks int) (Forecast, error) {
	if weeks == 0 {
		weeks = 13
	}
	if weeks < 1 || weeks > MaxForecastWeeks {
		return Forecast{}, fieldError("weeks", "must be between 1 and 52")
	}
	if from.IsZero() {
		from = backoffice.DateOf(s.now())
	}
	base, err := s.companyCurrency(ctx, companyID)
	if err != nil {
		return Forecast{}, err
	}
	f := Forecast{CompanyID: companyID, From: from, Currency: base, Weeks: make([]ForecastWeek, weeks)}
	for i := range f.Weeks {
		f.Weeks[i] = ForecastWeek{Week: i + 1, From: from.AddDays(7 * i), To: from.AddDays(7*i + 6)}
	}
	cash, err := s.cashAccounts(ctx, companyID)
	if err != nil {
		return Forecast{}, err
	}
	if f.Opening, err = s.cashBalance(ctx, companyID, cash, from); err != nil {
		return Forecast{}, err
	}
	if err := s.forecastOpenItems(ctx, companyID, &f); err != nil {
		return Forecast{}, err
	}
	if err := s.forecastRecurring(ctx, companyID, cash, &f); err != nil {
		return Forecast{}, err
	}
	opening := f.Opening
	for i := range f.Weeks {
		w := &f.Weeks[i]
		w.Receipts, w.Payments = w.Receivables+w.RecurringIn, w.Payables+w.RecurringOut
		w.Opening, w.Closing = opening, opening+w.Receipts-w.Payments
		opening = w.Closing
	}
	return f, nil
}

// weekOf returns the index of the week holding d (overdue: 0), or -1 when
// d is after the last week.
func (f *Forecast) weekOf(d backoffice.Date) int {
	if d.Before(f.From) {
		return 0
	}
	i := f.From.DaysUntil(d) / 7
	if i >= len(f.Weeks) {
		return -1
	}
	return i
}

// cashAccounts returns the ids of the company's ledger accounts of subtype
// bank or cash.
func (s *Service) cashAccounts(ctx context.Context, companyID backoffice.ID) (map[backoffice.ID]bool, error) {
	out := map[backoffice.ID]bool{}
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		l, err := s.Ledger.ListAccounts(ctx, companyID, ledger.AccountFilter{Type: ledger.Asset, Page: page})
		if err != nil {
			return nil, err
		}
		for _, a := range l.Items {
			if a.Subtype == "bank" || a.Subtype == "cash" {
				out[a.ID] = true
			}
		}
		if l.Next == "" {
			return out, nil
		}
		page.After = l.Next
	}
}

// cashBalance sums the company-currency balances of the cash accounts at
// the end of date, every currency they hold, from the trial balance (which
// reads the maintained summaries only).
func (s *Service) cashBalance(ctx context.Context, companyID backoffice.ID, cash map[backoffice.ID]bool, date backoffice.Date) (int64, error) {
	rows, err := s.Ledger.TrialBalance(ctx, companyID, date)
	if err != nil {
		return 0, err
	}
	var sum int64
	for _, r := range rows {
		if cash[r.AccountID] {
			sum += r.CompanyBalance
		}
	}
	return sum, nil
}

// forecastOpenItems adds the open receivables and payables by due date.
// A receivable's residual is a debit (money to come in), a payable's a
// credit (money to go out); credit notes reduce the week they fall in.
func (s *Service) forecastOpenItems(ctx context.Context, companyID backoffice.ID, f *Forecast) error {
	for _, kind := range []string{"receivable", "payable"} {
		page := backoffice.Page{Limit: backoffice.MaxPageLimit}
		for {
			l, err := s.Ledger.OpenItems(ctx, companyID, ledger.OpenItemFilter{Kind: kind, Page: page})
			if err != nil {
				return err
			}
			for _, it := range l.Items {
				due := it.DueDate
				if due.IsZero() {
					due = it.Date
				}
				f.addOpenItem(kind, due, it.CompanyResidual)
			}
			if l.Next == "" {
				break
			}
			page.After = l.Next
		}
	}
	return nil
}

// addOpenItem counts one open item's company residual.
func (f *Forecast) addOpenItem(kind string, due backoffice.Date, residual int64) {
	i := f.weekOf(due)
	if kind == "payable" {
		residual = -residual
	}
	if i < 0 {
		if kind == "payable" {
			f.Later -= residual
		} else {
			f.Later += residual
		}
		return
	}
	w := &f.Weeks[i]
	w.Items++
	overdue := due.Before(f.From)
	if kind == "payable" {
		w.Payables += residual
		if overdue {
			f.OverduePayables += residual
		}
		return
	}
	w.Receivables += residual
	if overdue {
		f.Overdue += residual
	}
}

// forecastRecurring adds each occurrence of the active recurring entries
// from their next run to the last week: the sum of their lines on cash
// accounts, in company currency (a foreign line without a company amount
// is left out rather than guessed).
func (s *Service) forecastRecurring(ctx context.Context, companyID backoffice.ID, cash map[backoffice.ID]bool, f *Forecast) error {
	last := f.Weeks[len(f.Weeks)-1].To
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		l, err := s.Ledger.ListRecurring(ctx, companyID, ledger.RecurringFilter{Page: page})
		if err != nil {
			return err
		}
		for _, r := range l.Items {
			if !r.Active || r.NextRun.IsZero() {
				continue
			}
			net := recurringCash(r, cash, f.Currency)
			if net == 0 {
				continue
			}
			for _, d := range occurrences(r, last) {
				i := f.weekOf(d)
				if i < 0 {
					continue
				}
				w := &f.Weeks[i]
				w.Items++
				if net > 0 {
					w.RecurringIn += net
				} else {
					w.RecurringOut -= net
				}
			}
		}
		if l.Next == "" {
			return nil
		}
		page.After = l.Next
	}
}

// recurringCash is the company-currency effect of one occurrence on cash:
// debits to cash accounts are money in.
func recurringCash(r ledger.Recurring, cash map[backoffice.ID]bool, base backoffice.Currency) int64 {
	var net int64
	for _, l := range r.Lines {
		if !cash[l.AccountID] {
			continue
		}
		switch {
		case l.CompanyAmount != 0:
			net += l.CompanyAmount
		case l.Currency == "" || l.Currency == base:
			net += l.Amount
		}
	}
	return net
}

// occurrences lists a template's dates from its next run up to last, on
// the template's grid (every step months from its start month, on its day
// of month or the month's last day), within its end date and count.
func occurrences(r ledger.Recurring, last backoffice.Date) []backoffice.Date {
	step := map[ledger.Frequency]int{ledger.Monthly: 1, ledger.Quarterly: 3, ledger.Yearly: 12}[r.Frequency]
	if step == 0 {
		return nil
	}
	day := r.DayOfMonth
	if day == 0 {
		day = r.StartDate.Day
	}
	var out []backoffice.Date
	runs := r.RunCount
	for k := 0; ; k++ {
		first := time.Date(r.StartDate.Year, r.StartDate.Month+time.Month(k*step), 1, 0, 0, 0, 0, time.UTC)
		d := backoffice.NewDate(first.Year(), first.Month(), min(day, first.AddDate(0, 1, -1).Day()))
		if d.After(last) || (!r.EndDate.IsZero() && d.After(r.EndDate)) || (r.MaxCount > 0 && runs >= r.MaxCount) {
			return out
		}
		if d.Before(r.NextRun) || d.Before(r.StartDate) {
			continue
		}
		out = append(out, d)
		runs++
	}
}
