package web

import (
	"net/http"
	"path"
	"strings"

	"backoffice"
	"backoffice/bank"
)

// bankAccountForm is the data of the bank account page and the new-account form.
type bankAccountForm struct {
	New        bool
	Account    bank.Account
	IBAN       string // the stored IBAN in groups of four
	In         bankAccountIn
	Ledger     []ledgerChoice
	Errors     *formErrors
	CanEdit    bool
	Statements []bankStatementRow
	History    []historyItem
}

// bankAccountIn is what the form shows: what was stored, or what the user
// typed when a save failed.
type bankAccountIn struct {
	Name, IBAN, AccountNumber, BIC, Currency, BankName string
	LedgerAccountID                                    backoffice.ID
	Active                                             bool
	Version                                            int64
}

// bankStatementRow is one statement in the account's statement table.
type bankStatementRow struct {
	ID                                                   backoffice.ID
	StatementID, Period, Opening, Closing, File, Problem string
	Lines                                                int
}

// Inputs are the form's text fields, in the order they show.
func (f bankAccountForm) Inputs() []formInput {
	in := []formInput{
		{Name: "name", Label: "Name", Value: f.In.Name},
		{Name: "iban", Label: "IBAN", Value: f.In.IBAN, Hint: "spaces are fine"},
		{Name: "account_number", Label: "Account number", Value: f.In.AccountNumber, Hint: "when there is no IBAN"},
		{Name: "bic", Label: "BIC", Value: f.In.BIC},
		{Name: "currency", Label: "Currency", Value: f.In.Currency},
		{Name: "bank_name", Label: "Bank", Value: f.In.BankName},
	}
	for i := range in {
		in[i].Order, in[i].ReadOnly = i, !f.CanEdit
		if f.Errors != nil {
			in[i].Error = f.Errors.Fields[in[i].Name]
		}
	}
	return in
}

// readBankAccountForm reads the bank account form's fields.
func readBankAccountForm(r *http.Request) bankAccountIn {
	f := r.PostForm
	in := bankAccountIn{Name: strings.TrimSpace(f.Get("name")), IBAN: strings.TrimSpace(f.Get("iban")),
		AccountNumber: strings.TrimSpace(f.Get("account_number")), BIC: strings.TrimSpace(f.Get("bic")),
		Currency: strings.ToUpper(strings.TrimSpace(f.Get("currency"))), BankName: strings.TrimSpace(f.Get("bank_name")),
		Active: f.Get("active") != ""}
	in.LedgerAccountID, _ = backoffice.ParseID(f.Get("ledger_account_id"))
	v, _ := backoffice.ParseID(f.Get("version"))
	in.Version = int64(v)
	return in
}

func (in bankAccountIn) newAccount() bank.NewAccount {
	return bank.NewAccount{Name: in.Name, IBAN: in.IBAN, AccountNumber: in.AccountNumber, BIC: in.BIC,
		Currency: backoffice.Currency(in.Currency), BankName: in.BankName, LedgerAccountID: in.LedgerAccountID}
}

func (s *Server) bankAccountNew(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	choices, err := s.bankLedgerChoices(r.Context(), company)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "bank_account", "New bank account", bankAccountForm{New: true, CanEdit: true,
		Ledger: choices, In: bankAccountIn{Currency: string(baseCurrency(r)), Active: true}})
}

func (s *Server) bankAccountCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	in := readBankAccountForm(r)
	a, err := s.Bank.Create(r.Context(), company, in.newAccount())
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		choices, cerr := s.bankLedgerChoices(r.Context(), company)
		if cerr != nil {
			return cerr
		}
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), "bank_account", "New bank account",
			bankAccountForm{New: true, In: in, Errors: fe, CanEdit: true, Ledger: choices})
	}
	return redirectFlash(w, r, "/bank/accounts/"+a.ID.String(), "Bank account created.")
}

func (s *Server) bankAccountShow(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.bankAccount(r)
	if err != nil {
		return err
	}
	in := bankAccountIn{Name: a.Name, IBAN: formatIBAN(a.IBAN), AccountNumber: a.AccountNumber, BIC: a.BIC, Currency: string(a.Currency),
		BankName: a.BankName, LedgerAccountID: a.LedgerAccountID, Active: a.Active, Version: a.Version}
	return s.bankAccountPage(w, r, http.StatusOK, a, in, nil)
}

// bankAccountPage renders a bank account: its fields, its statements and its history.
func (s *Server) bankAccountPage(w http.ResponseWriter, r *http.Request, status int, a bank.Account, in bankAccountIn, fe *formErrors) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	choices, err := s.bankLedgerChoices(r.Context(), company)
	if err != nil {
		return err
	}
	sts, err := s.Bank.Statements(r.Context(), company, a.ID)
	if err != nil {
		return err
	}
	recs, err := s.history(r, "bank_account", a.ID.String())
	if err != nil {
		return err
	}
	form := bankAccountForm{Account: a, IBAN: formatIBAN(a.IBAN), In: in, Ledger: choices, Errors: fe,
		CanEdit: principal(r).Can("bank.manage"), History: historyOf(recs)}
	for _, st := range sts {
		row := bankStatementRow{ID: st.ID, StatementID: st.StatementID, Period: period(st.FromDate, st.ToDate),
			File: path.Base(st.FileName), Problem: st.BalanceProblem, Lines: st.NewLines}
		if st.OpeningBalance != nil {
			row.Opening = decimal(*st.OpeningBalance, st.Currency)
		}
		if st.ClosingBalance != nil {
			row.Closing = decimal(*st.ClosingBalance, st.Currency)
		}
		form.Statements = append(form.Statements, row)
	}
	return s.render(w, r, status, "bank_account", a.Name, form)
}

// period writes a statement's period; a file may give neither date.
func period(from, to backoffice.Date) string {
	switch {
	case from.IsZero() && to.IsZero():
		return "not given"
	case from == to:
		return from.String()
	case from.IsZero():
		return "until " + to.String()
	case to.IsZero():
		return "from " + from.String()
	}
	return from.String() + " – " + to.String()
}

func (s *Server) bankAccountUpdate(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.bankAccount(r)
	if err != nil {
		return err
	}
	in := readBankAccountForm(r)
	version := in.Version
	if version == 0 {
		version = a.Version
	}
	n := in.newAccount()
	_, err = s.Bank.Update(r.Context(), company, a.ID, version, bank.AccountPatch{Name: &n.Name, IBAN: &n.IBAN,
		AccountNumber: &n.AccountNumber, BIC: &n.BIC, Currency: &n.Currency, BankName: &n.BankName,
		LedgerAccountID: &n.LedgerAccountID, Active: &in.Active})
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.bankAccountPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), a, in, fe)
	}
	return redirectFlash(w, r, "/bank/accounts/"+a.ID.String(), "Saved.")
}
