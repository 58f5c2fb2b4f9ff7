package party_test

import (
	"errors"
	"strings"
	"testing"

	"backoffice"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func asError(err error, target **backoffice.Error) bool { return errors.As(err, target) }

func TestNameKey_IgnoresCaseAccentsPunctuationAndLegalForms(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"Müller GmbH", "Mueller Gmbh."},
		{"Société Générale S.A.R.L.", "societe generale"},
		{"ACME Ltd", "Acme Limited"},
		{"Van Dijk B.V.", "van dijk bv"},
		{"Schmidt & Co. KG", "Schmidt"},
	} {
		if ka, kb := party.NameKey(tt.a), party.NameKey(tt.b); ka != kb {
			t.Errorf("NameKey(%q) = %q, NameKey(%q) = %q", tt.a, ka, tt.b, kb)
		}
	}
	if party.NameSimilarity(party.NameKey("Mueller Bau"), party.NameKey("Muller Bau")) < party.NameSimilarityThreshold {
		t.Error("one typo should stay above the threshold")
	}
	if party.NameSimilarity(party.NameKey("Acme"), party.NameKey("Acne")) >= party.NameSimilarityThreshold {
		t.Error("different short names should stay below the threshold")
	}
}

func TestCreate_WarnsAboutSameVATSameIBANAndSimilarName(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		first := customer("Müller GmbH")
		first.VATID = "DE136695976"
		first.BankAccounts = []party.BankAccount{{IBAN: "DE89370400440532013000"}}
		m, _ := e.create(first)
		e.create(customer("Zebra Logistics"))

		for _, tt := range []struct {
			name   string
			in     func() party.Input
			reason string
		}{
			{"same VAT", func() party.Input { in := customer("Totally Different"); in.VATID = "DE 136695976"; return in }, "same VAT id"},
			{"same IBAN", func() party.Input {
				in := customer("Another Name")
				in.BankAccounts = []party.BankAccount{{IBAN: "de89 3704 0044 0532 0130 00"}}
				return in
			}, "same IBAN"},
			{"similar name", func() party.Input { return customer("Mueller Gmbh.") }, "similar name"},
		} {
			_, dups, err := e.s.Create(e.ctx, e.company, tt.in())
			if err != nil {
				t.Fatalf("%s: a duplicate is a warning, not an error: %v", tt.name, err)
			}
			if len(dups) == 0 || dups[0].PartyID != m.ID || !strings.Contains(strings.Join(dups[0].Reasons, ";"), tt.reason) {
				t.Errorf("%s: duplicates = %+v, want %s of party %s", tt.name, dups, tt.reason, m.ID)
			}
		}
		_, dups, err := e.s.Create(e.ctx, e.company, customer("Quite Unrelated"))
		must(t, err)
		if len(dups) != 0 {
			t.Errorf("unrelated party warned about %+v", dups)
		}
	})
}

func TestDuplicates_GroupsLinkedParties(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		a := customer("Müller GmbH")
		a.VATID = "DE136695976"
		pa, _ := e.create(a)
		b := customer("Mueller")
		b.BankAccounts = []party.BankAccount{{IBAN: "DE89370400440532013000"}}
		pb, _ := e.create(b)
		c := customer("Ganz Anders AG")
		c.BankAccounts = []party.BankAccount{{IBAN: "DE89370400440532013000"}}
		pc, _ := e.create(c)
		e.create(customer("Lonely Ltd"))
		for i := range 25 { // more than the window, between the two below in alphabetical order
			e.create(customer("Y" + strings.Repeat(string(rune('a'+i)), 8)))
		}
		x, _ := e.create(customer("Xylophon Systems"))
		z, _ := e.create(customer("Zylophon Systems")) // a typo in the first letter
		groups, err := e.s.Duplicates(e.ctx, e.company)
		must(t, err)
		if len(groups) != 2 || len(groups[0].Parties) != 3 {
			t.Fatalf("groups = %+v, want one of three and one of two", groups)
		}
		if p := groups[1].Parties; len(p) != 2 || p[0].PartyID != x.ID || p[1].PartyID != z.ID {
			t.Errorf("first-letter typo group = %+v", p)
		}
		ids := []backoffice.ID{groups[0].Parties[0].PartyID, groups[0].Parties[1].PartyID, groups[0].Parties[2].PartyID}
		if ids[0] != pa.ID || ids[1] != pb.ID || ids[2] != pc.ID {
			t.Errorf("group members %v, want %v %v %v", ids, pa.ID, pb.ID, pc.ID)
		}
	})
}

func TestMerge_MovesContactsAndBankAccountsBlocksMergedAndLogs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		s := customer("Müller GmbH")
		s.Contacts = []party.Contact{{Name: "Anna"}}
		survivor, _ := e.create(s)
		m := customer("Mueller")
		m.Contacts = []party.Contact{{Name: "Bert", Email: "bert@mueller.example"}}
		m.BankAccounts = []party.BankAccount{{IBAN: "DE89370400440532013000", BIC: "COBADEFF"}}
		merged, _ := e.create(m)
		if _, err := e.s.Merge(e.ctx, e.company, survivor.ID, merged.ID, " "); backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("merge without reason: %v", err)
		}
		res, err := e.s.Merge(e.ctx, e.company, survivor.ID, merged.ID, "same company, typed twice")
		must(t, err)
		if res.Contacts != 1 || res.BankAccounts != 1 {
			t.Errorf("moved %d contacts, %d bank accounts", res.Contacts, res.BankAccounts)
		}
		got, err := e.s.Get(e.ctx, e.company, survivor.ID)
		must(t, err)
		if len(got.Contacts) != 2 || len(got.BankAccounts) != 1 || got.BankAccounts[0].IBAN != "DE89370400440532013000" || got.Version != 2 {
			t.Errorf("survivor = %+v", got)
		}
		gone, err := e.s.Get(e.ctx, e.company, merged.ID)
		must(t, err)
		if !gone.Blocked || gone.MergedIntoID != survivor.ID || len(gone.Contacts) != 0 {
			t.Errorf("merged party = %+v", gone)
		}
		recs := e.changes(merged.ID)
		if last := recs[len(recs)-1]; last.Action != "merge" || last.Reason != "same company, typed twice" {
			t.Errorf("merged party's log: %+v", last)
		}
		if recs := e.changes(survivor.ID); recs[len(recs)-1].Action != "merge_into" {
			t.Errorf("survivor's log: %+v", recs[len(recs)-1])
		}
		if _, err := e.s.Update(e.ctx, e.company, gone.ID, gone.Version, gone.Input); backoffice.ErrorCode(err) != backoffice.EConflict {
			t.Errorf("update of a merged party: %v", err)
		}
		if _, err := e.s.Merge(e.ctx, e.company, survivor.ID, merged.ID, "again"); backoffice.ErrorCode(err) != backoffice.EConflict {
			t.Errorf("second merge: %v", err)
		}
		groups, err := e.s.Duplicates(e.ctx, e.company)
		must(t, err)
		if len(groups) != 0 {
			t.Errorf("merged party still reported as duplicate: %+v", groups)
		}
	})
}
