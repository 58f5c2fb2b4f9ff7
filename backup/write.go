package backup

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"backoffice/sqldb"
)

// Write streams every table of db to w as a backup archive and returns its
// manifest. It reads one consistent snapshot without blocking writers, in
// primary key order, a batch at a time, so memory stays flat however large
// the database. progress, when not nil, is called after each batch with the
// table and the rows written of it so far.
func Write(ctx context.Context, db *sqldb.DB, w io.Writer, progress func(table string, rows int64)) (Manifest, error) {
	version, err := db.MigrationVersion(ctx)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: read schema version: %w", err)
	}
	m := Manifest{Format: Format, FormatVersion: FormatVersion, SchemaVersion: version, Dialect: string(db.Dialect()), CreatedAt: time.Now().UTC()}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return Manifest{}, fmt.Errorf("backup: write header: %w", err)
	}
	err = db.InSnapshot(ctx, func(tx *sqldb.Tx) error {
		tables, err := sqldb.Tables(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range ordered(tables) {
			n, err := writeTable(ctx, tx, enc, t, progress)
			if err != nil {
				return fmt.Errorf("table %s: %w", t.Name, err)
			}
			m.Tables = append(m.Tables, TableCount{Name: t.Name, Rows: n})
		}
		return nil
	})
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	if err := enc.Encode(trailer{EndOfBackup: true, Tables: len(m.Tables), Rows: m.Rows()}); err != nil {
		return Manifest{}, fmt.Errorf("backup: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return Manifest{}, fmt.Errorf("backup: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return Manifest{}, fmt.Errorf("backup: write: %w", err)
	}
	return m, nil
}

// writeTable writes one table's block: header, rows in key order, end marker.
func writeTable(ctx context.Context, tx *sqldb.Tx, enc *json.Encoder, t sqldb.Table, progress func(string, int64)) (int64, error) {
	h := tableHeader{Table: t.Name}
	for _, c := range t.Columns {
		h.Columns = append(h.Columns, c.Name)
		h.Kinds = append(h.Kinds, c.Kind)
	}
	if err := enc.Encode(h); err != nil {
		return 0, err
	}
	var n int64
	page := pager{table: t}
	for {
		rows, err := page.next(ctx, tx)
		if err != nil {
			return n, err
		}
		for _, row := range rows {
			if err := enc.Encode(row); err != nil {
				return n, err
			}
		}
		n += int64(len(rows))
		if progress != nil && len(rows) > 0 {
			progress(t.Name, n)
		}
		if len(rows) < batchRows {
			break
		}
	}
	return n, enc.Encode(tableEnd{End: t.Name, Rows: n})
}

// pager reads a table in primary key order with keyset pagination (or, for a
// table without a key, ordered by every column with an offset).
type pager struct {
	table  sqldb.Table
	after  []any // key of the last row read
	offset int
}

func (p *pager) next(ctx context.Context, tx *sqldb.Tx) ([][]any, error) {
	t := p.table
	query, args := p.query()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	index := map[string]int{}
	for i, c := range t.Columns {
		index[c.Name] = i
	}
	var out [][]any
	raw := make([]any, len(t.Columns))
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]any, len(raw))
		for i, v := range raw {
			if row[i], err = encodeValue(t.Columns[i].Kind, v); err != nil {
				return nil, fmt.Errorf("column %s: %w", t.Columns[i].Name, err)
			}
		}
		out = append(out, row)
		p.after = p.after[:0]
		for _, k := range t.PrimaryKey {
			p.after = append(p.after, raw[index[k]])
		}
	}
	p.offset += len(out)
	return out, rows.Err()
}

// query is the SELECT for the next page and its arguments.
func (p *pager) query() (string, []any) {
	t := p.table
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = sqldb.QuoteIdent(c.Name)
	}
	key := make([]string, len(t.PrimaryKey))
	for i, k := range t.PrimaryKey {
		key[i] = sqldb.QuoteIdent(k)
	}
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + sqldb.QuoteIdent(t.Name)
	switch {
	case len(key) == 0:
		return query + fmt.Sprintf(" ORDER BY %s LIMIT %d OFFSET %d", strings.Join(cols, ", "), batchRows, p.offset), nil
	case p.after != nil:
		query += fmt.Sprintf(" WHERE (%s) > (%s)", strings.Join(key, ", "), strings.TrimSuffix(strings.Repeat("?, ", len(key)), ", "))
	}
	return query + fmt.Sprintf(" ORDER BY %s LIMIT %d", strings.Join(key, ", "), batchRows), p.after
}
