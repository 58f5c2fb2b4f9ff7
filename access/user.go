package access

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// User is a person who signs in. Hashes and secrets never leave the package.
type User struct {
	ID          backoffice.ID `json:"id"`
	Email       string        `json:"email"`
	Name        string        `json:"name"`
	Disabled    bool          `json:"disabled"`
	TOTPEnabled bool          `json:"totp_enabled"`
	LastLoginAt *time.Time    `json:"last_login_at,omitempty"`
	Version     int64         `json:"version"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// NewUser is the input of CreateUser. An empty Password asks for a generated one.
type NewUser struct {
	Email       string
	Name        string
	Password    string
	Memberships []NewMembership
}

// NewMembership gives a new user a role in a company.
type NewMembership struct {
	CompanyID backoffice.ID
	RoleID    backoffice.ID
}

// UserPatch changes the fields that are not nil.
type UserPatch struct {
	Name  *string
	Email *string
}

// userRow is a users row with the secrets that User leaves out.
type userRow struct {
	User
	PasswordHash string
	TOTPSecret   string
	TOTPPending  string
	TOTPLastStep int64
}

const userColumns = `id, email, name, disabled, totp_enabled, last_login_at, version, created_at, updated_at, password_hash, totp_secret, totp_pending_secret, totp_last_step`

func scanUser(s interface{ Scan(...any) error }) (userRow, error) {
	var u userRow
	var last sql.NullTime
	if err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Disabled, &u.TOTPEnabled, &last, &u.Version, &u.CreatedAt, &u.UpdatedAt,
		&u.PasswordHash, &u.TOTPSecret, &u.TOTPPending, &u.TOTPLastStep); err != nil {
		return userRow{}, err
	}
	if last.Valid {
		t := last.Time.UTC()
		u.LastLoginAt = &t
	}
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, nil
}

func getUser(ctx context.Context, q sqldb.Querier, where string, arg any) (userRow, error) {
	u, err := scanUser(q.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return userRow{}, notFound("user")
	}
	if err != nil {
		return userRow{}, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// normaliseEmail trims and lower-cases an address; validEmail checks it is a
// bare address (no display name) with a domain.
func normaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// CreateUser adds a user with optional memberships and returns the password:
// the given one, or a generated one when none was given.
func (s *Service) CreateUser(ctx context.Context, in NewUser) (User, string, error) {
	in.Email, in.Name = normaliseEmail(in.Email), strings.TrimSpace(in.Name)
	v := backoffice.Validation{}
	v.Check(validEmail(in.Email), "email", "must be an e-mail address such as ann@example.com")
	v.Check(validName(in.Name), "name", "must be 1 to 200 characters")
	password := in.Password
	if password == "" {
		password = generatePassword()
	} else if msg := checkPolicy(password, in.Email); msg != "" {
		v.Add("password", msg)
	}
	var out User
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		out, err = s.createUser(ctx, tx, in, password, v)
		return err
	})
	if err != nil {
		return User{}, "", err
	}
	return out, password, nil
}

// createUser inserts a validated user and its memberships inside tx, with
// their change-log records; v holds the field errors found so far.
func (s *Service) createUser(ctx context.Context, tx *sqldb.Tx, in NewUser, password string, v backoffice.Validation) (User, error) {
	roles, err := checkNewMemberships(ctx, tx, in.Memberships, v)
	if err != nil {
		return User{}, err
	}
	if err := v.Err("user"); err != nil {
		return User{}, err
	}
	now := s.now()
	var id backoffice.ID
	err = tx.QueryRowContext(ctx, `INSERT INTO users (email, name, password_hash, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, 1) RETURNING id`, in.Email, in.Name, hashPassword(password, s.argon2Params()), now, now).Scan(&id)
	if sqldb.IsUniqueViolation(err) {
		return User{}, &backoffice.Error{Code: backoffice.EConflict, Message: "a user with e-mail " + in.Email + " already exists", Fields: map[string]string{"email": "is already used"}}
	}
	if err != nil {
		return User{}, fmt.Errorf("insert user: %w", err)
	}
	row, err := getUser(ctx, tx, "id = ?", int64(id))
	if err != nil {
		return User{}, err
	}
	fields, err := created(row.User)
	if err != nil {
		return User{}, err
	}
	changes := []audit.Change{{Entity: "user", EntityID: idText(id), Action: "create", New: fields}}
	for i, m := range in.Memberships {
		if err := insertMember(ctx, tx, m.CompanyID, id, m.RoleID, now); err != nil {
			return User{}, err
		}
		changes = append(changes, membershipChange(m.CompanyID, id, "create", nil, &roles[i]))
	}
	return row.User, s.appendLog(ctx, tx, changes...)
}

// checkNewMemberships records a field error for every membership whose
// company or role does not exist, or whose company repeats, and returns the roles.
func checkNewMemberships(ctx context.Context, q sqldb.Querier, ms []NewMembership, v backoffice.Validation) ([]Role, error) {
	roles := make([]Role, len(ms))
	seen := map[backoffice.ID]bool{}
	for i, m := range ms {
		field := "memberships[" + strconv.Itoa(i) + "]"
		if _, err := getCompany(ctx, q, "id = ?", int64(m.CompanyID)); backoffice.ErrorCode(err) == backoffice.ENotFound {
			v.Add(field+".company_id", "no such company")
		} else if err != nil {
			return nil, err
		}
		v.Check(!seen[m.CompanyID], field+".company_id", "the user has one role per company; this company is listed twice")
		seen[m.CompanyID] = true
		r, err := getRole(ctx, q, m.RoleID)
		if backoffice.ErrorCode(err) == backoffice.ENotFound {
			v.Add(field+".role_id", "no such role")
		} else if err != nil {
			return nil, err
		}
		roles[i] = r
	}
	return roles, nil
}

// GetUser returns one user.
func (s *Service) GetUser(ctx context.Context, id backoffice.ID) (User, error) {
	u, err := getUser(ctx, s.DB, "id = ?", int64(id))
	return u.User, err
}

// UserByEmail returns the user with that e-mail address, in any case.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := getUser(ctx, s.DB, "email = ?", normaliseEmail(email))
	return u.User, err
}

// UpdateUser changes a user's name or e-mail address.
func (s *Service) UpdateUser(ctx context.Context, id backoffice.ID, version int64, p UserPatch) (User, error) {
	return s.changeUser(ctx, id, &version, "update", "", func(tx *sqldb.Tx, u *userRow) error {
		if p.Name != nil {
			u.Name = strings.TrimSpace(*p.Name)
		}
		if p.Email != nil {
			u.Email = normaliseEmail(*p.Email)
		}
		v := backoffice.Validation{}
		v.Check(validEmail(u.Email), "email", "must be an e-mail address such as ann@example.com")
		v.Check(validName(u.Name), "name", "must be 1 to 200 characters")
		return v.Err("user")
	})
}

// changeUser loads a user, lets change edit the row (and do more in tx),
// writes name, e-mail, disabled, password and TOTP state back with a new
// version, and logs the changed public fields under action. A nil version
// skips the staleness check, for actions that do not come from an edit form.
func (s *Service) changeUser(ctx context.Context, id backoffice.ID, version *int64, action, reason string, change func(*sqldb.Tx, *userRow) error) (User, error) {
	var out User
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getUser(ctx, tx, "id = ?", int64(id))
		if err != nil {
			return err
		}
		if version != nil && before.Version != *version {
			return stale("user")
		}
		after := before
		if err := change(tx, &after); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, disabled = ?, password_hash = ?, totp_enabled = ?,
			totp_secret = ?, totp_pending_secret = ?, totp_last_step = ?, updated_at = ?, version = version + 1
			WHERE id = ? AND version = ?`, after.Email, after.Name, after.Disabled, after.PasswordHash, after.TOTPEnabled,
			after.TOTPSecret, after.TOTPPending, after.TOTPLastStep, s.now(), int64(id), before.Version)
		if sqldb.IsUniqueViolation(err) {
			return &backoffice.Error{Code: backoffice.EConflict, Message: "a user with e-mail " + after.Email + " already exists", Fields: map[string]string{"email": "is already used"}}
		}
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return stale("user")
		}
		row, err := getUser(ctx, tx, "id = ?", int64(id))
		if err != nil {
			return err
		}
		out = row.User
		old, new, err := diff(before.User, out)
		if err != nil {
			return err
		}
		if action == "update" && len(new) == 0 {
			return nil
		}
		return s.appendLog(ctx, tx, audit.Change{Entity: "user", EntityID: idText(id), Action: action, Old: old, New: new, Reason: reason})
	})
	return out, err
}
