package access

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"backoffice"
)

// UserFilter narrows and orders ListUsers.
type UserFilter struct {
	CompanyID backoffice.ID // 0 = all users
	Query     string        // part of the e-mail or name, any case
	Disabled  *bool
	Sort      string // "email" (default), "name", "created"; "-" prefix for descending
	Page      backoffice.Page
}

// userSortColumn maps a sort name to its column.
func userSortColumn(sort string) (string, bool) {
	switch sort {
	case "email":
		return "email", true
	case "name":
		return "name", true
	case "created":
		return "created_at", true
	}
	return "", false
}

// userCursor is the position after the last user of a page: the sort it
// belongs to, that user's sort value and id. It travels base64url-encoded.
type userCursor struct {
	Sort string    `json:"s"`
	Text string    `json:"v,omitempty"`
	Time time.Time `json:"t,omitzero"`
	ID   int64     `json:"id"`
}

func encodeCursor(c userCursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string) (userCursor, error) {
	var c userCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort || c.ID <= 0 {
		return c, &backoffice.Error{Code: backoffice.EInvalid, Message: "the page cursor is not valid for this list; start from the first page",
			Fields: map[string]string{"after": "is not a cursor of this list and sort order"}}
	}
	return c, nil
}

// ListUsers returns one page of users. The cursor is a keyset position (sort
// value and id), so pages stay correct while users are added and cost the
// same at any depth.
func (s *Service) ListUsers(ctx context.Context, f UserFilter) (backoffice.List[User], error) {
	sortName := f.Sort
	if sortName == "" {
		sortName = "email"
	}
	desc := strings.HasPrefix(sortName, "-")
	col, ok := userSortColumn(strings.TrimPrefix(sortName, "-"))
	if !ok {
		return backoffice.List[User]{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "users can be sorted by email, name or created",
			Fields: map[string]string{"sort": "must be email, name or created, with - for descending"}}
	}
	limit := f.Page.Limit
	if limit <= 0 {
		limit = backoffice.DefaultPageLimit
	}
	limit = min(limit, backoffice.MaxPageLimit)
	query, args, err := userListQuery(f, sortName, col, desc, limit)
	if err != nil {
		return backoffice.List[User]{}, err
	}
	return s.queryUserPage(ctx, query, args, limit, sortName, col)
}

// userListQuery builds the keyset query of ListUsers: filters, the position
// after the cursor, and one row more than the page to know if another follows.
func userListQuery(f UserFilter, sortName, col string, desc bool, limit int) (string, []any, error) {
	var where []string
	var args []any
	if f.CompanyID != 0 {
		where = append(where, "id IN (SELECT user_id FROM memberships WHERE company_id = ?)")
		args = append(args, int64(f.CompanyID))
	}
	if q := strings.ToLower(strings.TrimSpace(f.Query)); q != "" {
		pattern := "%" + escapeLike(q) + "%"
		where = append(where, `(LOWER(email) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')`)
		args = append(args, pattern, pattern)
	}
	if f.Disabled != nil {
		where = append(where, "disabled = ?")
		args = append(args, *f.Disabled)
	}
	op, dir := ">", "ASC"
	if desc {
		op, dir = "<", "DESC"
	}
	if f.Page.After != "" {
		c, err := decodeCursor(f.Page.After, sortName)
		if err != nil {
			return "", nil, err
		}
		var v any = c.Text
		if col == "created_at" {
			v = c.Time
		}
		where = append(where, fmt.Sprintf("(%[1]s %[2]s ? OR (%[1]s = ? AND id %[2]s ?))", col, op))
		args = append(args, v, v, c.ID)
	}
	query := "SELECT " + userColumns + " FROM users"
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY %s %s, id %s LIMIT %d", col, dir, dir, limit+1)
	return query, args, nil
}

// queryUserPage runs the query and turns the extra row into the next cursor.
func (s *Service) queryUserPage(ctx context.Context, query string, args []any, limit int, sortName, col string) (backoffice.List[User], error) {
	rows, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return backoffice.List[User]{}, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := backoffice.List[User]{Items: []User{}}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return backoffice.List[User]{}, fmt.Errorf("list users: %w", err)
		}
		out.Items = append(out.Items, u.User)
	}
	if err := rows.Err(); err != nil {
		return backoffice.List[User]{}, fmt.Errorf("list users: %w", err)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		last := out.Items[limit-1]
		c := userCursor{Sort: sortName, ID: int64(last.ID)}
		switch col {
		case "email":
			c.Text = last.Email
		case "name":
			c.Text = last.Name
		default:
			c.Time = last.CreatedAt
		}
		out.Next = encodeCursor(c)
	}
	return out, nil
}

// escapeLike escapes LIKE wildcards so a search for "50%" finds "50%".
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
