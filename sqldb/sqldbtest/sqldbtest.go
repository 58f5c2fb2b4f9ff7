// Package sqldbtest gives tests fresh, migrated databases: a new SQLite file
// per test, and, when BACKOFFICE_TEST_POSTGRES names a PostgreSQL server, a
// new schema per test inside one database per test package. Each runs the
// same test body on both dialects.
//
// Under CI=true a missing BACKOFFICE_TEST_POSTGRES fails the test instead of
// skipping it, so CI cannot turn green without proving PostgreSQL.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"backoffice/sqldb"
)

// EnvPostgres names the environment variable with the PostgreSQL server URL.
const EnvPostgres = "BACKOFFICE_TEST_POSTGRES"

// Each runs fn as subtest "sqlite" with a fresh SQLite database and, when
// PostgreSQL is configured, as subtest "postgres" with a fresh schema.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite returns a migrated SQLite database in a file under t.TempDir().
func SQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// Postgres returns a migrated PostgreSQL database confined to a new schema.
// It skips the test when BACKOFFICE_TEST_POSTGRES is unset, except under
// CI=true, where it fails.
func Postgres(t testing.TB) *sqldb.DB {
	t.Helper()
	return open(t, PostgresDSN(t))
}

// PostgresDSN creates a new empty schema in the package's database and returns
// a DSN whose search_path points at it. The schema is dropped after the test.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set; CI must test PostgreSQL", EnvPostgres)
		}
		t.Skipf("%s not set: PostgreSQL part skipped", EnvPostgres)
	}
	dbURL, err := packageDatabase(base)
	if err != nil {
		t.Fatalf("PostgreSQL test database: %v", err)
	}
	schema := "t_" + randomHex(6)
	admin, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", dbURL)
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = c.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	return withParam(dbURL, "search_path", schema)
}

// SQLitePath returns a fresh SQLite DSN in t.TempDir() without opening it.
func SQLitePath(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

func open(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// packageDatabases remembers, per test binary, the database created for it.
var packageDatabases sync.Map

var unsafeName = regexp.MustCompile(`[^a-z0-9_]+`)

// packageDatabase returns the URL of this test package's own database,
// creating it on first use. Packages run in parallel processes, so each needs
// its own database; the name derives from the package directory.
func packageDatabase(base string) (string, error) {
	wd, _ := os.Getwd()
	if v, ok := packageDatabases.Load(wd); ok {
		return v.(string), nil
	}
	sum := sha256.Sum256([]byte(wd))
	name := "bo_test_" + unsafeName.ReplaceAllString(strings.ToLower(filepath.Base(wd)), "_") + "_" + hex.EncodeToString(sum[:4])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRow("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", fmt.Errorf("reach %s: %w", sqldb.Redact(base), err)
	}
	if !exists {
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil && !strings.Contains(err.Error(), "already exists") {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	packageDatabases.Store(wd, u.String())
	return u.String(), nil
}

func withParam(raw, key, value string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
