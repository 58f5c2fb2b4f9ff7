package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// appendRecords writes n records through Append, in two transactions so the
// chain spans commits.
func appendRecords(t *testing.T, db *sqldb.DB, n int) []audit.Record {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 3, Name: "eve@example.com"})
	clock := time.Date(2026, 3, 1, 8, 0, 0, 123456789, time.UTC)
	log := &audit.Log{Now: func() time.Time { clock = clock.Add(1500 * time.Nanosecond); return clock }}
	var all []audit.Record
	for _, part := range []int{n / 2, n - n/2} {
		changes := make([]audit.Change, part)
		for i := range changes {
			id := fmt.Sprint(len(all) + i + 1)
			changes[i] = audit.Change{CompanyID: 1, Entity: "thing", EntityID: id, Action: "create", New: map[string]any{"name": "thing " + id}}
		}
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			recs, err := log.Append(ctx, tx, changes...)
			all = append(all, recs...)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return all
}

func exec(t *testing.T, db *sqldb.DB, query string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// unprotect drops the triggers that refuse updates and deletes, as an
// attacker with the database owner's rights would before tampering.
func unprotect(t *testing.T, db *sqldb.DB) {
	t.Helper()
	on := ""
	if db.Dialect() == sqldb.Postgres {
		on = " ON audit_log"
	}
	exec(t, db, "DROP TRIGGER audit_log_no_update"+on)
	exec(t, db, "DROP TRIGGER audit_log_no_delete"+on)
}

// insertRecord writes r by hand, as an attacker with SQL access would.
func insertRecord(t *testing.T, db *sqldb.DB, r audit.Record) {
	t.Helper()
	exec(t, db, `INSERT INTO audit_log (seq, at, company_id, actor_name, entity, entity_id, action, old_values, new_values, reason, prev_hash, hash)
		VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.Seq, r.At, r.ActorName, r.Entity, r.EntityID, r.Action, string(r.Old), string(r.New), r.Reason, r.PrevHash, r.Hash)
}

func forged(seq int64, prev string) audit.Record {
	r := audit.Record{Seq: seq, At: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), CompanyID: 1, ActorName: "mallory",
		Entity: "thing", EntityID: "99", Action: "create", Old: []byte("{}"), New: []byte(`{"name":"forged"}`), PrevHash: prev}
	r.Hash = r.ComputeHash()
	return r
}

func TestVerify_PassesAnUntouchedLog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		appendRecords(t, db, 7)
		var calls []int64
		res, err := audit.Verify(context.Background(), db, func(done int64) { calls = append(calls, done) })
		if err != nil {
			t.Fatal(err)
		}
		if !res.OK || res.Records != 7 || res.Problem != nil {
			t.Fatalf("untouched log: %+v %+v", res, res.Problem)
		}
		if len(calls) == 0 || calls[len(calls)-1] != 7 {
			t.Errorf("progress calls %v, want last 7", calls)
		}
	})
}

func TestVerify_PassesAnEmptyLog(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		res, err := audit.Verify(context.Background(), db, nil)
		if err != nil || !res.OK || res.Records != 0 {
			t.Fatalf("empty log: %+v %v", res, err)
		}
	})
}

func TestVerify_NamesTheFirstTamperedRecord(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func(t *testing.T, db *sqldb.DB, recs []audit.Record)
		seq     int64
		kind    string
		message string
	}{
		{"edited value", func(t *testing.T, db *sqldb.DB, _ []audit.Record) {
			exec(t, db, `UPDATE audit_log SET new_values = '{"name":"stolen"}' WHERE seq = 4`)
		}, 4, audit.KindAltered, "record 4 was altered"},
		{"edited timestamp", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			exec(t, db, `UPDATE audit_log SET at = ? WHERE seq = 2`, recs[1].At.Add(time.Microsecond))
		}, 2, audit.KindAltered, "record 2 was altered"},
		{"deleted middle row", func(t *testing.T, db *sqldb.DB, _ []audit.Record) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
		}, 3, audit.KindDeleted, "record(s) after 2 were deleted: next record is 4"},
		{"deleted first row", func(t *testing.T, db *sqldb.DB, _ []audit.Record) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 1`)
		}, 1, audit.KindDeleted, "the log starts at record 2"},
		{"deleted last row", func(t *testing.T, db *sqldb.DB, _ []audit.Record) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 6`)
		}, 6, audit.KindDeleted, "the log ends at 5 but the head says 6"},
		{"deleted last row and moved head back", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 6`)
			exec(t, db, `UPDATE audit_head SET seq = 5 WHERE id = 1`)
		}, 5, audit.KindAltered, "head holds a different hash"},
		{"deleted middle row and renumbered", func(t *testing.T, db *sqldb.DB, _ []audit.Record) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 3`)
			exec(t, db, `UPDATE audit_log SET seq = seq + 1000 WHERE seq > 3`)
			exec(t, db, `UPDATE audit_log SET seq = seq - 1001 WHERE seq > 1003`)
			exec(t, db, `UPDATE audit_head SET seq = 5 WHERE id = 1`)
		}, 3, audit.KindDeleted, "record 3 is the former record 4"},
		{"inserted at the end without moving the head", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			insertRecord(t, db, forged(7, recs[5].Hash))
		}, 7, audit.KindInserted, "record 7 was inserted at the end"},
		{"inserted in the middle by renumbering", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			// Two steps keep the primary key unique on both engines.
			exec(t, db, `UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3`)
			exec(t, db, `UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1003`)
			insertRecord(t, db, forged(3, recs[1].Hash))
			exec(t, db, `UPDATE audit_head SET seq = 7 WHERE id = 1`)
		}, 3, audit.KindInserted, "record 3 was inserted: record 4 is the former record 3"},
		{"inserted with a wrong link", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			exec(t, db, `DELETE FROM audit_log WHERE seq = 4`)
			insertRecord(t, db, forged(4, "0000"))
		}, 3, audit.KindAltered, "or record 4 was inserted"},
		{"edited and hash recomputed", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			r := recs[2]
			r.New = []byte(`{"name":"stolen"}`)
			exec(t, db, `UPDATE audit_log SET new_values = ?, hash = ? WHERE seq = 3`, string(r.New), r.ComputeHash())
		}, 3, audit.KindAltered, "record 3 was altered and its hash recomputed: record 4's prev_hash no longer matches it"},
		{"last record edited and hash recomputed", func(t *testing.T, db *sqldb.DB, recs []audit.Record) {
			r := recs[5]
			r.Reason = "nothing to see"
			exec(t, db, `UPDATE audit_log SET reason = ?, hash = ? WHERE seq = 6`, r.Reason, r.ComputeHash())
		}, 6, audit.KindAltered, "record 6 was altered and its hash recomputed: the head holds a different hash"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				recs := appendRecords(t, db, 6)
				unprotect(t, db)
				c.tamper(t, db, recs)
				res, err := audit.Verify(context.Background(), db, nil)
				if err != nil {
					t.Fatal(err)
				}
				if res.OK || res.Problem == nil {
					t.Fatalf("tampering not detected: %+v", res)
				}
				p := res.Problem
				if p.Seq != c.seq || p.Kind != c.kind || !strings.Contains(p.Message, c.message) {
					t.Fatalf("problem = %d %s %q, want %d %s containing %q", p.Seq, p.Kind, p.Message, c.seq, c.kind, c.message)
				}
			})
		})
	}
}

func TestVerify_ReadsLogsLongerThanOneBatch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		appendRecords(t, db, 2500)
		unprotect(t, db)
		exec(t, db, `UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 2001`)
		res, err := audit.Verify(context.Background(), db, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.OK || res.Problem.Seq != 2001 || res.Records != 2001 {
			t.Fatalf("got %+v %+v, want record 2001 altered after reading 2001", res, res.Problem)
		}
	})
}

func TestLog_RefusesUpdatesAndDeletesInTheDatabase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		appendRecords(t, db, 3)
		ctx := context.Background()
		for _, q := range []string{`UPDATE audit_log SET reason = 'x' WHERE seq = 2`, `DELETE FROM audit_log WHERE seq = 3`} {
			_, err := db.ExecContext(ctx, q)
			if err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want the append-only refusal", q, err)
			}
		}
		res, err := audit.Verify(ctx, db, nil)
		if err != nil || !res.OK || res.Records != 3 {
			t.Fatalf("after refused tampering: %+v %v", res, err)
		}
	})
}
