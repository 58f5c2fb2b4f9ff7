package access

import (
	"context"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

// LoginRequest is a sign-in with e-mail and password.
type LoginRequest struct {
	Email     string
	Password  string
	IP        string
	UserAgent string
}

// LoginResult is the new session's token (set it as a cookie) and its state.
type LoginResult struct {
	Token string `json:"token"`
	State string `json:"state"` // StateActive, StateTOTP or StateEnrol
}

// Login checks an e-mail and password and starts a session. Unknown e-mails
// and wrong passwords get the same answer after the same argon2 work. After
// MaxFailedLogins failures for the e-mail or the IP within LoginWindow it
// answers ETooManyRequests without looking at the password.
func (s *Service) Login(ctx context.Context, in LoginRequest) (LoginResult, error) {
	email, now := normaliseEmail(in.Email), s.now()
	if err := throttled(ctx, s.DB, email, in.IP, now); err != nil {
		return LoginResult{}, s.failLogin(ctx, email, in.IP, OutcomeThrottled, err)
	}
	u, err := getUser(ctx, s.DB, "email = ?", email)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		hashPassword(in.Password, s.argon2Params()) // same time as a real check
		return LoginResult{}, s.failLogin(ctx, email, in.IP, OutcomeUnknownEmail, badCredentials())
	}
	if err != nil {
		return LoginResult{}, err
	}
	ok, err := checkPassword(u.PasswordHash, in.Password)
	if err != nil {
		return LoginResult{}, fmt.Errorf("check password of user %d: %w", u.ID, err)
	}
	if !ok {
		return LoginResult{}, s.failLogin(ctx, email, in.IP, OutcomeWrongPassword, badCredentials())
	}
	if u.Disabled {
		return LoginResult{}, s.failLogin(ctx, email, in.IP, OutcomeDisabled,
			backoffice.Errorf(backoffice.EUnauthorized, "this account is disabled; ask an administrator"))
	}
	state := StateActive
	if u.TOTPEnabled {
		state = StateTOTP
	} else if must, err := mustUseTOTP(ctx, s.DB, u.ID); err != nil {
		return LoginResult{}, err
	} else if must {
		state = StateEnrol
	}
	var token string
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if token, err = insertSession(ctx, tx, u.ID, state, in.IP, in.UserAgent, now); err != nil {
			return err
		}
		hash := u.PasswordHash
		if needsRehash(hash, s.argon2Params()) {
			hash = hashPassword(in.Password, s.argon2Params())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET last_login_at = ?, password_hash = ? WHERE id = ?`, now, hash, int64(u.ID)); err != nil {
			return fmt.Errorf("record sign-in: %w", err)
		}
		return recordAttempt(ctx, tx, email, in.IP, OutcomeSuccess, now)
	})
	if err != nil {
		return LoginResult{}, err
	}
	return LoginResult{Token: token, State: state}, nil
}

// failLogin records a failed or throttled attempt and returns answer.
func (s *Service) failLogin(ctx context.Context, email, ip, outcome string, answer error) error {
	if err := recordAttempt(ctx, s.DB, email, ip, outcome, s.now()); err != nil {
		return err
	}
	return answer
}

// VerifyTOTP completes a sign-in waiting in state "totp" with a six-digit code
// or an unused recovery code. Wrong codes count as failed sign-ins.
func (s *Service) VerifyTOTP(ctx context.Context, token, code string) error {
	r, err := s.liveSession(ctx, token)
	if err != nil {
		return err
	}
	if r.State != StateTOTP {
		return backoffice.Errorf(backoffice.EConflict, "this session is not waiting for a code")
	}
	u, err := getUser(ctx, s.DB, "id = ?", int64(r.UserID))
	if err != nil {
		return err
	}
	now := s.now()
	if err := throttled(ctx, s.DB, u.Email, r.IP, now); err != nil {
		return s.failLogin(ctx, u.Email, r.IP, OutcomeThrottled, err)
	}
	var ok bool
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if ok, err = useTOTP(ctx, tx, u, code, now); err != nil || !ok {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET state = ?, last_seen_at = ? WHERE id = ?`, StateActive, now, r.ID); err != nil {
			return fmt.Errorf("activate session: %w", err)
		}
		return recordAttempt(ctx, tx, u.Email, r.IP, OutcomeSuccess, now)
	})
	if err != nil {
		return err
	}
	if !ok {
		return s.failLogin(ctx, u.Email, r.IP, OutcomeWrongCode,
			backoffice.Errorf(backoffice.EUnauthorized, "the code is wrong or was already used"))
	}
	return nil
}

// mustUseTOTP reports whether any of the user's roles requires TOTP.
func mustUseTOTP(ctx context.Context, q sqldb.Querier, userID backoffice.ID) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN roles r ON r.id = m.role_id
		WHERE m.user_id = ? AND r.require_totp = TRUE`, int64(userID)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check TOTP policy: %w", err)
	}
	return n > 0, nil
}

// demandEnrolment moves the active sessions of users who must use TOTP but
// have not set it up to "enrol", after a role, membership or TOTP change, so
// the web layer sends them to the enrolment page instead of failing every
// request.
func demandEnrolment(ctx context.Context, tx *sqldb.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE sessions SET state = ? WHERE state = ? AND user_id IN (
		SELECT m.user_id FROM memberships m JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id
		WHERE r.require_totp = TRUE AND u.totp_enabled = FALSE)`, StateEnrol, StateActive)
	if err != nil {
		return fmt.Errorf("apply TOTP policy to sessions: %w", err)
	}
	return nil
}
