package access

import (
	"context"
	"fmt"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

// Sign-in throttling: after MaxFailedLogins failures for one e-mail address or
// one IP address within LoginWindow, further attempts are refused unchecked.
const (
	MaxFailedLogins = 5
	LoginWindow     = 15 * time.Minute
)

// Outcomes of a sign-in attempt as stored in login_attempts.
const (
	OutcomeSuccess       = "success"
	OutcomeUnknownEmail  = "unknown_email"
	OutcomeWrongPassword = "wrong_password"
	OutcomeDisabled      = "disabled"
	OutcomeWrongCode     = "wrong_code"
	OutcomeThrottled     = "throttled"
)

// failureOutcomes count towards the throttle. Throttled attempts do not, so a
// locked-out address is free again LoginWindow after its fifth failure.
const failureOutcomes = `('unknown_email', 'wrong_password', 'disabled', 'wrong_code')`

func recordAttempt(ctx context.Context, q sqldb.Querier, email, ip, outcome string, at time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO login_attempts (email, ip, at, outcome) VALUES (?, ?, ?, ?)`, email, ip, at, outcome)
	if err != nil {
		return fmt.Errorf("record sign-in attempt: %w", err)
	}
	return nil
}

// throttled returns ETooManyRequests when email or ip has too many recent
// failures. The lock lifts when the fifth most recent failure leaves the window.
func throttled(ctx context.Context, q sqldb.Querier, email, ip string, now time.Time) error {
	var until time.Time
	for _, key := range []struct{ col, val string }{{"email", email}, {"ip", ip}} {
		if key.val == "" {
			continue
		}
		rows, err := q.QueryContext(ctx, `SELECT at FROM login_attempts WHERE `+key.col+` = ? AND at > ? AND outcome IN `+failureOutcomes+`
			ORDER BY at DESC LIMIT ?`, key.val, now.Add(-LoginWindow), MaxFailedLogins)
		if err != nil {
			return fmt.Errorf("check sign-in throttle: %w", err)
		}
		var times []time.Time
		for rows.Next() {
			var t time.Time
			if err := rows.Scan(&t); err != nil {
				rows.Close()
				return fmt.Errorf("check sign-in throttle: %w", err)
			}
			times = append(times, t.UTC())
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("check sign-in throttle: %w", err)
		}
		if len(times) == MaxFailedLogins {
			if t := times[MaxFailedLogins-1].Add(LoginWindow); t.After(until) {
				until = t
			}
		}
	}
	if until.IsZero() {
		return nil
	}
	minutes := int((until.Sub(now) + time.Minute - 1) / time.Minute)
	return backoffice.Errorf(backoffice.ETooManyRequests, "too many failed sign-ins; try again in %d minutes", max(minutes, 1))
}
