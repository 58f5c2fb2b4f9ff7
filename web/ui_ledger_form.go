package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// blankLines is how many line rows the entry form shows; without JavaScript
// they are all there is, with it "Add line" adds more.
const blankLines = 6

// entryForm is the new-entry and edit-draft form.
type entryForm struct {
	EntryID                         backoffice.ID
	Version                         int64
	Date, JournalID                 string
	Reference, Narration            string
	Key                             string // idempotency key: a double-clicked Post posts once
	Journals                        []ledger.Journal
	Accounts                        []ledger.Account
	Lines                           []formLine
	Errors                          *formErrors
	Currency                        backoffice.Currency
	TotalDebit, TotalCredit, Differ string
}

// formLine is one row of the lines grid with its own messages.
type formLine struct {
	No                           int // 1-based row number
	Account, Debit, Credit, Memo string
	Errors                       map[string]string // by field: account, debit, credit, memo, line
}

func newFormKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "form-" + hex.EncodeToString(b)
}

func (s *Server) ledgerEntryNew(w http.ResponseWriter, r *http.Request) error {
	form := &entryForm{Date: s.today().String(), Key: newFormKey()}
	return s.entryFormPage(w, r, form, nil)
}

// formOfEntry fills the form with a draft's content.
func (s *Server) formOfEntry(r *http.Request, e ledger.Entry) (*entryForm, error) {
	company, err := s.books(r)
	if err != nil {
		return nil, err
	}
	form := &entryForm{EntryID: e.ID, Version: e.Version, Date: e.Date.String(), JournalID: e.JournalID.String(),
		Reference: e.Reference, Narration: e.Narration}
	codes := s.draftCodes(r.Context(), company, e)
	for _, l := range e.Lines {
		cur := l.Currency
		if cur == "" {
			cur = baseCurrency(r)
		}
		fl := formLine{Account: codes[l.AccountID], Memo: l.Memo}
		fl.Debit, fl.Credit = sides(l.Amount, cur)
		form.Lines = append(form.Lines, fl)
	}
	return form, nil
}

// entryFormPage renders the form; err, when given, is why the last save or
// post failed, spread over the fields and lines it names.
func (s *Server) entryFormPage(w http.ResponseWriter, r *http.Request, form *entryForm, err error) error {
	company, cerr := s.books(r)
	if cerr != nil {
		return cerr
	}
	status := http.StatusOK
	if err != nil {
		fe, ferr := ledgerFormFailure(err)
		if ferr != nil {
			return ferr
		}
		form.Errors, status = fe, backoffice.HTTPStatus(backoffice.ErrorCode(err))
		form.spreadErrors()
	}
	for len(form.Lines) < blankLines {
		form.Lines = append(form.Lines, formLine{})
	}
	for i := range form.Lines {
		form.Lines[i].No = i + 1
	}
	journals, jerr := s.Ledger.ListJournals(r.Context(), company)
	if jerr != nil {
		return jerr
	}
	for _, j := range journals {
		if !j.Blocked {
			form.Journals = append(form.Journals, j)
		}
	}
	if form.JournalID == "" && len(form.Journals) > 0 {
		form.JournalID = form.Journals[0].ID.String()
		for _, j := range form.Journals {
			if j.Type == "general" {
				form.JournalID = j.ID.String()
				break
			}
		}
	}
	if form.Accounts, cerr = s.postableAccounts(r, company); cerr != nil {
		return cerr
	}
	form.Currency = baseCurrency(r)
	form.totals()
	title := "New journal entry"
	if form.EntryID != 0 {
		title = "Edit draft entry " + form.EntryID.String()
	}
	return s.render(w, r, status, "ledger_entry_form", title, form)
}

// postableAccounts are the accounts the form offers: not blocked, by code.
// A form needs the whole chart, so it reads it in full pages.
func (s *Server) postableAccounts(r *http.Request, company backoffice.ID) ([]ledger.Account, error) {
	blocked := false
	f := ledger.AccountFilter{Blocked: &blocked, Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	var out []ledger.Account
	for range 20 {
		list, err := s.Ledger.ListAccounts(r.Context(), company, f)
		if err != nil {
			return nil, err
		}
		out = append(out, list.Items...)
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return out, nil
}

// totals sums the typed debits and credits in company currency, so the page
// shows the difference even before JavaScript recomputes it.
func (f *entryForm) totals() {
	var d, c int64
	for _, l := range f.Lines {
		if n, err := parseAmount(l.Debit, f.Currency, "debit"); err == nil && l.Debit != "" {
			d += n
		}
		if n, err := parseAmount(l.Credit, f.Currency, "credit"); err == nil && l.Credit != "" {
			c += n
		}
	}
	f.TotalDebit, f.TotalCredit, f.Differ = decimal(d, f.Currency), decimal(c, f.Currency), decimal(d-c, f.Currency)
}

// spreadErrors moves "lines[i].field" messages to the row they belong to;
// rows are numbered as submitted, and lines[i] counts only non-blank rows.
func (f *entryForm) spreadErrors() {
	rowOf := make([]int, 0, len(f.Lines))
	for i, l := range f.Lines {
		if !l.blank() {
			rowOf = append(rowOf, i)
		}
	}
	for key, msg := range f.Errors.Fields {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(key, "lines[%d]", &i); n != 1 || i < 0 || i >= len(rowOf) {
			continue
		}
		_, rest, _ = strings.Cut(key, "].")
		field := "line"
		switch rest {
		case "account", "account_id", "debit", "credit", "memo":
			field = strings.TrimSuffix(rest, "_id")
		case "amount":
			field = "debit"
		default:
			if rest != "" {
				msg = strings.ReplaceAll(rest, "_", " ") + " " + msg
			}
		}
		row := &f.Lines[rowOf[i]]
		if row.Errors == nil {
			row.Errors = map[string]string{}
		}
		row.Errors[field] = msg
	}
}

func (l formLine) blank() bool {
	return strings.TrimSpace(l.Account+l.Debit+l.Credit+l.Memo) == ""
}

// readEntryForm reads the posted form: header fields and the lines grid.
func readEntryForm(r *http.Request) *entryForm {
	f := r.PostForm
	form := &entryForm{Date: strings.TrimSpace(f.Get("date")), JournalID: f.Get("journal_id"), Reference: f.Get("reference"),
		Narration: f.Get("narration"), Key: f.Get("key")}
	v, _ := backoffice.ParseID(f.Get("version"))
	form.Version = int64(v)
	accounts, debits, credits, memos := f["account"], f["debit"], f["credit"], f["memo"]
	at := func(xs []string, i int) string {
		if i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	for i := range max(len(accounts), len(debits), len(credits), len(memos)) {
		form.Lines = append(form.Lines, formLine{Account: at(accounts, i), Debit: at(debits, i), Credit: at(credits, i), Memo: at(memos, i)})
	}
	return form
}

// newEntry converts the form into the ledger's input through the same
// reader as the API, so both name the same fields.
func (s *Server) newEntryOf(r *http.Request, company backoffice.ID, form *entryForm) (ledger.NewEntry, error) {
	in := entryIn{Reference: form.Reference, Narration: form.Narration}
	v := backoffice.Validation{}
	if id, err := backoffice.ParseID(form.JournalID); err == nil {
		in.JournalID = id
	} else {
		v.Add("journal_id", "choose a journal")
	}
	if d, err := backoffice.ParseDate(form.Date); err == nil {
		in.Date = d
	} else {
		v.Add("date", "must be a date as YYYY-MM-DD")
	}
	for _, l := range form.Lines {
		if !l.blank() {
			in.Lines = append(in.Lines, lineIn{Account: l.Account, Debit: l.Debit, Credit: l.Credit, Memo: l.Memo})
		}
	}
	ne, err := s.newEntryReader(r, company).read(in, v, "")
	if err != nil {
		return ne, err
	}
	return ne, v.Err("entry")
}

// ledgerEntryCreate saves the form as a draft or posts it at once.
func (s *Server) ledgerEntryCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	form := readEntryForm(r)
	ne, err := s.newEntryOf(r, company, form)
	if err != nil {
		return s.entryFormPage(w, r, form, err)
	}
	var e ledger.Entry
	if r.PostForm.Get("action") == "draft" {
		e, err = s.Ledger.CreateDraft(r.Context(), company, ne)
	} else {
		ne.IdempotencyKey = form.Key
		e, err = s.poster.Post(r.Context(), company, ne)
	}
	if err != nil {
		return s.entryFormPage(w, r, form, err)
	}
	msg := "Draft saved."
	if e.State == ledger.Posted {
		msg = "Posted as " + e.Number + "."
	}
	return redirectFlash(w, r, "/ledger/entries/"+e.ID.String(), msg)
}

func (s *Server) ledgerEntryEdit(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.entry(r)
	if err != nil {
		return err
	}
	if e.State != ledger.Draft {
		return backoffice.Errorf(backoffice.EConflict, "entry %s is %s: posted entries never change; reverse it instead", e.Number, e.State)
	}
	form, err := s.formOfEntry(r, e)
	if err != nil {
		return err
	}
	return s.entryFormPage(w, r, form, nil)
}

// ledgerEntryUpdate saves a draft's new content and, when asked, posts it.
func (s *Server) ledgerEntryUpdate(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	form := readEntryForm(r)
	form.EntryID = e.ID
	ne, err := s.newEntryOf(r, company, form)
	if err != nil {
		return s.entryFormPage(w, r, form, err)
	}
	version := form.Version
	if version == 0 {
		version = e.Version
	}
	saved, err := s.Ledger.UpdateDraft(r.Context(), company, e.ID, version, ne)
	if err != nil {
		return s.entryFormPage(w, r, form, err)
	}
	if r.PostForm.Get("action") != "post" {
		return redirectFlash(w, r, "/ledger/entries/"+e.ID.String(), "Draft saved.")
	}
	posted, err := s.Ledger.PostDraft(r.Context(), company, e.ID, saved.Version)
	if err != nil {
		form.Version = saved.Version
		return s.entryFormPage(w, r, form, err)
	}
	return redirectFlash(w, r, "/ledger/entries/"+e.ID.String(), "Posted as "+posted.Number+".")
}
