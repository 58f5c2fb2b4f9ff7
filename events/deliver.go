package events

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"backoffice"
	"backoffice/sqldb"
)

// Delivery states.
const (
	StatePending   = "pending"   // not tried yet
	StateFailed    = "failed"    // the last attempt failed; another is scheduled
	StateSucceeded = "succeeded" // a receiver answered 2xx
	StateDead      = "dead"      // failed for RetryWindow after the first attempt; no more tries
)

// Retry schedule: the first retry comes FirstRetryDelay after a failure, each
// later one twice as late (less up to 10 % jitter, so receivers coming back
// from an outage are not hit by every delivery at once), at most
// MaxRetryDelay apart, until RetryWindow after the first attempt.
const (
	FirstRetryDelay = 30 * time.Second
	MaxRetryDelay   = time.Hour
	RetryWindow     = 24 * time.Hour
)

// maxResponseExcerpt bounds the part of a receiver's answer kept for the log.
const maxResponseExcerpt = 1024

// Delivery is one change on its way to one webhook.
type Delivery struct {
	ID             backoffice.ID   `json:"id"`
	WebhookID      backoffice.ID   `json:"webhook_id"`
	CompanyID      backoffice.ID   `json:"company_id"`
	Seq            int64           `json:"seq"`
	EventType      string          `json:"event_type"`
	Payload        json.RawMessage `json:"payload"`
	State          string          `json:"state"`
	Attempts       int             `json:"attempts"`
	NextAttemptAt  *time.Time      `json:"next_attempt_at,omitempty"` // nil once succeeded or dead
	FirstAttemptAt *time.Time      `json:"first_attempt_at,omitempty"`
	LastStatusCode int             `json:"last_status_code,omitempty"` // 0: no HTTP answer
	LastError      string          `json:"last_error,omitempty"`
	LastResponse   string          `json:"last_response,omitempty"` // first KiB of the answer
	LastDurationMS int64           `json:"last_duration_ms"`
	ReplayOf       backoffice.ID   `json:"replay_of,omitempty"` // the delivery this one replays
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
}

// Attempt is one HTTP request of a delivery.
type Attempt struct {
	DeliveryID backoffice.ID `json:"delivery_id"`
	Number     int           `json:"number"`
	At         time.Time     `json:"at"`
	StatusCode int           `json:"status_code,omitempty"` // 0: no HTTP answer
	Error      string        `json:"error,omitempty"`
	DurationMS int64         `json:"duration_ms"`
}

// DeliveryFilter selects deliveries of a company, newest first.
type DeliveryFilter struct {
	CompanyID backoffice.ID
	WebhookID backoffice.ID // 0: all webhooks
	State     string        // "": all states
	Page      backoffice.Page
}

// Deliver makes one attempt at a delivery that has not succeeded or died:
// it POSTs the event, signed, to the webhook's URL, logs the attempt, and
// marks the delivery succeeded on a 2xx answer or schedules the next attempt.
// A failed HTTP attempt is not an error; an error means the attempt could not
// be recorded.
func (s *Service) Deliver(ctx context.Context, deliveryID backoffice.ID) (Delivery, error) {
	var url, secret string
	row := s.DB.QueryRowContext(ctx, `SELECT `+prefixed("d.", deliveryColumns)+`, w.url, w.secret
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`, int64(deliveryID))
	d, err := scanDelivery(scanFunc(func(dest ...any) error { return row.Scan(append(dest, &url, &secret)...) }))
	if errors.Is(err, sql.ErrNoRows) {
		return Delivery{}, backoffice.Errorf(backoffice.ENotFound, "webhook delivery %s not found", deliveryID)
	}
	if err != nil {
		return Delivery{}, fmt.Errorf("events: read delivery %s: %w", deliveryID, err)
	}
	if d.State == StateSucceeded || d.State == StateDead {
		return d, nil
	}
	a := s.post(ctx, d, url, secret)
	if err := s.record(ctx, &d, a); err != nil {
		return Delivery{}, err
	}
	return d, nil
}

// attemptResult is what one POST gave.
type attemptResult struct {
	Attempt
	ok       bool
	response string
}

func (s *Service) post(ctx context.Context, d Delivery, url, secret string) attemptResult {
	at := s.now()
	a := attemptResult{Attempt: Attempt{DeliveryID: d.ID, Number: d.Attempts + 1, At: at}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(d.Payload))
	if err != nil {
		a.Error = "cannot build request: " + err.Error()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Backoffice-Webhooks")
	req.Header.Set("Backoffice-Event", d.EventType)
	req.Header.Set("Backoffice-Delivery", d.ID.String())
	req.Header.Set("Backoffice-Signature", Sign(secret, at, d.Payload))
	start := time.Now()
	resp, err := s.client().Do(req)
	if err != nil {
		a.DurationMS = time.Since(start).Milliseconds()
		a.Error = err.Error()
		return a
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseExcerpt))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	resp.Body.Close()
	a.DurationMS = time.Since(start).Milliseconds()
	a.StatusCode = resp.StatusCode
	a.response = excerpt(body)
	a.ok = resp.StatusCode >= 200 && resp.StatusCode < 300
	if !a.ok {
		a.Error = "receiver answered " + resp.Status
	}
	return a
}

// excerpt makes a response prefix storable as text: cut at 1 KiB, without a
// broken last character or invalid UTF-8 (PostgreSQL refuses it in TEXT).
func excerpt(b []byte) string {
	s := strings.ToValidUTF8(strings.ReplaceAll(string(b), "\x00", ""), "\uFFFD")
	for len(s) > maxResponseExcerpt {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// record stores the attempt and the delivery's new state in one transaction.
// The update is conditional on the attempt count, so two workers racing on
// one delivery cannot both record attempt n.
func (s *Service) record(ctx context.Context, d *Delivery, a attemptResult) error {
	first := a.At
	if d.FirstAttemptAt != nil {
		first = *d.FirstAttemptAt
	}
	state, next := nextState(a, first)
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_attempt_at = ?,
			first_attempt_at = ?, last_status_code = ?, last_error = ?, last_response = ?, last_duration_ms = ?, updated_at = ?
			WHERE id = ? AND attempts = ?`,
			state, a.Number, next, first, nullInt(a.StatusCode), a.Error, a.response, a.DurationMS, a.At,
			int64(d.ID), d.Attempts)
		if err != nil {
			return fmt.Errorf("events: record delivery %s: %w", d.ID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return backoffice.Errorf(backoffice.EConflict, "webhook delivery %s was attempted by another worker at the same time", d.ID)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (delivery_id, number, at, status_code, error, duration_ms)
			VALUES (?, ?, ?, ?, ?, ?)`, int64(d.ID), a.Number, a.At, nullInt(a.StatusCode), a.Error, a.DurationMS); err != nil {
			return fmt.Errorf("events: log attempt of delivery %s: %w", d.ID, err)
		}
		d.State, d.Attempts, d.FirstAttemptAt, d.UpdatedAt = state, a.Number, &first, a.At
		d.NextAttemptAt, _ = next.(*time.Time)
		d.LastStatusCode, d.LastError, d.LastResponse, d.LastDurationMS = a.StatusCode, a.Error, a.response, a.DurationMS
		return nil
	})
}

// nextState decides what follows an attempt: success, another try after the
// backoff delay, or death once RetryWindow has passed since the first attempt.
// The returned time is a *time.Time or an untyped nil, ready for SQL.
func nextState(a attemptResult, first time.Time) (string, any) {
	if a.ok {
		return StateSucceeded, nil
	}
	deadline := first.Add(RetryWindow)
	if !a.At.Before(deadline) {
		return StateDead, nil
	}
	next := a.At.Add(RetryDelay(a.Number))
	if next.After(deadline) {
		next = deadline // one last try at the end of the window
	}
	return StateFailed, &next
}

// RetryDelay is the wait after failed attempt n (1 for the first):
// FirstRetryDelay doubled n-1 times, capped at MaxRetryDelay, less up to 10 %
// jitter.
func RetryDelay(n int) time.Duration {
	d := MaxRetryDelay
	if n < 20 { // 30 s << 7 already passes the cap
		d = min(FirstRetryDelay<<(n-1), MaxRetryDelay)
	}
	return d - rand.N(d/10+1)
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// prefixed qualifies each column of a comma-separated list with p.
func prefixed(p, columns string) string {
	parts := strings.Split(columns, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// ListDeliveries returns a page of the company's deliveries, newest first.
func (s *Service) ListDeliveries(ctx context.Context, f DeliveryFilter) (backoffice.List[Delivery], error) {
	where, args := "company_id = ?", []any{int64(f.CompanyID)}
	if f.WebhookID != 0 {
		where, args = where+" AND webhook_id = ?", append(args, int64(f.WebhookID))
	}
	switch f.State {
	case "":
	case StatePending, StateFailed, StateSucceeded, StateDead:
		where, args = where+" AND state = ?", append(args, f.State)
	default:
		return backoffice.List[Delivery]{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "unknown delivery state",
			Fields: map[string]string{"state": "must be pending, failed, succeeded or dead"}}
	}
	if f.Page.After != "" {
		after, err := backoffice.ParseID(f.Page.After)
		if err != nil {
			return backoffice.List[Delivery]{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "bad page cursor",
				Fields: map[string]string{"after": "must be the next cursor of a previous page"}}
		}
		where, args = where+" AND id < ?", append(args, int64(after))
	}
	limit := f.Page.Limit
	if limit <= 0 || limit > backoffice.MaxPageLimit {
		limit = backoffice.DefaultPageLimit
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE `+where+
		` ORDER BY id DESC LIMIT `+strconv.Itoa(limit+1), args...)
	if err != nil {
		return backoffice.List[Delivery]{}, fmt.Errorf("events: list deliveries: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[Delivery]{Items: []Delivery{}}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return backoffice.List[Delivery]{}, fmt.Errorf("events: scan delivery: %w", err)
		}
		out.Items = append(out.Items, d)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = out.Items[limit-1].ID.String()
	}
	return out, rows.Err()
}

// ListAttempts returns the attempts of one of the company's deliveries, in order.
func (s *Service) ListAttempts(ctx context.Context, companyID, deliveryID backoffice.ID) ([]Attempt, error) {
	if _, err := getDelivery(ctx, s.DB, companyID, deliveryID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT number, at, status_code, error, duration_ms FROM webhook_attempts
		WHERE delivery_id = ? ORDER BY number`, int64(deliveryID))
	if err != nil {
		return nil, fmt.Errorf("events: list attempts: %w", err)
	}
	defer rows.Close()
	out := []Attempt{}
	for rows.Next() {
		a := Attempt{DeliveryID: deliveryID}
		var status sql.NullInt64
		if err := rows.Scan(&a.Number, &a.At, &status, &a.Error, &a.DurationMS); err != nil {
			return nil, fmt.Errorf("events: scan attempt: %w", err)
		}
		a.At, a.StatusCode = a.At.UTC(), int(status.Int64)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Replay creates a new delivery of the same event to the same webhook, due at
// once, whatever became of the original.
func (s *Service) Replay(ctx context.Context, companyID, deliveryID backoffice.ID) (Delivery, error) {
	var d Delivery
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		orig, err := getDelivery(ctx, tx, companyID, deliveryID)
		if err != nil {
			return err
		}
		now := s.now()
		d = Delivery{WebhookID: orig.WebhookID, CompanyID: orig.CompanyID, Seq: orig.Seq, EventType: orig.EventType,
			Payload: orig.Payload, State: StatePending, NextAttemptAt: &now, ReplayOf: orig.ID, CreatedAt: now, UpdatedAt: now}
		d.ID, err = insertDelivery(ctx, tx, d)
		return err
	})
	if err != nil {
		return Delivery{}, err
	}
	return d, nil
}

// GetDelivery returns one of a company's deliveries.
func (s *Service) GetDelivery(ctx context.Context, companyID, id backoffice.ID) (Delivery, error) {
	return getDelivery(ctx, s.DB, companyID, id)
}

// FailingByWebhook counts each webhook's failing or dead deliveries, for
// lists and dashboards; webhooks without any are absent from the map.
func (s *Service) FailingByWebhook(ctx context.Context, companyID backoffice.ID) (map[backoffice.ID]int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT webhook_id, COUNT(*) FROM webhook_deliveries
		WHERE company_id = ? AND state IN (?, ?) GROUP BY webhook_id`, int64(companyID), StateFailed, StateDead)
	if err != nil {
		return nil, fmt.Errorf("count failing deliveries: %w", err)
	}
	defer rows.Close()
	out := map[backoffice.ID]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count failing deliveries: %w", err)
		}
		out[backoffice.ID(id)] = n
	}
	return out, rows.Err()
}

// CountFailing counts a company's deliveries that are failing or dead.
func (s *Service) CountFailing(ctx context.Context, companyID backoffice.ID) (int, error) {
	byHook, err := s.FailingByWebhook(ctx, companyID)
	n := 0
	for _, c := range byHook {
		n += c
	}
	return n, err
}
