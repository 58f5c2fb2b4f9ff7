package party_test

import (
	"strings"
	"testing"

	"backoffice"
	"backoffice/audit"
	"backoffice/party"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// debtor creates a customer with one bank account.
func (e *env) debtor(name, iban string) party.Party {
	e.t.Helper()
	in := customer(name)
	in.BankAccounts = []party.BankAccount{{IBAN: iban, BIC: "COBADEFFXXX", Holder: name}}
	p, _ := e.create(in)
	return p
}

func (e *env) mandateChanges(id backoffice.ID) []audit.Record {
	e.t.Helper()
	recs, err := audit.List(e.ctx, e.db, audit.Filter{CompanyIDs: []backoffice.ID{e.company}, Entity: "mandate", EntityID: id.String()})
	must(e.t, err)
	return recs
}

func TestCreateMandate_RejectsBadInputNamingEveryField(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		p := e.debtor("Müller GmbH", "DE89370400440532013000")
		supplier, _ := e.create(party.Input{Kind: party.KindSupplier, LegalName: "Office Ltd", Currency: "EUR"})
		cases := []struct {
			name  string
			party party.Party
			in    party.MandateInput
			field string
		}{
			{"missing reference", p, party.MandateInput{SignedOn: backoffice.NewDate(2026, 2, 1)}, "reference"},
			{"reference too long", p, party.MandateInput{Reference: strings.Repeat("M", 36), SignedOn: backoffice.NewDate(2026, 2, 1)}, "reference"},
			{"reference with a space", p, party.MandateInput{Reference: "M 1", SignedOn: backoffice.NewDate(2026, 2, 1)}, "reference"},
			{"reference with //", p, party.MandateInput{Reference: "M//1", SignedOn: backoffice.NewDate(2026, 2, 1)}, "reference"},
			{"IBAN not the customer's", p, party.MandateInput{Reference: "M-1", IBAN: "GB29NWBK60161331926819", SignedOn: backoffice.NewDate(2026, 2, 1)}, "iban"},
			{"bad BIC", p, party.MandateInput{Reference: "M-1", BIC: "XX", SignedOn: backoffice.NewDate(2026, 2, 1)}, "bic"},
			{"no signature date", p, party.MandateInput{Reference: "M-1"}, "signed_on"},
			{"signed in the future", p, party.MandateInput{Reference: "M-1", SignedOn: backoffice.NewDate(2026, 3, 3)}, "signed_on"},
			{"unknown scheme", p, party.MandateInput{Reference: "M-1", Scheme: "COR1", SignedOn: backoffice.NewDate(2026, 2, 1)}, "scheme"},
			{"final before any collection", p, party.MandateInput{Reference: "M-1", Final: true, SignedOn: backoffice.NewDate(2026, 2, 1)}, "final"},
			{"a supplier", supplier, party.MandateInput{Reference: "M-1", SignedOn: backoffice.NewDate(2026, 2, 1)}, "party_id"},
		}
		for _, c := range cases {
			_, err := e.s.CreateMandate(e.ctx, e.company, c.party.ID, c.in)
			var be *backoffice.Error
			if !asError(err, &be) || be.Code != backoffice.EInvalid || be.Fields[c.field] == "" {
				t.Errorf("%s: got %v, want invalid naming %s", c.name, err, c.field)
			}
		}
		ms, err := e.s.Mandates(e.ctx, e.company, p.ID)
		must(t, err)
		if len(ms) != 0 {
			t.Errorf("bad input stored %d mandates", len(ms))
		}
	})
}

func TestCreateMandate_DefaultsToTheOnlyAccountAndRefusesADuplicateReference(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		p := e.debtor("Müller GmbH", "DE89370400440532013000")
		m, err := e.s.CreateMandate(e.ctx, e.company, p.ID, party.MandateInput{Reference: " MUE-2026-1 ", SignedOn: backoffice.NewDate(2026, 2, 1)})
		must(t, err)
		if m.IBAN != "DE89370400440532013000" || m.BIC != "COBADEFFXXX" || m.Scheme != "CORE" || m.Sequence != party.SeqFirst || m.State != party.MandateActive || m.Reference != "MUE-2026-1" {
			t.Errorf("stored %+v", m)
		}
		got, err := e.s.GetMandate(e.ctx, e.company, m.ID)
		must(t, err)
		if got != m {
			t.Errorf("read back\n%+v\nwant\n%+v", got, m)
		}
		other := e.debtor("Other AG", "DE02120300000000202051")
		_, err = e.s.CreateMandate(e.ctx, e.company, other.ID, party.MandateInput{Reference: "MUE-2026-1", SignedOn: backoffice.NewDate(2026, 2, 1)})
		if backoffice.ErrorCode(err) != backoffice.EConflict {
			t.Errorf("duplicate reference: %v, want conflict", err)
		}
		if recs := e.mandateChanges(m.ID); len(recs) != 1 || recs[0].Action != "create" {
			t.Errorf("change log: %+v", recs)
		}
	})
}

func TestMandate_SequenceGoesFirstRecurringFinalThenEnds(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		p := e.debtor("Müller GmbH", "DE89370400440532013000")
		m, err := e.s.CreateMandate(e.ctx, e.company, p.ID, party.MandateInput{Reference: "M-1", SignedOn: backoffice.NewDate(2026, 2, 1)})
		must(t, err)
		collect := func() party.Mandate {
			t.Helper()
			var out party.Mandate
			must(t, db.InTx(e.ctx, func(tx *sqldb.Tx) error {
				var err error
				out, err = e.s.MandateCollectedTx(e.ctx, tx, e.company, m.ID, backoffice.NewDate(2026, 3, 1), "run D1")
				return err
			}))
			return out
		}
		if m = collect(); m.Sequence != party.SeqRecurring || m.Collections != 1 {
			t.Fatalf("after the first collection: %s %d, want RCUR 1", m.Sequence, m.Collections)
		}
		in := m.MandateInput
		in.IBAN = "DE02120300000000202051"
		if _, err := e.s.UpdateMandate(e.ctx, e.company, m.ID, m.Version, in); backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("changing the account after a collection: %v, want invalid", err)
		}
		in = m.MandateInput
		in.Final = true
		m, err = e.s.UpdateMandate(e.ctx, e.company, m.ID, m.Version, in)
		must(t, err)
		if m.Sequence != party.SeqFinal {
			t.Fatalf("marked final: %s, want FNAL", m.Sequence)
		}
		if m = collect(); m.State != party.MandateEnded {
			t.Fatalf("after the final collection: %s, want ended", m.State)
		}
		must(t, db.InTx(e.ctx, func(tx *sqldb.Tx) error {
			_, err := e.s.MandateCollectedTx(e.ctx, tx, e.company, m.ID, backoffice.NewDate(2026, 4, 1), "run D3")
			if backoffice.ErrorCode(err) != backoffice.EConflict {
				t.Errorf("collecting under an ended mandate: %v, want conflict", err)
			}
			return nil
		}))
		acts := []string{}
		for _, r := range e.mandateChanges(m.ID) {
			acts = append(acts, r.Action)
		}
		if strings.Join(acts, ",") != "create,collect,update,collect" {
			t.Errorf("change log actions %v", acts)
		}
	})
}

func TestRevokeMandate_RequiresAReasonAndStopsChanges(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		p := e.debtor("Müller GmbH", "DE89370400440532013000")
		m, err := e.s.CreateMandate(e.ctx, e.company, p.ID, party.MandateInput{Reference: "M-1", OneOff: true, SignedOn: backoffice.NewDate(2026, 2, 1)})
		must(t, err)
		if m.Sequence != party.SeqOneOff {
			t.Errorf("one-off mandate sequence %s, want OOFF", m.Sequence)
		}
		if _, err := e.s.RevokeMandate(e.ctx, e.company, m.ID, ""); backoffice.ErrorCode(err) != backoffice.EInvalid {
			t.Errorf("revoke without reason: %v", err)
		}
		r, err := e.s.RevokeMandate(e.ctx, e.company, m.ID, "customer revoked by letter of 1 March")
		must(t, err)
		if r.State != party.MandateRevoked || r.RevokeReason == "" {
			t.Errorf("revoked %+v", r)
		}
		if _, err := e.s.UpdateMandate(e.ctx, e.company, m.ID, r.Version, r.MandateInput); backoffice.ErrorCode(err) != backoffice.EConflict {
			t.Errorf("update of a revoked mandate: %v, want conflict", err)
		}
		active, err := party.ActiveMandates(e.ctx, db, e.company)
		must(t, err)
		if len(active) != 0 {
			t.Errorf("active mandates after revocation: %v", active)
		}
		if recs := e.mandateChanges(m.ID); len(recs) != 2 || recs[1].Action != "revoke" || recs[1].Reason == "" {
			t.Errorf("change log: %+v", recs)
		}
	})
}
