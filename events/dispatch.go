package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Consumer names of the change log cursors.
const (
	CursorWebhooks = "webhooks"
	CursorNATS     = "nats"
)

// dispatchBatch is how many change log records one fan-out transaction reads;
// maxDispatchBatches bounds one Dispatch call so a job stays short after a
// long outage (the next run carries on).
const (
	dispatchBatch      = 500
	maxDispatchBatches = 20
)

// errCursorMoved means another node advanced a cursor first.
var errCursorMoved = errors.New("events: cursor advanced by another node")

// readCursor returns the consumer's position in the change log, creating the
// cursor at 0 on first use.
func readCursor(ctx context.Context, q sqldb.Querier, consumer string, now time.Time) (int64, error) {
	if _, err := q.ExecContext(ctx, `INSERT INTO event_cursors (consumer, seq, updated_at) VALUES (?, 0, ?)
		ON CONFLICT (consumer) DO NOTHING`, consumer, now); err != nil {
		return 0, fmt.Errorf("events: create %s cursor: %w", consumer, err)
	}
	var seq int64
	if err := q.QueryRowContext(ctx, `SELECT seq FROM event_cursors WHERE consumer = ?`, consumer).Scan(&seq); err != nil {
		return 0, fmt.Errorf("events: read %s cursor: %w", consumer, err)
	}
	return seq, nil
}

// moveCursor advances the consumer's cursor from old to seq, or fails with
// errCursorMoved when it no longer stands at old. On PostgreSQL the UPDATE
// waits for a concurrent mover's commit and then re-checks the condition, so
// exactly one of two racing nodes wins.
func moveCursor(ctx context.Context, q sqldb.Querier, consumer string, old, seq int64, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE event_cursors SET seq = ?, updated_at = ? WHERE consumer = ? AND seq = ?`,
		seq, now, consumer, old)
	if err != nil {
		return fmt.Errorf("events: move %s cursor: %w", consumer, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return errCursorMoved
	}
	return nil
}

// Dispatch fans the change log out to webhooks: for each change after the
// "webhooks" cursor, one delivery per active webhook of the change's company
// whose patterns match (changes without a company go to no webhook). Each
// batch and its cursor move commit together; when another node moved the
// cursor first, Dispatch stops and leaves the rest to it. It returns the
// number of deliveries created.
func (s *Service) Dispatch(ctx context.Context) (int, error) {
	total := 0
	for range maxDispatchBatches {
		n, more, err := s.dispatchBatch(ctx)
		total += n
		if errors.Is(err, errCursorMoved) {
			return total, nil
		}
		if err != nil || !more {
			return total, err
		}
	}
	return total, nil
}

func (s *Service) dispatchBatch(ctx context.Context) (created int, more bool, err error) {
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		now := s.now()
		from, err := readCursor(ctx, tx, CursorWebhooks, now)
		if err != nil {
			return err
		}
		recs, err := audit.List(ctx, tx, audit.Filter{AllCompanies: true, AfterSeq: from, Limit: dispatchBatch})
		if err != nil || len(recs) == 0 {
			return err
		}
		// Claim the batch before writing anything, so a losing node waits
		// here and gives up without having done the work twice.
		if err := moveCursor(ctx, tx, CursorWebhooks, from, recs[len(recs)-1].Seq, now); err != nil {
			return err
		}
		more = len(recs) == dispatchBatch
		hooks, err := s.activeHooks(ctx, tx, recs)
		if err != nil {
			return err
		}
		created, err = fanOut(ctx, tx, recs, hooks, now)
		return err
	})
	if err != nil {
		return 0, false, err
	}
	return created, more, nil
}

// activeHooks returns the active webhooks of the batch's companies.
func (s *Service) activeHooks(ctx context.Context, tx *sqldb.Tx, recs []audit.Record) (map[backoffice.ID][]Webhook, error) {
	out := map[backoffice.ID][]Webhook{}
	for _, r := range recs {
		if _, done := out[r.CompanyID]; done || r.CompanyID == 0 {
			continue
		}
		ws, err := listWebhooks(ctx, tx, `company_id = ? AND active = ? ORDER BY id`, int64(r.CompanyID), true)
		if err != nil {
			return nil, err
		}
		out[r.CompanyID] = ws
	}
	return out, nil
}

// fanOut inserts one delivery per record and matching webhook.
func fanOut(ctx context.Context, tx *sqldb.Tx, recs []audit.Record, hooks map[backoffice.ID][]Webhook, now time.Time) (int, error) {
	n := 0
	for _, r := range recs {
		typ := EventType(r)
		var payload []byte
		for _, h := range hooks[r.CompanyID] {
			if r.Seq <= h.startSeq || !h.Matches(typ) {
				continue
			}
			if payload == nil {
				var err error
				if payload, err = json.Marshal(NewEvent(r)); err != nil {
					return n, fmt.Errorf("events: encode change %d: %w", r.Seq, err)
				}
			}
			if _, err := insertDelivery(ctx, tx, Delivery{WebhookID: h.ID, CompanyID: r.CompanyID, Seq: r.Seq,
				EventType: typ, Payload: payload, CreatedAt: now}); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// ClaimDue hands out deliveries whose next attempt is due, for active
// webhooks, at most limit of them, oldest due first. For each it pushes the
// next attempt a lease ahead (so no other node claims it meanwhile, and a
// crashed worker's delivery comes due again) and calls enqueue in the same
// transaction, so a claim exists if and only if its job does. It returns how
// many it claimed.
func (s *Service) ClaimDue(ctx context.Context, limit int, lease time.Duration, enqueue func(tx *sqldb.Tx, deliveryID backoffice.ID) error) (int, error) {
	n := 0
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		now := s.now()
		ids, err := dueDeliveries(ctx, tx, now, limit)
		if err != nil {
			return err
		}
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET next_attempt_at = ?
				WHERE id = ? AND state IN (?, ?) AND next_attempt_at <= ?`, now.Add(lease), int64(id), StatePending, StateFailed, now)
			if err != nil {
				return fmt.Errorf("events: claim delivery %s: %w", id, err)
			}
			if k, err := res.RowsAffected(); err != nil || k != 1 {
				continue // claimed by another node since the SELECT
			}
			if err := enqueue(tx, id); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

func dueDeliveries(ctx context.Context, tx *sqldb.Tx, now time.Time, limit int) ([]backoffice.ID, error) {
	rows, err := tx.QueryContext(ctx, `SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.state IN (?, ?) AND d.next_attempt_at <= ? AND w.active = ?
		ORDER BY d.next_attempt_at, d.id LIMIT ?`, StatePending, StateFailed, now, true, limit)
	if err != nil {
		return nil, fmt.Errorf("events: find due deliveries: %w", err)
	}
	defer rows.Close()
	var ids []backoffice.ID
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, backoffice.ID(id))
	}
	return ids, rows.Err()
}
