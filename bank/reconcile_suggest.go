package bank

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"backoffice"
	"backoffice/bank/reconcile"
	"backoffice/ledger"
	"backoffice/party"
)

// SuggestFilter selects the statement lines to reconcile: the unreconciled
// lines of one statement, or of one bank account booked between two dates
// (inclusive; zero = open). Options tune the matching engine.
type SuggestFilter struct {
	StatementID backoffice.ID
	AccountID   backoffice.ID
	From, To    backoffice.Date
	Options     reconcile.Options
}

// Suggestion is one unreconciled statement line with the ways to reconcile
// it, best first: candidates among the open items (the engine's confidence
// and reasons), and posted lines of the bank account with the same amount
// (a payment already booked by the payments module).
type Suggestion struct {
	Line       Line                `json:"line"`
	Candidates []Candidate         `json:"candidates"`
	Hold       string              `json:"hold,omitempty"` // why the best candidate is not automatic
	Posted     []PostedBankLine    `json:"posted"`
	Account    backoffice.ID       `json:"bank_account_id"`
	Currency   backoffice.Currency `json:"-"`
}

// Auto returns the candidate certain enough to confirm without a person, or nil.
func (s Suggestion) Auto() *Candidate {
	if len(s.Candidates) > 0 && s.Candidates[0].Auto {
		return &s.Candidates[0]
	}
	return nil
}

// Candidate is one way to settle a line: one or several open items.
type Candidate struct {
	Items      []CandidateItem `json:"items"`
	Confidence int             `json:"confidence"`
	Reasons    []string        `json:"reasons"`
	Difference int64           `json:"difference"` // line amount minus the settled amounts: a fee or an overpayment
	Partial    bool            `json:"partial"`
	Auto       bool            `json:"auto"`
}

// CandidateItem is an open item a candidate settles and for how much
// (signed like the statement: a receivable positive).
type CandidateItem struct {
	Item   ledger.LineRef `json:"item"`
	Amount int64          `json:"amount"`
	Open   int64          `json:"open"`
	OpenItemInfo
}

// OpenItemInfo describes an open item for a person choosing it.
type OpenItemInfo struct {
	Kind           string              `json:"kind"` // receivable, payable
	EntryNumber    string              `json:"entry_number"`
	DocumentNumber string              `json:"document_number"`
	PartyID        int64               `json:"party_id,omitempty"`
	PartyName      string              `json:"party_name"`
	AccountID      backoffice.ID       `json:"account_id"`
	Date           backoffice.Date     `json:"date"`
	DueDate        backoffice.Date     `json:"due_date,omitzero"`
	Currency       backoffice.Currency `json:"currency"`
	Residual       int64               `json:"residual"`
}

// PostedBankLine is a posted line of the bank account's ledger account that
// no statement line is reconciled with yet.
type PostedBankLine struct {
	Line      ledger.LineRef      `json:"line"`
	Number    string              `json:"number"`
	Date      backoffice.Date     `json:"date"`
	Reference string              `json:"reference"`
	Narration string              `json:"narration"`
	Currency  backoffice.Currency `json:"currency"`
	Amount    int64               `json:"amount"`
}

// postedWindow is how far (days) a posted bank line's date may be from the
// statement line's booking date to be proposed: transfers take a few
// banking days, cheques longer.
const postedWindow = 10

// Suggest proposes, for every unreconciled line selected by f, how to
// reconcile it: the company's open receivables and payables (with their
// parties' names and known IBANs, the document number and its RF
// reference) go through the matching engine; posted bank lines of the same
// amount are offered beside them.
func (s *Service) Suggest(ctx context.Context, companyID backoffice.ID, f SuggestFilter) ([]Suggestion, error) {
	acc, lines, err := s.unreconciledLines(ctx, companyID, f)
	if err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return []Suggestion{}, nil
	}
	book, err := s.openItemBook(ctx, companyID)
	if err != nil {
		return nil, err
	}
	return s.suggestWith(ctx, companyID, acc, lines, book, f.Options)
}

// suggestWith matches lines against a loaded book of open items.
func (s *Service) suggestWith(ctx context.Context, companyID backoffice.ID, acc Account, lines []Line, book *itemBook, opt reconcile.Options) ([]Suggestion, error) {
	in := make([]reconcile.StatementLine, len(lines))
	for i, l := range lines {
		in[i] = reconcile.StatementLine{ID: l.ID, BookingDate: l.BookingDate, ValueDate: l.ValueDate, Amount: l.Amount, Currency: l.Currency,
			CounterpartyName: l.CounterpartyName, CounterpartyIBAN: l.CounterpartyIBAN, Remittance: l.Remittance,
			EndToEndID: l.EndToEndID, BankRef: l.BankReference}
	}
	props := book.index.Match(in, opt)
	posted, err := s.postedBankLines(ctx, companyID, acc, lines)
	if err != nil {
		return nil, err
	}
	out := make([]Suggestion, len(lines))
	for i, p := range props {
		out[i] = Suggestion{Line: lines[i], Hold: p.Hold, Candidates: []Candidate{}, Account: acc.ID, Currency: acc.Currency, Posted: []PostedBankLine{}}
		for _, c := range p.Candidates {
			out[i].Candidates = append(out[i].Candidates, book.candidate(c))
		}
		for _, pl := range posted {
			if pl.Amount == lines[i].Amount && pl.Currency == lines[i].Currency && daysApart(pl.Date, lines[i].BookingDate) <= postedWindow {
				out[i].Posted = append(out[i].Posted, pl)
			}
		}
	}
	return out, nil
}

func daysApart(a, b backoffice.Date) int {
	if a.IsZero() || b.IsZero() {
		return 0
	}
	d := int(a.Time().Sub(b.Time()).Hours() / 24)
	return max(d, -d)
}

// lineColumns are the columns scanLine reads, on alias l.
const lineColumns = `l.id, l.statement_id, l.booking_date, l.value_date, l.amount, l.currency, l.counterparty_name, l.counterparty_iban,
	l.counterparty_bic, l.remittance, l.end_to_end_id, l.bank_reference, l.mandate_id, l.creditor_id, l.bank_tx_code`

func scanLine(r scanner) (Line, error) {
	var l Line
	err := r.Scan(&l.ID, &l.StatementID, &l.BookingDate, &l.ValueDate, &l.Amount, &l.Currency, &l.CounterpartyName,
		&l.CounterpartyIBAN, &l.CounterpartyBIC, &l.Remittance, &l.EndToEndID, &l.BankReference, &l.MandateID, &l.CreditorID,
		&l.BankTxCode)
	return l, err
}

// unreconciledLines reads the bank account and the lines of f that no live
// reconciliation covers, by booking date.
func (s *Service) unreconciledLines(ctx context.Context, companyID backoffice.ID, f SuggestFilter) (Account, []Line, error) {
	where := []string{"l.company_id = ?", "NOT EXISTS (SELECT 1 FROM bank_reconciliations r WHERE r.statement_line_id = l.id AND r.undone_at IS NULL)"}
	args := []any{int64(companyID)}
	accountID := f.AccountID
	switch {
	case f.StatementID != 0:
		st, err := s.Statement(ctx, companyID, f.StatementID)
		if err != nil {
			return Account{}, nil, err
		}
		accountID = st.BankAccountID
		where = append(where, "l.statement_id = ?")
		args = append(args, int64(f.StatementID))
	case f.AccountID != 0:
		where = append(where, "l.bank_account_id = ?")
		args = append(args, int64(f.AccountID))
		if !f.From.IsZero() {
			where, args = append(where, "l.booking_date >= ?"), append(args, f.From)
		}
		if !f.To.IsZero() {
			where, args = append(where, "l.booking_date <= ?"), append(args, f.To)
		}
	default:
		return Account{}, nil, fieldError("statement_id", "or a bank account is required: say which lines to reconcile")
	}
	acc, err := s.Get(ctx, companyID, accountID)
	if err != nil {
		return Account{}, nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+lineColumns+` FROM bank_statement_lines l WHERE `+strings.Join(where, " AND ")+`
		ORDER BY l.booking_date, l.id`, args...)
	if err != nil {
		return Account{}, nil, fmt.Errorf("read unreconciled lines: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		l, err := scanLine(rows)
		if err != nil {
			return Account{}, nil, fmt.Errorf("read unreconciled lines: %w", err)
		}
		out = append(out, l)
	}
	return acc, out, rows.Err()
}

// itemBook is the company's open items prepared for the engine, with what a
// person needs to know of each.
type itemBook struct {
	refs  []ledger.LineRef // by engine id - 1
	info  []OpenItemInfo
	index *reconcile.Index
}

// openItemBook loads every open receivable and payable of the company with
// its party's name and bank accounts. A posted invoice's entry carries the
// document number as its reference; the RF creditor reference printed on
// the invoice is derived from it.
func (s *Service) openItemBook(ctx context.Context, companyID backoffice.ID) (*itemBook, error) {
	// The three reads are independent: run them side by side (the open
	// items of B7 take about 0.5 s each to read and scan on SQLite).
	var ps []party.Party
	var lists [2][]ledger.OpenItem
	var errs [3]error
	var wg sync.WaitGroup
	wg.Go(func() { ps, errs[2] = (&party.Service{DB: s.DB}).List(ctx, companyID, party.Filter{WithBlocked: true}) })
	for k, kind := range openKinds {
		wg.Go(func() { lists[k], errs[k] = s.allOpenItems(ctx, companyID, kind) })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	parties := make(map[int64]party.Party, len(ps))
	for _, p := range ps {
		parties[int64(p.ID)] = p
	}
	b := &itemBook{}
	var items []reconcile.OpenItem
	for k, kind := range openKinds {
		for _, it := range lists[k] {
			doc := it.Reference
			if doc == "" {
				doc = it.EntryNumber
			}
			p := parties[it.PartyID]
			info := OpenItemInfo{Kind: kind, EntryNumber: it.EntryNumber, DocumentNumber: doc, PartyID: it.PartyID, PartyName: p.Name(),
				AccountID: it.AccountID, Date: it.Date, DueDate: it.DueDate, Currency: it.Currency, Residual: it.Residual}
			oi := reconcile.OpenItem{ID: backoffice.ID(len(items) + 1), PartyID: backoffice.ID(it.PartyID), PartyName: p.Name(),
				Kind: reconcile.Kind(kind), DocumentNumber: doc, DueDate: it.DueDate, Amount: it.Residual, Currency: it.Currency}
			if oi.DueDate.IsZero() {
				oi.DueDate = it.Date
			}
			if kind == "receivable" && doc != "" {
				oi.Reference = reconcile.RFReference(doc)
			}
			for _, ba := range p.BankAccounts {
				oi.PartyIBANs = append(oi.PartyIBANs, ba.IBAN)
			}
			items = append(items, oi)
			b.refs = append(b.refs, it.LineRef)
			b.info = append(b.info, info)
		}
	}
	b.index = reconcile.NewIndex(items)
	return b, nil
}

// openKinds are the open items a bank line can settle.
var openKinds = [2]string{"receivable", "payable"}

// allOpenItems reads every open item of a kind, page by page.
func (s *Service) allOpenItems(ctx context.Context, companyID backoffice.ID, kind string) ([]ledger.OpenItem, error) {
	var out []ledger.OpenItem
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Ledger.OpenItems(ctx, companyID, ledger.OpenItemFilter{Kind: kind, Page: page})
		if err != nil {
			return nil, err
		}
		out = append(out, list.Items...)
		if list.Next == "" {
			return out, nil
		}
		page.After = list.Next
	}
}

// candidate turns an engine candidate into ledger terms.
func (b *itemBook) candidate(c reconcile.Candidate) Candidate {
	out := Candidate{Confidence: c.Confidence, Reasons: slices.Clone(c.Reasons), Difference: c.Difference, Partial: c.Partial, Auto: c.Auto}
	for _, a := range c.Items {
		i := int(a.ItemID) - 1
		out.Items = append(out.Items, CandidateItem{Item: b.refs[i], Amount: a.Amount, Open: a.Open, OpenItemInfo: b.info[i]})
	}
	return out
}

// postedBankLines lists the posted lines of the bank account's ledger
// account around the lines' dates that no statement line is reconciled with.
func (s *Service) postedBankLines(ctx context.Context, companyID backoffice.ID, acc Account, lines []Line) ([]PostedBankLine, error) {
	from, to := lines[0].BookingDate, lines[0].BookingDate
	for _, l := range lines {
		if l.BookingDate.IsZero() {
			continue
		}
		if from.IsZero() || l.BookingDate.Before(from) {
			from = l.BookingDate
		}
		if l.BookingDate.After(to) {
			to = l.BookingDate
		}
	}
	if from.IsZero() {
		return nil, nil
	}
	taken, err := s.reconciledBankLines(ctx, companyID, acc.ID)
	if err != nil {
		return nil, err
	}
	var out []PostedBankLine
	page := backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		st, err := s.Ledger.AccountStatement(ctx, companyID, acc.LedgerAccountID, from.AddDays(-postedWindow), to.AddDays(postedWindow), page)
		if err != nil {
			return nil, err
		}
		for _, l := range st.Lines {
			ref := ledger.LineRef{EntryID: l.EntryID, LineNo: l.LineNo}
			if !taken[ref] {
				out = append(out, PostedBankLine{Line: ref, Number: l.Number, Date: l.Date, Reference: l.Reference, Narration: l.Narration,
					Currency: l.Currency, Amount: l.Amount})
			}
		}
		if st.Next == "" {
			return out, nil
		}
		page.After = st.Next
	}
}

// reconciledBankLines are the ledger lines of a bank account that a live
// reconciliation already holds.
func (s *Service) reconciledBankLines(ctx context.Context, companyID, accountID backoffice.ID) (map[ledger.LineRef]bool, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT entry_id, line_no FROM bank_reconciliations WHERE company_id = ? AND bank_account_id = ? AND undone_at IS NULL`,
		int64(companyID), int64(accountID))
	if err != nil {
		return nil, fmt.Errorf("read reconciled bank lines: %w", err)
	}
	defer rows.Close()
	out := map[ledger.LineRef]bool{}
	for rows.Next() {
		var r ledger.LineRef
		if err := rows.Scan(&r.EntryID, &r.LineNo); err != nil {
			return nil, fmt.Errorf("read reconciled bank lines: %w", err)
		}
		out[r] = true
	}
	return out, rows.Err()
}
