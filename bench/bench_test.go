package bench

import (
	"strings"
	"testing"

	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// BenchmarkCases runs every Case on SQLite and, when BACKOFFICE_TEST_POSTGRES
// is set, on PostgreSQL, each on a fresh database.
func BenchmarkCases(b *testing.B) {
	for _, c := range Cases() {
		b.Run(c.Name, func(b *testing.B) {
			b.Run("sqlite", func(b *testing.B) { measure(b, c, sqldbtest.SQLite(b)) })
			b.Run("postgres", func(b *testing.B) { measure(b, c, sqldbtest.Postgres(b)) })
		})
	}
}

func measure(b *testing.B, c Case, db *sqldb.DB) {
	v := c.Run(b, db)
	b.ReportMetric(v, strings.ReplaceAll(c.Unit, " ", "_"))
	b.Logf("%.1f %s; target: %s", v, c.Unit, c.Target)
}
