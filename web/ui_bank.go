package web

import (
	"context"
	"net/http"
	"strings"

	"backoffice"
	"backoffice/bank"
	"backoffice/ledger"
)

// formatIBAN writes an IBAN in groups of four, as it is printed on paper.
func formatIBAN(iban string) string {
	var b strings.Builder
	for i, r := range iban {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lastClosing is the closing balance of the account's latest statement with
// one, as text in its currency; "" when no statement gave one.
func lastClosing(sts []bank.Statement) string {
	for _, st := range sts {
		if st.ClosingBalance != nil {
			return decimal(*st.ClosingBalance, st.Currency)
		}
	}
	return ""
}

// bankAccountsList lists the company's bank accounts with the balance of
// their latest statement; ?format=csv exports them.
func (s *Server) bankAccountsList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := s.Bank.List(r.Context(), company, q.Get("status") != "active")
	if err != nil {
		return err
	}
	ledgerCodes, err := s.bankLedgerAccounts(r.Context(), company)
	if err != nil {
		return err
	}
	search := strings.ToLower(strings.TrimSpace(q.Get("q")))
	v := listView{
		Title: "Bank accounts", SearchHint: "Search name or IBAN", Search: q.Get("q"), ExportURL: withQuery(r, "format", "csv"),
		Help:  "Bank accounts of " + principal(r).Company.Name + ". The balance is the closing balance of the latest imported statement.",
		Empty: "No bank accounts match. Add the company's bank accounts, then import their statements.",
		// The balance comes right after the name so a phone shows it without scrolling.
		Columns: []column{{Label: "Name"}, {Label: "Balance per statement", Numeric: true}, {Label: "IBAN or number"}, {Label: "Currency"}, {Label: "Ledger account"}, {Label: "Status"}},
		Filters: []chip{{Label: "All", URL: withQuery(r, "status", ""), Active: q.Get("status") == ""},
			{Label: "Active only", URL: withQuery(r, "status", "active"), Active: q.Get("status") == "active"}},
	}
	if principal(r).Can("bank.manage") {
		v.NewURL, v.NewLabel = "/bank/accounts/new", "New bank account"
	}
	var csvRows [][]string
	for _, a := range list {
		number := a.AccountNumber
		if a.IBAN != "" {
			number = formatIBAN(a.IBAN)
		}
		if !bankAccountMatches(a, search) {
			continue
		}
		sts, err := s.Bank.Statements(r.Context(), company, a.ID)
		if err != nil {
			return err
		}
		status := cell{Text: "Active", Badge: "ok"}
		if !a.Active {
			status = cell{Text: "Inactive", Badge: "muted"}
		}
		balance := lastClosing(sts)
		v.Rows = append(v.Rows, listRow{URL: "/bank/accounts/" + a.ID.String(), Cells: []cell{{Text: a.Name},
			{Text: balance, Numeric: true}, {Text: number}, {Text: string(a.Currency)}, {Text: ledgerCodes[a.LedgerAccountID]}, status}})
		csvRows = append(csvRows, []string{a.Name, a.IBAN, a.AccountNumber, a.BIC, string(a.Currency), a.BankName,
			ledgerCodes[a.LedgerAccountID], balance, strings.ToLower(status.Text)})
	}
	if q.Get("format") == "csv" {
		return writeCSV(w, "bank-accounts.csv", []string{"name", "iban", "account_number", "bic", "currency", "bank_name", "ledger_account", "balance_per_statement", "status"}, csvRows)
	}
	if st := q.Get("status"); st != "" {
		v.Hidden = append(v.Hidden, hiddenField{"status", st})
	}
	return s.render(w, r, http.StatusOK, "bank_accounts", "Bank accounts", v)
}

// bankAccountMatches reports whether the lower-case search text is in the
// account's name, or (spaces ignored) in its IBAN or account number.
func bankAccountMatches(a bank.Account, search string) bool {
	if search == "" || strings.Contains(strings.ToLower(a.Name), search) {
		return true
	}
	compact := strings.ReplaceAll(search, " ", "")
	return compact != "" && (strings.Contains(strings.ToLower(a.IBAN), compact) || strings.Contains(strings.ToLower(a.AccountNumber), compact))
}

// ledgerChoice is a ledger account a bank account may post to.
type ledgerChoice struct {
	ID    backoffice.ID
	Label string
}

// bankLedgerChoices are the company's asset accounts of subtype bank or
// cash, by code; blocked ones say so.
func (s *Server) bankLedgerChoices(ctx context.Context, company backoffice.ID) ([]ledgerChoice, error) {
	var out []ledgerChoice
	if s.Ledger == nil {
		return nil, backoffice.Errorf(backoffice.EInternal, "this server was started without the general ledger")
	}
	f := ledger.AccountFilter{Type: ledger.Asset, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for {
		list, err := s.Ledger.ListAccounts(ctx, company, f)
		if err != nil {
			return nil, err
		}
		for _, a := range list.Items {
			if a.Subtype != "bank" && a.Subtype != "cash" {
				continue
			}
			c := ledgerChoice{ID: a.ID, Label: a.Code + " " + a.Name}
			if a.Blocked {
				c.Label += " (blocked)"
			}
			out = append(out, c)
		}
		if list.Next == "" {
			return out, nil
		}
		f.Page.After = list.Next
	}
}

// bankLedgerAccounts names each bank or cash ledger account by code and name.
func (s *Server) bankLedgerAccounts(ctx context.Context, company backoffice.ID) (map[backoffice.ID]string, error) {
	choices, err := s.bankLedgerChoices(ctx, company)
	if err != nil {
		return nil, err
	}
	out := make(map[backoffice.ID]string, len(choices))
	for _, c := range choices {
		out[c.ID] = c.Label
	}
	return out, nil
}
