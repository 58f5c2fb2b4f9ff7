package invoice

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// recurringEntity is the change log's name for recurring invoice templates.
const recurringEntity = "recurring_invoice"

// RecurringMode says what a due period of a template becomes.
type RecurringMode string

// The modes: a posted invoice, or a draft for someone to check and post.
const (
	RecurringPost  RecurringMode = "post"
	RecurringDraft RecurringMode = "draft"
)

// RecurringInput is a recurring invoice template as a user writes it: the
// invoice (party, lines, currency, notes, like an invoice Input; its dates
// are each period's), how often (monthly, quarterly, yearly) on which day
// of the month (the month's last day when shorter: the 31st gives 28
// February), from StartDate until EndDate or MaxCount invoices (0 = no
// limit), posted or as drafts.
type RecurringInput struct {
	Name       string           `json:"name"`
	Invoice    Input            `json:"invoice"`
	Frequency  ledger.Frequency `json:"frequency"`
	DayOfMonth int              `json:"day_of_month"`
	StartDate  backoffice.Date  `json:"start_date"`
	EndDate    backoffice.Date  `json:"end_date,omitzero"`
	MaxCount   int              `json:"max_count"`
	Mode       RecurringMode    `json:"mode"`
	Active     bool             `json:"active"`
}

// RecurringInvoice is a stored template with what it generated so far.
type RecurringInvoice struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	RecurringInput
	PartyName  string          `json:"party_name"`
	Generated  int             `json:"generated"`
	LastPeriod backoffice.Date `json:"last_period,omitzero"`
	NextPeriod backoffice.Date `json:"next_period,omitzero"` // zero when the template is finished or inactive
	Version    int64           `json:"version"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// maxCatchUp bounds the periods one RunDue generates per template, so a
// start date typed decades back cannot flood the books in one go.
const maxCatchUp = 240

// CreateRecurring validates in (the invoice as Preview checks it) and
// stores the template.
func (s *Service) CreateRecurring(ctx context.Context, companyID backoffice.ID, in RecurringInput) (RecurringInvoice, error) {
	if err := s.validateRecurring(ctx, companyID, &in); err != nil {
		return RecurringInvoice{}, err
	}
	body, err := json.Marshal(in.Invoice)
	if err != nil {
		return RecurringInvoice{}, err
	}
	now := s.now()
	var id backoffice.ID
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO recurring_invoices (company_id, name, party_id, template, frequency, day_of_month, start_date,
			end_date, max_count, post, active, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			int64(companyID), in.Name, int64(in.Invoice.PartyID), string(body), string(in.Frequency), in.DayOfMonth, in.StartDate, nullDate(in.EndDate),
			in.MaxCount, in.Mode == RecurringPost, in.Active, now, now).Scan(&id); err != nil {
			return fmt.Errorf("store recurring invoice: %w", err)
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: recurringEntity, EntityID: id.String(), Action: "create", New: in})
		return err
	})
	if err != nil {
		return RecurringInvoice{}, err
	}
	return s.GetRecurring(ctx, companyID, id)
}

// UpdateRecurring replaces the template's fields when version is its
// current version. Invoices already generated stay as they are; the
// periods already generated are not generated again.
func (s *Service) UpdateRecurring(ctx context.Context, companyID, id backoffice.ID, version int64, in RecurringInput) (RecurringInvoice, error) {
	before, err := s.GetRecurring(ctx, companyID, id)
	if err != nil {
		return RecurringInvoice{}, err
	}
	if err := s.validateRecurring(ctx, companyID, &in); err != nil {
		return RecurringInvoice{}, err
	}
	body, err := json.Marshal(in.Invoice)
	if err != nil {
		return RecurringInvoice{}, err
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE recurring_invoices SET name = ?, party_id = ?, template = ?, frequency = ?, day_of_month = ?, start_date = ?,
			end_date = ?, max_count = ?, post = ?, active = ?, version = version + 1, updated_at = ? WHERE id = ? AND company_id = ? AND version = ?`,
			in.Name, int64(in.Invoice.PartyID), string(body), string(in.Frequency), in.DayOfMonth, in.StartDate, nullDate(in.EndDate), in.MaxCount,
			in.Mode == RecurringPost, in.Active, s.now(), int64(id), int64(companyID), version)
		if err != nil {
			return fmt.Errorf("update recurring invoice: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return stale("recurring invoice", id, version)
		}
		old, new, err := audit.Diff(before.RecurringInput, in)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: recurringEntity, EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return RecurringInvoice{}, err
	}
	return s.GetRecurring(ctx, companyID, id)
}

// DeleteRecurring removes a template that generated nothing yet; one that
// did is deactivated instead (UpdateRecurring with active false), so its
// invoices keep their origin.
func (s *Service) DeleteRecurring(ctx context.Context, companyID, id backoffice.ID) error {
	r, err := s.GetRecurring(ctx, companyID, id)
	if err != nil {
		return err
	}
	if r.Generated > 0 {
		return backoffice.Errorf(backoffice.EConflict, "recurring invoice %q generated %d invoices: deactivate it instead", r.Name, r.Generated)
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM recurring_invoices WHERE id = ? AND company_id = ? AND NOT EXISTS
			(SELECT 1 FROM recurring_invoice_periods p WHERE p.recurring_id = recurring_invoices.id)`, int64(id), int64(companyID)); err != nil {
			return fmt.Errorf("delete recurring invoice: %w", err)
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: recurringEntity, EntityID: id.String(), Action: "delete", Old: r.RecurringInput})
		return err
	})
}

// validateRecurring checks the schedule and resolves the invoice as of the
// start date, naming invoice fields "invoice.lines[0]…".
func (s *Service) validateRecurring(ctx context.Context, companyID backoffice.ID, in *RecurringInput) error {
	in.Name = strings.TrimSpace(in.Name)
	if in.Mode == "" {
		in.Mode = RecurringDraft
	}
	in.Invoice.IssueDate, in.Invoice.DueDate, in.Invoice.Installments = backoffice.Date{}, backoffice.Date{}, nil
	if in.Invoice.Kind == "" {
		in.Invoice.Kind = KindInvoice
	}
	v := backoffice.Validation{}
	v.Check(in.Name != "" && len(in.Name) <= 200, "name", "is required, at most 200 characters")
	v.Check(in.Frequency == ledger.Monthly || in.Frequency == ledger.Quarterly || in.Frequency == ledger.Yearly, "frequency", "must be monthly, quarterly or yearly")
	v.Check(in.DayOfMonth >= 1 && in.DayOfMonth <= 31, "day_of_month", "must be 1 to 31 (a shorter month takes its last day)")
	v.Check(!in.StartDate.IsZero(), "start_date", "is required")
	v.Check(in.EndDate.IsZero() || !in.EndDate.Before(in.StartDate), "end_date", "must not be before the start date")
	v.Check(in.MaxCount >= 0, "max_count", "cannot be negative (0 = no limit)")
	v.Check(in.Mode == RecurringPost || in.Mode == RecurringDraft, "mode", "must be post or draft")
	v.Check(in.Invoice.Kind == KindInvoice, "invoice.kind", "must be invoice: recurring documents are customer invoices")
	if !in.StartDate.IsZero() {
		probe := in.Invoice
		probe.IssueDate = in.StartDate
		if _, err := s.Preview(ctx, companyID, probe); err != nil {
			var be *backoffice.Error
			if !errors.As(err, &be) || be.Code != backoffice.EInvalid {
				return err
			}
			for k, m := range be.Fields {
				v.Add("invoice."+k, m)
			}
			if len(be.Fields) == 0 {
				v.Add("invoice", be.Message)
			}
		}
	}
	return v.Err("recurring invoice")
}

// GetRecurring returns one template with its progress.
func (s *Service) GetRecurring(ctx context.Context, companyID, id backoffice.ID) (RecurringInvoice, error) {
	list, err := s.listRecurring(ctx, s.DB, `r.company_id = ? AND r.id = ?`, int64(companyID), int64(id))
	if err != nil {
		return RecurringInvoice{}, err
	}
	if len(list) == 0 {
		return RecurringInvoice{}, notFound("recurring invoice", id)
	}
	return list[0], nil
}

// ListRecurring returns the company's templates by name; q matches the
// name or the party's name.
func (s *Service) ListRecurring(ctx context.Context, companyID backoffice.ID, q string) ([]RecurringInvoice, error) {
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		p := "%" + escapeLike(q) + "%"
		return s.listRecurring(ctx, s.DB, `r.company_id = ? AND (LOWER(r.name) LIKE ? ESCAPE '\' OR LOWER(p.legal_name) LIKE ? ESCAPE '\' OR LOWER(p.trade_name) LIKE ? ESCAPE '\')`,
			int64(companyID), p, p, p)
	}
	return s.listRecurring(ctx, s.DB, `r.company_id = ?`, int64(companyID))
}

func (s *Service) listRecurring(ctx context.Context, q sqldb.Querier, where string, args ...any) ([]RecurringInvoice, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, r.company_id, r.name, r.template, r.frequency, r.day_of_month, r.start_date, r.end_date, r.max_count,
		r.post, r.active, r.version, r.created_at, r.updated_at, p.legal_name, p.trade_name,
		(SELECT COUNT(*) FROM recurring_invoice_periods g WHERE g.recurring_id = r.id),
		(SELECT MAX(g.period_date) FROM recurring_invoice_periods g WHERE g.recurring_id = r.id)
		FROM recurring_invoices r JOIN parties p ON p.id = r.party_id WHERE `+where+` ORDER BY r.name, r.id LIMIT 1000`, args...)
	if err != nil {
		return nil, fmt.Errorf("list recurring invoices: %w", err)
	}
	defer rows.Close()
	out := []RecurringInvoice{}
	for rows.Next() {
		var r RecurringInvoice
		var body, freq, legal, trade string
		var end, last sql.Null[backoffice.Date]
		var post bool
		if err := rows.Scan(&r.ID, &r.CompanyID, &r.Name, &body, &freq, &r.DayOfMonth, &r.StartDate, &end, &r.MaxCount, &post, &r.Active,
			&r.Version, &r.CreatedAt, &r.UpdatedAt, &legal, &trade, &r.Generated, &last); err != nil {
			return nil, fmt.Errorf("list recurring invoices: %w", err)
		}
		if err := json.Unmarshal([]byte(body), &r.Invoice); err != nil {
			return nil, fmt.Errorf("recurring invoice %d: template: %w", r.ID, err)
		}
		r.Frequency, r.EndDate, r.LastPeriod, r.PartyName = ledger.Frequency(freq), end.V, last.V, partyName(legal, trade)
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		r.Mode = RecurringDraft
		if post {
			r.Mode = RecurringPost
		}
		if next, ok := r.next(r.LastPeriod, r.Generated); ok && r.Active {
			r.NextPeriod = next
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullDate(d backoffice.Date) any {
	if d.IsZero() {
		return nil
	}
	return d
}

// RecurringPeriods lists the invoices a template generated, newest period
// first, with their current number and state ("deleted" for a generated
// draft someone deleted: its period is not generated again).
func (s *Service) RecurringPeriods(ctx context.Context, companyID, id backoffice.ID) ([]RecurringGenerated, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT g.period_date, g.document_id, COALESCE(d.number, ''), COALESCE(d.state, 'deleted') FROM recurring_invoice_periods g
		LEFT JOIN invoice_documents d ON d.id = g.document_id WHERE g.company_id = ? AND g.recurring_id = ? ORDER BY g.period_date DESC LIMIT 500`,
		int64(companyID), int64(id))
	if err != nil {
		return nil, fmt.Errorf("list recurring invoice periods: %w", err)
	}
	defer rows.Close()
	out := []RecurringGenerated{}
	for rows.Next() {
		g := RecurringGenerated{RecurringID: id}
		var state string
		if err := rows.Scan(&g.Period, &g.DocumentID, &g.Number, &state); err != nil {
			return nil, fmt.Errorf("list recurring invoice periods: %w", err)
		}
		g.State = State(state)
		out = append(out, g)
	}
	return out, rows.Err()
}
