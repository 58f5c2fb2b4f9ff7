package web

import (
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger"
)

// Browser pages of accrual and deferral schedules: the list, the form and
// the record page with the period table.

func (s *Server) ledgerSchedulesList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := ledger.ScheduleFilter{Search: q.Get("q"), Page: page, Failing: q.Get("status") == "failing"}
	if k := q.Get("kind"); k == string(ledger.Deferral) || k == string(ledger.Accrual) {
		f.Kind = ledger.ScheduleKind(k)
	}
	if q.Get("format") == "csv" {
		return s.schedulesCSV(w, r, company, f)
	}
	list, err := s.Ledger.ListSchedules(r.Context(), company, f)
	if err != nil {
		return err
	}
	v := listView{
		Title: "Accrual and deferral schedules", SearchHint: "Search name or reference", ExportURL: withQuery(r, "format", "csv"),
		Help: "A deferral spreads a cost paid in advance over the months it covers (Dr expense, Cr prepaid); an accrual books a cost " +
			"month by month before its bill arrives (Dr expense, Cr accrued liability). Each month posts on its last day; the last month " +
			"takes the rounding remainder, so the months add up to the total exactly.",
		Empty: "No schedules yet. Spread a prepaid insurance or an annual fee over its months with a deferral schedule.",
		Columns: []column{{Label: "Name"}, {Label: "Kind"}, {Label: "Accounts"}, {Label: "Total", Numeric: true}, {Label: "From · months"},
			{Label: "Posted", Numeric: true}, {Label: "Next run"}, {Label: "Status"}},
		Filters: []chip{{Label: "All", URL: withQuery(r, "kind", ""), Active: q.Get("kind") == ""},
			{Label: "Deferrals", URL: withQuery(r, "kind", "deferral"), Active: q.Get("kind") == "deferral"},
			{Label: "Accruals", URL: withQuery(r, "kind", "accrual"), Active: q.Get("kind") == "accrual"},
			{Label: "Failing", URL: withQuery(r, "status", "failing"), Active: q.Get("status") == "failing"}},
	}
	if principal(r).Can("ledger.manage") {
		v.NewURL, v.NewLabel = "/ledger/schedules/new", "New schedule"
	}
	for _, sch := range list.Items {
		status, badge := recurringStatus(sch.Active, sch.NextRun, sch.LastError)
		next := sch.NextRun.String()
		if sch.NextRun.IsZero() {
			next = "—"
		}
		v.Rows = append(v.Rows, listRow{URL: "/ledger/schedules/" + sch.ID.String(), Cells: []cell{{Text: sch.Name},
			{Text: humanAction(string(sch.Kind))}, {Text: sch.ExpenseAccount + " / " + sch.BalanceAccount},
			{Text: backoffice.NewMoney(sch.Total, sch.Currency).String(), Numeric: true},
			{Text: sch.StartMonth.String()[:7] + " · " + strconv.Itoa(sch.Periods)},
			{Text: strconv.Itoa(sch.PostedCount) + " of " + strconv.Itoa(sch.Periods), Numeric: true}, {Text: next}, {Text: status, Badge: badge}}})
	}
	for _, k := range []string{"kind"} {
		if val := q.Get(k); val != "" {
			v.Hidden = append(v.Hidden, hiddenField{k, val})
		}
	}
	v.pageLinks(r, list.Next, len(list.Items))
	return s.render(w, r, http.StatusOK, "ledger_recurring_list", "Schedules", runDueView{List: v, CanRun: principal(r).Can("ledger.post"),
		RunURL: "/ledger/recurring/run-due", Back: "/ledger/schedules"})
}

// schedulePage is the record page of a schedule with its period table.
type schedulePage struct {
	S                        scheduleOut
	ExpenseName, BalanceName string
	Status, Badge            string
	PostedTotal              string
	CanManage                bool
	History                  []historyItem
}

func (s *Server) ledgerScheduleShow(w http.ResponseWriter, r *http.Request) error {
	company, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	out := toScheduleOut(sch)
	periods, err := s.Ledger.SchedulePeriods(r.Context(), company, sch.ID)
	if err != nil {
		return err
	}
	var posted int64
	for _, p := range periods {
		out.Table = append(out.Table, periodOut{No: p.No, Date: p.Date, Amount: decimal(p.Amount, sch.Currency), Status: p.Status,
			EntryID: p.EntryID, EntryNumber: p.EntryNumber})
		if p.Status == ledger.PeriodPosted {
			posted += p.Amount
		}
	}
	recs, err := s.history(r, "ledger_schedule", sch.ID.String())
	if err != nil {
		return err
	}
	v := schedulePage{S: out, ExpenseName: s.accountName(r, company, sch.ExpenseAccountID), BalanceName: s.accountName(r, company, sch.BalanceAccountID), PostedTotal: decimal(posted, sch.Currency), CanManage: principal(r).Can("ledger.manage"), History: historyOf(recs)}
	v.Status, v.Badge = recurringStatus(sch.Active, sch.NextRun, sch.LastError)
	return s.render(w, r, http.StatusOK, "ledger_schedule", sch.Name, v)
}

// scheduleForm is the new and edit form of a schedule, as typed.
type scheduleForm struct {
	ID                              backoffice.ID
	Version                         int64
	Name, Kind, JournalID           string
	ExpenseAccount, BalanceAccount  string
	Total, Periods, StartMonth, Ref string
	Active, Frozen                  bool
	Journals                        []ledger.Journal
	Accounts                        []ledger.Account
	Currency                        backoffice.Currency
	Errors                          *formErrors
}

func (s *Server) ledgerScheduleNew(w http.ResponseWriter, r *http.Request) error {
	t := s.today()
	form := &scheduleForm{Kind: string(ledger.Deferral), Periods: "12", StartMonth: t.String()[:7], Active: true}
	return s.scheduleFormPage(w, r, form, nil)
}

func (s *Server) ledgerScheduleEdit(w http.ResponseWriter, r *http.Request) error {
	_, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	form := &scheduleForm{ID: sch.ID, Version: sch.Version, Name: sch.Name, Kind: string(sch.Kind), JournalID: sch.JournalID.String(),
		ExpenseAccount: sch.ExpenseAccount, BalanceAccount: sch.BalanceAccount, Total: decimal(sch.Total, sch.Currency),
		Periods: strconv.Itoa(sch.Periods), StartMonth: sch.StartMonth.String()[:7], Ref: sch.Reference, Active: sch.Active, Frozen: sch.PostedCount > 0}
	return s.scheduleFormPage(w, r, form, nil)
}

// scheduleFormPage renders the form, with err spread over its fields.
func (s *Server) scheduleFormPage(w http.ResponseWriter, r *http.Request, form *scheduleForm, err error) error {
	status := http.StatusOK
	if err != nil {
		fe, ferr := ledgerFormFailure(err)
		if ferr != nil {
			return ferr
		}
		for from, to := range map[string]string{"expense_account_id": "expense_account", "balance_account_id": "balance_account", "journal": "journal_id"} {
			if m, ok := fe.Fields[from]; ok && fe.Fields[to] == "" {
				fe.Fields[to] = m
			}
		}
		form.Errors, status = fe, backoffice.HTTPStatus(backoffice.ErrorCode(err))
	}
	lines := &entryForm{JournalID: form.JournalID}
	if cerr := s.fillLinesForm(r, lines); cerr != nil {
		return cerr
	}
	form.Journals, form.Accounts, form.JournalID, form.Currency = lines.Journals, lines.Accounts, lines.JournalID, baseCurrency(r)
	title := "New schedule"
	if form.ID != 0 {
		title = "Edit " + form.Name
	}
	return s.render(w, r, status, "ledger_schedule_form", title, form)
}

// readScheduleForm reads the posted form through the API's conversion.
func (s *Server) readScheduleForm(r *http.Request, company backoffice.ID) (*scheduleForm, ledger.NewSchedule, error) {
	f := r.PostForm
	form := &scheduleForm{Name: f.Get("name"), Kind: f.Get("kind"), JournalID: f.Get("journal_id"), ExpenseAccount: strings.TrimSpace(f.Get("expense_account")),
		BalanceAccount: strings.TrimSpace(f.Get("balance_account")), Total: strings.TrimSpace(f.Get("total")), Periods: strings.TrimSpace(f.Get("periods")),
		StartMonth: strings.TrimSpace(f.Get("start_month")), Ref: f.Get("reference"), Active: f.Get("active") == "on"}
	form.Version, _ = strconv.ParseInt(f.Get("version"), 10, 64)
	active := form.Active
	in := scheduleIn{Name: form.Name, Kind: ledger.ScheduleKind(form.Kind), ExpenseAccount: form.ExpenseAccount, BalanceAccount: form.BalanceAccount,
		Total: form.Total, Reference: form.Ref, Active: &active}
	v := backoffice.Validation{}
	if id, err := backoffice.ParseID(form.JournalID); err == nil {
		in.JournalID = id
	} else {
		v.Add("journal_id", "choose a journal")
	}
	n, err := strconv.Atoi(form.Periods)
	v.Check(err == nil, "periods", "must be a number of months")
	in.Periods = n
	// <input type="month"> sends YYYY-MM; a typed full date is fine too.
	month := form.StartMonth
	if len(month) == 7 {
		month += "-01"
	}
	d, err := backoffice.ParseDate(month)
	v.Check(err == nil, "start_month", "must be a month as YYYY-MM")
	in.StartMonth = d
	ns, err := s.scheduleOf(r, company, in)
	if err != nil && backoffice.ErrorCode(err) != backoffice.EInvalid {
		return form, ns, err
	}
	addFieldErrors(v, err)
	if err == nil && len(v) > 0 {
		// scheduleOf found nothing, so the ledger has not checked the rest yet.
		if cerr := addOtherFieldErrors(v, s.Ledger.CheckSchedule(r.Context(), company, ns)); cerr != nil {
			return form, ns, cerr
		}
	}
	return form, ns, v.Err("schedule")
}

func (s *Server) ledgerScheduleCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	form, in, err := s.readScheduleForm(r, company)
	if err != nil {
		return s.scheduleFormPage(w, r, form, err)
	}
	sch, err := s.Ledger.CreateSchedule(r.Context(), company, in)
	if err != nil {
		return s.scheduleFormPage(w, r, form, err)
	}
	return redirectFlash(w, r, "/ledger/schedules/"+sch.ID.String(), "Schedule created; the first month posts on "+sch.NextRun.String()+".")
}

func (s *Server) ledgerScheduleUpdate(w http.ResponseWriter, r *http.Request) error {
	company, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	form, in, err := s.readScheduleForm(r, company)
	form.ID, form.Frozen = sch.ID, sch.PostedCount > 0
	if err != nil {
		return s.scheduleFormPage(w, r, form, err)
	}
	if _, err := s.Ledger.UpdateSchedule(r.Context(), company, sch.ID, form.Version, in); err != nil {
		return s.scheduleFormPage(w, r, form, err)
	}
	return redirectFlash(w, r, "/ledger/schedules/"+sch.ID.String(), "Saved.")
}

func (s *Server) ledgerScheduleDelete(w http.ResponseWriter, r *http.Request) error {
	company, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	v, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err := s.Ledger.DeleteSchedule(r.Context(), company, sch.ID, v); err != nil {
		return err
	}
	return redirectFlash(w, r, "/ledger/schedules", "Schedule "+sch.Name+" deleted.")
}

// accountName is an account's name, empty when it cannot be read.
func (s *Server) accountName(r *http.Request, company, id backoffice.ID) string {
	a, err := s.Ledger.GetAccount(r.Context(), company, id)
	if err != nil {
		return ""
	}
	return a.Name
}

// schedulesCSV exports every schedule the filters select.
func (s *Server) schedulesCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, f ledger.ScheduleFilter) error {
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Ledger.ListSchedules(r.Context(), company, f)
		if err != nil {
			return err
		}
		for _, sch := range list.Items {
			status, _ := recurringStatus(sch.Active, sch.NextRun, sch.LastError)
			next := ""
			if !sch.NextRun.IsZero() {
				next = sch.NextRun.String()
			}
			rows = append(rows, []string{sch.Name, string(sch.Kind), sch.ExpenseAccount, sch.BalanceAccount, decimal(sch.Total, sch.Currency),
				string(sch.Currency), sch.StartMonth.String(), strconv.Itoa(sch.Periods), strconv.Itoa(sch.PostedCount), next,
				strings.ToLower(status), sch.LastError})
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "schedules.csv", []string{"name", "kind", "expense_account", "balance_account", "total", "currency", "start_month",
		"periods", "posted", "next_run", "status", "last_error"}, rows)
}
