package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
)

type tile struct {
	Label, Figure, URL string
}

// home is the start page: the few figures that matter, each linking to the list behind it.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	var tiles []tile
	if p.Company.ID != 0 {
		ctx := r.Context()
		if p.Can("ledger.read") && s.Ledger != nil {
			books, err := s.bookTiles(r)
			if err != nil {
				return err
			}
			tiles = append(tiles, books...)
		}
		if p.Can("user.read") {
			ms, err := s.Access.ListMembers(ctx, p.Company.ID)
			if err != nil {
				return err
			}
			tiles = append(tiles, tile{"members of this company", strconv.Itoa(len(ms)), "/users"})
		}
		if p.Can("webhook.read") {
			n, err := s.Events.CountFailing(ctx, p.Company.ID)
			if err != nil {
				return err
			}
			tiles = append(tiles, tile{"webhook deliveries failing", strconv.Itoa(n), "/webhooks"})
		}
		if p.Can("audit.read") {
			n, err := audit.CountSince(ctx, s.DB, p.Company.ID, s.now().Add(-24*time.Hour))
			if err != nil {
				return err
			}
			tiles = append(tiles, tile{"changes in the last 24 hours", strconv.Itoa(n), "/changes"})
		}
	}
	return s.render(w, r, http.StatusOK, "home", "Home", struct{ Tiles []tile }{tiles})
}

// bookTiles are the books' figures of today: money at the bank and in cash,
// what customers owe, what the company owes suppliers, and this year's
// profit so far, each linking to the accounts behind it.
func (s *Server) bookTiles(r *http.Request) ([]tile, error) {
	p := principal(r)
	ctx := r.Context()
	today := backoffice.DateOf(s.now())
	rows, err := s.Ledger.TrialBalance(ctx, p.Company.ID, today)
	if err != nil {
		return nil, err
	}
	list, err := s.Ledger.ListAccounts(ctx, p.Company.ID, ledger.AccountFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	subtype := map[backoffice.ID]string{}
	for _, a := range list.Items {
		subtype[a.ID] = a.Subtype
	}
	var cash, receivable, payable, profit int64
	for _, row := range rows {
		switch {
		case subtype[row.AccountID] == "bank" || subtype[row.AccountID] == "cash":
			cash += row.CompanyBalance
		case subtype[row.AccountID] == "receivable":
			receivable += row.CompanyBalance
		case subtype[row.AccountID] == "payable":
			payable -= row.CompanyBalance
		}
		if row.Type == ledger.Income || row.Type == ledger.Expense {
			profit -= row.CompanyBalance // income is credit: a negative balance is profit
		}
	}
	cur := p.Company.Currency
	money := func(v int64) string {
		return groupThousands(backoffice.FormatMinor(v, cur.Exponent())) + " " + string(cur)
	}
	return []tile{
		{"at the bank and in cash", money(cash), "/ledger/accounts?type=asset"},
		{"owed by customers", money(receivable), "/ledger/trial-balance"},
		{"owed to suppliers", money(payable), "/ledger/trial-balance"},
		{"profit to date (all open years)", money(profit), "/ledger/trial-balance"},
	}, nil
}

// groupThousands writes a decimal with thousands separators for reading:
// "-1234567.89" becomes "-1,234,567.89".
func groupThousands(dec string) string {
	sign := ""
	if strings.HasPrefix(dec, "-") {
		sign, dec = "-", dec[1:]
	}
	whole, frac, hasFrac := strings.Cut(dec, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
