// Package events delivers the change log to the outside world after commit:
// signed webhooks with retries, a delivery log and replay, and a NATS
// JetStream publisher.
//
// Both consumers read audit_log from their own cursor (table event_cursors),
// so a change reaches them if and only if its transaction committed, and a
// crash or a second node loses or doubles nothing: Dispatch claims its cursor
// with a conditional update, and JetStream drops re-published messages by
// their Nats-Msg-Id.
//
// Every change is one event, of type "<entity>.<action>" ("user.create"), whose
// JSON body is an Event. Webhook receivers check the Backoffice-Signature
// header with VerifySignature.
package events

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Service manages a company's webhooks and delivers changes to them.
type Service struct {
	DB    *sqldb.DB
	Audit *audit.Log
	// Client sends the webhook requests. When nil, a client with a 10 s
	// timeout that follows no redirects is used, and, unless AllowPrivateURLs
	// is set, it refuses to connect to loopback, private and link-local
	// addresses whatever a host name resolves to.
	Client *http.Client
	Now    func() time.Time // clock; time.Now when nil
	Logger *slog.Logger     // nil discards
	// AllowPrivateURLs lets webhooks target loopback and private networks
	// (development, tests, an intranet receiver). Off, such URLs are refused.
	AllowPrivateURLs bool

	clientOnce    sync.Once
	defaultClient *http.Client
}

// Event is the body of every webhook request and NATS message: one change
// from the change log.
type Event struct {
	Type      string          `json:"type"` // "<entity>.<action>"
	Seq       int64           `json:"seq"`  // position in the change log, unique and increasing
	At        time.Time       `json:"at"`
	CompanyID backoffice.ID   `json:"company_id,omitempty"`
	Actor     string          `json:"actor"`
	Entity    string          `json:"entity"`
	EntityID  string          `json:"entity_id"`
	Action    string          `json:"action"`
	Old       json.RawMessage `json:"old"`
	New       json.RawMessage `json:"new"`
	Reason    string          `json:"reason,omitempty"`
	Hash      string          `json:"hash"` // the record's hash in the chain
}

// EventType is the event type of a change: "<entity>.<action>".
func EventType(r audit.Record) string { return r.Entity + "." + r.Action }

// NewEvent turns a change log record into the event sent out for it.
func NewEvent(r audit.Record) Event {
	return Event{
		Type: EventType(r), Seq: r.Seq, At: r.At.UTC(), CompanyID: r.CompanyID, Actor: r.ActorName,
		Entity: r.Entity, EntityID: r.EntityID, Action: r.Action, Old: r.Old, New: r.New,
		Reason: r.Reason, Hash: r.Hash,
	}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (s *Service) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	s.clientOnce.Do(func() { s.defaultClient = newClient(s.AllowPrivateURLs) })
	return s.defaultClient
}
