package events

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Publisher sends every change of the change log to NATS JetStream, on
// subject "<prefix>.<company code or global>.<entity>.<action>", with the
// change's sequence number as Nats-Msg-Id so JetStream drops a message that a
// crash or a second node publishes twice (within the stream's duplicate
// window, two minutes by default). Messages are published one at a time, in
// log order, and the "nats" cursor moves only past acknowledged messages.
//
// The exported fields may be changed after NewPublisher, before the first
// Publish. A Publisher is not for concurrent use: run one Run loop per node.
type Publisher struct {
	Stream        string        // JetStream stream, created or extended if missing; "BACKOFFICE"
	SubjectPrefix string        // first subject token; "backoffice"
	BatchSize     int           // changes per Publish; 500
	Interval      time.Duration // Run's pause when caught up; 1 s

	db          *sqldb.DB
	nc          *nats.Conn
	js          jetstream.JetStream
	logger      *slog.Logger
	streamReady bool
}

// NewPublisher connects to the NATS server at url ("nats://127.0.0.1:4222").
// logger may be nil.
func NewPublisher(db *sqldb.DB, url string, logger *slog.Logger) (*Publisher, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	nc, err := nats.Connect(url, nats.Name("backoffice"), nats.Timeout(5*time.Second), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("events: connect to NATS at %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("events: JetStream on %s: %w", url, err)
	}
	return &Publisher{Stream: "BACKOFFICE", SubjectPrefix: "backoffice", BatchSize: 500, Interval: time.Second,
		db: db, nc: nc, js: js, logger: logger}, nil
}

// Close drains and closes the NATS connection.
func (p *Publisher) Close() { _ = p.nc.Drain() }

// ensureStream creates the stream, or adds the prefix's subjects to an
// existing stream of that name, leaving its other settings alone.
func (p *Publisher) ensureStream(ctx context.Context) error {
	if p.streamReady {
		return nil
	}
	subjects := p.SubjectPrefix + ".>"
	s, err := p.js.Stream(ctx, p.Stream)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		_, err = p.js.CreateStream(ctx, jetstream.StreamConfig{Name: p.Stream, Subjects: []string{subjects},
			Description: "Backoffice change log"})
	case err == nil && !slices.Contains(s.CachedInfo().Config.Subjects, subjects):
		cfg := s.CachedInfo().Config
		cfg.Subjects = append(cfg.Subjects, subjects)
		_, err = p.js.UpdateStream(ctx, cfg)
	}
	if err != nil {
		return fmt.Errorf("events: JetStream stream %s: %w", p.Stream, err)
	}
	p.streamReady = true
	return nil
}

// Publish sends the next batch of changes after the "nats" cursor and moves
// the cursor past those JetStream acknowledged. It returns how many changes
// it published; 0 when caught up.
func (p *Publisher) Publish(ctx context.Context) (int, error) {
	if err := p.ensureStream(ctx); err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	from, err := readCursor(ctx, p.db, CursorNATS, now)
	if err != nil {
		return 0, err
	}
	recs, err := audit.List(ctx, p.db, audit.Filter{AllCompanies: true, AfterSeq: from, Limit: p.BatchSize})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	codes, err := companyCodes(ctx, p.db, recs)
	if err != nil {
		return 0, err
	}
	acked := from
	var pubErr error
	for _, r := range recs {
		if pubErr = p.publishOne(ctx, r, codes[r.CompanyID]); pubErr != nil {
			break
		}
		acked = r.Seq
	}
	n := 0
	if acked > from {
		n = int(acked - from)
		if err := moveCursor(ctx, p.db, CursorNATS, from, acked, now); errors.Is(err, errCursorMoved) {
			return 0, nil // another node published the same changes; JetStream kept one copy
		} else if err != nil {
			return 0, err
		}
	}
	return n, pubErr
}

func (p *Publisher) publishOne(ctx context.Context, r audit.Record, company string) error {
	body, err := json.Marshal(NewEvent(r))
	if err != nil {
		return fmt.Errorf("events: encode change %d: %w", r.Seq, err)
	}
	msg := nats.NewMsg(p.Subject(company, r.Entity, r.Action))
	msg.Data = body
	if _, err := p.js.PublishMsg(ctx, msg, jetstream.WithMsgID(strconv.FormatInt(r.Seq, 10))); err != nil {
		return fmt.Errorf("events: publish change %d to NATS: %w", r.Seq, err)
	}
	return nil
}

// Subject is the NATS subject of a change of the company with the given code
// ("" for installation-wide changes, published under "global").
func (p *Publisher) Subject(companyCode, entity, action string) string {
	if companyCode == "" {
		companyCode = "global"
	}
	return p.SubjectPrefix + "." + subjectToken(companyCode) + "." + subjectToken(entity) + "." + subjectToken(action)
}

// subjectToken replaces what NATS does not allow inside one subject token.
func subjectToken(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '*', '>', ' ', '\t', '\r', '\n':
			return '_'
		}
		return r
	}, s)
}

// companyCodes returns the codes of the batch's companies.
func companyCodes(ctx context.Context, q sqldb.Querier, recs []audit.Record) (map[backoffice.ID]string, error) {
	codes := map[backoffice.ID]string{}
	for _, r := range recs {
		if _, ok := codes[r.CompanyID]; ok || r.CompanyID == 0 {
			continue
		}
		var code string
		err := q.QueryRowContext(ctx, `SELECT code FROM companies WHERE id = ?`, int64(r.CompanyID)).Scan(&code)
		if errors.Is(err, sql.ErrNoRows) {
			code, err = "company_"+r.CompanyID.String(), nil // the log outlives a removed company
		}
		if err != nil {
			return nil, fmt.Errorf("events: code of company %s: %w", r.CompanyID, err)
		}
		codes[r.CompanyID] = code
	}
	return codes, nil
}

// Run publishes until ctx ends: batch after batch while there is a backlog,
// then once per Interval. Failures are logged and retried after an Interval.
func (p *Publisher) Run(ctx context.Context) {
	for {
		n, err := p.Publish(ctx)
		if err != nil && ctx.Err() == nil {
			p.logger.Error("publishing changes to NATS failed; retrying", "err", err)
		}
		if err == nil && n >= p.BatchSize {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(p.Interval):
		}
	}
}
