package invoice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// months is the step between two periods of a frequency.
func months(f ledger.Frequency) int {
	switch f {
	case ledger.Quarterly:
		return 3
	case ledger.Yearly:
		return 12
	}
	return 1
}

// period returns period k of a template: k steps after the start month, on
// its day of month or the month's last day when the month is shorter.
// Each date counts from the start month, not from the previous date, so
// the 31st gives 31 January, 28 February, 31 March.
func (r *RecurringInvoice) period(k int) backoffice.Date {
	first := time.Date(r.StartDate.Year, r.StartDate.Month+time.Month(k*months(r.Frequency)), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return backoffice.Date{Year: first.Year(), Month: first.Month(), Day: min(r.DayOfMonth, last)}
}

// next returns the first period after last (zero: none generated yet)
// that the template's start, end and count allow, and whether there is one.
func (r *RecurringInvoice) next(last backoffice.Date, generated int) (backoffice.Date, bool) {
	if r.MaxCount > 0 && generated >= r.MaxCount {
		return backoffice.Date{}, false
	}
	k := 0
	if !last.IsZero() {
		k = max(0, ((last.Year-r.StartDate.Year)*12+int(last.Month)-int(r.StartDate.Month))/months(r.Frequency)-1)
	}
	for ; ; k++ {
		d := r.period(k)
		if d.Before(r.StartDate) || (!last.IsZero() && !d.After(last)) {
			continue
		}
		if !r.EndDate.IsZero() && d.After(r.EndDate) {
			return backoffice.Date{}, false
		}
		return d, true
	}
}

// RecurringFailure is a template RunDue could not generate, and why: the
// invoice it describes no longer validates (a blocked party, a closed
// period). Its later periods wait for the next run.
type RecurringFailure struct {
	RecurringID backoffice.ID   `json:"recurring_id"`
	Name        string          `json:"name"`
	Period      backoffice.Date `json:"period"`
	Error       string          `json:"error"`
}

// RecurringGenerated is one invoice RunDue generated.
type RecurringGenerated struct {
	RecurringID backoffice.ID   `json:"recurring_id"`
	Period      backoffice.Date `json:"period"`
	DocumentID  backoffice.ID   `json:"document_id"`
	Number      string          `json:"number,omitempty"`
	State       State           `json:"state"`
}

// RecurringReport is what RunDue did.
type RecurringReport struct {
	UpTo      backoffice.Date      `json:"up_to"`
	Generated []RecurringGenerated `json:"generated"`
	Failures  []RecurringFailure   `json:"failures"`
}

// RunDue generates the invoices of every period up to upTo of the
// company's active templates, catching up missed periods oldest first. Each
// period is claimed (a unique row per template and period) in the same
// transaction that creates or posts its invoice, so a second run, or a
// second node running at once, never generates a period twice.
func (s *Service) RunDue(ctx context.Context, companyID backoffice.ID, upTo backoffice.Date) (RecurringReport, error) {
	rep := RecurringReport{UpTo: upTo, Generated: []RecurringGenerated{}, Failures: []RecurringFailure{}}
	templates, err := s.listRecurring(ctx, s.DB, `r.company_id = ? AND r.active AND r.start_date <= ?`, int64(companyID), upTo)
	if err != nil {
		return rep, err
	}
	for i := range templates {
		t := &templates[i]
		last, count := t.LastPeriod, t.Generated
		for n := 0; n < maxCatchUp; n++ {
			period, ok := t.next(last, count)
			if !ok || period.After(upTo) {
				break
			}
			g, err := s.generatePeriod(ctx, t, period)
			if err != nil {
				if backoffice.ErrorCode(err) == backoffice.EInternal || backoffice.ErrorCode(err) == "" {
					return rep, err
				}
				rep.Failures = append(rep.Failures, RecurringFailure{RecurringID: t.ID, Name: t.Name, Period: period, Error: err.Error()})
				break
			}
			if g.DocumentID != 0 {
				rep.Generated = append(rep.Generated, g)
			}
			last, count = period, count+1
		}
	}
	return rep, nil
}

// generatePeriod creates (or posts) the invoice of one period and claims
// the period in the same transaction. A period another run claimed first
// answers an empty RecurringGenerated.
func (s *Service) generatePeriod(ctx context.Context, t *RecurringInvoice, period backoffice.Date) (RecurringGenerated, error) {
	in := t.Invoice
	in.Kind, in.IssueDate, in.DueDate, in.Installments = KindInvoice, period, backoffice.Date{}, nil
	r, err := s.newResolver(ctx, t.CompanyID)
	if err != nil {
		return RecurringGenerated{}, err
	}
	d, err := r.resolve(in, 0)
	if err != nil {
		return RecurringGenerated{}, err
	}
	var ne ledger.NewEntry
	if t.Mode == RecurringPost {
		if ne, err = r.entry(d); err != nil {
			return RecurringGenerated{}, err
		}
	}
	reason := fmt.Sprintf("recurring invoice %q, period %s", t.Name, period)
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		now := s.now()
		if t.Mode == RecurringPost {
			if err := s.postTx(ctx, tx, d, ne, reason, nil); err != nil {
				return err
			}
		} else {
			d.Version, d.CreatedAt, d.UpdatedAt = 1, now, now
			if err := insertDocument(ctx, tx, d); err != nil {
				return err
			}
			if _, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: t.CompanyID, Entity: entity, EntityID: d.ID.String(), Action: "create",
				New: changeFields(d), Reason: reason}); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO recurring_invoice_periods (recurring_id, company_id, period_date, document_id, created_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (recurring_id, period_date) DO NOTHING`, int64(t.ID), int64(t.CompanyID), period, int64(d.ID), now)
		if err != nil {
			return fmt.Errorf("claim period %s of recurring invoice %d: %w", period, t.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errClaimed
		}
		return nil
	})
	if errors.Is(err, errClaimed) {
		return RecurringGenerated{}, nil
	}
	if err != nil {
		return RecurringGenerated{}, err
	}
	return RecurringGenerated{RecurringID: t.ID, Period: period, DocumentID: d.ID, Number: d.Number, State: d.State}, nil
}

// errClaimed rolls back a period another run generated meanwhile.
var errClaimed = errors.New("period already generated")

// RecurringDueCompanies lists the companies with an active template that
// has started by upTo, for the periodic job.
func (s *Service) RecurringDueCompanies(ctx context.Context, upTo backoffice.Date) ([]backoffice.ID, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT company_id FROM recurring_invoices WHERE active AND start_date <= ? ORDER BY company_id`, upTo)
	if err != nil {
		return nil, fmt.Errorf("list companies with recurring invoices: %w", err)
	}
	defer rows.Close()
	var ids []backoffice.ID
	for rows.Next() {
		var id backoffice.ID
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
