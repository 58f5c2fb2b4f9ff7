package web

import (
	"net/http"
	"time"

	"backoffice"
	"backoffice/bank"
)

// bankAccountOut is a bank account as the API shows it.
type bankAccountOut struct {
	ID              backoffice.ID       `json:"id"`
	Name            string              `json:"name"`
	IBAN            string              `json:"iban"`
	AccountNumber   string              `json:"account_number"`
	BIC             string              `json:"bic"`
	Currency        backoffice.Currency `json:"currency"`
	BankName        string              `json:"bank_name"`
	LedgerAccountID backoffice.ID       `json:"ledger_account_id"`
	Active          bool                `json:"active"`
	Version         int64               `json:"version"`
	CreatedAt       time.Time           `json:"created_at"`
	UpdatedAt       time.Time           `json:"updated_at"`
}

func toBankAccountOut(a bank.Account) bankAccountOut {
	return bankAccountOut{ID: a.ID, Name: a.Name, IBAN: a.IBAN, AccountNumber: a.AccountNumber, BIC: a.BIC, Currency: a.Currency,
		BankName: a.BankName, LedgerAccountID: a.LedgerAccountID, Active: a.Active, Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
}

// bankStatementOut is a stored statement; balances are decimal strings in
// the statement's currency, absent when the file gave none.
type bankStatementOut struct {
	ID             backoffice.ID       `json:"id"`
	BankAccountID  backoffice.ID       `json:"bank_account_id"`
	StatementID    string              `json:"statement_id"`
	FromDate       backoffice.Date     `json:"from_date"`
	ToDate         backoffice.Date     `json:"to_date"`
	Currency       backoffice.Currency `json:"currency"`
	OpeningBalance string              `json:"opening_balance,omitempty"`
	ClosingBalance string              `json:"closing_balance,omitempty"`
	FileName       string              `json:"file_name"`
	Format         string              `json:"format"`
	Warnings       []string            `json:"warnings"`
	BalanceProblem string              `json:"balance_problem"`
	NewLines       int                 `json:"new_lines"`
	SkippedLines   int                 `json:"skipped_lines"`
	ImportedAt     time.Time           `json:"imported_at"`
}

func toBankStatementOut(st bank.Statement) bankStatementOut {
	out := bankStatementOut{ID: st.ID, BankAccountID: st.BankAccountID, StatementID: st.StatementID, FromDate: st.FromDate,
		ToDate: st.ToDate, Currency: st.Currency, FileName: st.FileName, Format: st.Format, Warnings: st.Warnings,
		BalanceProblem: st.BalanceProblem, NewLines: st.NewLines, SkippedLines: st.SkippedLines, ImportedAt: st.ImportedAt}
	if st.OpeningBalance != nil {
		out.OpeningBalance = decimal(*st.OpeningBalance, st.Currency)
	}
	if st.ClosingBalance != nil {
		out.ClosingBalance = decimal(*st.ClosingBalance, st.Currency)
	}
	return out
}

// banking returns the caller's company for a bank request, or an error when
// the caller has none or the server runs without banking.
func (s *Server) banking(r *http.Request) (backoffice.ID, error) {
	if s.Bank == nil {
		return 0, backoffice.Errorf(backoffice.EInternal, "this server was started without banking")
	}
	return requireCompany(r)
}

// bankAccount reads the {id} bank account of the caller's company.
func (s *Server) bankAccount(r *http.Request) (backoffice.ID, bank.Account, error) {
	company, err := s.banking(r)
	if err != nil {
		return 0, bank.Account{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, bank.Account{}, err
	}
	a, err := s.Bank.Get(r.Context(), company, id)
	return company, a, err
}

func (s *Server) apiListBankAccounts(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	list, err := s.Bank.List(r.Context(), company, r.URL.Query().Get("inactive") == "true")
	if err != nil {
		return err
	}
	out := listOf[bankAccountOut]{Items: make([]bankAccountOut, 0, len(list))}
	for _, a := range list {
		out.Items = append(out.Items, toBankAccountOut(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateBankAccount(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	var in bank.NewAccount
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.Bank.Create(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/bank-accounts/"+a.ID.String())
	writeVersioned(w, http.StatusCreated, a.Version, toBankAccountOut(a))
	return nil
}

func (s *Server) apiGetBankAccount(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.bankAccount(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, a.Version, toBankAccountOut(a))
	return nil
}

func (s *Server) apiUpdateBankAccount(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.bankAccount(r)
	if err != nil {
		return err
	}
	var in bank.AccountPatch
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, a.Version)
	if err != nil {
		return err
	}
	a, err = s.Bank.Update(r.Context(), company, a.ID, version, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, a.Version, toBankAccountOut(a))
	return nil
}

func (s *Server) apiBankStatements(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.bankAccount(r)
	if err != nil {
		return err
	}
	sts, err := s.Bank.Statements(r.Context(), company, a.ID)
	if err != nil {
		return err
	}
	out := listOf[bankStatementOut]{Items: make([]bankStatementOut, 0, len(sts))}
	for _, st := range sts {
		out.Items = append(out.Items, toBankStatementOut(st))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// bankAccountExists checks that {id} is a bank account of the caller's company.
func (s *Server) bankAccountExists(r *http.Request) error {
	_, _, err := s.bankAccount(r)
	return err
}
