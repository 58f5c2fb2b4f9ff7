package sqldb

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsUniqueViolation reports whether err is a unique or primary key violation
// on either dialect, so stores can answer "already exists" instead of failing.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	// modernc.org/sqlite reports SQLITE_CONSTRAINT_UNIQUE (2067) and
	// SQLITE_CONSTRAINT_PRIMARYKEY (1555) in its message.
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "(2067)") || strings.Contains(msg, "(1555)")
}

// IsForeignKeyViolation reports whether err is a foreign key violation on either dialect.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	return strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}
