package sqldb_test

import (
	"context"
	"reflect"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestTables_DescribeColumnsKeysAndReferences(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, stmt := range []string{
			`CREATE TABLE cat_parent (a TEXT NOT NULL, b INTEGER NOT NULL, ok BOOLEAN, PRIMARY KEY (b, a))`,
			`CREATE TABLE cat_child (id INTEGER PRIMARY KEY, pa TEXT, pb INTEGER, at TIMESTAMP, d DATE, raw ` + map[sqldb.Dialect]string{sqldb.SQLite: "BLOB", sqldb.Postgres: "BYTEA"}[db.Dialect()] + `, amount NUMERIC(12,2),
				company_id BIGINT REFERENCES companies (id), FOREIGN KEY (pb, pa) REFERENCES cat_parent (b, a))`,
		} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				t.Fatal(err)
			}
		}
		tables, err := sqldb.Tables(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]sqldb.Table{}
		for _, tb := range tables {
			byName[tb.Name] = tb
		}
		parent, child := byName["cat_parent"], byName["cat_child"]
		if !reflect.DeepEqual(parent.PrimaryKey, []string{"b", "a"}) || len(parent.References) != 0 {
			t.Errorf("parent = %+v", parent)
		}
		var kinds []sqldb.ColumnKind
		for _, c := range child.Columns {
			kinds = append(kinds, c.Kind)
		}
		want := []sqldb.ColumnKind{sqldb.KindInteger, sqldb.KindText, sqldb.KindInteger, sqldb.KindTime, sqldb.KindDate, sqldb.KindBytes, sqldb.KindNumeric, sqldb.KindInteger}
		if !reflect.DeepEqual(kinds, want) {
			t.Errorf("child kinds = %v, want %v", kinds, want)
		}
		if !reflect.DeepEqual(child.PrimaryKey, []string{"id"}) || !reflect.DeepEqual(child.References, []string{"cat_parent", "companies"}) {
			t.Errorf("child = %+v", child)
		}
		if _, ok := byName["audit_log"]; !ok {
			t.Error("migrated table audit_log not listed")
		}
	})
}

func TestResetIdentities_NextInsertFollowsTheLargestID(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, `INSERT INTO companies (id, code, name, currency, created_at, updated_at) VALUES (41, 'A', 'A', 'EUR', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`); err != nil {
			t.Fatal(err)
		}
		if err := sqldb.ResetIdentities(ctx, db, []string{"companies", "audit_head"}); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := db.QueryRowContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES ('B', 'B', 'EUR', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id != 42 {
			t.Fatalf("new id %d, want 42", id)
		}
	})
}

func TestInSnapshot_DoesNotSeeLaterCommits(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		count := func(q sqldb.Querier) int {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM companies`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := db.InSnapshot(ctx, func(tx *sqldb.Tx) error {
			before := count(tx)
			if _, err := db.ExecContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES ('S', 'S', 'EUR', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`); err != nil {
				return err
			}
			if after := count(tx); after != before {
				t.Errorf("snapshot saw a later commit: %d -> %d rows", before, after)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
