package audit_test

import (
	"context"
	"testing"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestAppend_ChainsRecordsAndReadsThemBack(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := backoffice.WithActor(context.Background(), backoffice.Actor{UserID: 7, Name: "ann@example.com"})
		log := &audit.Log{Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC) }}
		var first []audit.Record
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			var err error
			first, err = log.Append(ctx, tx,
				audit.Change{CompanyID: 1, Entity: "thing", EntityID: "1", Action: "create", New: map[string]any{"name": "A"}},
				audit.Change{CompanyID: 1, Entity: "thing", EntityID: "1", Action: "update", Old: map[string]any{"name": "A"}, New: map[string]any{"name": "B"}, Reason: "typo"},
			)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if first[0].Seq != 1 || first[1].Seq != 2 || first[1].PrevHash != first[0].Hash || first[0].PrevHash != "" {
			t.Fatalf("chain not linked: %+v", first)
		}
		got, err := audit.History(ctx, db, "thing", "1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("history has %d records, want 2", len(got))
		}
		for i, r := range got {
			if r.Hash != r.ComputeHash() {
				t.Errorf("record %d: stored hash does not match recomputed hash (time or JSON changed in storage)", r.Seq)
			}
			if r.Hash != first[i].Hash {
				t.Errorf("record %d read back with another hash", r.Seq)
			}
		}
		if got[1].ActorName != "ann@example.com" || got[1].Reason != "typo" || string(got[1].New) != `{"name":"B"}` {
			t.Errorf("record read back wrong: %+v", got[1])
		}
		seq, hash, err := audit.Head(ctx, db)
		if err != nil || seq != 2 || hash != first[1].Hash {
			t.Errorf("head = %d %s %v", seq, hash, err)
		}
	})
}

func TestList_OnlyShowsTheReadersCompanies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		log := &audit.Log{}
		err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			_, err := log.Append(ctx, tx,
				audit.Change{CompanyID: 1, Entity: "thing", EntityID: "1", Action: "create"},
				audit.Change{CompanyID: 2, Entity: "thing", EntityID: "2", Action: "create"},
				audit.Change{Entity: "user", EntityID: "9", Action: "create"},
			)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := audit.List(ctx, db, audit.Filter{CompanyIDs: []backoffice.ID{2}})
		if err != nil || len(got) != 1 || got[0].CompanyID != 2 {
			t.Fatalf("company 2 sees %+v (%v)", got, err)
		}
		got, _ = audit.List(ctx, db, audit.Filter{CompanyIDs: []backoffice.ID{2}, IncludeGlobal: true})
		if len(got) != 2 {
			t.Fatalf("with global rows: %d records, want 2", len(got))
		}
		got, _ = audit.List(ctx, db, audit.Filter{})
		if len(got) != 0 {
			t.Fatalf("a reader with no companies sees %d records", len(got))
		}
	})
}

func TestDiff_ReturnsOnlyChangedFields(t *testing.T) {
	type user struct {
		Name     string `json:"name"`
		Email    string `json:"email"`
		Password string `json:"-"`
	}
	old, new, err := audit.Diff(user{"Ann", "a@x", "p1"}, user{"Ann", "b@x", "p2"})
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || old["email"] != "a@x" || len(new) != 1 || new["email"] != "b@x" {
		t.Fatalf("Diff = %v -> %v", old, new)
	}
}
