package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// entryIn is a journal entry as API clients write it. The journal is named
// by code (journal) or id (journal_id). Each line names its account by code
// (account) or id (account_id) and carries its amount as a decimal string in
// exactly one of debit or credit, in the line's currency (the company
// currency when omitted; a foreign-currency line also gives its rate,
// company currency per unit).
type entryIn struct {
	Journal        string          `json:"journal,omitempty"`
	JournalID      backoffice.ID   `json:"journal_id,omitempty"`
	Date           backoffice.Date `json:"date"`
	Reference      string          `json:"reference,omitempty"`
	Narration      string          `json:"narration,omitempty"`
	IdempotencyKey string          `json:"idempotency_key,omitempty"`
	Lines          []lineIn        `json:"lines"`
}

// lineIn is one line of an entryIn.
type lineIn struct {
	Account    string              `json:"account,omitempty"`
	AccountID  backoffice.ID       `json:"account_id,omitempty"`
	Currency   backoffice.Currency `json:"currency,omitempty"`
	Debit      string              `json:"debit,omitempty"`
	Credit     string              `json:"credit,omitempty"`
	Rate       string              `json:"rate,omitempty"`
	PartyID    int64               `json:"party_id,omitempty"`
	Dimensions map[string]string   `json:"dimensions,omitempty"`
	TaxCode    string              `json:"tax_code,omitempty"`
	DueDate    backoffice.Date     `json:"due_date,omitzero"`
	Memo       string              `json:"memo,omitempty"`
}

type batchIn struct {
	Entries []entryIn `json:"entries"`
}

type batchOut struct {
	Entries []entryOut `json:"entries"`
}

type reverseIn struct {
	Date   backoffice.Date `json:"date,omitzero"` // the original's date when omitted
	Reason string          `json:"reason"`
}

// entryOut is an entry as the API answers it: amounts as decimal strings,
// debit and credit apart, each line in its currency and in company currency.
type entryOut struct {
	ID           backoffice.ID       `json:"id"`
	Number       string              `json:"number,omitempty"`
	State        ledger.EntryState   `json:"state"`
	JournalID    backoffice.ID       `json:"journal_id"`
	Journal      string              `json:"journal"`
	Date         backoffice.Date     `json:"date"`
	Reference    string              `json:"reference"`
	Narration    string              `json:"narration"`
	Currency     backoffice.Currency `json:"currency"`
	Amount       string              `json:"amount"` // total debits in company currency
	LineCount    int                 `json:"line_count"`
	ReversesID   backoffice.ID       `json:"reverses_id,omitempty"`
	ReversedByID backoffice.ID       `json:"reversed_by_id,omitempty"`
	Reason       string              `json:"reason,omitempty"`
	Lines        []lineOut           `json:"lines,omitempty"`
	PostedAt     *time.Time          `json:"posted_at,omitempty"`
	Warnings     []string            `json:"warnings,omitempty"` // budgets with action warn that this posting went beyond
	Version      int64               `json:"version"`
	CreatedAt    time.Time           `json:"created_at"`
	UpdatedAt    time.Time           `json:"updated_at"`
}

type lineOut struct {
	LineNo        int                 `json:"line_no"`
	AccountID     backoffice.ID       `json:"account_id"`
	Account       string              `json:"account"`
	Currency      backoffice.Currency `json:"currency"`
	Debit         string              `json:"debit,omitempty"`
	Credit        string              `json:"credit,omitempty"`
	CompanyDebit  string              `json:"company_debit,omitempty"`
	CompanyCredit string              `json:"company_credit,omitempty"`
	Rate          string              `json:"rate,omitempty"`
	PartyID       int64               `json:"party_id,omitempty"`
	Dimensions    map[string]string   `json:"dimensions,omitempty"`
	TaxCode       string              `json:"tax_code,omitempty"`
	DueDate       backoffice.Date     `json:"due_date,omitzero"`
	Memo          string              `json:"memo,omitempty"`
}

// sides splits a signed amount into debit and credit strings.
func sides(amount int64, c backoffice.Currency) (debit, credit string) {
	switch {
	case amount > 0:
		return decimal(amount, c), ""
	case amount < 0:
		return "", decimal(-amount, c)
	}
	return "", ""
}

// entryTotal is an entry's debits in company currency; a draft has no
// stored total, so it is summed from its lines.
func entryTotal(e ledger.Entry, base backoffice.Currency) int64 {
	if e.State == ledger.Posted || e.Amount != 0 {
		return e.Amount
	}
	var sum int64
	for _, l := range e.Lines {
		amt := l.CompanyAmount
		if amt == 0 && (l.Currency == "" || l.Currency == base) {
			amt = l.Amount
		}
		if amt > 0 {
			sum += amt
		}
	}
	return sum
}

func toEntryOut(e ledger.Entry, base backoffice.Currency, codes map[backoffice.ID]string) entryOut {
	cur := e.Currency
	if cur == "" {
		cur = base
	}
	out := entryOut{ID: e.ID, Number: e.Number, State: e.State, JournalID: e.JournalID, Journal: e.Journal, Date: e.Date,
		Reference: e.Reference, Narration: e.Narration, Currency: cur, Amount: decimal(entryTotal(e, base), cur), LineCount: e.LineCount,
		ReversesID: e.ReversesID, ReversedByID: e.ReversedByID, Reason: e.Reason, PostedAt: e.PostedAt, Warnings: e.Warnings, Version: e.Version,
		CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	for _, l := range e.Lines {
		lc := l.Currency
		if lc == "" {
			lc = base
		}
		code := l.AccountCode
		if code == "" {
			code = codes[l.AccountID]
		}
		o := lineOut{LineNo: l.LineNo, AccountID: l.AccountID, Account: code, Currency: lc, Rate: l.Rate, PartyID: l.PartyID,
			Dimensions: l.Dimensions, TaxCode: l.TaxCode, DueDate: l.DueDate, Memo: l.Memo}
		o.Debit, o.Credit = sides(l.Amount, lc)
		if lc != base {
			o.CompanyDebit, o.CompanyCredit = sides(l.CompanyAmount, base)
		}
		out.Lines = append(out.Lines, o)
	}
	return out
}

// draftCodes finds the account codes of a draft's lines, which the ledger
// stores by account id only.
func (s *Server) draftCodes(ctx context.Context, company backoffice.ID, e ledger.Entry) map[backoffice.ID]string {
	codes := map[backoffice.ID]string{}
	for _, l := range e.Lines {
		if l.AccountCode != "" || codes[l.AccountID] != "" {
			continue
		}
		if a, err := s.Ledger.GetAccount(ctx, company, l.AccountID); err == nil {
			codes[a.ID] = a.Code
		}
	}
	return codes
}

// entryReader turns entryIn into the ledger's NewEntry, resolving journal and
// account codes once per request however many entries name them.
type entryReader struct {
	s        *Server
	ctx      context.Context
	company  backoffice.ID
	base     backoffice.Currency
	accounts map[string]backoffice.ID // code -> id; 0 when unknown
	journals map[string]backoffice.ID
}

func (s *Server) newEntryReader(r *http.Request, company backoffice.ID) *entryReader {
	return &entryReader{s: s, ctx: r.Context(), company: company, base: baseCurrency(r),
		accounts: map[string]backoffice.ID{}, journals: map[string]backoffice.ID{}}
}

// read converts in, adding every bad field to v under prefix.
func (er *entryReader) read(in entryIn, v backoffice.Validation, prefix string) (ledger.NewEntry, error) {
	out := ledger.NewEntry{JournalID: in.JournalID, Date: in.Date, Reference: in.Reference, Narration: in.Narration,
		IdempotencyKey: in.IdempotencyKey, Lines: make([]ledger.NewLine, 0, len(in.Lines))}
	if in.Journal != "" {
		id, err := er.journal(in.Journal)
		if err != nil {
			return out, err
		}
		v.Check(id != 0, prefix+"journal", "no journal has the code "+in.Journal)
		v.Check(in.JournalID == 0 || in.JournalID == id, prefix+"journal_id", "names another journal than journal")
		out.JournalID = id
	}
	for i, l := range in.Lines {
		nl, err := er.line(l, v, fmt.Sprintf("%slines[%d].", prefix, i))
		if err != nil {
			return out, err
		}
		out.Lines = append(out.Lines, nl)
	}
	return out, nil
}

func (er *entryReader) line(l lineIn, v backoffice.Validation, f string) (ledger.NewLine, error) {
	nl := ledger.NewLine{AccountID: l.AccountID, Currency: l.Currency, Rate: l.Rate, PartyID: l.PartyID,
		Dimensions: l.Dimensions, TaxCode: l.TaxCode, DueDate: l.DueDate, Memo: l.Memo}
	if l.Account != "" {
		id, err := er.account(l.Account)
		if err != nil {
			return nl, err
		}
		v.Check(id != 0, f+"account", "no account has the code "+l.Account)
		v.Check(l.AccountID == 0 || l.AccountID == id, f+"account_id", "names another account than account")
		nl.AccountID = id
	} else if l.AccountID == 0 {
		v.Add(f+"account", "is required: give the account's code or account_id")
	}
	cur := l.Currency
	if cur == "" {
		cur = er.base
	}
	if !cur.Valid() {
		v.Add(f+"currency", "must be an ISO 4217 currency code")
		return nl, nil
	}
	debit, credit := strings.TrimSpace(l.Debit), strings.TrimSpace(l.Credit)
	switch {
	case debit != "" && credit != "":
		v.Add(f+"credit", "give a debit or a credit on one line, not both")
	case debit == "" && credit == "":
		v.Add(f+"debit", "give the amount as a debit or a credit")
	case debit != "":
		n, err := parseAmount(debit, cur, f+"debit")
		addFieldErrors(v, err)
		v.Check(err != nil || n >= 0, f+"debit", "must not be negative; write a credit instead")
		nl.Amount = n
	default:
		n, err := parseAmount(credit, cur, f+"credit")
		addFieldErrors(v, err)
		v.Check(err != nil || n >= 0, f+"credit", "must not be negative; write a debit instead")
		nl.Amount = -n
	}
	return nl, nil
}

// addFieldErrors copies the fields of an invalid error into v.
func addFieldErrors(v backoffice.Validation, err error) {
	if e, ok := err.(*backoffice.Error); ok {
		for k, m := range e.Fields {
			v.Add(k, m)
		}
	}
}

func (er *entryReader) account(code string) (backoffice.ID, error) {
	if id, ok := er.accounts[code]; ok {
		return id, nil
	}
	a, err := er.s.Ledger.AccountByCode(er.ctx, er.company, code)
	if err != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
		return 0, err
	}
	er.accounts[code] = a.ID
	return a.ID, nil
}

func (er *entryReader) journal(code string) (backoffice.ID, error) {
	if id, ok := er.journals[code]; ok {
		return id, nil
	}
	j, err := er.s.Ledger.JournalByCode(er.ctx, er.company, code)
	if err != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
		return 0, err
	}
	er.journals[code] = j.ID
	return j.ID, nil
}

// readEntry decodes and converts one entryIn from the body.
func (s *Server) readEntry(r *http.Request, company backoffice.ID) (ledger.NewEntry, error) {
	var in entryIn
	if err := decodeJSON(r, &in); err != nil {
		return ledger.NewEntry{}, err
	}
	v := backoffice.Validation{}
	ne, err := s.newEntryReader(r, company).read(in, v, "")
	if err != nil {
		return ne, err
	}
	return ne, v.Err("entry")
}

// writeEntry answers an entry with its ETag.
func (s *Server) writeEntry(w http.ResponseWriter, r *http.Request, company backoffice.ID, status int, e ledger.Entry) {
	var codes map[backoffice.ID]string
	if e.State != ledger.Posted {
		codes = s.draftCodes(r.Context(), company, e)
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/entries/"+e.ID.String())
	}
	writeVersioned(w, status, e.Version, toEntryOut(e, baseCurrency(r), codes))
}

// apiPostEntry posts one entry through the shared group-commit poster, so
// concurrent requests share commits; the answer comes after the commit.
// An Idempotency-Key header also keys the entry in the ledger, so a retry
// after a lost answer never posts twice.
func (s *Server) apiPostEntry(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ne, err := s.readEntry(r, company)
	if err != nil {
		return err
	}
	if ne.IdempotencyKey == "" {
		ne.IdempotencyKey = r.Header.Get("Idempotency-Key")
	}
	e, err := s.poster.Post(r.Context(), company, ne)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusCreated, e)
	return nil
}

// apiPostBatch posts up to ledger.MaxBatch entries, all or nothing; every
// problem is named by entry: "entries[3].lines[1].debit".
func (s *Server) apiPostBatch(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in batchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	v := backoffice.Validation{}
	v.Check(len(in.Entries) > 0, "entries", "give at least one entry")
	v.Check(len(in.Entries) <= ledger.MaxBatch, "entries", fmt.Sprintf("a batch holds at most %d entries; split it", ledger.MaxBatch))
	if err := v.Err("batch"); err != nil {
		return err
	}
	er := s.newEntryReader(r, company)
	entries := make([]ledger.NewEntry, len(in.Entries))
	for i, e := range in.Entries {
		if entries[i], err = er.read(e, v, fmt.Sprintf("entries[%d].", i)); err != nil {
			return err
		}
	}
	if err := v.Err("batch"); err != nil {
		return err
	}
	posted, err := s.Ledger.PostBatch(r.Context(), company, entries)
	if err != nil {
		return err
	}
	out := batchOut{Entries: make([]entryOut, len(posted))}
	for i, e := range posted {
		out.Entries[i] = toEntryOut(e, er.base, nil)
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// entry reads the {id} entry of the caller's company.
func (s *Server) entry(r *http.Request) (backoffice.ID, ledger.Entry, error) {
	company, err := s.books(r)
	if err != nil {
		return 0, ledger.Entry{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, ledger.Entry{}, err
	}
	e, err := s.Ledger.GetEntry(r.Context(), company, id)
	return company, e, err
}

func (s *Server) apiGetEntry(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusOK, e)
	return nil
}

func (s *Server) apiReverseEntry(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	var in reverseIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	rev, err := s.Ledger.Reverse(r.Context(), company, e.ID, in.Date, strings.TrimSpace(in.Reason))
	if err != nil {
		return err
	}
	s.writeEntry(w, r, company, http.StatusCreated, rev)
	return nil
}
