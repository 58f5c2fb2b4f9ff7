package web

import (
	"net/http"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

type balanceOut struct {
	AccountID       backoffice.ID       `json:"account_id"`
	Date            backoffice.Date     `json:"date"`
	Currency        backoffice.Currency `json:"currency"`
	Debit           string              `json:"debit"`
	Credit          string              `json:"credit"`
	Balance         string              `json:"balance"` // debit − credit
	CompanyCurrency backoffice.Currency `json:"company_currency"`
	CompanyDebit    string              `json:"company_debit"`
	CompanyCredit   string              `json:"company_credit"`
	CompanyBalance  string              `json:"company_balance"`
	PendingDebit    string              `json:"pending_debit"` // reserved by pending two-phase entries
	PendingCredit   string              `json:"pending_credit"`
	Lines           int64               `json:"lines"`
}

type statementOut struct {
	Account  accountOut          `json:"account"`
	From     backoffice.Date     `json:"from,omitzero"`
	To       backoffice.Date     `json:"to,omitzero"`
	Currency backoffice.Currency `json:"currency"`
	Opening  string              `json:"opening"` // balance before this page's first line
	Closing  string              `json:"closing"` // balance at the end of to
	Lines    []statementLineOut  `json:"lines"`
	Next     string              `json:"next,omitempty"`
}

type statementLineOut struct {
	EntryID   backoffice.ID       `json:"entry_id"`
	LineNo    int                 `json:"line_no"`
	Number    string              `json:"number"`
	Date      backoffice.Date     `json:"date"`
	Reference string              `json:"reference"`
	Narration string              `json:"narration"`
	Memo      string              `json:"memo,omitempty"`
	Currency  backoffice.Currency `json:"currency"` // of amount
	Amount    string              `json:"amount"`   // signed, in the line's currency
	Debit     string              `json:"debit"`    // company currency
	Credit    string              `json:"credit"`
	Balance   string              `json:"balance"` // running, company currency
}

type trialBalanceOut struct {
	Date   backoffice.Date      `json:"date"`
	Rows   []trialBalanceRowOut `json:"rows"`
	Totals []trialBalanceTotal  `json:"totals"` // one per currency of the rows
}

type trialBalanceRowOut struct {
	AccountID backoffice.ID       `json:"account_id"`
	Account   string              `json:"account"` // code
	Name      string              `json:"name"`
	Type      ledger.AccountType  `json:"type"`
	Currency  backoffice.Currency `json:"currency"`
	Debit     string              `json:"debit"`
	Credit    string              `json:"credit"`
	Balance   string              `json:"balance"`
}

type trialBalanceTotal struct {
	Currency backoffice.Currency `json:"currency"`
	Debit    string              `json:"debit"`
	Credit   string              `json:"credit"`
	Balance  string              `json:"balance"`
}

type lockDateOut struct {
	JournalType string          `json:"journal_type"` // "" for all journals
	Date        backoffice.Date `json:"date"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// lockDateIn sets the lock date of all journals (journal_type "") or of one
// journal type; an empty date removes the lock. Moving a lock back needs a reason.
type lockDateIn struct {
	JournalType string          `json:"journal_type"`
	Date        backoffice.Date `json:"date"`
	Reason      string          `json:"reason,omitempty"`
}

func (s *Server) apiAccountBalance(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	date, err := dateParam(q, "date")
	if err != nil {
		return err
	}
	if date.IsZero() {
		date = s.today()
	}
	cur := backoffice.Currency(strings.ToUpper(q.Get("currency")))
	if cur != "" && !cur.Valid() {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "currency is not a currency code", Fields: map[string]string{"currency": "must be an ISO 4217 currency code"}}
	}
	b, err := s.Ledger.Balance(r.Context(), company, a.ID, cur, date)
	if err != nil {
		return err
	}
	base := baseCurrency(r)
	writeJSON(w, http.StatusOK, balanceOut{AccountID: a.ID, Date: b.Date, Currency: b.Currency,
		Debit: decimal(b.Debit, b.Currency), Credit: decimal(b.Credit, b.Currency), Balance: decimal(b.Balance, b.Currency),
		CompanyCurrency: base, CompanyDebit: decimal(b.CompanyDebit, base), CompanyCredit: decimal(b.CompanyCredit, base),
		CompanyBalance: decimal(b.CompanyBalance, base), PendingDebit: decimal(b.PendingDebit, b.Currency),
		PendingCredit: decimal(b.PendingCredit, b.Currency), Lines: b.Lines})
	return nil
}

// statement reads ?from=&to=&limit=&after= and returns one statement page.
func (s *Server) statement(r *http.Request, company, account backoffice.ID) (ledger.Statement, error) {
	q := r.URL.Query()
	from, err := dateParam(q, "from")
	if err != nil {
		return ledger.Statement{}, err
	}
	to, err := dateParam(q, "to")
	if err != nil {
		return ledger.Statement{}, err
	}
	page, err := pageOf(r)
	if err != nil {
		return ledger.Statement{}, err
	}
	return s.Ledger.AccountStatement(r.Context(), company, account, from, to, page)
}

func (s *Server) apiAccountStatement(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	if wantsPDF(r) {
		return s.statementPDF(w, r, company, a)
	}
	st, err := s.statement(r, company, a.ID)
	if err != nil {
		return err
	}
	c := st.Currency
	out := statementOut{Account: toAccountOut(st.Account, c), From: st.From, To: st.To, Currency: c,
		Opening: decimal(st.Opening, c), Closing: decimal(st.Closing, c), Lines: make([]statementLineOut, 0, len(st.Lines)), Next: st.Next}
	for _, l := range st.Lines {
		o := statementLineOut{EntryID: l.EntryID, LineNo: l.LineNo, Number: l.Number, Date: l.Date, Reference: l.Reference,
			Narration: l.Narration, Memo: l.Memo, Currency: l.Currency, Amount: decimal(l.Amount, l.Currency), Balance: decimal(l.Balance, c)}
		o.Debit, o.Credit = sides(l.CompanyAmount, c)
		out.Lines = append(out.Lines, o)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// trialBalance reads ?date= (today when absent) and the rows at its end.
func (s *Server) trialBalance(r *http.Request) (backoffice.Date, []ledger.TrialBalanceRow, error) {
	company, err := s.books(r)
	if err != nil {
		return backoffice.Date{}, nil, err
	}
	date, err := dateParam(r.URL.Query(), "date")
	if err != nil {
		return date, nil, err
	}
	if date.IsZero() {
		date = s.today()
	}
	rows, err := s.Ledger.TrialBalance(r.Context(), company, date)
	return date, rows, err
}

// trialBalanceCSV is the CLI's CSV: account,debit,credit,balance with the
// account code and plain decimals in the row's currency.
func trialBalanceCSV(w http.ResponseWriter, date backoffice.Date, rows []ledger.TrialBalanceRow) error {
	out := make([][]string, 0, len(rows))
	for _, t := range rows {
		out = append(out, []string{t.Code, decimal(t.Debit, t.Currency), decimal(t.Credit, t.Currency), decimal(t.Balance, t.Currency)})
	}
	return writeCSV(w, "trial-balance-"+date.String()+".csv", []string{"account", "debit", "credit", "balance"}, out)
}

// trialBalanceTotals sums debits and credits per currency, in the order the
// currencies first appear.
func trialBalanceTotals(rows []ledger.TrialBalanceRow) []trialBalanceTotal {
	var order []backoffice.Currency
	sums := map[backoffice.Currency]*[2]int64{}
	for _, t := range rows {
		if sums[t.Currency] == nil {
			sums[t.Currency] = &[2]int64{}
			order = append(order, t.Currency)
		}
		sums[t.Currency][0] += t.Debit
		sums[t.Currency][1] += t.Credit
	}
	out := make([]trialBalanceTotal, 0, len(order))
	for _, c := range order {
		d, cr := sums[c][0], sums[c][1]
		out = append(out, trialBalanceTotal{Currency: c, Debit: decimal(d, c), Credit: decimal(cr, c), Balance: decimal(d-cr, c)})
	}
	return out
}

func (s *Server) apiTrialBalance(w http.ResponseWriter, r *http.Request) error {
	date, rows, err := s.trialBalance(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return trialBalanceCSV(w, date, rows)
	}
	if wantsPDF(r) {
		return s.trialBalancePDF(w, r, date, rows)
	}
	out := trialBalanceOut{Date: date, Rows: make([]trialBalanceRowOut, 0, len(rows)), Totals: trialBalanceTotals(rows)}
	for _, t := range rows {
		out.Rows = append(out.Rows, trialBalanceRowOut{AccountID: t.AccountID, Account: t.Code, Name: t.Name, Type: t.Type, Currency: t.Currency,
			Debit: decimal(t.Debit, t.Currency), Credit: decimal(t.Credit, t.Currency), Balance: decimal(t.Balance, t.Currency)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) lockDateList(r *http.Request, company backoffice.ID) (listOf[lockDateOut], error) {
	ls, err := s.Ledger.LockDates(r.Context(), company)
	out := listOf[lockDateOut]{Items: make([]lockDateOut, 0, len(ls))}
	for _, l := range ls {
		out.Items = append(out.Items, lockDateOut(l))
	}
	return out, err
}

func (s *Server) apiLockDates(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	out, err := s.lockDateList(r, company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiSetLockDate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in lockDateIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if err := s.Ledger.SetLockDate(r.Context(), company, in.JournalType, in.Date, strings.TrimSpace(in.Reason)); err != nil {
		return err
	}
	out, err := s.lockDateList(r, company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
