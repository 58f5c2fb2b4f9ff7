package backup

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

// seed holds, per table, the primary keys of the rows that migrations insert
// (such as the change log's head). A database holding only these is empty.
type seed map[string]map[string]bool

// seedRows migrates a scratch SQLite database and reads what the migrations
// put in it. Both dialects' migrations seed the same rows, so the answer
// holds for PostgreSQL too; and it follows new migrations without a list.
func seedRows(ctx context.Context) (seed, error) {
	dir, err := os.MkdirTemp("", "backoffice-seed-")
	if err != nil {
		return nil, fmt.Errorf("restore: scratch database: %w", err)
	}
	defer os.RemoveAll(dir)
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(dir, "seed.db"))
	if err != nil {
		return nil, fmt.Errorf("restore: scratch database: %w", err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("restore: scratch database: %w", err)
	}
	tables, err := sqldb.Tables(ctx, db)
	if err != nil {
		return nil, err
	}
	s := seed{}
	for _, t := range tables {
		if !included(t.Name) {
			continue
		}
		if s[t.Name], err = rowKeys(ctx, db, t, 10_000); err != nil {
			return nil, fmt.Errorf("restore: read seed rows of %s: %w", t.Name, err)
		}
	}
	return s, nil
}

// rowKeys returns the encoded primary keys (all columns for a table without
// one) of at most limit rows of t.
func rowKeys(ctx context.Context, q sqldb.Querier, t sqldb.Table, limit int) (map[string]bool, error) {
	names := t.PrimaryKey
	if len(names) == 0 {
		for _, c := range t.Columns {
			names = append(names, c.Name)
		}
	}
	kinds := map[string]sqldb.ColumnKind{}
	for _, c := range t.Columns {
		kinds[c.Name] = c.Kind
	}
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = sqldb.QuoteIdent(n)
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s LIMIT %d", strings.Join(quoted, ", "), sqldb.QuoteIdent(t.Name), limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[string]bool{}
	raw := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		enc := make([]any, len(raw))
		for i, v := range raw {
			if enc[i], err = encodeValue(kinds[names[i]], v); err != nil {
				return nil, err
			}
		}
		b, err := json.Marshal(enc)
		if err != nil {
			return nil, err
		}
		keys[string(b)] = true
	}
	return keys, rows.Err()
}

// clearSeed refuses a database that holds rows of its own and deletes the
// seed rows of one that does not, children first, so the archive's rows
// (which include their own version of the seed) can be loaded.
func clearSeed(ctx context.Context, tx *sqldb.Tx, tables []sqldb.Table, s seed) error {
	var seeded []sqldb.Table
	for _, t := range tables {
		keys, err := rowKeys(ctx, tx, t, len(s[t.Name])+1)
		if err != nil {
			return fmt.Errorf("look into table %s: %w", t.Name, err)
		}
		for k := range keys {
			if !s[t.Name][k] {
				return notEmpty(ctx, tx, t.Name)
			}
		}
		if len(keys) > 0 {
			seeded = append(seeded, t)
		}
	}
	for i := len(seeded) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+sqldb.QuoteIdent(seeded[i].Name)); err != nil {
			return fmt.Errorf("clear seed rows of %s: %w", seeded[i].Name, err)
		}
	}
	return nil
}

func notEmpty(ctx context.Context, q sqldb.Querier, table string) error {
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+sqldb.QuoteIdent(table)).Scan(&n); err != nil {
		return fmt.Errorf("count rows of %s: %w", table, err)
	}
	rows := "rows"
	if n == 1 {
		rows = "row"
	}
	return backoffice.Errorf(backoffice.EConflict, "database is not empty: table %s has %d %s; restore only into a new database that was just migrated", table, n, rows)
}
