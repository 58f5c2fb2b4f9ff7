package backup

import (
	"context"
	"encoding/json"
	"fmt"

	"backoffice"
	"backoffice/sqldb"
)

// maxParams keeps a multi-row INSERT under both engines' limits on bound
// parameters (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// loadTable inserts the rows of one table block, whose header was just read,
// up to and including its end marker, and returns how many rows it held.
func (l *loader) loadTable(ctx context.Context, name string, header map[string]any) (int64, error) {
	t, ok := l.tables[name]
	if !ok || !included(name) {
		return 0, backoffice.Errorf(backoffice.EConflict, "the backup has table %s, which this database lacks: the schemas differ", name)
	}
	names, _ := header["columns"].([]any)
	cols, err := columnsOf(t, names)
	if err != nil {
		return 0, err
	}
	perInsert := max(1, min(batchRows, maxParams/max(1, len(cols))))
	batch := make([]any, 0, perInsert*len(cols))
	var n int64
	flush := func() error {
		rows := len(batch) / max(1, len(cols))
		if rows == 0 {
			return nil
		}
		if _, err := l.tx.ExecContext(ctx, insertSQL(name, cols, rows), batch...); err != nil {
			return fmt.Errorf("restore table %s near row %d: %w", name, n, err)
		}
		batch = batch[:0]
		if l.progress != nil {
			l.progress(name, n)
		}
		return nil
	}
	for {
		var v any
		if err := l.dec.Decode(&v); err != nil {
			return 0, damaged(fmt.Sprintf("table %s breaks off after %d rows", name, n), err)
		}
		switch x := v.(type) {
		case []any:
			if err := appendRow(&batch, cols, x); err != nil {
				return 0, damaged(fmt.Sprintf("row %d of table %s is wrong: %v", n+1, name, err), err)
			}
			n++
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		case map[string]any:
			if err := checkEnd(x, name, n); err != nil {
				return 0, err
			}
			return n, flush()
		default:
			return 0, damaged(fmt.Sprintf("table %s holds a %T where a row was expected", name, v), nil)
		}
	}
}

func appendRow(batch *[]any, cols []sqldb.Column, row []any) error {
	if len(row) != len(cols) {
		return fmt.Errorf("%d values for %d columns", len(row), len(cols))
	}
	for i, v := range row {
		d, err := decodeValue(cols[i].Kind, v)
		if err != nil {
			return fmt.Errorf("column %s: %w", cols[i].Name, err)
		}
		*batch = append(*batch, d)
	}
	return nil
}

func checkEnd(m map[string]any, table string, n int64) error {
	end, _ := m["end"].(string)
	rows, _ := m["rows"].(json.Number)
	if end != table || rows.String() != fmt.Sprint(n) {
		return damaged(fmt.Sprintf("table %s should end with %s rows but has %d", table, rows, n), nil)
	}
	return nil
}
