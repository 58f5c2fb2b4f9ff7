package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"backoffice"
	"backoffice/sqldb"
)

const recordColumns = `seq, at, company_id, actor_user_id, actor_token_id, actor_name, entity, entity_id, action, old_values, new_values, reason, prev_hash, hash`

// Filter narrows a read of the log. Zero fields do not filter.
type Filter struct {
	CompanyIDs    []backoffice.ID // only these companies (plus installation-wide rows when IncludeGlobal)
	AllCompanies  bool            // no company restriction (auditors of the whole installation, verify)
	IncludeGlobal bool            // include rows with no company (users, roles)
	Entity        string
	EntityID      string
	AfterSeq      int64
	Limit         int
}

// List returns records in sequence order after f.AfterSeq. Callers pass the
// companies the reader may see; nothing is returned for an empty list unless
// AllCompanies is set.
func List(ctx context.Context, q sqldb.Querier, f Filter) ([]Record, error) {
	where := "seq > ?"
	args := []any{f.AfterSeq}
	if !f.AllCompanies {
		cond := "company_id IN (" + placeholders(len(f.CompanyIDs)) + ")"
		if len(f.CompanyIDs) == 0 {
			cond = "1 = 0"
		}
		for _, id := range f.CompanyIDs {
			args = append(args, int64(id))
		}
		if f.IncludeGlobal {
			cond = "(" + cond + " OR company_id IS NULL)"
		}
		where += " AND " + cond
	}
	if f.Entity != "" {
		where += " AND entity = ?"
		args = append(args, f.Entity)
	}
	if f.EntityID != "" {
		where += " AND entity_id = ?"
		args = append(args, f.EntityID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := q.QueryContext(ctx, "SELECT "+recordColumns+" FROM audit_log WHERE "+where+" ORDER BY seq LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// History returns every change of one entity, oldest first.
func History(ctx context.Context, q sqldb.Querier, entity, entityID string) ([]Record, error) {
	var out []Record
	var after int64
	for {
		page, err := List(ctx, q, Filter{AllCompanies: true, Entity: entity, EntityID: entityID, AfterSeq: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < 1000 {
			return out, nil
		}
		after = page[len(page)-1].Seq
	}
}

// Head returns the last sequence number and hash of the chain.
func Head(ctx context.Context, q sqldb.Querier) (int64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&seq, &hash)
	return seq, hash, err
}

type scanner interface{ Scan(...any) error }

func scanRecord(s scanner) (Record, error) {
	var r Record
	var company, user, token sql.NullInt64
	var oldV, newV string
	if err := s.Scan(&r.Seq, &r.At, &company, &user, &token, &r.ActorName, &r.Entity, &r.EntityID, &r.Action, &oldV, &newV, &r.Reason, &r.PrevHash, &r.Hash); err != nil {
		return Record{}, fmt.Errorf("audit: scan: %w", err)
	}
	r.At = r.At.UTC()
	r.CompanyID, r.ActorUserID, r.ActorTokenID = backoffice.ID(company.Int64), backoffice.ID(user.Int64), backoffice.ID(token.Int64)
	r.Old, r.New = []byte(oldV), []byte(newV)
	return r, nil
}

func placeholders(n int) string {
	if n == 0 {
		return ""
	}
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

// CountSince counts a company's changes at or after since, for dashboards.
func CountSince(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, since time.Time) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE company_id = ? AND at >= ?`, int64(companyID), since.UTC()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("audit: count: %w", err)
	}
	return n, nil
}
