package access

import (
	"context"
	"fmt"
	"time"
)

// LoginAttemptRetention is how long sign-in attempts are kept for the
// security log; throttling needs only LoginWindow of them.
const LoginAttemptRetention = 90 * 24 * time.Hour

// Prune deletes ended sessions and sign-in attempts older than
// LoginAttemptRetention, and returns how many rows went. Run it daily (a
// scheduled job); sessions that ended are refused whether pruned or not.
func (s *Service) Prune(ctx context.Context) (int64, error) {
	now := s.now()
	var total int64
	for _, st := range []struct {
		query string
		args  []any
	}{
		{`DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ? OR (state = ? AND created_at <= ?)`,
			[]any{now.Add(-SessionIdle), now.Add(-SessionMax), StateTOTP, now.Add(-SessionTOTPWait)}},
		{`DELETE FROM login_attempts WHERE at < ?`, []any{now.Add(-LoginAttemptRetention)}},
	} {
		res, err := s.DB.ExecContext(ctx, st.query, st.args...)
		if err != nil {
			return total, fmt.Errorf("prune sign-in records: %w", err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}
