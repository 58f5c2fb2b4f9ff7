package web

import (
	"net/http"

	"backoffice"
	"backoffice/ledger"
)

// entriesView is the journal entries page: the shared list plus a date range.
type entriesView struct {
	List     listView
	From, To string
	Keep     []hiddenField // the other filters, kept when the range changes
	ClearURL string        // the same list without the date range
	Pending  []pendingRow  // two-phase entries awaiting post or void
	More     bool          // more pending entries than shown
	CanPost  bool
}

// ledgerEntriesList lists journal entries with filters by journal, state
// and date range, and search over number, reference and narration.
func (s *Server) ledgerEntriesList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	f, ferr := s.entryFilter(r, company)
	if ferr != nil && backoffice.ErrorCode(ferr) != backoffice.EInvalid {
		return ferr
	}
	journals, err := s.Ledger.ListJournals(r.Context(), company)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" && ferr == nil {
		return s.entriesCSV(w, r, company, f)
	}
	if f.Page, err = pageOf(r); err != nil {
		return err
	}
	var list backoffice.List[ledger.Entry]
	if ferr == nil {
		if list, err = s.Ledger.ListEntries(r.Context(), company, f); err != nil {
			return err
		}
	}
	v := listView{
		Title: "Journal entries", SearchHint: "Search number, reference or narration", ExportURL: withQuery(r, "format", "csv"),
		Help:  "Entries by date. Posted entries never change: correct them by reversing. Amounts are total debits in " + string(baseCurrency(r)) + ".",
		Empty: "No journal entries match. A journal entry records a transaction as balanced debits and credits.",
		Columns: []column{{Label: "Date"}, {Label: "Number"}, {Label: "Journal"}, {Label: "Reference"}, {Label: "Narration"},
			{Label: "Amount", Numeric: true}, {Label: "State"}},
		Filters: entryChips(r, journals, s.today()),
	}
	if ferr != nil {
		v.Empty = backoffice.ErrorMessage(ferr) + ": " + joinFields(ferr)
	}
	if principal(r).Can("ledger.post") {
		v.NewURL, v.NewLabel = "/ledger/entries/new", "New entry"
	}
	for _, e := range list.Items {
		v.Rows = append(v.Rows, listRow{URL: "/ledger/entries/" + e.ID.String(), Cells: entryCells(e, baseCurrency(r))})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	q := r.URL.Query()
	page := entriesView{From: q.Get("from"), To: q.Get("to")}
	for _, k := range []string{"journal", "state", "from", "to"} {
		if val := q.Get(k); val != "" {
			v.Hidden = append(v.Hidden, hiddenField{k, val})
		}
	}
	for _, k := range []string{"journal", "state", "q"} {
		if val := q.Get(k); val != "" {
			page.Keep = append(page.Keep, hiddenField{k, val})
		}
	}
	if page.From != "" || page.To != "" {
		cq := cloneQuery(q)
		for _, k := range []string{"from", "to", "after", "flash"} {
			cq.Del(k)
		}
		page.ClearURL = r.URL.Path + "?" + cq.Encode()
	}
	page.List = v
	if page.Pending, page.More, err = s.pendingRows(r, company); err != nil {
		return err
	}
	page.CanPost = principal(r).Can("ledger.post")
	if n := len(page.Pending); n > 0 && q.Get("state") != string(ledger.Pending) {
		page.List.Help += " Pending entries await posting or voiding: see below the list."
	}
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "ledger_entries", "Journal entries", page)
}

// joinFields lists an error's field messages for a one-line notice.
func joinFields(err error) string {
	e, ok := err.(*backoffice.Error)
	if !ok {
		return ""
	}
	out := ""
	for k, m := range e.Fields {
		if out != "" {
			out += "; "
		}
		out += k + " " + m
	}
	return out
}

// entryChips filter by state and by journal.
func entryChips(r *http.Request, journals []ledger.Journal, today backoffice.Date) []chip {
	q := r.URL.Query()
	out := []chip{{Label: "Any state", URL: withQuery(r, "state", ""), Active: q.Get("state") == ""}}
	for _, st := range []ledger.EntryState{ledger.Draft, ledger.Posted, ledger.Pending, ledger.Voided} {
		out = append(out, chip{Label: humanAction(string(st)), URL: withQuery(r, "state", string(st)), Active: q.Get("state") == string(st)})
	}
	out = append(out, rangeChips(r, today)...)
	out = append(out, chip{Label: "All journals", URL: withQuery(r, "journal", ""), Active: q.Get("journal") == ""})
	for _, j := range journals {
		out = append(out, chip{Label: j.Code, URL: withQuery(r, "journal", j.Code), Active: q.Get("journal") == j.Code})
	}
	return out
}

// rangeChips are the common date ranges; the form below the list takes any other.
func rangeChips(r *http.Request, today backoffice.Date) []chip {
	month := backoffice.NewDate(today.Year, today.Month, 1)
	year := backoffice.NewDate(today.Year, 1, 1)
	ranges := []struct {
		label    string
		from, to backoffice.Date
	}{
		{"Any date", backoffice.Date{}, backoffice.Date{}},
		{"This month", month, month.AddMonths(1).AddDays(-1)},
		{"Last month", month.AddMonths(-1), month.AddDays(-1)},
		{"This year", year, year.AddMonths(12).AddDays(-1)},
		{"Last year", year.AddMonths(-12), year.AddDays(-1)},
	}
	q := r.URL.Query()
	out := make([]chip, 0, len(ranges))
	for _, rg := range ranges {
		cq := cloneQuery(q)
		for _, k := range []string{"after", "flash", "from", "to"} {
			cq.Del(k)
		}
		if !rg.from.IsZero() {
			cq.Set("from", rg.from.String())
			cq.Set("to", rg.to.String())
		}
		url := r.URL.Path
		if len(cq) > 0 {
			url += "?" + cq.Encode()
		}
		out = append(out, chip{Label: rg.label, URL: url, Active: q.Get("from") == rg.from.String() && q.Get("to") == rg.to.String()})
	}
	return out
}

// stateBadge is the badge tone of an entry state.
func stateBadge(st ledger.EntryState) string {
	switch st {
	case ledger.Posted:
		return "ok"
	case ledger.Draft, ledger.Pending:
		return "warn"
	}
	return "muted"
}

func entryCells(e ledger.Entry, base backoffice.Currency) []cell {
	amount := ""
	if e.Amount != 0 {
		amount = backoffice.NewMoney(e.Amount, base).String()
	}
	state := cell{Text: humanAction(string(e.State)), Badge: stateBadge(e.State)}
	if e.ReversedByID != 0 {
		state.Text += ", reversed"
	}
	return []cell{{Text: e.Date.String()}, {Text: e.Number}, {Text: e.Journal}, {Text: e.Reference}, {Text: e.Narration},
		{Text: amount, Numeric: true}, state}
}

// entriesCSV exports every entry the filters select.
func (s *Server) entriesCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, f ledger.EntryFilter) error {
	var rows [][]string
	base := baseCurrency(r)
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Ledger.ListEntries(r.Context(), company, f)
		if err != nil {
			return err
		}
		for _, e := range list.Items {
			rows = append(rows, []string{e.Date.String(), e.Number, e.Journal, e.Reference, e.Narration,
				decimal(e.Amount, base), string(base), string(e.State)})
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "journal-entries.csv", []string{"date", "number", "journal", "reference", "narration", "amount", "currency", "state"}, rows)
}

// entryView is the entry record page.
type entryView struct {
	Entry                 ledger.Entry
	Title, Badge          string
	Lines                 []entryLineView
	TotalDebit            string
	TotalCredit           string
	Currency              backoffice.Currency
	CanPost               bool
	Reverses, ReversedBy  *ledger.Entry
	History               []historyItem
	Today                 string
	ReverseErrors         *formErrors
	ReverseDate, Reason   string
	Editable, Reversible  bool
	PostConfirm, DelConfm string
}

type entryLineView struct {
	AccountURL, Account, AccountName string
	Debit, Credit                    string
	Currency                         backoffice.Currency
	Memo                             string
}

func (s *Server) ledgerEntryShow(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.entry(r)
	if err != nil {
		return err
	}
	return s.entryPage(w, r, http.StatusOK, e, nil, "", "")
}

// entryPage renders an entry: header, lines with totals, the actions its
// state allows, the linked reversal and the history.
func (s *Server) entryPage(w http.ResponseWriter, r *http.Request, status int, e ledger.Entry, fe *formErrors, date, reason string) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	base := baseCurrency(r)
	v := entryView{Entry: e, Title: e.Number, Badge: stateBadge(e.State), Currency: base, CanPost: principal(r).Can("ledger.post"),
		Today: s.today().String(), ReverseErrors: fe, ReverseDate: date, Reason: reason}
	if v.Title == "" {
		v.Title = humanAction(string(e.State)) + " entry " + e.ID.String()
	}
	v.Editable = v.CanPost && e.State == ledger.Draft
	v.Reversible = v.CanPost && e.State == ledger.Posted && e.ReversedByID == 0
	names := map[backoffice.ID]ledger.Account{}
	var debit, credit int64
	for _, l := range e.Lines {
		a, ok := names[l.AccountID]
		if !ok {
			if a, err = s.Ledger.GetAccount(ctx, company, l.AccountID); err != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
				return err
			}
			names[l.AccountID] = a
		}
		cur := l.Currency
		if cur == "" {
			cur = base
		}
		lv := entryLineView{AccountURL: "/ledger/accounts/" + l.AccountID.String(), Account: a.Code, AccountName: a.Name, Currency: cur, Memo: l.Memo}
		lv.Debit, lv.Credit = sides(l.Amount, cur)
		amt := l.CompanyAmount
		if amt == 0 && cur == base {
			amt = l.Amount
		}
		if amt > 0 {
			debit += amt
		} else {
			credit -= amt
		}
		v.Lines = append(v.Lines, lv)
	}
	v.TotalDebit, v.TotalCredit = decimal(debit, base), decimal(credit, base)
	for _, link := range []struct {
		id  backoffice.ID
		dst **ledger.Entry
	}{{e.ReversesID, &v.Reverses}, {e.ReversedByID, &v.ReversedBy}} {
		if link.id != 0 {
			other, err := s.Ledger.GetEntry(ctx, company, link.id)
			if err != nil {
				return err
			}
			*link.dst = &other
		}
	}
	recs, err := s.history(r, "journal_entry", e.ID.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "ledger_entry", v.Title, v)
}

// ledgerEntryPost posts a draft from its page.
func (s *Server) ledgerEntryPost(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	version, _ := backoffice.ParseID(r.PostForm.Get("version"))
	posted, err := s.Ledger.PostDraft(r.Context(), company, e.ID, int64(version))
	if err != nil {
		if _, ferr := ledgerFormFailure(err); ferr != nil {
			return ferr
		}
		// The draft's form shows each problem next to its line.
		form, ferr := s.formOfEntry(r, e)
		if ferr != nil {
			return ferr
		}
		return s.entryFormPage(w, r, form, err)
	}
	return redirectFlash(w, r, "/ledger/entries/"+posted.ID.String(), "Posted as "+posted.Number+".")
}

// ledgerEntryReverse posts the mirror of a posted entry on the given date.
func (s *Server) ledgerEntryReverse(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	dateText, reason := r.PostForm.Get("date"), r.PostForm.Get("reason")
	var date backoffice.Date
	if dateText != "" {
		date, err = backoffice.ParseDate(dateText)
	}
	if err != nil {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "the reversal date is not a date", Fields: map[string]string{"date": "must be a date as YYYY-MM-DD"}}
	} else {
		var rev ledger.Entry
		if rev, err = s.Ledger.Reverse(r.Context(), company, e.ID, date, reason); err == nil {
			return redirectFlash(w, r, "/ledger/entries/"+rev.ID.String(), "Reversed "+e.Number+" as "+rev.Number+".")
		}
	}
	fe, ferr := ledgerFormFailure(err)
	if ferr != nil {
		return ferr
	}
	return s.entryPage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), e, fe, dateText, reason)
}

// ledgerFormFailure is formFailure for ledger forms, where a closed period
// or a broken balance limit is also the user's to fix.
func ledgerFormFailure(err error) (*formErrors, error) {
	switch backoffice.ErrorCode(err) {
	case backoffice.EPeriodClosed, backoffice.ELimitExceeded:
		fe := &formErrors{Message: backoffice.ErrorMessage(err), Fields: map[string]string{}}
		if e, ok := err.(*backoffice.Error); ok {
			for k, m := range e.Fields {
				fe.Fields[k] = m
			}
		}
		return fe, nil
	}
	return formFailure(err)
}

// ledgerEntryDelete deletes a draft.
func (s *Server) ledgerEntryDelete(w http.ResponseWriter, r *http.Request) error {
	company, e, err := s.entry(r)
	if err != nil {
		return err
	}
	version, _ := backoffice.ParseID(r.PostForm.Get("version"))
	if version == 0 {
		version = backoffice.ID(e.Version)
	}
	if err := s.Ledger.DeleteDraft(r.Context(), company, e.ID, int64(version)); err != nil {
		return err
	}
	return redirectFlash(w, r, "/ledger/entries", "Draft deleted.")
}
