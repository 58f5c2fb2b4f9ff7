package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// ScheduleKind says which balance account a schedule releases or builds up.
type ScheduleKind string

// Schedule kinds. A deferral spreads a cost paid in advance (prepaid
// insurance): each month Dr expense / Cr the prepaid asset. An accrual books
// a cost incurred before it is billed: each month Dr expense / Cr the accrued
// liability.
const (
	Deferral ScheduleKind = "deferral"
	Accrual  ScheduleKind = "accrual"
)

// maxSchedulePeriods bounds a schedule to 50 years of months.
const maxSchedulePeriods = 600

// NewSchedule is the input of CreateSchedule and UpdateSchedule. Total is in
// minor units of the company currency, spread over Periods months from
// StartMonth (any day of it); each period posts on its month's last day.
// Active nil means true.
type NewSchedule struct {
	Name             string          `json:"name"`
	Kind             ScheduleKind    `json:"kind"`
	JournalID        backoffice.ID   `json:"journal_id"`
	ExpenseAccountID backoffice.ID   `json:"expense_account_id"`
	BalanceAccountID backoffice.ID   `json:"balance_account_id"`
	Total            int64           `json:"total"`
	Periods          int             `json:"periods"`
	StartMonth       backoffice.Date `json:"start_month"`
	Reference        string          `json:"reference,omitempty"`
	Active           *bool           `json:"active,omitempty"`
}

// Schedule is an accrual or deferral schedule. PostedCount periods are
// posted; NextRun is the date of the next one, zero when all are posted.
type Schedule struct {
	ID               backoffice.ID       `json:"id"`
	CompanyID        backoffice.ID       `json:"company_id"`
	Name             string              `json:"name"`
	Kind             ScheduleKind        `json:"kind"`
	JournalID        backoffice.ID       `json:"journal_id"`
	Journal          string              `json:"journal"`
	ExpenseAccountID backoffice.ID       `json:"expense_account_id"`
	ExpenseAccount   string              `json:"expense_account"`
	BalanceAccountID backoffice.ID       `json:"balance_account_id"`
	BalanceAccount   string              `json:"balance_account"`
	Total            int64               `json:"total"`
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
	Version          int64               `json:"version"`
	CreatedAt        time.Time           `json:"created_at"`
	UpdatedAt        time.Time           `json:"updated_at"`
}

// PeriodAmount is the amount of period i (0-based): Total/Periods rounded
// down to the minor unit, the last period taking the remainder, so the
// periods add up to Total exactly.
func (s *Schedule) PeriodAmount(i int) int64 {
	each := s.Total / int64(s.Periods)
	if i == s.Periods-1 {
		return s.Total - each*int64(s.Periods-1)
	}
	return each
}

// PeriodDate is the posting date of period i: the last day of its month.
func (s *Schedule) PeriodDate(i int) backoffice.Date {
	return lastOfMonth(s.StartMonth.AddMonths(i))
}

// nextRun is the date of the period after the posted ones, zero when done.
func (s *Schedule) nextRun() backoffice.Date {
	if s.PostedCount >= s.Periods {
		return backoffice.Date{}
	}
	return s.PeriodDate(s.PostedCount)
}

// entry is the entry of period i, with its idempotency key.
func (s *Schedule) entry(i int) NewEntry {
	date, amount := s.PeriodDate(i), s.PeriodAmount(i)
	return NewEntry{JournalID: s.JournalID, Date: date, Reference: s.Reference,
		Narration:      fmt.Sprintf("%s — %s %d of %d", s.Name, s.Kind, i+1, s.Periods),
		IdempotencyKey: fmt.Sprintf("schedule:%d:%s", s.ID, date),
		Lines:          []NewLine{{AccountID: s.ExpenseAccountID, Amount: amount}, {AccountID: s.BalanceAccountID, Amount: -amount}}}
}

// validateSchedule checks a schedule: accounts of the right types, and the
// first period's entry as Post would check it (a lock date aside).
func (s *Service) validateSchedule(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, in *NewSchedule) error {
	v := backoffice.Validation{}
	in.Name = strings.TrimSpace(in.Name)
	v.Check(in.Name != "" && len(in.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(in.Kind == Deferral || in.Kind == Accrual, "kind", "must be deferral or accrual")
	v.Check(in.Total > 0 && in.Total <= maxAmount, "total", "must be a positive amount")
	v.Check(in.Periods >= 1 && in.Periods <= maxSchedulePeriods, "periods", fmt.Sprintf("must be 1 to %d months", maxSchedulePeriods))
	v.Check(in.Periods < 1 || in.Total >= int64(in.Periods), "total", "must be at least one minor unit per period")
	v.Check(!in.StartMonth.IsZero(), "start_month", "is required")
	v.Check(len(in.Reference) <= 200, "reference", "must be at most 200 characters")
	l := newLookup(q)
	if err := checkScheduleAccount(ctx, l, companyID, in.ExpenseAccountID, v, "expense_account_id", Expense); err != nil {
		return err
	}
	balanceType := Asset
	if in.Kind == Accrual {
		balanceType = Liability
	}
	if err := checkScheduleAccount(ctx, l, companyID, in.BalanceAccountID, v, "balance_account_id", balanceType); err != nil {
		return err
	}
	if len(v) == 0 {
		in.StartMonth = firstOfMonth(in.StartMonth)
		sch := Schedule{Name: in.Name, Kind: in.Kind, JournalID: in.JournalID, ExpenseAccountID: in.ExpenseAccountID,
			BalanceAccountID: in.BalanceAccountID, Total: in.Total, Periods: in.Periods, StartMonth: in.StartMonth, Reference: in.Reference}
		e := sch.entry(0)
		e.IdempotencyKey = ""
		if _, err := s.prepare(ctx, l, companyID, e, v, ""); err != nil && backoffice.ErrorCode(err) != backoffice.EPeriodClosed {
			return err
		}
	}
	if j, err := l.journal(ctx, companyID, in.JournalID); err != nil {
		return err
	} else if j == nil {
		v.Add("journal_id", "is not a journal of this company")
	}
	return v.Err("schedule")
}

// checkScheduleAccount checks that id is an account of the company of type want.
func checkScheduleAccount(ctx context.Context, l *lookup, companyID, id backoffice.ID, v backoffice.Validation, field string, want AccountType) error {
	a, err := l.account(ctx, companyID, id)
	if err != nil {
		return err
	}
	switch {
	case a == nil:
		v.Add(field, "is not an account of this company")
	case a.Type != want:
		v.Add(field, fmt.Sprintf("account %s is %s; this schedule needs an %s account", a.Code, a.Type, want))
	}
	return nil
}

// CheckSchedule validates a schedule as CreateSchedule would and stores
// nothing, so a form that found problems of its own can name every other
// one at once.
func (s *Service) CheckSchedule(ctx context.Context, companyID backoffice.ID, in NewSchedule) error {
	return s.validateSchedule(ctx, s.DB, companyID, &in)
}

// CreateSchedule stores an accrual or deferral schedule; its first period
// is due on the last day of the start month.
func (s *Service) CreateSchedule(ctx context.Context, companyID backoffice.ID, in NewSchedule) (Schedule, error) {
	if err := s.validateSchedule(ctx, s.DB, companyID, &in); err != nil {
		return Schedule{}, err
	}
	now := s.now()
	sch := Schedule{CompanyID: companyID, Name: in.Name, Kind: in.Kind, JournalID: in.JournalID, ExpenseAccountID: in.ExpenseAccountID,
		BalanceAccountID: in.BalanceAccountID, Total: in.Total, Periods: in.Periods, StartMonth: in.StartMonth, Reference: in.Reference,
		Active: in.Active == nil || *in.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	sch.NextRun = sch.nextRun()
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := insertSchedule(ctx, tx, &sch); err != nil {
			return err
		}
		fields, err := scheduleFields(ctx, tx, sch)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_schedule", EntityID: sch.ID.String(), Action: "create", New: fields})
		return err
	})
	if err != nil {
		return Schedule{}, err
	}
	return s.GetSchedule(ctx, companyID, sch.ID)
}

// UpdateSchedule changes a schedule at version (0: any). Once a period is
// posted only the name, the reference and the active flag may change: the
// posted amounts were computed from the rest. To change those, reverse the
// posted entries and create a new schedule.
func (s *Service) UpdateSchedule(ctx context.Context, companyID, id backoffice.ID, version int64, in NewSchedule) (Schedule, error) {
	if err := s.validateSchedule(ctx, s.DB, companyID, &in); err != nil {
		return Schedule{}, err
	}
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getSchedule(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "the schedule was changed by someone else (version %d, you had %d); reload it", before.Version, version)
		}
		sch := before
		sch.Name, sch.Reference, sch.Active = in.Name, in.Reference, in.Active == nil || *in.Active
		if before.PostedCount == 0 {
			sch.Kind, sch.JournalID, sch.ExpenseAccountID, sch.BalanceAccountID = in.Kind, in.JournalID, in.ExpenseAccountID, in.BalanceAccountID
			sch.Total, sch.Periods, sch.StartMonth = in.Total, in.Periods, in.StartMonth
		} else if err := checkFrozen(before, in); err != nil {
			return err
		}
		sch.NextRun, sch.Version, sch.UpdatedAt = sch.nextRun(), before.Version+1, s.now()
		if err := updateSchedule(ctx, tx, sch, before.Version); err != nil {
			return err
		}
		old, err := scheduleFields(ctx, tx, before)
		if err != nil {
			return err
		}
		new, err := scheduleFields(ctx, tx, sch)
		if err != nil {
			return err
		}
		for k, v := range new {
			if fmt.Sprint(old[k]) == fmt.Sprint(v) {
				delete(old, k)
				delete(new, k)
			}
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_schedule", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return Schedule{}, err
	}
	return s.GetSchedule(ctx, companyID, id)
}

// checkFrozen refuses changes to what posted periods were computed from.
func checkFrozen(before Schedule, in NewSchedule) error {
	v := backoffice.Validation{}
	const msg = "cannot change once a period is posted"
	v.Check(in.Kind == before.Kind, "kind", msg)
	v.Check(in.JournalID == before.JournalID, "journal_id", msg)
	v.Check(in.ExpenseAccountID == before.ExpenseAccountID, "expense_account_id", msg)
	v.Check(in.BalanceAccountID == before.BalanceAccountID, "balance_account_id", msg)
	v.Check(in.Total == before.Total, "total", msg)
	v.Check(in.Periods == before.Periods, "periods", msg)
	v.Check(in.StartMonth == before.StartMonth, "start_month", msg)
	if err := v.Err("schedule"); err != nil {
		return &backoffice.Error{Code: backoffice.EConflict, Message: "periods of this schedule are posted: only its name, reference and active flag can change",
			Fields: err.(*backoffice.Error).Fields}
	}
	return nil
}

// scheduleFields are a schedule's fields as the change log records them:
// accounts and journal by code, the total as money.
func scheduleFields(ctx context.Context, q sqldb.Querier, sch Schedule) (map[string]any, error) {
	l := newLookup(q)
	base, err := l.base(ctx, sch.CompanyID)
	if err != nil {
		return nil, err
	}
	code := func(id backoffice.ID) (string, error) {
		a, err := l.account(ctx, sch.CompanyID, id)
		if err != nil || a == nil {
			return id.String(), err
		}
		return a.Code, nil
	}
	expense, err := code(sch.ExpenseAccountID)
	if err != nil {
		return nil, err
	}
	balance, err := code(sch.BalanceAccountID)
	if err != nil {
		return nil, err
	}
	journal := sch.JournalID.String()
	if j, err := l.journal(ctx, sch.CompanyID, sch.JournalID); err != nil {
		return nil, err
	} else if j != nil {
		journal = j.Code
	}
	return map[string]any{"name": sch.Name, "kind": sch.Kind, "journal": journal, "expense_account": expense, "balance_account": balance,
		"total": backoffice.NewMoney(sch.Total, base).String(), "periods": sch.Periods, "start_month": sch.StartMonth,
		"reference": sch.Reference, "active": sch.Active}, nil
}

// DeleteSchedule removes a schedule with no posted period; a schedule with
// postings is made inactive instead, so its history stays readable and its
// id, which its entries' idempotency keys carry, is never given again.
func (s *Service) DeleteSchedule(ctx context.Context, companyID, id backoffice.ID, version int64) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		sch, err := getSchedule(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if version != 0 && sch.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "the schedule was changed by someone else (version %d, you had %d); reload it", sch.Version, version)
		}
		if sch.PostedCount > 0 {
			return backoffice.Errorf(backoffice.EConflict, "schedule %q has %d posted periods and cannot be deleted; make it inactive instead", sch.Name, sch.PostedCount)
		}
		if err := deleteSource(ctx, tx, "ledger_schedules", sourceSchedule, id); err != nil {
			return err
		}
		fields, err := scheduleFields(ctx, tx, sch)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_schedule", EntityID: id.String(), Action: "delete", Old: fields})
		return err
	})
}

// scheduleStep posts the next due period of a schedule in tx, or returns
// nil when none is due.
func (s *Service) scheduleStep(ctx context.Context, tx *sqldb.Tx, companyID, id backoffice.ID, upTo backoffice.Date) (*Generated, error) {
	sch, err := getSchedule(ctx, tx, companyID, id)
	if err != nil || !sch.Active || sch.NextRun.IsZero() || sch.NextRun.After(upTo) {
		return nil, err
	}
	i, period := sch.PostedCount, sch.NextRun
	sch.PostedCount++
	next := sch.nextRun()
	now := s.now()
	res, err := tx.ExecContext(ctx, `UPDATE ledger_schedules SET posted_count = ?, next_run = ?, last_run_at = ?, last_error = '', last_error_at = NULL
		WHERE id = ? AND posted_count = ?`, sch.PostedCount, next, now, int64(id), i)
	if err != nil {
		return nil, fmt.Errorf("claim schedule: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, errRaced
	}
	e, err := s.PostTx(ctx, tx, companyID, sch.entry(i))
	if err != nil {
		return nil, err
	}
	g := &Generated{Source: sourceSchedule, SourceID: id, Name: sch.Name, Period: period, EntryID: e.ID, EntryNumber: e.Number, State: e.State, Amount: e.Amount}
	return g, s.finishStep(ctx, tx, companyID, g, next, now)
}
