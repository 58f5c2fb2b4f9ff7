package sqldb_test

import (
	"context"
	"errors"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestRebind_NumbersPlaceholdersOutsideQuotesAndComments(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"},
		{"SELECT '?' , \"a?\" FROM t WHERE x = ?", "SELECT '?' , \"a?\" FROM t WHERE x = $1"},
		{"SELECT ? -- what?\n, ?", "SELECT $1 -- what?\n, $2"},
		{"VALUES (?,?,?,?,?,?,?,?,?,?,?)", "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"},
	}
	for _, c := range cases {
		if got := sqldb.Rebind(sqldb.Postgres, c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := sqldb.Rebind(sqldb.SQLite, c.in); got != c.in {
			t.Errorf("SQLite rebind changed %q to %q", c.in, got)
		}
	}
}

func TestOpen_RejectsEmptyDSN(t *testing.T) {
	if _, err := sqldb.Open(context.Background(), ""); err == nil {
		t.Fatal("empty DSN accepted")
	}
}

func TestRedact_HidesPassword(t *testing.T) {
	got := sqldb.Redact("postgres://bob:secret@host/db")
	if got != "postgres://bob:xxxxx@host/db" {
		t.Fatalf("Redact = %q", got)
	}
}

func TestInTx_CommitsOrRollsBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		insert := func(tx *sqldb.Tx, code string) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES (?, ?, 'EUR', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, code, code)
			return err
		}
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error { return insert(tx, "A") }); err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			if err := insert(tx, "B"); err != nil {
				return err
			}
			return boom
		}); !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v, want boom", err)
		}
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM companies").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Fatalf("%d companies after one commit and one rollback, want 1", n)
		}
		err := db.InTx(ctx, func(tx *sqldb.Tx) error { return insert(tx, "A") })
		if !sqldb.IsUniqueViolation(err) {
			t.Fatalf("duplicate code: %v is not a unique violation", err)
		}
	})
}

func TestMigrate_IsIdempotent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Fatalf("second migration applied %v", applied)
		}
	})
}
