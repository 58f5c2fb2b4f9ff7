package access

import (
	"context"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Membership gives a user one role in one company.
type Membership struct {
	CompanyID   backoffice.ID `json:"company_id"`
	UserID      backoffice.ID `json:"user_id"`
	RoleID      backoffice.ID `json:"role_id"`
	CompanyCode string        `json:"company_code"`
	CompanyName string        `json:"company_name"`
	RoleName    string        `json:"role_name"`
	UserEmail   string        `json:"user_email"`
}

const membershipQuery = `SELECT m.company_id, m.user_id, m.role_id, c.code, c.name, r.name, u.email
	FROM memberships m JOIN companies c ON c.id = m.company_id JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id `

func queryMemberships(ctx context.Context, q sqldb.Querier, where string, args ...any) ([]Membership, error) {
	rows, err := q.QueryContext(ctx, membershipQuery+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	defer rows.Close()
	out := []Membership{}
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.CompanyID, &m.UserID, &m.RoleID, &m.CompanyCode, &m.CompanyName, &m.RoleName, &m.UserEmail); err != nil {
			return nil, fmt.Errorf("read memberships: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func userMemberships(ctx context.Context, q sqldb.Querier, userID backoffice.ID) ([]Membership, error) {
	return queryMemberships(ctx, q, "WHERE m.user_id = ? ORDER BY c.code", int64(userID))
}

func membership(ctx context.Context, q sqldb.Querier, companyID, userID backoffice.ID) (Membership, bool, error) {
	ms, err := queryMemberships(ctx, q, "WHERE m.company_id = ? AND m.user_id = ?", int64(companyID), int64(userID))
	if err != nil || len(ms) == 0 {
		return Membership{}, false, err
	}
	return ms[0], true, nil
}

func insertMember(ctx context.Context, tx *sqldb.Tx, companyID, userID, roleID backoffice.ID, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO memberships (company_id, user_id, role_id, created_at) VALUES (?, ?, ?, ?)`,
		int64(companyID), int64(userID), int64(roleID), now)
	if sqldb.IsUniqueViolation(err) {
		return backoffice.Errorf(backoffice.EConflict, "the user is already a member of this company; change the role instead")
	}
	if err != nil {
		return fmt.Errorf("add member: %w", err)
	}
	return nil
}

func membershipChange(companyID, userID backoffice.ID, action string, old, new *Role) audit.Change {
	c := audit.Change{CompanyID: companyID, Entity: "membership", EntityID: companyID.String() + ":" + userID.String(), Action: action}
	values := func(r *Role) map[string]any {
		return map[string]any{"user_id": userID, "company_id": companyID, "role_id": r.ID, "role": r.Name}
	}
	if old != nil {
		c.Old = values(old)
	}
	if new != nil {
		c.New = values(new)
	}
	return c
}

// AddMember gives a user a role in a company.
func (s *Service) AddMember(ctx context.Context, companyID, userID, roleID backoffice.ID) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		role, err := s.checkMemberRefs(ctx, tx, companyID, userID, roleID)
		if err != nil {
			return err
		}
		if err := insertMember(ctx, tx, companyID, userID, roleID, s.now()); err != nil {
			return err
		}
		if err := demandEnrolment(ctx, tx); err != nil {
			return err
		}
		return s.appendLog(ctx, tx, membershipChange(companyID, userID, "create", nil, &role))
	})
}

// checkMemberRefs makes sure company, user and role exist and returns the role.
func (s *Service) checkMemberRefs(ctx context.Context, tx *sqldb.Tx, companyID, userID, roleID backoffice.ID) (Role, error) {
	if _, err := getCompany(ctx, tx, "id = ?", int64(companyID)); err != nil {
		return Role{}, err
	}
	if _, err := getUser(ctx, tx, "id = ?", int64(userID)); err != nil {
		return Role{}, err
	}
	return getRole(ctx, tx, roleID)
}

// SetMemberRole changes a member's role. The company's last enabled admin
// keeps the admin role (EConflict).
func (s *Service) SetMemberRole(ctx context.Context, companyID, userID, roleID backoffice.ID) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		role, err := s.checkMemberRefs(ctx, tx, companyID, userID, roleID)
		if err != nil {
			return err
		}
		m, ok, err := membership(ctx, tx, companyID, userID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("membership")
		}
		if m.RoleID == roleID {
			return nil
		}
		if err := keepAnAdmin(ctx, tx, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE memberships SET role_id = ? WHERE company_id = ? AND user_id = ?`,
			int64(roleID), int64(companyID), int64(userID)); err != nil {
			return fmt.Errorf("change member role: %w", err)
		}
		if err := demandEnrolment(ctx, tx); err != nil {
			return err
		}
		old := Role{ID: m.RoleID, Name: m.RoleName}
		return s.appendLog(ctx, tx, membershipChange(companyID, userID, "update", &old, &role))
	})
}

// RemoveMember takes a user out of a company; not the company's last admin.
func (s *Service) RemoveMember(ctx context.Context, companyID, userID backoffice.ID) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		m, ok, err := membership(ctx, tx, companyID, userID)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("membership")
		}
		if err := keepAnAdmin(ctx, tx, m); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE company_id = ? AND user_id = ?`, int64(companyID), int64(userID)); err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET company_id = NULL WHERE user_id = ? AND company_id = ?`, int64(userID), int64(companyID)); err != nil {
			return fmt.Errorf("remove member: %w", err)
		}
		old := Role{ID: m.RoleID, Name: m.RoleName}
		return s.appendLog(ctx, tx, membershipChange(companyID, userID, "delete", &old, nil))
	})
}

// keepAnAdmin answers EConflict when m is the last enabled admin of its
// company and is about to stop being one.
func keepAnAdmin(ctx context.Context, q sqldb.Querier, m Membership) error {
	if m.RoleName != RoleAdmin {
		return nil
	}
	// Lock the company row first (a no-op update works on both dialects), so
	// two admins removing each other at once on PostgreSQL cannot both see
	// the other still there.
	if _, err := q.ExecContext(ctx, `UPDATE companies SET code = code WHERE id = ?`, int64(m.CompanyID)); err != nil {
		return fmt.Errorf("lock company: %w", err)
	}
	// A disabled admin does not count: removing one leaves no fewer
	// enabled admins than before.
	var others, self int
	err := q.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN m.user_id <> ? THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN m.user_id = ? THEN 1 ELSE 0 END), 0)
		FROM memberships m JOIN roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id
		WHERE m.company_id = ? AND r.name = ? AND r.builtin = TRUE AND u.disabled = FALSE`,
		int64(m.UserID), int64(m.UserID), int64(m.CompanyID), RoleAdmin).Scan(&others, &self)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	if others == 0 && self == 1 {
		return backoffice.Errorf(backoffice.EConflict, "%s is the last enabled admin of company %s; make another user admin first", m.UserEmail, m.CompanyCode)
	}
	return nil
}

// ListMembers returns a company's members ordered by e-mail.
func (s *Service) ListMembers(ctx context.Context, companyID backoffice.ID) ([]Membership, error) {
	return queryMemberships(ctx, s.DB, "WHERE m.company_id = ? ORDER BY u.email", int64(companyID))
}

// UserMemberships returns a user's memberships ordered by company code.
func (s *Service) UserMemberships(ctx context.Context, userID backoffice.ID) ([]Membership, error) {
	return userMemberships(ctx, s.DB, userID)
}
