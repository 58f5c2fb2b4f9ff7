package events

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

const webhookColumns = `id, company_id, url, description, event_types, active, start_seq, version, created_at, updated_at`

func insertWebhook(ctx context.Context, tx *sqldb.Tx, w Webhook, secret string, startSeq int64) (backoffice.ID, error) {
	events, err := json.Marshal(w.Events)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO webhooks
		(company_id, url, description, event_types, secret, active, start_seq, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(w.CompanyID), w.URL, w.Description, string(events), secret, w.Active, startSeq, w.Version,
		w.CreatedAt, w.UpdatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("events: insert webhook: %w", err)
	}
	return backoffice.ID(id), nil
}

// updateWebhook writes w's fields if the stored row is still at oldVersion.
func updateWebhook(ctx context.Context, tx *sqldb.Tx, w Webhook, oldVersion int64) error {
	events, err := json.Marshal(w.Events)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE webhooks SET url = ?, description = ?, event_types = ?, active = ?,
		version = ?, updated_at = ? WHERE id = ? AND version = ?`,
		w.URL, w.Description, string(events), w.Active, w.Version, w.UpdatedAt, int64(w.ID), oldVersion)
	return oneRow(res, err, w.ID)
}

// oneRow turns the result of a conditional write into EPrecondition when it
// changed nothing: the row moved on between read and write.
func oneRow(res sql.Result, err error, id backoffice.ID) error {
	if err != nil {
		return fmt.Errorf("events: write webhook %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != 1 {
		return backoffice.Errorf(backoffice.EPrecondition, "webhook %s was changed by someone else meanwhile: reload it and try again", id)
	}
	return nil
}

func getWebhook(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Webhook, error) {
	ws, err := listWebhooks(ctx, q, `company_id = ? AND id = ?`, int64(companyID), int64(id))
	if err != nil {
		return Webhook{}, err
	}
	if len(ws) == 0 {
		return Webhook{}, backoffice.Errorf(backoffice.ENotFound, "webhook %s not found", id)
	}
	return ws[0], nil
}

func listWebhooks(ctx context.Context, q sqldb.Querier, where string, args ...any) ([]Webhook, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("events: list webhooks: %w", err)
	}
	defer rows.Close()
	out := []Webhook{}
	for rows.Next() {
		var w Webhook
		var companyID, id int64
		var events string
		if err := rows.Scan(&id, &companyID, &w.URL, &w.Description, &events, &w.Active, &w.startSeq, &w.Version, &w.CreatedAt, &w.UpdatedAt); err != nil {
			return nil, fmt.Errorf("events: scan webhook: %w", err)
		}
		if err := json.Unmarshal([]byte(events), &w.Events); err != nil {
			return nil, fmt.Errorf("events: webhook %d event types: %w", id, err)
		}
		w.ID, w.CompanyID = backoffice.ID(id), backoffice.ID(companyID)
		w.CreatedAt, w.UpdatedAt = w.CreatedAt.UTC(), w.UpdatedAt.UTC()
		out = append(out, w)
	}
	return out, rows.Err()
}

const deliveryColumns = `id, webhook_id, company_id, seq, event_type, payload, state, attempts, next_attempt_at,
	first_attempt_at, last_status_code, last_error, last_response, last_duration_ms, replay_of, created_at, updated_at`

type scanner interface{ Scan(...any) error }

func scanDelivery(s scanner) (Delivery, error) {
	var d Delivery
	var id, webhookID, companyID int64
	var payload string
	var next, first sql.NullTime
	var status, duration, replayOf sql.NullInt64
	if err := s.Scan(&id, &webhookID, &companyID, &d.Seq, &d.EventType, &payload, &d.State, &d.Attempts, &next,
		&first, &status, &d.LastError, &d.LastResponse, &duration, &replayOf, &d.CreatedAt, &d.UpdatedAt); err != nil {
		return Delivery{}, err
	}
	d.ID, d.WebhookID, d.CompanyID = backoffice.ID(id), backoffice.ID(webhookID), backoffice.ID(companyID)
	d.Payload = json.RawMessage(payload)
	d.NextAttemptAt, d.FirstAttemptAt = timePtr(next), timePtr(first)
	d.LastStatusCode, d.LastDurationMS = int(status.Int64), duration.Int64
	d.ReplayOf = backoffice.ID(replayOf.Int64)
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func getDelivery(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Delivery, error) {
	d, err := scanDelivery(q.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE company_id = ? AND id = ?`,
		int64(companyID), int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, backoffice.Errorf(backoffice.ENotFound, "webhook delivery %s not found", id)
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("events: read delivery %s: %w", id, err)
	}
	return d, nil
}

// insertDelivery stores a new pending delivery, due at once.
func insertDelivery(ctx context.Context, tx *sqldb.Tx, d Delivery) (backoffice.ID, error) {
	var replayOf any
	if d.ReplayOf != 0 {
		replayOf = int64(d.ReplayOf)
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO webhook_deliveries
		(webhook_id, company_id, seq, event_type, payload, state, attempts, next_attempt_at, replay_of, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id`,
		int64(d.WebhookID), int64(d.CompanyID), d.Seq, d.EventType, string(d.Payload), StatePending,
		d.CreatedAt, replayOf, d.CreatedAt, d.CreatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("events: insert delivery: %w", err)
	}
	return backoffice.ID(id), nil
}
