package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// Session states.
const (
	StateActive = "active" // signed in
	StateTOTP   = "totp"   // password accepted, waiting for a TOTP or recovery code
	StateEnrol  = "enrol"  // signed in, but must set up TOTP before anything else
)

// Session lifetimes: a session ends after SessionIdle without use or
// SessionMax after sign-in, whichever comes first; one waiting for a TOTP
// code ends after SessionTOTPWait. Last use is written at most once per
// SessionTouch, so reading a session rarely writes.
const (
	SessionIdle     = 12 * time.Hour
	SessionMax      = 7 * 24 * time.Hour
	SessionTOTPWait = 10 * time.Minute
	SessionTouch    = time.Minute
)

// Session is a signed-in browser. Its token is never stored or returned
// after Login: ID is a separate identifier for lists and logs.
type Session struct {
	ID        string        `json:"id"`
	UserID    backoffice.ID `json:"user_id"`
	CompanyID backoffice.ID `json:"company_id,omitempty"`
	State     string        `json:"state"`
	CreatedAt time.Time     `json:"created_at"`
	ExpiresAt time.Time     `json:"expires_at"`
	IP        string        `json:"ip"`
}

type sessionRow struct {
	Session
	LastSeen time.Time
	Disabled bool
}

func (r sessionRow) expiry() time.Time {
	if r.State == StateTOTP {
		return r.CreatedAt.Add(SessionTOTPWait)
	}
	idle, max := r.LastSeen.Add(SessionIdle), r.CreatedAt.Add(SessionMax)
	if idle.Before(max) {
		return idle
	}
	return max
}

func sessionEnded() error {
	return backoffice.Errorf(backoffice.EUnauthorized, "your session has ended; sign in again")
}

func getSession(ctx context.Context, q sqldb.Querier, token string) (sessionRow, error) {
	var r sessionRow
	var company sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT s.id, s.user_id, s.company_id, s.state, s.ip, s.created_at, s.last_seen_at, u.disabled
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, sha256Hex(token)).
		Scan(&r.ID, &r.UserID, &company, &r.State, &r.IP, &r.CreatedAt, &r.LastSeen, &r.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return sessionRow{}, sessionEnded()
	}
	if err != nil {
		return sessionRow{}, fmt.Errorf("read session: %w", err)
	}
	r.CompanyID = backoffice.ID(company.Int64)
	r.CreatedAt, r.LastSeen = r.CreatedAt.UTC(), r.LastSeen.UTC()
	return r, nil
}

// Session returns the live session for token, extending its idle timeout.
// Unknown and expired tokens, and sessions of disabled users, answer EUnauthorized.
func (s *Service) Session(ctx context.Context, token string) (Session, error) {
	r, err := s.liveSession(ctx, token)
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if now.Sub(r.LastSeen) >= SessionTouch {
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, now, r.ID); err != nil {
			return Session{}, fmt.Errorf("touch session: %w", err)
		}
		r.LastSeen = now
	}
	r.ExpiresAt = r.expiry()
	return r.Session, nil
}

// liveSession reads a session and checks it has not ended, deleting it when
// it has expired.
func (s *Service) liveSession(ctx context.Context, token string) (sessionRow, error) {
	if token == "" {
		return sessionRow{}, sessionEnded()
	}
	r, err := getSession(ctx, s.DB, token)
	if err != nil {
		return sessionRow{}, err
	}
	if !s.now().Before(r.expiry()) {
		if _, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, r.ID); err != nil {
			return sessionRow{}, fmt.Errorf("end session: %w", err)
		}
		return sessionRow{}, sessionEnded()
	}
	if r.Disabled {
		return sessionRow{}, backoffice.Errorf(backoffice.EUnauthorized, "this account is disabled; ask an administrator")
	}
	return r, nil
}

// Logout ends the session of token. An unknown token is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if _, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, sha256Hex(token)); err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}

// SetSessionCompany makes companyID the session's current company. The user
// must be a member; any other company is "not found".
func (s *Service) SetSessionCompany(ctx context.Context, token string, companyID backoffice.ID) error {
	r, err := s.liveSession(ctx, token)
	if err != nil {
		return err
	}
	if r.State == StateTOTP {
		return backoffice.Errorf(backoffice.EUnauthorized, "enter the code from your authenticator app to finish signing in")
	}
	_, ok, err := membership(ctx, s.DB, companyID, r.UserID)
	if err != nil {
		return err
	}
	if !ok {
		return notFound("company")
	}
	if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET company_id = ? WHERE id = ?`, int64(companyID), r.ID); err != nil {
		return fmt.Errorf("switch company: %w", err)
	}
	return nil
}

func insertSession(ctx context.Context, tx *sqldb.Tx, userID backoffice.ID, state, ip, userAgent string, now time.Time) (string, error) {
	token := randomHex(32)
	_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, token_hash, user_id, company_id, state, ip, user_agent, created_at, last_seen_at)
		VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)`, randomHex(16), sha256Hex(token), int64(userID), state, ip, userAgent, now, now)
	if err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return token, nil
}
