package access

import (
	"context"
	"errors"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

// DisableUser stops a user from signing in and ends their sessions. Users
// cannot disable themselves, and the last enabled admin of a company stays.
func (s *Service) DisableUser(ctx context.Context, id backoffice.ID, reason string) error {
	if backoffice.ActorFrom(ctx).UserID == id {
		return backoffice.Errorf(backoffice.EForbidden, "you cannot disable your own account; ask another admin")
	}
	_, err := s.changeUser(ctx, id, nil, "disable", reason, func(tx *sqldb.Tx, u *userRow) error {
		if u.Disabled {
			return errUnchanged
		}
		ms, err := userMemberships(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if err := keepAnAdmin(ctx, tx, m); err != nil {
				return err
			}
		}
		u.Disabled = true
		return endSessions(ctx, tx, id)
	})
	return ignoreUnchanged(err)
}

// EnableUser lets a disabled user sign in again.
func (s *Service) EnableUser(ctx context.Context, id backoffice.ID, reason string) error {
	_, err := s.changeUser(ctx, id, nil, "enable", reason, func(tx *sqldb.Tx, u *userRow) error {
		if !u.Disabled {
			return errUnchanged
		}
		u.Disabled = false
		return nil
	})
	return ignoreUnchanged(err)
}

// ResetPassword gives a user a new generated password, returned once, and
// ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, id backoffice.ID) (string, error) {
	password := generatePassword()
	_, err := s.changeUser(ctx, id, nil, "reset_password", "", func(tx *sqldb.Tx, u *userRow) error {
		u.PasswordHash = hashPassword(password, s.argon2Params())
		return endSessions(ctx, tx, id)
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// ChangePassword replaces a user's password after checking the old one.
func (s *Service) ChangePassword(ctx context.Context, userID backoffice.ID, oldPassword, newPassword string) error {
	_, err := s.changeUser(ctx, userID, nil, "change_password", "", func(tx *sqldb.Tx, u *userRow) error {
		v := backoffice.Validation{}
		ok, err := checkPassword(u.PasswordHash, oldPassword)
		if err != nil {
			return fmt.Errorf("check password of user %d: %w", userID, err)
		}
		v.Check(ok, "old_password", "is not your current password")
		if msg := checkPolicy(newPassword, u.Email); msg != "" {
			v.Add("new_password", msg)
		}
		if err := v.Err("password change"); err != nil {
			return err
		}
		u.PasswordHash = hashPassword(newPassword, s.argon2Params())
		return nil
	})
	return err
}

// endSessions signs a user out everywhere.
func endSessions(ctx context.Context, tx *sqldb.Tx, userID backoffice.ID) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, int64(userID)); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// errUnchanged lets a change function say there is nothing to do; the
// transaction rolls back and the caller reports success.
var errUnchanged = errors.New("access: nothing to change")

func ignoreUnchanged(err error) error {
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}
