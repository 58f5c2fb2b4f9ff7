package access

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"backoffice"
	"backoffice/sqldb"
)

// TOTP settings (RFC 6238): 6 digits, 30-second steps, one step of clock
// drift either way, as every authenticator app expects.
const (
	totpIssuer        = "Backoffice"
	totpPeriod        = 30
	totpSkew          = 1
	recoveryCodeCount = 10
)

// TOTPEnrolment is what an authenticator app needs: the secret, and the
// otpauth:// URL to show as a QR code.
type TOTPEnrolment struct {
	Secret string `json:"secret"`
	URL    string `json:"url"`
}

// BeginTOTP makes a new secret and keeps it pending until ConfirmTOTP proves
// that the user's app produces its codes.
func (s *Service) BeginTOTP(ctx context.Context, userID backoffice.ID) (TOTPEnrolment, error) {
	u, err := getUser(ctx, s.DB, "id = ?", int64(userID))
	if err != nil {
		return TOTPEnrolment{}, err
	}
	if u.TOTPEnabled {
		return TOTPEnrolment{}, backoffice.Errorf(backoffice.EConflict, "two-step sign-in is already set up; an admin can reset it")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: u.Email, Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPEnrolment{}, fmt.Errorf("make TOTP secret: %w", err)
	}
	// The pending secret is not business data and not yet in force, so this
	// write is not logged; ConfirmTOTP is.
	if _, err := s.DB.ExecContext(ctx, `UPDATE users SET totp_pending_secret = ? WHERE id = ?`, key.Secret(), int64(userID)); err != nil {
		return TOTPEnrolment{}, fmt.Errorf("store TOTP secret: %w", err)
	}
	return TOTPEnrolment{Secret: key.Secret(), URL: key.URL()}, nil
}

// ConfirmTOTP turns on two-step sign-in when code matches the pending secret,
// moves the user's "enrol" sessions to "active", and returns ten recovery
// codes, shown once and stored hashed.
func (s *Service) ConfirmTOTP(ctx context.Context, userID backoffice.ID, code string) ([]string, error) {
	codes := make([]string, recoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	_, err := s.changeUser(ctx, userID, nil, "totp_enrol", "", func(tx *sqldb.Tx, u *userRow) error {
		if u.TOTPEnabled {
			return backoffice.Errorf(backoffice.EConflict, "two-step sign-in is already set up; an admin can reset it")
		}
		if u.TOTPPending == "" {
			return backoffice.Errorf(backoffice.EConflict, "start the two-step sign-in set-up first")
		}
		step, ok := matchTOTP(u.TOTPPending, code, s.now(), 0)
		if !ok {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "the code does not match; check the app and the phone's clock",
				Fields: map[string]string{"code": "is wrong or expired"}}
		}
		u.TOTPEnabled, u.TOTPSecret, u.TOTPPending, u.TOTPLastStep = true, u.TOTPPending, "", step
		if err := storeRecoveryCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET state = ? WHERE user_id = ? AND state = ?`, StateActive, int64(userID), StateEnrol)
		return err
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// ResetTOTP turns two-step sign-in off for a user who lost their device, so
// they can enrol again. It is an admin action.
func (s *Service) ResetTOTP(ctx context.Context, userID backoffice.ID, reason string) error {
	_, err := s.changeUser(ctx, userID, nil, "totp_reset", reason, func(tx *sqldb.Tx, u *userRow) error {
		u.TOTPEnabled, u.TOTPSecret, u.TOTPPending, u.TOTPLastStep = false, "", "", 0
		if _, err := tx.ExecContext(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = ?`, int64(userID)); err != nil {
			return fmt.Errorf("delete recovery codes: %w", err)
		}
		if must, err := mustUseTOTP(ctx, tx, userID); err != nil || !must {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET state = ? WHERE user_id = ? AND state = ?`, StateEnrol, int64(userID), StateActive)
		return err
	})
	return err
}

// matchTOTP returns the time step whose code equals code, trying the current
// step and one on either side, newer than lastStep (so no code is accepted twice).
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	opts := totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// useTOTP accepts a six-digit code or a recovery code for a user with TOTP on,
// recording the step or the used recovery code so neither works twice. The
// conditional UPDATEs make this safe when two nodes check at once.
func useTOTP(ctx context.Context, tx *sqldb.Tx, u userRow, code string, now time.Time) (bool, error) {
	if step, ok := matchTOTP(u.TOTPSecret, code, now, u.TOTPLastStep); ok {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, int64(u.ID), step)
		if err != nil {
			return false, fmt.Errorf("record TOTP step: %w", err)
		}
		n, _ := res.RowsAffected()
		return n == 1, nil
	}
	res, err := tx.ExecContext(ctx, `UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
		now, int64(u.ID), sha256Hex(normaliseRecoveryCode(code)))
	if err != nil {
		return false, fmt.Errorf("use recovery code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// recoveryAlphabet is lower-case base32 without the confusable 0/1/l/o.
const recoveryAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// newRecoveryCode returns "xxxxx-xxxxx": 10 characters, 50 bits.
func newRecoveryCode() string {
	c := randomString(10, recoveryAlphabet)
	return c[:5] + "-" + c[5:]
}

func normaliseRecoveryCode(code string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.ToLower(strings.TrimSpace(code)))
}

func storeRecoveryCodes(ctx context.Context, tx *sqldb.Tx, userID backoffice.ID, codes []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM totp_recovery_codes WHERE user_id = ?`, int64(userID)); err != nil {
		return fmt.Errorf("replace recovery codes: %w", err)
	}
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)`, int64(userID), sha256Hex(normaliseRecoveryCode(c))); err != nil {
			return fmt.Errorf("store recovery codes: %w", err)
		}
	}
	return nil
}
