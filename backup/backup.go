// Package backup writes the whole database to a portable archive and restores
// it into an empty database of either dialect: a SQLite installation can move
// to PostgreSQL and back without losing a row or breaking the change log's
// hash chain.
//
// The archive is gzip-compressed JSON lines:
//
//	{"format":"backoffice-backup","format_version":1,"schema_version":3,"dialect":"sqlite","created_at":"…"}
//	{"table":"companies","columns":["id","code",…],"kinds":["integer","text",…]}
//	[1,"ACME",…,{"$t":"2026-01-02T03:04:05.123456Z"}]
//	{"end":"companies","rows":1}
//	… one block per table, parents before children …
//	{"end_of_backup":true,"tables":4,"rows":1234}
//
// Values keep their type: integers are JSON numbers (exact to int64), text is
// a string, booleans are true/false, NULL is null, bytes are {"$b":base64},
// timestamps {"$t":RFC 3339 with nanoseconds, UTC}, dates {"$d":"2006-01-02"}
// and exact decimals {"$n":"12.50"}. The end markers let Restore tell a
// complete archive from a truncated one.
//
// Every table of ours is included, found in the catalog rather than listed.
// Left out are goose's version table (the target database has its own) and
// River's river_* tables: they hold job queue state (leases, retries, leader
// election) that belongs to the running cluster, and River recreates its
// periodic jobs at start; queued one-off jobs are not carried over.
package backup

import (
	"slices"
	"strings"
	"time"

	"backoffice/sqldb"
)

// Format identifies a Backoffice backup; FormatVersion is the version of the
// archive layout this release writes and reads.
const (
	Format        = "backoffice-backup"
	FormatVersion = 1
)

// batchRows is how many rows are read or inserted per statement: enough to
// keep round trips few, small enough to keep memory flat.
const batchRows = 500

// Manifest describes an archive: its header and the tables it holds.
type Manifest struct {
	Format        string       `json:"format"`
	FormatVersion int          `json:"format_version"`
	SchemaVersion int64        `json:"schema_version"` // goose migration version of the source
	Dialect       string       `json:"dialect"`        // "sqlite" or "postgres", the source
	CreatedAt     time.Time    `json:"created_at"`
	Tables        []TableCount `json:"tables,omitempty"` // in archive order; filled from the end markers
}

// Rows is the total number of rows in the archive.
func (m Manifest) Rows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

// TableCount is the number of rows of one table in an archive.
type TableCount struct {
	Name string `json:"name"`
	Rows int64  `json:"rows"`
}

// tableHeader starts a table's block in the archive.
type tableHeader struct {
	Table   string             `json:"table"`
	Columns []string           `json:"columns"`
	Kinds   []sqldb.ColumnKind `json:"kinds"`
}

// tableEnd closes a table's block.
type tableEnd struct {
	End  string `json:"end"`
	Rows int64  `json:"rows"`
}

// trailer closes the archive.
type trailer struct {
	EndOfBackup bool  `json:"end_of_backup"`
	Tables      int   `json:"tables"`
	Rows        int64 `json:"rows"`
}

// included reports whether a table belongs in a backup.
func included(name string) bool {
	return name != "goose_db_version" && !strings.HasPrefix(name, "river_")
}

// ordered returns the tables to back up, each after the tables it references,
// ties broken by name. Tables in a reference cycle come last, by name;
// Restore defers foreign key checks where the engine allows it.
func ordered(all []sqldb.Table) []sqldb.Table {
	pending := map[string]sqldb.Table{}
	for _, t := range all {
		if included(t.Name) {
			pending[t.Name] = t
		}
	}
	var out []sqldb.Table
	for len(pending) > 0 {
		var ready []sqldb.Table
		for _, t := range pending {
			if refsDone(t, pending) {
				ready = append(ready, t)
			}
		}
		if len(ready) == 0 { // a cycle: take the rest as they come
			for _, t := range pending {
				ready = append(ready, t)
			}
		}
		slices.SortFunc(ready, func(a, b sqldb.Table) int { return strings.Compare(a.Name, b.Name) })
		for _, t := range ready {
			out = append(out, t)
			delete(pending, t.Name)
		}
	}
	return out
}

func refsDone(t sqldb.Table, pending map[string]sqldb.Table) bool {
	for _, r := range t.References {
		if _, waiting := pending[r]; waiting && r != t.Name {
			return false
		}
	}
	return true
}
