package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// Recurring entries and accrual/deferral schedules. Creating or changing one
// decides what the books will post by themselves every period, without a
// person looking at each entry, so it takes ledger.manage like the chart and
// budgets; running what is due posts entries now and takes ledger.post.

// recurringIn is a recurring entry template as API clients write it: the
// journal and the lines as in entryIn, and when it repeats.
type recurringIn struct {
	Name       string           `json:"name"`
	Journal    string           `json:"journal,omitempty"`
	JournalID  backoffice.ID    `json:"journal_id,omitempty"`
	Reference  string           `json:"reference,omitempty"`
	Narration  string           `json:"narration,omitempty"`
	Lines      []lineIn         `json:"lines"`
	Frequency  ledger.Frequency `json:"frequency"`              // monthly, quarterly or yearly
	DayOfMonth int              `json:"day_of_month,omitempty"` // 1–31; 29–31 fall on the last day of shorter months
	StartDate  backoffice.Date  `json:"start_date"`             // the first occurrence is on or after it
	EndDate    backoffice.Date  `json:"end_date,omitzero"`      // no occurrence after it
	MaxCount   int              `json:"max_count,omitempty"`    // stop after this many occurrences
	Mode       string           `json:"mode"`                   // post or draft
	Active     *bool            `json:"active,omitempty"`       // true when omitted
}

// recurringOut is a template as the API answers it; Runs (on a single
// template) are its latest generated periods.
type recurringOut struct {
	ID          backoffice.ID        `json:"id"`
	Name        string               `json:"name"`
	JournalID   backoffice.ID        `json:"journal_id"`
	Journal     string               `json:"journal"`
	Reference   string               `json:"reference"`
	Narration   string               `json:"narration"`
	Currency    backoffice.Currency  `json:"currency"`
	Amount      string               `json:"amount"` // total debits of one occurrence, company currency
	Lines       []lineOut            `json:"lines"`
	Frequency   ledger.Frequency     `json:"frequency"`
	DayOfMonth  int                  `json:"day_of_month"`
	StartDate   backoffice.Date      `json:"start_date"`
	EndDate     backoffice.Date      `json:"end_date,omitzero"`
	MaxCount    int                  `json:"max_count,omitempty"`
	RunCount    int                  `json:"run_count"`
	NextRun     backoffice.Date      `json:"next_run,omitzero"`
	Mode        ledger.RecurringMode `json:"mode"`
	Active      bool                 `json:"active"`
	LastRunAt   *time.Time           `json:"last_run_at,omitempty"`
	LastError   string               `json:"last_error,omitempty"`
	LastErrorAt *time.Time           `json:"last_error_at,omitempty"`
	Runs        []runOut             `json:"runs,omitempty"`
	Version     int64                `json:"version"`
	CreatedAt   time.Time            `json:"created_at"`
	UpdatedAt   time.Time            `json:"updated_at"`
}

// runOut is one generated period and its entry.
type runOut struct {
	Period      backoffice.Date   `json:"period"`
	EntryID     backoffice.ID     `json:"entry_id"`
	EntryNumber string            `json:"entry_number,omitempty"`
	EntryState  ledger.EntryState `json:"entry_state,omitempty"` // empty: the draft was deleted since
}

// scheduleIn is an accrual or deferral schedule as API clients write it;
// accounts by code or id, the total as a decimal in company currency.
type scheduleIn struct {
	Name             string              `json:"name"`
	Kind             ledger.ScheduleKind `json:"kind"` // deferral or accrual
	Journal          string              `json:"journal,omitempty"`
	JournalID        backoffice.ID       `json:"journal_id,omitempty"`
	ExpenseAccount   string              `json:"expense_account,omitempty"`
	ExpenseAccountID backoffice.ID       `json:"expense_account_id,omitempty"`
	BalanceAccount   string              `json:"balance_account,omitempty"` // prepaid asset (deferral) or accrued liability (accrual)
	BalanceAccountID backoffice.ID       `json:"balance_account_id,omitempty"`
	Total            string              `json:"total"`
	Periods          int                 `json:"periods"`     // months
	StartMonth       backoffice.Date     `json:"start_month"` // any day of the first month
	Reference        string              `json:"reference,omitempty"`
	Active           *bool               `json:"active,omitempty"`
}

// scheduleOut is a schedule as the API answers it, with its period table on
// a single schedule.
type scheduleOut struct {
	ID               backoffice.ID       `json:"id"`
	Name             string              `json:"name"`
	Kind             ledger.ScheduleKind `json:"kind"`
	JournalID        backoffice.ID       `json:"journal_id"`
	Journal          string              `json:"journal"`
	ExpenseAccountID backoffice.ID       `json:"expense_account_id"`
	ExpenseAccount   string              `json:"expense_account"`
	BalanceAccountID backoffice.ID       `json:"balance_account_id"`
	BalanceAccount   string              `json:"balance_account"`
	Total            string              `json:"total"`
	Currency         backoffice.Currency `json:"currency"`
	Periods          int                 `json:"periods"`
	StartMonth       backoffice.Date     `json:"start_month"`
	Reference        string              `json:"reference"`
	PostedCount      int                 `json:"posted_count"`
	NextRun          backoffice.Date     `json:"next_run,omitzero"`
	Active           bool                `json:"active"`
	LastRunAt        *time.Time          `json:"last_run_at,omitempty"`
	LastError        string              `json:"last_error,omitempty"`
	LastErrorAt      *time.Time          `json:"last_error_at,omitempty"`
	Table            []periodOut         `json:"table,omitempty"`
	Version          int64               `json:"version"`
	CreatedAt        time.Time           `json:"created_at"`
	UpdatedAt        time.Time           `json:"updated_at"`
}

// periodOut is one row of a schedule's table: status posted, due or future.
type periodOut struct {
	No          int             `json:"no"`
	Date        backoffice.Date `json:"date"`
	Amount      string          `json:"amount"`
	Status      string          `json:"status"`
	EntryID     backoffice.ID   `json:"entry_id,omitempty"`
	EntryNumber string          `json:"entry_number,omitempty"`
}

// runDueIn asks for the periods due on or before date (today when omitted).
type runDueIn struct {
	Date backoffice.Date `json:"date,omitzero"`
}

type generatedOut struct {
	Source      string            `json:"source"` // recurring or schedule
	SourceID    backoffice.ID     `json:"source_id"`
	Name        string            `json:"name"`
	Period      backoffice.Date   `json:"period"`
	EntryID     backoffice.ID     `json:"entry_id"`
	EntryNumber string            `json:"entry_number,omitempty"`
	State       ledger.EntryState `json:"state"`
	Amount      string            `json:"amount"`
}

type runDueOut struct {
	UpTo      backoffice.Date     `json:"up_to"`
	Generated []generatedOut      `json:"generated"`
	Failures  []ledger.RunFailure `json:"failures"`
}

func toRecurringOut(t ledger.Recurring, base backoffice.Currency, codes map[backoffice.ID]string) recurringOut {
	out := recurringOut{ID: t.ID, Name: t.Name, JournalID: t.JournalID, Journal: t.Journal, Reference: t.Reference, Narration: t.Narration,
		Currency: base, Lines: []lineOut{}, Frequency: t.Frequency, DayOfMonth: t.DayOfMonth, StartDate: t.StartDate, EndDate: t.EndDate,
		MaxCount: t.MaxCount, RunCount: t.RunCount, NextRun: t.NextRun, Mode: t.Mode, Active: t.Active, LastRunAt: t.LastRunAt,
		LastError: t.LastError, LastErrorAt: t.LastErrorAt, Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
	var total int64
	for i, l := range t.Lines {
		lc := l.Currency
		if lc == "" {
			lc = base
		}
		o := lineOut{LineNo: i + 1, AccountID: l.AccountID, Account: codes[l.AccountID], Currency: lc, Rate: l.Rate, PartyID: l.PartyID,
			Dimensions: l.Dimensions, TaxCode: l.TaxCode, DueDate: l.DueDate, Memo: l.Memo}
		o.Debit, o.Credit = sides(l.Amount, lc)
		if lc == base && l.Amount > 0 {
			total += l.Amount
		} else if l.CompanyAmount > 0 {
			total += l.CompanyAmount
		}
		out.Lines = append(out.Lines, o)
	}
	out.Amount = decimal(total, base)
	return out
}

func toScheduleOut(s ledger.Schedule) scheduleOut {
	return scheduleOut{ID: s.ID, Name: s.Name, Kind: s.Kind, JournalID: s.JournalID, Journal: s.Journal, ExpenseAccountID: s.ExpenseAccountID,
		ExpenseAccount: s.ExpenseAccount, BalanceAccountID: s.BalanceAccountID, BalanceAccount: s.BalanceAccount,
		Total: decimal(s.Total, s.Currency), Currency: s.Currency, Periods: s.Periods, StartMonth: s.StartMonth, Reference: s.Reference,
		PostedCount: s.PostedCount, NextRun: s.NextRun, Active: s.Active, LastRunAt: s.LastRunAt, LastError: s.LastError,
		LastErrorAt: s.LastErrorAt, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

// lineCodes finds the account codes of template lines, stored by id only.
func (s *Server) lineCodes(r *http.Request, company backoffice.ID, lines []ledger.NewLine) map[backoffice.ID]string {
	codes := map[backoffice.ID]string{}
	for id, a := range s.lineAccounts(r, company, lines) {
		codes[id] = a.Code
	}
	return codes
}

// lineAccounts reads the accounts that template lines name.
func (s *Server) lineAccounts(r *http.Request, company backoffice.ID, lines []ledger.NewLine) map[backoffice.ID]ledger.Account {
	out := map[backoffice.ID]ledger.Account{}
	for _, l := range lines {
		if _, ok := out[l.AccountID]; ok {
			continue
		}
		if a, err := s.Ledger.GetAccount(r.Context(), company, l.AccountID); err == nil {
			out[a.ID] = a
		}
	}
	return out
}

// readRecurring decodes a recurringIn into the ledger's input.
func (s *Server) readRecurring(r *http.Request, company backoffice.ID) (ledger.NewRecurring, error) {
	var in recurringIn
	if err := decodeJSON(r, &in); err != nil {
		return ledger.NewRecurring{}, err
	}
	v := backoffice.Validation{}
	e, err := s.newEntryReader(r, company).read(entryIn{Journal: in.Journal, JournalID: in.JournalID, Lines: in.Lines}, v, "")
	if err != nil {
		return ledger.NewRecurring{}, err
	}
	out := ledger.NewRecurring{Name: in.Name, JournalID: e.JournalID, Reference: in.Reference, Narration: in.Narration, Lines: e.Lines,
		Frequency: in.Frequency, DayOfMonth: in.DayOfMonth, StartDate: in.StartDate, EndDate: in.EndDate, MaxCount: in.MaxCount,
		Mode: ledger.RecurringMode(in.Mode), Active: in.Active}
	if len(v) > 0 {
		if err := addOtherFieldErrors(v, s.Ledger.CheckRecurring(r.Context(), company, out)); err != nil {
			return out, err
		}
	}
	return out, v.Err("recurring entry")
}

// writeRecurring answers a template with its ETag and latest runs.
func (s *Server) writeRecurring(w http.ResponseWriter, r *http.Request, company backoffice.ID, status int, t ledger.Recurring) error {
	out := toRecurringOut(t, baseCurrency(r), s.lineCodes(r, company, t.Lines))
	runs, err := s.Ledger.RecurringRuns(r.Context(), company, t.ID, 24)
	if err != nil {
		return err
	}
	for _, run := range runs {
		out.Runs = append(out.Runs, runOut{Period: run.Period, EntryID: run.EntryID, EntryNumber: run.EntryNumber, EntryState: run.EntryState})
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/recurring-entries/"+t.ID.String())
	}
	writeVersioned(w, status, t.Version, out)
	return nil
}

// recurring reads the {id} template of the caller's company.
func (s *Server) recurring(r *http.Request) (backoffice.ID, ledger.Recurring, error) {
	company, err := s.books(r)
	if err != nil {
		return 0, ledger.Recurring{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, ledger.Recurring{}, err
	}
	t, err := s.Ledger.GetRecurring(r.Context(), company, id)
	return company, t, err
}

// recurringExists checks that the {id} template is the caller's company's.
func (s *Server) recurringExists(r *http.Request) error {
	_, _, err := s.recurring(r)
	return err
}

func (s *Server) apiListRecurring(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := s.Ledger.ListRecurring(r.Context(), company, ledger.RecurringFilter{Search: r.URL.Query().Get("q"),
		Failing: r.URL.Query().Get("failing") == "true", Page: page})
	if err != nil {
		return err
	}
	out := listOf[recurringOut]{Items: make([]recurringOut, 0, len(list.Items)), Next: list.Next}
	for _, t := range list.Items {
		out.Items = append(out.Items, toRecurringOut(t, baseCurrency(r), s.lineCodes(r, company, t.Lines)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateRecurring(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	in, err := s.readRecurring(r, company)
	if err != nil {
		return err
	}
	t, err := s.Ledger.CreateRecurring(r.Context(), company, in)
	if err != nil {
		return err
	}
	return s.writeRecurring(w, r, company, http.StatusCreated, t)
}

func (s *Server) apiGetRecurring(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	return s.writeRecurring(w, r, company, http.StatusOK, t)
}

func (s *Server) apiUpdateRecurring(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	in, err := s.readRecurring(r, company)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, t.Version)
	if err != nil {
		return err
	}
	if t, err = s.Ledger.UpdateRecurring(r.Context(), company, t.ID, version, in); err != nil {
		return err
	}
	return s.writeRecurring(w, r, company, http.StatusOK, t)
}

func (s *Server) apiDeleteRecurring(w http.ResponseWriter, r *http.Request) error {
	company, t, err := s.recurring(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, t.Version)
	if err != nil {
		return err
	}
	if err := s.Ledger.DeleteRecurring(r.Context(), company, t.ID, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiRunDue generates every recurring entry and schedule period due on or
// before the date, as the hourly job does; failures are answered, not
// raised, because the others were generated.
func (s *Server) apiRunDue(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in runDueIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Date.IsZero() {
		in.Date = s.today()
	}
	rep, err := s.Ledger.RunDue(r.Context(), company, in.Date)
	if err != nil {
		return err
	}
	base := baseCurrency(r)
	out := runDueOut{UpTo: rep.UpTo, Generated: make([]generatedOut, 0, len(rep.Generated)), Failures: rep.Failures}
	for _, g := range rep.Generated {
		out.Generated = append(out.Generated, generatedOut{Source: g.Source, SourceID: g.SourceID, Name: g.Name, Period: g.Period,
			EntryID: g.EntryID, EntryNumber: g.EntryNumber, State: g.State, Amount: decimal(g.Amount, base)})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// readSchedule decodes a scheduleIn, resolving codes to ids.
func (s *Server) readSchedule(r *http.Request, company backoffice.ID) (ledger.NewSchedule, error) {
	var in scheduleIn
	if err := decodeJSON(r, &in); err != nil {
		return ledger.NewSchedule{}, err
	}
	return s.scheduleOf(r, company, in)
}

// scheduleOf converts a scheduleIn (from the API or the form) into the
// ledger's input, naming the fields as both show them.
func (s *Server) scheduleOf(r *http.Request, company backoffice.ID, in scheduleIn) (ledger.NewSchedule, error) {
	v := backoffice.Validation{}
	er := s.newEntryReader(r, company)
	out := ledger.NewSchedule{Name: in.Name, Kind: in.Kind, JournalID: in.JournalID, ExpenseAccountID: in.ExpenseAccountID,
		BalanceAccountID: in.BalanceAccountID, Periods: in.Periods, StartMonth: in.StartMonth, Reference: in.Reference, Active: in.Active}
	for _, ref := range []struct {
		code, field string
		id          *backoffice.ID
		lookup      func(string) (backoffice.ID, error)
	}{{in.Journal, "journal", &out.JournalID, er.journal}, {in.ExpenseAccount, "expense_account", &out.ExpenseAccountID, er.account},
		{in.BalanceAccount, "balance_account", &out.BalanceAccountID, er.account}} {
		if ref.code == "" {
			continue
		}
		id, err := ref.lookup(ref.code)
		if err != nil {
			return out, err
		}
		v.Check(id != 0, ref.field, fmt.Sprintf("nothing has the code %s", ref.code))
		*ref.id = id
	}
	n, err := parseAmount(in.Total, er.base, "total")
	addFieldErrors(v, err)
	out.Total = n
	if len(v) > 0 {
		if err := addOtherFieldErrors(v, s.Ledger.CheckSchedule(r.Context(), company, out)); err != nil {
			return out, err
		}
	}
	return out, v.Err("schedule")
}

// addOtherFieldErrors adds the field messages of the ledger's own check to
// the form's, so one answer names every bad field; a field the form already
// found wrong keeps the form's message. An error that is not about fields
// is returned.
func addOtherFieldErrors(v backoffice.Validation, err error) error {
	if err == nil {
		return nil
	}
	var e *backoffice.Error
	if !errors.As(err, &e) || e.Code == backoffice.EInternal {
		return err
	}
	for k, m := range e.Fields {
		if _, ok := v[k]; !ok {
			v[k] = m
		}
	}
	return nil
}

// writeSchedule answers a schedule with its ETag and period table.
func (s *Server) writeSchedule(w http.ResponseWriter, r *http.Request, company backoffice.ID, status int, sch ledger.Schedule) error {
	out := toScheduleOut(sch)
	periods, err := s.Ledger.SchedulePeriods(r.Context(), company, sch.ID)
	if err != nil {
		return err
	}
	for _, p := range periods {
		out.Table = append(out.Table, periodOut{No: p.No, Date: p.Date, Amount: decimal(p.Amount, sch.Currency), Status: p.Status,
			EntryID: p.EntryID, EntryNumber: p.EntryNumber})
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/schedules/"+sch.ID.String())
	}
	writeVersioned(w, status, sch.Version, out)
	return nil
}

// schedule reads the {id} schedule of the caller's company.
func (s *Server) schedule(r *http.Request) (backoffice.ID, ledger.Schedule, error) {
	company, err := s.books(r)
	if err != nil {
		return 0, ledger.Schedule{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, ledger.Schedule{}, err
	}
	sch, err := s.Ledger.GetSchedule(r.Context(), company, id)
	return company, sch, err
}

// scheduleExists checks that the {id} schedule is the caller's company's.
func (s *Server) scheduleExists(r *http.Request) error {
	_, _, err := s.schedule(r)
	return err
}

func (s *Server) apiListSchedules(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	list, err := s.Ledger.ListSchedules(r.Context(), company, ledger.ScheduleFilter{Search: q.Get("q"), Kind: ledger.ScheduleKind(q.Get("kind")),
		Failing: q.Get("failing") == "true", Page: page})
	if err != nil {
		return err
	}
	out := listOf[scheduleOut]{Items: make([]scheduleOut, 0, len(list.Items)), Next: list.Next}
	for _, sch := range list.Items {
		out.Items = append(out.Items, toScheduleOut(sch))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateSchedule(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	in, err := s.readSchedule(r, company)
	if err != nil {
		return err
	}
	sch, err := s.Ledger.CreateSchedule(r.Context(), company, in)
	if err != nil {
		return err
	}
	return s.writeSchedule(w, r, company, http.StatusCreated, sch)
}

func (s *Server) apiGetSchedule(w http.ResponseWriter, r *http.Request) error {
	company, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	return s.writeSchedule(w, r, company, http.StatusOK, sch)
}

func (s *Server) apiUpdateSchedule(w http.ResponseWriter, r *http.Request) error {
	company, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	in, err := s.readSchedule(r, company)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, sch.Version)
	if err != nil {
		return err
	}
	if sch, err = s.Ledger.UpdateSchedule(r.Context(), company, sch.ID, version, in); err != nil {
		return err
	}
	return s.writeSchedule(w, r, company, http.StatusOK, sch)
}

func (s *Server) apiDeleteSchedule(w http.ResponseWriter, r *http.Request) error {
	company, sch, err := s.schedule(r)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, sch.Version)
	if err != nil {
		return err
	}
	if err := s.Ledger.DeleteSchedule(r.Context(), company, sch.ID, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiRecurringActive pauses or resumes a template.
func (s *Server) apiRecurringActive(active bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, t, err := s.recurring(r)
		if err != nil {
			return err
		}
		if t, err = s.Ledger.SetRecurringActive(r.Context(), company, t.ID, active); err != nil {
			return err
		}
		return s.writeRecurring(w, r, company, http.StatusOK, t)
	}
}

// apiScheduleActive pauses or resumes a schedule.
func (s *Server) apiScheduleActive(active bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, sch, err := s.schedule(r)
		if err != nil {
			return err
		}
		if sch, err = s.Ledger.SetScheduleActive(r.Context(), company, sch.ID, active); err != nil {
			return err
		}
		return s.writeSchedule(w, r, company, http.StatusOK, sch)
	}
}
