package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// GetDunningRun returns a posted run with its invoices and letters.
func (s *Service) GetDunningRun(ctx context.Context, companyID, id backoffice.ID) (DunningRun, error) {
	run, err := scanDunningRun(s.DB.QueryRowContext(ctx, `SELECT `+dunningRunColumns+` FROM dunning_runs WHERE company_id = ? AND id = ?`, int64(companyID), int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return DunningRun{}, notFound("dunning run", id)
	}
	if err != nil {
		return DunningRun{}, fmt.Errorf("read dunning run: %w", err)
	}
	if run.Items, err = runItems(ctx, s.DB, companyID, id); err != nil {
		return DunningRun{}, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT l.party_id, p.legal_name, p.trade_name, l.language FROM dunning_letters l JOIN parties p ON p.id = l.party_id
		WHERE l.company_id = ? AND l.run_id = ? ORDER BY p.legal_name, l.party_id`, int64(companyID), int64(id))
	if err != nil {
		return DunningRun{}, fmt.Errorf("read dunning letters: %w", err)
	}
	defer rows.Close()
	run.Letters = []DunningLetter{}
	for rows.Next() {
		var l DunningLetter
		var legal, trade string
		if err := rows.Scan(&l.PartyID, &legal, &trade, &l.Language); err != nil {
			return DunningRun{}, fmt.Errorf("read dunning letters: %w", err)
		}
		l.PartyName = partyName(legal, trade)
		run.Letters = append(run.Letters, l)
	}
	return run, rows.Err()
}

// ListDunningRuns returns the company's latest runs, newest first, without
// their invoices.
func (s *Service) ListDunningRuns(ctx context.Context, companyID backoffice.ID, limit int) ([]DunningRun, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+dunningRunColumns+` FROM dunning_runs WHERE company_id = ? ORDER BY id DESC LIMIT ?`, int64(companyID), limit)
	if err != nil {
		return nil, fmt.Errorf("list dunning runs: %w", err)
	}
	defer rows.Close()
	out := []DunningRun{}
	for rows.Next() {
		r, err := scanDunningRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list dunning runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DunningLevelOf returns the highest level an invoice reached and the date
// of that run (0 and a zero date when it was never dunned).
func (s *Service) DunningLevelOf(ctx context.Context, companyID, documentID backoffice.ID) (int, backoffice.Date, error) {
	var level int
	var date backoffice.Date
	err := s.DB.QueryRowContext(ctx, `SELECT level, run_date FROM dunning_run_items WHERE company_id = ? AND document_id = ? ORDER BY level DESC LIMIT 1`,
		int64(companyID), int64(documentID)).Scan(&level, &date)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, backoffice.Date{}, nil
	}
	if err != nil {
		return 0, backoffice.Date{}, fmt.Errorf("read dunning level: %w", err)
	}
	return level, date, nil
}

const dunningRunColumns = `id, company_id, run_date, invoice_count, letter_count, created_by, created_at`

func scanDunningRun(sc scanner) (DunningRun, error) {
	var r DunningRun
	err := sc.Scan(&r.ID, &r.CompanyID, &r.Date, &r.InvoiceCount, &r.LetterCount, &r.CreatedBy, &r.CreatedAt)
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

func runItems(ctx context.Context, q sqldb.Querier, companyID, runID backoffice.ID) ([]DunningItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.document_id, COALESCE(d.number, ''), i.party_id, p.legal_name, p.trade_name, d.due_date, i.days_overdue,
		i.currency, i.open_amount, i.level, i.fee, i.interest, i.fee_document_id
		FROM dunning_run_items i JOIN invoice_documents d ON d.id = i.document_id JOIN parties p ON p.id = i.party_id
		WHERE i.company_id = ? AND i.run_id = ? ORDER BY d.due_date, i.document_id`, int64(companyID), int64(runID))
	if err != nil {
		return nil, fmt.Errorf("read dunning run items: %w", err)
	}
	defer rows.Close()
	out := []DunningItem{}
	for rows.Next() {
		var it DunningItem
		var legal, trade, cur string
		var fee sql.NullInt64
		if err := rows.Scan(&it.DocumentID, &it.Number, &it.PartyID, &legal, &trade, &it.DueDate, &it.DaysOverdue, &cur, &it.OpenAmount,
			&it.Level, &it.Fee, &it.Interest, &fee); err != nil {
			return nil, fmt.Errorf("read dunning run items: %w", err)
		}
		it.PartyName, it.Currency, it.FeeDocument, it.CurrentLevel = partyName(legal, trade), backoffice.Currency(cur), backoffice.ID(fee.Int64), it.Level-1
		out = append(out, it)
	}
	return out, rows.Err()
}

// partyName is the trade name when there is one, else the legal name.
func partyName(legal, trade string) string {
	if trade != "" {
		return trade
	}
	return legal
}

// DunningHoldRow is a hold flag with the name of what it holds, for lists.
type DunningHoldRow struct {
	DunningHold
	Name      string    `json:"name"` // the party's name, or the invoice's number and party
	CreatedAt time.Time `json:"created_at"`
}

// ListDunningHolds returns the company's hold flags, parties first.
func (s *Service) ListDunningHolds(ctx context.Context, companyID backoffice.ID) ([]DunningHoldRow, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT h.target, h.target_id, h.reason, h.created_at,
		COALESCE(p.trade_name, ''), COALESCE(p.legal_name, ''), COALESCE(d.number, ''), COALESCE(dp.legal_name, '')
		FROM dunning_holds h
		LEFT JOIN parties p ON h.target = 'party' AND p.id = h.target_id
		LEFT JOIN invoice_documents d ON h.target = 'invoice' AND d.id = h.target_id
		LEFT JOIN parties dp ON dp.id = d.party_id
		WHERE h.company_id = ? ORDER BY h.target DESC, h.created_at, h.target_id LIMIT 1000`, int64(companyID))
	if err != nil {
		return nil, fmt.Errorf("list dunning holds: %w", err)
	}
	defer rows.Close()
	out := []DunningHoldRow{}
	for rows.Next() {
		var h DunningHoldRow
		var target, trade, legal, number, docParty string
		if err := rows.Scan(&target, &h.TargetID, &h.Reason, &h.CreatedAt, &trade, &legal, &number, &docParty); err != nil {
			return nil, fmt.Errorf("list dunning holds: %w", err)
		}
		h.Target, h.Held, h.CreatedAt = DunningHoldTarget(target), true, h.CreatedAt.UTC()
		h.Name = partyName(legal, trade)
		if h.Target == HoldInvoice {
			h.Name = number + " · " + docParty
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
