package backup

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

// Restore loads a backup archive into db, which must be migrated to the
// archive's schema version and hold no data of its own (only what migrations
// put there). Either dialect may restore an archive of either dialect. It runs
// in one transaction: a damaged, truncated or refused archive changes nothing.
// On PostgreSQL the identity sequences are moved past the restored ids.
// progress, when not nil, is called after each batch with the table and the
// rows restored of it so far.
func Restore(ctx context.Context, db *sqldb.DB, r io.Reader, progress func(table string, rows int64)) (Manifest, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return Manifest{}, damaged("it is not a gzip file", err)
	}
	dec := json.NewDecoder(zr)
	dec.UseNumber()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return Manifest{}, damaged("its header cannot be read", err)
	}
	if err := checkHeader(ctx, db, m); err != nil {
		return Manifest{}, err
	}
	seed, err := seedRows(ctx)
	if err != nil {
		return Manifest{}, err
	}
	err = db.InTx(ctx, func(tx *sqldb.Tx) error {
		all, err := sqldb.Tables(ctx, tx)
		if err != nil {
			return err
		}
		tables := ordered(all)
		if err := clearSeed(ctx, tx, tables, seed); err != nil {
			return err
		}
		if err := sqldb.DeferForeignKeys(ctx, tx); err != nil {
			return fmt.Errorf("defer foreign keys: %w", err)
		}
		l := &loader{tx: tx, dec: dec, tables: map[string]sqldb.Table{}, progress: progress}
		for _, t := range tables {
			l.tables[t.Name] = t
		}
		if m.Tables, err = l.load(ctx); err != nil {
			return err
		}
		if err := drain(zr); err != nil {
			return err
		}
		names := make([]string, len(m.Tables))
		for i, t := range m.Tables {
			names[i] = t.Name
		}
		return sqldb.ResetIdentities(ctx, tx, names)
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("restore: %w", err)
	}
	return m, nil
}

// checkHeader refuses archives of another format, a newer layout, or another
// schema version than the database's.
func checkHeader(ctx context.Context, db *sqldb.DB, m Manifest) error {
	if m.Format != Format {
		return backoffice.Errorf(backoffice.EInvalid, "this file is not a Backoffice backup (format %q)", m.Format)
	}
	if m.FormatVersion != FormatVersion {
		return backoffice.Errorf(backoffice.EUnsupported, "the backup has format version %d; this release reads version %d: restore it with the release that wrote it", m.FormatVersion, FormatVersion)
	}
	have, err := db.MigrationVersion(ctx)
	if err != nil {
		return fmt.Errorf("restore: read schema version: %w", err)
	}
	switch {
	case m.SchemaVersion > have:
		return backoffice.Errorf(backoffice.EConflict, "the backup is schema version %d, the database is %d: run migrate first (upgrade backoffice if it has no newer migrations)", m.SchemaVersion, have)
	case m.SchemaVersion < have:
		return backoffice.Errorf(backoffice.EConflict, "the backup is schema version %d, the database is %d: restore into a database of version %d with the release that wrote the backup, then upgrade", m.SchemaVersion, have, m.SchemaVersion)
	}
	return nil
}

// damaged is the error for an archive that cannot be read to its end.
func damaged(what string, err error) error {
	return &backoffice.Error{Code: backoffice.EInvalid, Message: "the backup file is damaged or incomplete: " + what + "; nothing was restored", Err: err}
}

// drain reads the compressed stream to its end so gzip checks its checksum.
func drain(zr *gzip.Reader) error {
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return damaged("its checksum does not match", err)
	}
	return nil
}

// loader reads table blocks from the archive and inserts their rows.
type loader struct {
	tx       *sqldb.Tx
	dec      *json.Decoder
	tables   map[string]sqldb.Table // target tables by name
	progress func(string, int64)
}

// load reads every table block up to the trailer and returns the counts.
func (l *loader) load(ctx context.Context) ([]TableCount, error) {
	var counts []TableCount
	for {
		var line map[string]any
		if err := l.dec.Decode(&line); err != nil {
			return nil, l.readError(err, counts)
		}
		if _, ok := line["end_of_backup"]; ok {
			return counts, checkTrailer(line, counts)
		}
		name, _ := line["table"].(string)
		if name == "" {
			return nil, damaged(fmt.Sprintf("a table header was expected after %s", lastTable(counts)), nil)
		}
		n, err := l.loadTable(ctx, name, line)
		if err != nil {
			return nil, err
		}
		counts = append(counts, TableCount{Name: name, Rows: n})
	}
}

func (l *loader) readError(err error, counts []TableCount) error {
	if errors.Is(err, io.EOF) {
		return damaged(fmt.Sprintf("it ends after %s without its end marker (truncated?)", lastTable(counts)), err)
	}
	return damaged(fmt.Sprintf("it cannot be read after %s", lastTable(counts)), err)
}

func lastTable(counts []TableCount) string {
	if len(counts) == 0 {
		return "the header"
	}
	return "table " + counts[len(counts)-1].Name
}

func checkTrailer(line map[string]any, counts []TableCount) error {
	var total int64
	for _, c := range counts {
		total += c.Rows
	}
	tables, _ := line["tables"].(json.Number)
	rows, _ := line["rows"].(json.Number)
	if tables.String() != fmt.Sprint(len(counts)) || rows.String() != fmt.Sprint(total) {
		return damaged(fmt.Sprintf("it should hold %s tables and %s rows but holds %d and %d", tables, rows, len(counts), total), nil)
	}
	return nil
}

// columnsOf maps the archive's column names to the target table's columns.
func columnsOf(t sqldb.Table, names []any) ([]sqldb.Column, error) {
	byName := map[string]sqldb.Column{}
	for _, c := range t.Columns {
		byName[c.Name] = c
	}
	cols := make([]sqldb.Column, len(names))
	for i, n := range names {
		s, _ := n.(string)
		c, ok := byName[s]
		if !ok {
			return nil, backoffice.Errorf(backoffice.EConflict, "the backup has column %s.%s, which this database lacks: the schemas differ", t.Name, s)
		}
		cols[i] = c
	}
	return cols, nil
}

// insertSQL builds a multi-row INSERT for rows rows of cols.
func insertSQL(table string, cols []sqldb.Column, rows int) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = sqldb.QuoteIdent(c.Name)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	return "INSERT INTO " + sqldb.QuoteIdent(table) + " (" + strings.Join(names, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}
