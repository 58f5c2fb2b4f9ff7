package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// Browser pages of recurring entries: the list, the form (the entry form's
// lines grid plus when it repeats) and the record page with the entries it
// generated and its history. The schedules' pages are in
// ui_ledger_recurring_schedules.go.

// recurringStatus is a template's or schedule's state for people, with its
// badge tone: a failure first, because it needs someone to act.
func recurringStatus(active bool, next backoffice.Date, lastError string) (string, string) {
	switch {
	case lastError != "":
		return "Failing", "bad"
	case !active:
		return "Paused", "muted"
	case next.IsZero():
		return "Ended", "muted"
	}
	return "Active", "ok"
}

func (s *Server) ledgerRecurringList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := ledger.RecurringFilter{Search: q.Get("q"), Failing: q.Get("status") == "failing", Page: page}
	base := baseCurrency(r)
	if q.Get("format") == "csv" {
		return s.recurringCSV(w, r, company, f)
	}
	list, err := s.Ledger.ListRecurring(r.Context(), company, f)
	if err != nil {
		return err
	}
	v := listView{
		Title: "Recurring entries", SearchHint: "Search name or reference", ExportURL: withQuery(r, "format", "csv"),
		Help: "Entries the books post (or draft) by themselves every month, quarter or year. Due entries are generated every hour, " +
			"each period once; a template that fails keeps its error here until the cause is fixed.",
		Empty: "No recurring entries yet. A recurring entry posts the same lines every period: rent, a loan instalment, a subscription.",
		Columns: []column{{Label: "Name"}, {Label: "Repeats"}, {Label: "Next run"}, {Label: "Mode"},
			{Label: "Amount", Numeric: true}, {Label: "Generated", Numeric: true}, {Label: "Status"}},
		Filters: []chip{{Label: "All", URL: withQuery(r, "status", ""), Active: q.Get("status") == ""},
			{Label: "Failing", URL: withQuery(r, "status", "failing"), Active: q.Get("status") == "failing"}},
	}
	if principal(r).Can("ledger.manage") {
		v.NewURL, v.NewLabel = "/ledger/recurring/new", "New recurring entry"
	}
	for _, t := range list.Items {
		out := toRecurringOut(t, base, nil)
		status, badge := recurringStatus(t.Active, t.NextRun, t.LastError)
		next := t.NextRun.String()
		if t.NextRun.IsZero() {
			next = "—"
		}
		v.Rows = append(v.Rows, listRow{URL: "/ledger/recurring/" + t.ID.String(), Cells: []cell{{Text: t.Name},
			{Text: repeats(t)}, {Text: next}, {Text: humanAction(string(t.Mode))}, {Text: out.Amount + " " + string(base), Numeric: true},
			{Text: strconv.Itoa(t.RunCount), Numeric: true}, {Text: status, Badge: badge}}})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	return s.render(w, r, http.StatusOK, "ledger_recurring_list", "Recurring entries", runDueView{List: v, CanRun: principal(r).Can("ledger.post"),
		RunURL: "/ledger/recurring/run-due", Back: r.URL.Path})
}

// runDueView is a list page with the "Run due now" button.
type runDueView struct {
	List   listView
	CanRun bool
	RunURL string
	Back   string
}

// repeats says when a template repeats: "Monthly on day 31 or the last".
func repeats(t ledger.Recurring) string {
	s := humanAction(string(t.Frequency)) + " on day " + strconv.Itoa(t.DayOfMonth)
	if t.DayOfMonth >= 29 {
		s += " or the last"
	}
	return s
}

// ledgerRunDue generates what is due today, as the hourly job would.
func (s *Server) ledgerRunDue(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	rep, err := s.Ledger.RunDue(r.Context(), company, s.today())
	if err != nil {
		return err
	}
	back := r.PostForm.Get("back")
	if back != "/ledger/schedules" {
		back = "/ledger/recurring"
	}
	msg := fmt.Sprintf("%d entries generated up to %s.", len(rep.Generated), rep.UpTo)
	if n := len(rep.Failures); n > 0 {
		msg += fmt.Sprintf(" %d failed: see the Failing filter.", n)
	}
	return redirectFlash(w, r, back, msg)
}

// recurringPage is the record page of a template.
type recurringPage struct {
	T             recurringOut
	Names         map[backoffice.ID]string // account names by id
	Repeats       string
	Status, Badge string
	CanManage     bool
	History       []historyItem
}

func (s *Server) ledgerRecurringShow(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	accounts := s.lineAccounts(r, company, t.Lines)
	codes, names := map[backoffice.ID]string{}, map[backoffice.ID]string{}
	for id, a := range accounts {
		codes[id], names[id] = a.Code, a.Name
	}
	out := toRecurringOut(t, baseCurrency(r), codes)
	runs, err := s.Ledger.RecurringRuns(r.Context(), company, t.ID, 50)
	if err != nil {
		return err
	}
	for _, run := range runs {
		out.Runs = append(out.Runs, runOut{Period: run.Period, EntryID: run.EntryID, EntryNumber: run.EntryNumber, EntryState: run.EntryState})
	}
	recs, err := s.history(r, "recurring_entry", t.ID.String())
	if err != nil {
		return err
	}
	v := recurringPage{T: out, Names: names, Repeats: repeats(t), CanManage: principal(r).Can("ledger.manage"), History: historyOf(recs)}
	v.Status, v.Badge = recurringStatus(t.Active, t.NextRun, t.LastError)
	return s.render(w, r, http.StatusOK, "ledger_recurring", t.Name, v)
}

// recurringForm is the new and edit form: the entry form's journal,
// reference, narration and lines grid (its Date is the start date) plus
// when the entry repeats.
type recurringForm struct {
	*entryForm
	ID                                   backoffice.ID
	Name, Frequency, DayOfMonth, EndDate string
	MaxCount, Mode                       string
	Active                               bool
	Frequencies                          []ledger.Frequency
}

func (s *Server) ledgerRecurringNew(w http.ResponseWriter, r *http.Request) error {
	form := &recurringForm{entryForm: &entryForm{Date: s.today().String()}, Frequency: string(ledger.Monthly), Mode: string(ledger.ModePost), Active: true}
	return s.recurringFormPage(w, r, form, nil)
}

func (s *Server) ledgerRecurringEdit(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	ef := &entryForm{Version: t.Version, Date: t.StartDate.String(), JournalID: t.JournalID.String(), Reference: t.Reference, Narration: t.Narration}
	codes := s.lineCodes(r, company, t.Lines)
	for _, l := range t.Lines {
		cur := l.Currency
		if cur == "" {
			cur = baseCurrency(r)
		}
		fl := formLine{Account: codes[l.AccountID], Memo: l.Memo}
		fl.Debit, fl.Credit = sides(l.Amount, cur)
		ef.Lines = append(ef.Lines, fl)
	}
	form := &recurringForm{entryForm: ef, ID: t.ID, Name: t.Name, Frequency: string(t.Frequency), DayOfMonth: strconv.Itoa(t.DayOfMonth),
		Mode: string(t.Mode), Active: t.Active}
	if !t.EndDate.IsZero() {
		form.EndDate = t.EndDate.String()
	}
	if t.MaxCount > 0 {
		form.MaxCount = strconv.Itoa(t.MaxCount)
	}
	return s.recurringFormPage(w, r, form, nil)
}

// recurringFormPage renders the form, with err spread over its fields.
func (s *Server) recurringFormPage(w http.ResponseWriter, r *http.Request, form *recurringForm, err error) error {
	form.Frequencies = ledger.Frequencies()
	if err != nil && form.Errors == nil {
		fe, ferr := ledgerFormFailure(err)
		if ferr != nil {
			return ferr
		}
		if d, ok := fe.Fields["start_date"]; ok && fe.Fields["date"] == "" {
			fe.Fields["date"] = d
		}
		form.Errors = fe
		form.spreadErrors()
	}
	if ferr := s.fillLinesForm(r, form.entryForm); ferr != nil {
		return ferr
	}
	title := "New recurring entry"
	if form.ID != 0 {
		title = "Edit " + form.Name
	}
	status := http.StatusOK
	if err != nil {
		status = backoffice.HTTPStatus(backoffice.ErrorCode(err))
	}
	return s.render(w, r, status, "ledger_recurring_form", title, form)
}

// readRecurringForm reads the posted form into the ledger's input.
func (s *Server) readRecurringForm(r *http.Request, company backoffice.ID) (*recurringForm, ledger.NewRecurring, error) {
	f := r.PostForm
	form := &recurringForm{entryForm: readEntryForm(r), Name: f.Get("name"), Frequency: f.Get("frequency"), DayOfMonth: strings.TrimSpace(f.Get("day_of_month")),
		EndDate: strings.TrimSpace(f.Get("end_date")), MaxCount: strings.TrimSpace(f.Get("max_count")), Mode: f.Get("mode"), Active: f.Get("active") == "on"}
	ne, err := s.newEntryOf(r, company, form.entryForm)
	active := form.Active
	in := ledger.NewRecurring{Name: form.Name, JournalID: ne.JournalID, Reference: ne.Reference, Narration: ne.Narration, Lines: ne.Lines,
		Frequency: ledger.Frequency(form.Frequency), StartDate: ne.Date, Mode: ledger.RecurringMode(form.Mode), Active: &active}
	v := backoffice.Validation{}
	addFieldErrors(v, err)
	if form.DayOfMonth != "" {
		n, aerr := strconv.Atoi(form.DayOfMonth)
		v.Check(aerr == nil, "day_of_month", "must be a day of the month, 1 to 31")
		in.DayOfMonth = n
	}
	if form.MaxCount != "" {
		n, aerr := strconv.Atoi(form.MaxCount)
		v.Check(aerr == nil && n >= 0, "max_count", "must be a whole number")
		in.MaxCount = n
	}
	if form.EndDate != "" {
		d, derr := backoffice.ParseDate(form.EndDate)
		v.Check(derr == nil, "end_date", "must be a date as YYYY-MM-DD")
		in.EndDate = d
	}
	if err != nil && backoffice.ErrorCode(err) != backoffice.EInvalid {
		return form, in, err
	}
	if len(v) > 0 {
		if cerr := addOtherFieldErrors(v, s.Ledger.CheckRecurring(r.Context(), company, in)); cerr != nil {
			return form, in, cerr
		}
	}
	return form, in, v.Err("recurring entry")
}

func (s *Server) ledgerRecurringCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	form, in, err := s.readRecurringForm(r, company)
	if err != nil {
		return s.recurringFormPage(w, r, form, err)
	}
	t, err := s.Ledger.CreateRecurring(r.Context(), company, in)
	if err != nil {
		return s.recurringFormPage(w, r, form, err)
	}
	return redirectFlash(w, r, "/ledger/recurring/"+t.ID.String(), "Recurring entry created; the first run is on "+t.NextRun.String()+".")
}

func (s *Server) ledgerRecurringUpdate(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	form, in, err := s.readRecurringForm(r, company)
	form.ID = t.ID
	if err != nil {
		return s.recurringFormPage(w, r, form, err)
	}
	if _, err := s.Ledger.UpdateRecurring(r.Context(), company, t.ID, form.Version, in); err != nil {
		return s.recurringFormPage(w, r, form, err)
	}
	return redirectFlash(w, r, "/ledger/recurring/"+t.ID.String(), "Saved.")
}

func (s *Server) ledgerRecurringDelete(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err := s.Ledger.DeleteRecurring(r.Context(), company, t.ID, v); err != nil {
		return err
	}
	return redirectFlash(w, r, "/ledger/recurring", "Recurring entry "+t.Name+" deleted.")
}

// fillLinesForm completes a lines-grid form for display as the entry form
// does: blank rows to type in, the journals and accounts to choose from (not
// blocked), the general journal by default, and the totals.
func (s *Server) fillLinesForm(r *http.Request, form *entryForm) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	for len(form.Lines) < blankLines {
		form.Lines = append(form.Lines, formLine{})
	}
	for i := range form.Lines {
		form.Lines[i].No = i + 1
	}
	journals, err := s.Ledger.ListJournals(r.Context(), company)
	if err != nil {
		return err
	}
	for _, j := range journals {
		if !j.Blocked {
			form.Journals = append(form.Journals, j)
		}
		if form.JournalID == "" && j.Type == "general" {
			form.JournalID = j.ID.String()
		}
	}
	if form.Accounts, err = s.postableAccounts(r, company); err != nil {
		return err
	}
	form.Currency = baseCurrency(r)
	form.totals()
	return nil
}

// recurringCSV exports every template the filters select.
func (s *Server) recurringCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, f ledger.RecurringFilter) error {
	base := baseCurrency(r)
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Ledger.ListRecurring(r.Context(), company, f)
		if err != nil {
			return err
		}
		for _, t := range list.Items {
			status, _ := recurringStatus(t.Active, t.NextRun, t.LastError)
			next := ""
			if !t.NextRun.IsZero() {
				next = t.NextRun.String()
			}
			rows = append(rows, []string{t.Name, t.Journal, string(t.Frequency), strconv.Itoa(t.DayOfMonth), t.StartDate.String(), next,
				string(t.Mode), toRecurringOut(t, base, nil).Amount, string(base), strconv.Itoa(t.RunCount), strings.ToLower(status), t.LastError})
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "recurring-entries.csv", []string{"name", "journal", "frequency", "day_of_month", "start_date", "next_run", "mode",
		"amount", "currency", "generated", "status", "last_error"}, rows)
}

// ledgerSourceActive pauses or resumes a template (schedule false) or a
// schedule from its record page.
func (s *Server) ledgerSourceActive(schedule, active bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, err := s.books(r)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		url, what := "/ledger/recurring/"+id.String(), "Recurring entry"
		if schedule {
			url, what = "/ledger/schedules/"+id.String(), "Schedule"
			_, err = s.Ledger.SetScheduleActive(r.Context(), company, id, active)
		} else {
			_, err = s.Ledger.SetRecurringActive(r.Context(), company, id, active)
		}
		if err != nil {
			return err
		}
		msg := what + " paused: it generates nothing until resumed."
		if active {
			msg = what + " resumed: the next run catches up any missed periods."
		}
		return redirectFlash(w, r, url, msg)
	}
}
