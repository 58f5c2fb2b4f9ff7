package backup_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/backup"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// fill writes data into several tables: companies, the change log through
// Append, and idempotency keys with binary responses.
func fill(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 5, Name: "ann@example.com"})
	at := time.Date(2026, 2, 3, 4, 5, 6, 789012000, time.UTC)
	log := &audit.Log{Now: func() time.Time { at = at.Add(1234567 * time.Nanosecond); return at }}
	for i, name := range []string{"Acme GmbH", "Zoë & Søn ApS", "\"Quoted\", Ltd\n2nd line"} {
		at := at.Truncate(time.Microsecond) // PostgreSQL keeps microseconds
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			var id int64
			if err := tx.QueryRowContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at, version) VALUES (?, ?, 'EUR', ?, ?, ?) RETURNING id`,
				fmt.Sprintf("C%d", i), name, at, at.Add(time.Hour), int64(1)<<40+int64(i)).Scan(&id); err != nil {
				return err
			}
			_, err := log.Append(ctx, tx,
				audit.Change{CompanyID: backoffice.ID(id), Entity: "company", EntityID: fmt.Sprint(id), Action: "create", New: map[string]any{"name": name}},
				audit.Change{CompanyID: backoffice.ID(id), Entity: "company", EntityID: fmt.Sprint(id), Action: "update", Old: map[string]any{"x": 1}, New: map[string]any{"x": 2}, Reason: "ünïcode"},
			)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for i, body := range [][]byte{{0, 1, 2, 0xff, 0xfe}, []byte(`{"ok":true}`), {}} {
		if _, err := db.ExecContext(ctx, `INSERT INTO idempotency_keys (principal, idem_key, method, path, body_hash, status, content_type, response, created_at) VALUES (?, ?, 'POST', '/api/v1/x', 'h', ?, 'application/json', ?, ?)`,
			"user:5", fmt.Sprintf("key-%d", i), 200+i, body, at.Truncate(time.Microsecond)); err != nil {
			t.Fatal(err)
		}
	}
}

// addKindsTable creates, on src and dst alike, a table with every column kind
// and a composite key, and fills it on src, so each kind crosses dialects.
func addKindsTable(t *testing.T, src, dst *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	for _, db := range []*sqldb.DB{src, dst} {
		bytesType, realType := "BLOB", "REAL"
		if db.Dialect() == sqldb.Postgres {
			bytesType, realType = "BYTEA", "DOUBLE PRECISION"
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE bk_kinds (k1 TEXT NOT NULL, k2 BIGINT NOT NULL, flag BOOLEAN, day DATE, amount NUMERIC(14,2),
			ratio `+realType+`, raw `+bytesType+`, at TIMESTAMP, big BIGINT, PRIMARY KEY (k1, k2))`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `CREATE TABLE bk_nokey (note TEXT, n INTEGER)`); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := src.ExecContext(ctx, `INSERT INTO bk_nokey VALUES ('same', 1), ('same', 1), (NULL, 2)`); err != nil {
		t.Fatal(err)
	}
	at := time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC)
	for i := range 700 { // more than one batch of 500
		flag := any(i%3 == 0)
		if i%7 == 0 {
			flag = nil
		}
		if _, err := src.ExecContext(ctx, `INSERT INTO bk_kinds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			fmt.Sprintf("k%03d", i%17), int64(i), flag, "2026-02-28", "-1234.50", 0.25, []byte{byte(i), 0}, at.Add(time.Duration(i)*time.Hour), int64(-1)<<62-int64(i)); err != nil {
			t.Fatal(err)
		}
	}
}

// dump reads every table of ours into comparable text, independent of the
// dialect: booleans as true/false, times in UTC to the nanosecond, bytes in hex.
func dump(t *testing.T, db *sqldb.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	tables, err := sqldb.Tables(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, tb := range tables {
		if tb.Name == "goose_db_version" || strings.HasPrefix(tb.Name, "river_") {
			continue
		}
		order := strings.Join(tb.PrimaryKey, ", ")
		if order == "" {
			order = "2, 1" // bk_nokey: n is never NULL, and engines sort NULLs apart
		}
		rows, err := db.QueryContext(ctx, "SELECT * FROM "+tb.Name+" ORDER BY "+order)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, len(tb.Columns))
			ptrs := make([]any, len(vals))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var cells []string
			for i, v := range vals {
				cells = append(cells, tb.Columns[i].Name+"="+normal(tb.Columns[i].Kind, v))
			}
			out[tb.Name] = append(out[tb.Name], strings.Join(cells, " | "))
		}
		rows.Close()
	}
	return out
}

func normal(kind sqldb.ColumnKind, v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []byte:
		if kind == sqldb.KindBytes {
			return "0x" + hex.EncodeToString(x)
		}
		return string(x)
	case int64:
		if kind == sqldb.KindBool {
			return fmt.Sprint(x != 0)
		}
	}
	if kind == sqldb.KindNumeric {
		// SQLite's NUMERIC affinity stores 1234.50 as the number 1234.5.
		s := fmt.Sprint(v)
		if strings.Contains(s, ".") {
			s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
	return fmt.Sprint(v)
}

func archive(t *testing.T, db *sqldb.DB) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := backup.Write(context.Background(), db, &b, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRestore_RoundTripsEveryRowBetweenDialects(t *testing.T) {
	open := map[string]func(testing.TB) *sqldb.DB{"sqlite": sqldbtest.SQLite, "postgres": sqldbtest.Postgres}
	for _, c := range [][2]string{{"sqlite", "sqlite"}, {"sqlite", "postgres"}, {"postgres", "sqlite"}, {"postgres", "postgres"}} {
		t.Run(c[0]+" to "+c[1], func(t *testing.T) {
			ctx := context.Background()
			src, dst := open[c[0]](t), open[c[1]](t)
			fill(t, src)
			addKindsTable(t, src, dst)
			var progressed []string
			m, err := backup.Write(ctx, src, io.Discard, func(table string, rows int64) { progressed = append(progressed, table) })
			if err != nil {
				t.Fatal(err)
			}
			if m.Rows() < 715 || len(progressed) == 0 || m.Dialect != c[0] {
				t.Fatalf("manifest %+v, progress %v", m, progressed)
			}
			got, err := backup.Restore(ctx, dst, bytes.NewReader(archive(t, src)), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Tables, m.Tables) {
				t.Errorf("restored %+v, wrote %+v", got.Tables, m.Tables)
			}
			want, have := dump(t, src), dump(t, dst)
			for table, rows := range want {
				if !reflect.DeepEqual(rows, have[table]) {
					t.Errorf("table %s differs after restore:\nwant %q\nhave %q", table, rows, have[table])
				}
			}
			res, err := audit.Verify(ctx, dst, nil)
			if err != nil || !res.OK || res.Records != 6 {
				t.Fatalf("verify after restore: %+v %+v %v", res, res.Problem, err)
			}
			var id int64
			if err := dst.QueryRowContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES ('NEW', 'New', 'EUR', ?, ?) RETURNING id`, time.Now().UTC(), time.Now().UTC()).Scan(&id); err != nil {
				t.Fatalf("insert after restore collides: %v", err)
			}
			if id != 4 {
				t.Errorf("new company id %d, want 4", id)
			}
		})
	}
}

func TestRestore_RefusesANonEmptyDatabaseAndChangesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, dst *sqldb.DB) {
		src := sqldbtest.SQLite(t)
		fill(t, src)
		ctx := context.Background()
		if _, err := dst.ExecContext(ctx, `INSERT INTO companies (code, name, currency, created_at, updated_at) VALUES ('MINE', 'Mine', 'EUR', ?, ?)`, time.Now().UTC(), time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		before := dump(t, dst)
		_, err := backup.Restore(ctx, dst, bytes.NewReader(archive(t, src)), nil)
		if backoffice.ErrorCode(err) != backoffice.EConflict || !strings.Contains(err.Error(), "database is not empty: table companies has 1 row") {
			t.Fatalf("error %v", err)
		}
		if after := dump(t, dst); !reflect.DeepEqual(before, after) {
			t.Fatalf("refused restore changed the database:\n%v\n%v", before, after)
		}
	})
}

// recompress returns the archive with its JSON lines cut by edit.
func recompress(t *testing.T, data []byte, edit func([]string) []string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := edit(strings.Split(strings.TrimSuffix(string(plain), "\n"), "\n"))
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	io.WriteString(zw, strings.Join(lines, "\n")+"\n")
	zw.Close()
	return b.Bytes()
}

func TestRestore_RefusesDamagedArchivesAndChangesNothing(t *testing.T) {
	src := sqldbtest.SQLite(t)
	fill(t, src)
	good := archive(t, src)
	flipped := bytes.Clone(good)
	// A byte flipped in the compressed rows (past the header, whose damage
	// reads as another schema) is caught by the gzip checksum.
	flipped[len(flipped)*7/8] ^= 0x55
	cases := []struct {
		name, code, msg string
		data            []byte
	}{
		{"not gzip", backoffice.EInvalid, "not a gzip file", []byte("id,name\n1,x\n")},
		{"cut in half", backoffice.EInvalid, "damaged or incomplete", good[:len(good)/2]},
		{"flipped byte", backoffice.EInvalid, "damaged or incomplete", flipped},
		{"trailer missing", backoffice.EInvalid, "without its end marker", recompress(t, good, func(l []string) []string { return l[:len(l)-1] })},
		{"last table cut off", backoffice.EInvalid, "breaks off after 0 rows", recompress(t, good, func(l []string) []string { return l[:len(l)-2] })},
		{"a row missing", backoffice.EInvalid, "should end with", recompress(t, good, func(l []string) []string { return append(l[:2:2], l[3:]...) })},
		{"a row too short", backoffice.EInvalid, "values for", recompress(t, good, func(l []string) []string { l[2] = "[1]"; return l })},
		{"other file", backoffice.EInvalid, "not a Backoffice backup", recompress(t, good, func(l []string) []string {
			l[0] = strings.Replace(l[0], backup.Format, "other", 1)
			return l
		})},
		{"newer format", backoffice.EUnsupported, "format version 2; this release reads version 1", recompress(t, good, func(l []string) []string {
			l[0] = strings.Replace(l[0], `"format_version":1`, `"format_version":2`, 1)
			return l
		})},
		{"newer schema", backoffice.EConflict, "run migrate first", recompress(t, good, func(l []string) []string {
			l[0] = strings.Replace(l[0], `"schema_version":`, `"schema_version":99`, 1)
			return l
		})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, dst *sqldb.DB) {
				before := dump(t, dst)
				_, err := backup.Restore(context.Background(), dst, bytes.NewReader(c.data), nil)
				if backoffice.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.msg) {
					t.Fatalf("error %v (%s), want %s containing %q", err, backoffice.ErrorCode(err), c.code, c.msg)
				}
				if after := dump(t, dst); !reflect.DeepEqual(before, after) {
					t.Fatalf("failed restore changed the database:\n%v\n%v", before, after)
				}
			})
		})
	}
}
