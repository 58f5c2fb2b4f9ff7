package events

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Webhook is an HTTP endpoint that receives a company's changes. Its secret
// is not part of it: the secret is shown once, when created or rotated.
type Webhook struct {
	ID          backoffice.ID `json:"id"`
	CompanyID   backoffice.ID `json:"company_id"`
	URL         string        `json:"url"`
	Description string        `json:"description"`
	Events      []string      `json:"events"` // patterns: "*", "user.*", "user.create"
	Active      bool          `json:"active"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`

	startSeq int64 // changes up to this change log position are not sent to it
}

// NewWebhook is what a user gives to create a webhook.
type NewWebhook struct {
	CompanyID   backoffice.ID
	URL         string
	Description string
	Events      []string
	Active      bool
}

// WebhookPatch changes the fields that are not nil.
type WebhookPatch struct {
	URL         *string
	Description *string
	Events      *[]string
	Active      *bool
}

// logged is what the change log records of a webhook: never the secret.
type logged struct {
	URL         string   `json:"url"`
	Description string   `json:"description"`
	Events      []string `json:"events"`
	Active      bool     `json:"active"`
}

func (w Webhook) logged() logged {
	return logged{URL: w.URL, Description: w.Description, Events: w.Events, Active: w.Active}
}

// eventPattern is "*", "<entity>.*" or "<entity>.<action>".
var eventPattern = regexp.MustCompile(`^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_]*))$`)

const maxDescription = 500

func (s *Service) validate(w Webhook) error {
	v := backoffice.Validation{}
	if msg := checkURL(w.URL, s.AllowPrivateURLs); msg != "" {
		v.Add("url", msg)
	}
	v.Check(len(w.Description) <= maxDescription, "description", fmt.Sprintf("must be at most %d characters", maxDescription))
	v.Check(len(w.Events) > 0, "events", `must name at least one event type or pattern, such as "*" or "invoice.*"`)
	seen := map[string]bool{}
	for i, p := range w.Events {
		field := "events[" + strconv.Itoa(i) + "]"
		v.Check(eventPattern.MatchString(p), field, `must be "*", "<entity>.*" or "<entity>.<action>" in lower case, such as "user.create"`)
		v.Check(!seen[p], field, "is listed twice")
		seen[p] = true
	}
	return v.Err("webhook")
}

// Matches reports whether the webhook's patterns select eventType.
func (w Webhook) Matches(eventType string) bool {
	for _, p := range w.Events {
		if matchPattern(p, eventType) {
			return true
		}
	}
	return false
}

func matchPattern(pattern, eventType string) bool {
	switch {
	case pattern == "*":
		return true
	case len(pattern) > 2 && pattern[len(pattern)-2:] == ".*":
		prefix := pattern[:len(pattern)-1] // "user."
		return len(eventType) > len(prefix) && eventType[:len(prefix)] == prefix
	}
	return pattern == eventType
}

// newSecret returns a fresh signing secret: "whsec_" and 32 random bytes in hex.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return "whsec_" + hex.EncodeToString(b)
}

// CreateWebhook stores a webhook and returns it with its signing secret, which
// is shown this once. The webhook receives the changes from its own creation on.
func (s *Service) CreateWebhook(ctx context.Context, nw NewWebhook) (Webhook, string, error) {
	now := s.now()
	w := Webhook{CompanyID: nw.CompanyID, URL: nw.URL, Description: nw.Description, Events: nw.Events,
		Active: nw.Active, Version: 1, CreatedAt: now, UpdatedAt: now}
	if w.Events == nil {
		w.Events = []string{}
	}
	if err := s.validate(w); err != nil {
		return Webhook{}, "", err
	}
	secret := newSecret()
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		// The webhook receives the changes after the current head of the log,
		// starting with its own creation, which doubles as a first test event.
		head, _, err := audit.Head(ctx, tx)
		if err != nil {
			return fmt.Errorf("events: read change log head: %w", err)
		}
		if w.ID, err = insertWebhook(ctx, tx, w, secret, head); err != nil {
			if sqldb.IsForeignKeyViolation(err) {
				return backoffice.Errorf(backoffice.ENotFound, "company %s not found", nw.CompanyID)
			}
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: w.CompanyID, Entity: "webhook",
			EntityID: w.ID.String(), Action: "create", New: w.logged()})
		return err
	})
	if err != nil {
		return Webhook{}, "", err
	}
	return w, secret, nil
}

// GetWebhook returns one of the company's webhooks.
func (s *Service) GetWebhook(ctx context.Context, companyID, id backoffice.ID) (Webhook, error) {
	return getWebhook(ctx, s.DB, companyID, id)
}

// ListWebhooks returns the company's webhooks, oldest first.
func (s *Service) ListWebhooks(ctx context.Context, companyID backoffice.ID) ([]Webhook, error) {
	return listWebhooks(ctx, s.DB, `company_id = ? ORDER BY id`, int64(companyID))
}

// UpdateWebhook applies patch to the webhook if it is still at version;
// otherwise it fails with EPrecondition, so a stale form never overwrites a
// newer change.
func (s *Service) UpdateWebhook(ctx context.Context, companyID, id backoffice.ID, version int64, patch WebhookPatch) (Webhook, error) {
	var after Webhook
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := lockVersion(ctx, tx, companyID, id, version)
		if err != nil {
			return err
		}
		after = before
		applyPatch(&after, patch)
		if err := s.validate(after); err != nil {
			return err
		}
		after.Version, after.UpdatedAt = before.Version+1, s.now()
		if err := updateWebhook(ctx, tx, after, before.Version); err != nil {
			return err
		}
		old, new, err := audit.Diff(before.logged(), after.logged())
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "webhook",
			EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return Webhook{}, err
	}
	return after, nil
}

func applyPatch(w *Webhook, p WebhookPatch) {
	if p.URL != nil {
		w.URL = *p.URL
	}
	if p.Description != nil {
		w.Description = *p.Description
	}
	if p.Events != nil {
		w.Events = *p.Events
		if w.Events == nil {
			w.Events = []string{}
		}
	}
	if p.Active != nil {
		w.Active = *p.Active
	}
}

// RotateSecret gives the webhook a new signing secret and returns it, shown
// this once. Requests signed from now on use the new secret.
func (s *Service) RotateSecret(ctx context.Context, companyID, id backoffice.ID) (string, error) {
	secret := newSecret()
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		w, err := getWebhook(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE webhooks SET secret = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			secret, s.now(), int64(id), w.Version)
		if err := oneRow(res, err, id); err != nil {
			return err
		}
		// The log says that the secret changed, never what it is.
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "webhook",
			EntityID: id.String(), Action: "rotate_secret"})
		return err
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// DeleteWebhook removes the webhook, if still at version, with its deliveries
// and their attempts; the change log keeps the record of it.
func (s *Service) DeleteWebhook(ctx context.Context, companyID, id backoffice.ID, version int64) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := lockVersion(ctx, tx, companyID, id, version)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM webhooks WHERE id = ? AND version = ?`, int64(id), version)
		if err := oneRow(res, err, id); err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "webhook",
			EntityID: id.String(), Action: "delete", Old: before.logged()})
		return err
	})
}

// lockVersion reads the webhook and checks the version the caller saw.
func lockVersion(ctx context.Context, tx *sqldb.Tx, companyID, id backoffice.ID, version int64) (Webhook, error) {
	w, err := getWebhook(ctx, tx, companyID, id)
	if err != nil {
		return Webhook{}, err
	}
	if w.Version != version {
		return Webhook{}, backoffice.Errorf(backoffice.EPrecondition,
			"webhook %s was changed by someone else (now version %d, you had %d): reload it and try again", id, w.Version, version)
	}
	return w, nil
}
