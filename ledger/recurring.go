package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// RecurringMode says what a due occurrence of a recurring entry becomes.
type RecurringMode string

// Recurring modes: post at once, or leave a draft for someone to check and post.
const (
	ModePost  RecurringMode = "post"
	ModeDraft RecurringMode = "draft"
)

// NewRecurring is the input of CreateRecurring and UpdateRecurring: the
// entry to repeat (journal, reference, narration and lines as for Post) and
// when. DayOfMonth 0 takes the start date's day; 29 to 31 fall on the last
// day of shorter months. The template ends after EndDate or after MaxCount
// occurrences, when given. Active nil means true.
type NewRecurring struct {
	Name       string          `json:"name"`
	JournalID  backoffice.ID   `json:"journal_id"`
	Reference  string          `json:"reference,omitempty"`
	Narration  string          `json:"narration,omitempty"`
	Lines      []NewLine       `json:"lines"`
	Frequency  Frequency       `json:"frequency"`
	DayOfMonth int             `json:"day_of_month,omitempty"`
	StartDate  backoffice.Date `json:"start_date"`
	EndDate    backoffice.Date `json:"end_date,omitzero"`
	MaxCount   int             `json:"max_count,omitempty"`
	Mode       RecurringMode   `json:"mode"`
	Active     *bool           `json:"active,omitempty"`
}

// Recurring is a recurring entry template. NextRun is the date of the next
// occurrence, zero when the template has ended. LastError is why the last
// run of the template failed (a closed period, a blocked account), empty
// after a run that succeeded.
type Recurring struct {
	ID          backoffice.ID   `json:"id"`
	CompanyID   backoffice.ID   `json:"company_id"`
	Name        string          `json:"name"`
	JournalID   backoffice.ID   `json:"journal_id"`
	Journal     string          `json:"journal"`
	Reference   string          `json:"reference"`
	Narration   string          `json:"narration"`
	Lines       []NewLine       `json:"lines"`
	Frequency   Frequency       `json:"frequency"`
	DayOfMonth  int             `json:"day_of_month"`
	StartDate   backoffice.Date `json:"start_date"`
	EndDate     backoffice.Date `json:"end_date,omitzero"`
	MaxCount    int             `json:"max_count,omitempty"`
	RunCount    int             `json:"run_count"`
	NextRun     backoffice.Date `json:"next_run,omitzero"`
	Mode        RecurringMode   `json:"mode"`
	Active      bool            `json:"active"`
	LastRunAt   *time.Time      `json:"last_run_at,omitempty"`
	LastError   string          `json:"last_error,omitempty"`
	LastErrorAt *time.Time      `json:"last_error_at,omitempty"`
	Version     int64           `json:"version"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// grid is the template's occurrence grid.
func (r *Recurring) grid() occurrenceGrid {
	return occurrenceGrid{start: r.StartDate, step: r.Frequency.months(), dayOfMonth: r.DayOfMonth}
}

// advance sets NextRun to the occurrence after done, or to zero when the
// template has reached its end date or its count.
func (r *Recurring) advance(done backoffice.Date) {
	next := r.grid().firstAfter(done)
	switch {
	case r.MaxCount > 0 && r.RunCount >= r.MaxCount, !r.EndDate.IsZero() && next.After(r.EndDate):
		r.NextRun = backoffice.Date{}
	default:
		r.NextRun = next
	}
}

// entry is the entry of the occurrence on date, with its idempotency key.
func (r *Recurring) entry(date backoffice.Date) NewEntry {
	return NewEntry{JournalID: r.JournalID, Date: date, Reference: r.Reference, Narration: r.Narration,
		IdempotencyKey: fmt.Sprintf("recurring:%d:%s", r.ID, date), Lines: r.Lines}
}

// validateRecurring checks a template and its lines as Post would check the
// entry; a lock date is no reason to refuse it (a run reports that).
func (s *Service) validateRecurring(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, in *NewRecurring) error {
	v := backoffice.Validation{}
	in.Name = strings.TrimSpace(in.Name)
	v.Check(in.Name != "" && len(in.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(slices.Contains(Frequencies(), in.Frequency), "frequency", "must be monthly, quarterly or yearly")
	v.Check(in.Mode == ModePost || in.Mode == ModeDraft, "mode", "must be post or draft")
	v.Check(!in.StartDate.IsZero(), "start_date", "is required")
	if in.DayOfMonth == 0 {
		in.DayOfMonth = in.StartDate.Day
	}
	v.Check(in.DayOfMonth >= 1 && in.DayOfMonth <= 31, "day_of_month", "must be 1 to 31 (31: the last day of every month)")
	v.Check(in.EndDate.IsZero() || !in.EndDate.Before(in.StartDate), "end_date", "must not be before the start date")
	v.Check(in.MaxCount >= 0 && in.MaxCount <= 10000, "max_count", "must be 0 (no limit) to 10000")
	date := in.StartDate
	if date.IsZero() {
		date = s.today()
	}
	entry := NewEntry{JournalID: in.JournalID, Date: date, Reference: in.Reference, Narration: in.Narration, Lines: in.Lines}
	if _, err := s.prepare(ctx, newLookup(q), companyID, entry, v, ""); err != nil && backoffice.ErrorCode(err) != backoffice.EPeriodClosed {
		return err
	}
	return v.Err("recurring entry")
}

// CheckRecurring validates a template as CreateRecurring would and stores
// nothing, so a form that found problems of its own can name every other
// one at once.
func (s *Service) CheckRecurring(ctx context.Context, companyID backoffice.ID, in NewRecurring) error {
	return s.validateRecurring(ctx, s.DB, companyID, &in)
}

// CreateRecurring stores a recurring entry template; its first occurrence is
// the first date of its grid on or after the start date.
func (s *Service) CreateRecurring(ctx context.Context, companyID backoffice.ID, in NewRecurring) (Recurring, error) {
	if err := s.validateRecurring(ctx, s.DB, companyID, &in); err != nil {
		return Recurring{}, err
	}
	now := s.now()
	r := Recurring{CompanyID: companyID, Name: in.Name, JournalID: in.JournalID, Reference: in.Reference, Narration: in.Narration,
		Lines: in.Lines, Frequency: in.Frequency, DayOfMonth: in.DayOfMonth, StartDate: in.StartDate, EndDate: in.EndDate,
		MaxCount: in.MaxCount, Mode: in.Mode, Active: in.Active == nil || *in.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	r.advance(backoffice.Date{})
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := insertRecurring(ctx, tx, &r); err != nil {
			return err
		}
		fields, err := s.recurringFields(ctx, tx, r)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "recurring_entry", EntityID: r.ID.String(), Action: "create", New: fields})
		return err
	})
	if err != nil {
		return Recurring{}, err
	}
	return s.GetRecurring(ctx, companyID, r.ID)
}

// UpdateRecurring replaces a template's content when version is still its
// current version (0: any). Entries already generated stay as they are; the
// next occurrence is recomputed after the last generated one.
func (s *Service) UpdateRecurring(ctx context.Context, companyID, id backoffice.ID, version int64, in NewRecurring) (Recurring, error) {
	if err := s.validateRecurring(ctx, s.DB, companyID, &in); err != nil {
		return Recurring{}, err
	}
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getRecurring(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if version != 0 && before.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "the recurring entry was changed by someone else (version %d, you had %d); reload it", before.Version, version)
		}
		last, err := lastRun(ctx, tx, sourceRecurring, id)
		if err != nil {
			return err
		}
		r := before
		r.Name, r.JournalID, r.Reference, r.Narration, r.Lines = in.Name, in.JournalID, in.Reference, in.Narration, in.Lines
		r.Frequency, r.DayOfMonth, r.StartDate, r.EndDate, r.MaxCount = in.Frequency, in.DayOfMonth, in.StartDate, in.EndDate, in.MaxCount
		r.Mode, r.Active = in.Mode, in.Active == nil || *in.Active
		r.advance(last)
		r.Version, r.UpdatedAt = before.Version+1, s.now()
		if err := updateRecurring(ctx, tx, r, before.Version); err != nil {
			return err
		}
		old, err := s.recurringFields(ctx, tx, before)
		if err != nil {
			return err
		}
		new, err := s.recurringFields(ctx, tx, r)
		if err != nil {
			return err
		}
		for k, v := range new {
			if fmt.Sprint(old[k]) == fmt.Sprint(v) {
				delete(old, k)
				delete(new, k)
			}
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "recurring_entry", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return Recurring{}, err
	}
	return s.GetRecurring(ctx, companyID, id)
}

// recurringFields are a template's fields as the change log records them:
// the lines as people read them ("Dr 6100 1500.00; Cr 1110 1500.00"), the
// journal by code.
func (s *Service) recurringFields(ctx context.Context, q sqldb.Querier, r Recurring) (map[string]any, error) {
	l := newLookup(q)
	base, err := l.base(ctx, r.CompanyID)
	if err != nil {
		return nil, err
	}
	parts := make([]string, 0, len(r.Lines))
	for _, line := range r.Lines {
		code := line.AccountID.String()
		if a, err := l.account(ctx, r.CompanyID, line.AccountID); err != nil {
			return nil, err
		} else if a != nil {
			code = a.Code
		}
		cur, side, amt := line.Currency, "Dr", line.Amount
		if cur == "" {
			cur = base
		}
		if amt < 0 {
			side, amt = "Cr", -amt
		}
		parts = append(parts, fmt.Sprintf("%s %s %s", side, code, backoffice.NewMoney(amt, cur)))
	}
	journal := r.JournalID.String()
	if j, err := l.journal(ctx, r.CompanyID, r.JournalID); err != nil {
		return nil, err
	} else if j != nil {
		journal = j.Code
	}
	f := map[string]any{"name": r.Name, "journal": journal, "reference": r.Reference, "narration": r.Narration,
		"lines": strings.Join(parts, "; "), "frequency": r.Frequency, "day_of_month": r.DayOfMonth, "start_date": r.StartDate,
		"mode": r.Mode, "active": r.Active, "max_count": r.MaxCount}
	if !r.EndDate.IsZero() {
		f["end_date"] = r.EndDate
	}
	return f, nil
}

// DeleteRecurring removes a template that has generated nothing. One that
// has is made inactive instead: its generated entries carry its id in their
// idempotency keys, and a deleted id may be given again (SQLite reuses the
// highest rowid, a restore resets sequences to the largest stored id), so a
// new template would find the old one's entries as its own.
func (s *Service) DeleteRecurring(ctx context.Context, companyID, id backoffice.ID, version int64) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		r, err := getRecurring(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if version != 0 && r.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "the recurring entry was changed by someone else (version %d, you had %d); reload it", r.Version, version)
		}
		if r.RunCount > 0 {
			return backoffice.Errorf(backoffice.EConflict, "recurring entry %q has generated %d entries and cannot be deleted; make it inactive instead", r.Name, r.RunCount)
		}
		if err := deleteSource(ctx, tx, "ledger_recurring", sourceRecurring, id); err != nil {
			return err
		}
		fields, err := s.recurringFields(ctx, tx, r)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "recurring_entry", EntityID: id.String(), Action: "delete", Old: fields})
		return err
	})
}

// GetRecurring reads one template.
func (s *Service) GetRecurring(ctx context.Context, companyID, id backoffice.ID) (Recurring, error) {
	return getRecurring(ctx, s.DB, companyID, id)
}

// RecurringFilter narrows ListRecurring: Search matches the name or the
// reference; Failing keeps templates whose last run failed.
type RecurringFilter struct {
	Search  string
	Failing bool
	Page    backoffice.Page
}

// ListRecurring lists a company's templates by name.
func (s *Service) ListRecurring(ctx context.Context, companyID backoffice.ID, f RecurringFilter) (backoffice.List[Recurring], error) {
	return listRecurring(ctx, s.DB, companyID, f)
}

// marshalLines stores lines as JSON.
func marshalLines(lines []NewLine) string {
	b, _ := json.Marshal(lines)
	return string(b)
}
