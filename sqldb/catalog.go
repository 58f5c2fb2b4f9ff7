package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// ColumnKind is a column's type reduced to what both dialects can hold, so
// tools that copy rows between dialects (backup, restore) know how to carry
// each value.
type ColumnKind string

// The column kinds. A type neither dialect maps to one of these is KindText.
const (
	KindInteger ColumnKind = "integer" // INTEGER, BIGINT, SMALLINT
	KindText    ColumnKind = "text"    // TEXT, VARCHAR, JSON and anything else
	KindBool    ColumnKind = "bool"    // BOOLEAN (0/1 on SQLite)
	KindTime    ColumnKind = "time"    // TIMESTAMP, TIMESTAMPTZ, DATETIME
	KindDate    ColumnKind = "date"    // DATE (text on SQLite)
	KindBytes   ColumnKind = "bytes"   // BLOB, BYTEA
	KindNumeric ColumnKind = "numeric" // NUMERIC, DECIMAL: exact, carried as text
	KindReal    ColumnKind = "real"    // REAL, DOUBLE PRECISION
)

// Column is one column of a table in the catalog.
type Column struct {
	Name     string
	DeclType string // as declared (SQLite) or information_schema.data_type (PostgreSQL)
	Kind     ColumnKind
}

// Table is one table in the catalog of the current database (SQLite) or
// schema (PostgreSQL).
type Table struct {
	Name       string
	Columns    []Column // in declaration order
	PrimaryKey []string // primary key columns in key order; empty when none
	References []string // tables this one has foreign keys to (may include itself)
}

// KindOf maps a declared column type of either dialect to its ColumnKind.
func KindOf(declType string) ColumnKind {
	t := strings.ToLower(strings.TrimSpace(declType))
	switch {
	case strings.Contains(t, "bool"):
		return KindBool
	case strings.HasPrefix(t, "timestamp"), strings.HasPrefix(t, "datetime"):
		return KindTime
	case t == "date":
		return KindDate
	case strings.Contains(t, "int"):
		return KindInteger
	case t == "blob", t == "bytea":
		return KindBytes
	case strings.HasPrefix(t, "numeric"), strings.HasPrefix(t, "decimal"):
		return KindNumeric
	case t == "real", strings.HasPrefix(t, "double"), strings.HasPrefix(t, "float"):
		return KindReal
	}
	return KindText
}

// Tables lists every table of the database (SQLite, without its internal
// sqlite_ tables) or of the current schema (PostgreSQL), sorted by name, with
// columns, primary key and foreign key targets.
func Tables(ctx context.Context, q Querier) ([]Table, error) {
	var names []string
	var err error
	if q.Dialect() == Postgres {
		names, err = strings1(ctx, q, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	} else {
		names, err = strings1(ctx, q, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`)
	}
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	sort.Strings(names)
	tables := make([]Table, 0, len(names))
	for _, name := range names {
		t, err := describe(ctx, q, name)
		if err != nil {
			return nil, fmt.Errorf("describe table %s: %w", name, err)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

func describe(ctx context.Context, q Querier, name string) (Table, error) {
	t := Table{Name: name}
	if q.Dialect() == Postgres {
		return t, describePostgres(ctx, q, &t)
	}
	rows, err := q.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, name)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	pk := map[int]string{}
	for rows.Next() {
		var c Column
		var pos int
		if err := rows.Scan(&c.Name, &c.DeclType, &pos); err != nil {
			return t, err
		}
		c.Kind = KindOf(c.DeclType)
		t.Columns = append(t.Columns, c)
		if pos > 0 {
			pk[pos] = c.Name
		}
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	for i := 1; i <= len(pk); i++ {
		t.PrimaryKey = append(t.PrimaryKey, pk[i])
	}
	t.References, err = strings1(ctx, q, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?) ORDER BY 1`, name)
	return t, err
}

func describePostgres(ctx context.Context, q Querier, t *Table) error {
	rows, err := q.QueryContext(ctx, `SELECT column_name, data_type FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, t.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Name, &c.DeclType); err != nil {
			return err
		}
		c.Kind = KindOf(c.DeclType)
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rel := `(SELECT c.oid FROM pg_class c WHERE c.relname = ? AND c.relnamespace = current_schema()::regnamespace)`
	t.PrimaryKey, err = strings1(ctx, q, `SELECT a.attname FROM pg_index i
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
		WHERE i.indrelid = `+rel+` AND i.indisprimary
		ORDER BY array_position(i.indkey::int2[], a.attnum)`, t.Name)
	if err != nil {
		return err
	}
	t.References, err = strings1(ctx, q, `SELECT DISTINCT r.relname FROM pg_constraint f JOIN pg_class r ON r.oid = f.confrelid
		WHERE f.conrelid = `+rel+` AND f.contype = 'f' ORDER BY 1`, t.Name)
	return err
}

// strings1 runs a query returning one text column.
func strings1(ctx context.Context, q Querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// QuoteIdent quotes a table or column name for either dialect.
func QuoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// ResetIdentities moves every identity (or serial) sequence of the named
// tables past the largest value stored, so inserts after a bulk load with
// explicit ids do not collide. SQLite needs nothing: a rowid key continues
// from the largest stored id.
func ResetIdentities(ctx context.Context, q Querier, tables []string) error {
	if q.Dialect() != Postgres {
		return nil
	}
	for _, t := range tables {
		cols, err := strings1(ctx, q, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ?
			AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')`, t)
		if err != nil {
			return fmt.Errorf("find identity columns of %s: %w", t, err)
		}
		for _, c := range cols {
			stmt := `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(` + QuoteIdent(c) + `), 0) + 1, false) FROM ` + QuoteIdent(t)
			if _, err := q.ExecContext(ctx, stmt, QuoteIdent(t), c); err != nil {
				return fmt.Errorf("reset identity %s.%s: %w", t, c, err)
			}
		}
	}
	return nil
}

// DeferForeignKeys postpones foreign key checks to the end of tx where the
// engine allows it (SQLite: all of them; PostgreSQL: constraints declared
// DEFERRABLE), so rows may be loaded before the rows they reference.
func DeferForeignKeys(ctx context.Context, tx *Tx) error {
	stmt := `PRAGMA defer_foreign_keys = ON`
	if tx.dialect == Postgres {
		stmt = `SET CONSTRAINTS ALL DEFERRED`
	}
	_, err := tx.ExecContext(ctx, stmt)
	return err
}

// InSnapshot runs fn in a read-only transaction that sees one consistent
// state of the database however long it runs, without blocking writers:
// REPEATABLE READ on PostgreSQL, a deferred read transaction on SQLite (WAL).
func (db *DB) InSnapshot(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	stx, err := db.db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin snapshot: %w", err)
	}
	defer stx.Rollback()
	return fn(&Tx{tx: stx, dialect: db.dialect})
}
