package party

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// MandateState is whether a mandate may be collected under: active,
// revoked by the customer or by us, or ended by its last (OOFF or FNAL)
// collection.
type MandateState string

// The mandate states.
const (
	MandateActive  MandateState = "active"
	MandateRevoked MandateState = "revoked"
	MandateEnded   MandateState = "ended"
)

// The SEPA sequence types a mandate's next collection carries.
const (
	SeqFirst     = "FRST" // the first collection of a recurring mandate
	SeqRecurring = "RCUR" // every later one
	SeqFinal     = "FNAL" // the last one; the mandate ends with it
	SeqOneOff    = "OOFF" // the one collection of a one-off mandate
)

// mandateEntity names mandates in the change log.
const mandateEntity = "mandate"

// MandateInput is a SEPA direct debit mandate as the customer signed it.
// Reference is the unique mandate reference (UMR) printed on the form; IBAN
// must be one of the customer's bank accounts (the only one when left
// empty), BIC defaults to that account's. Scheme is CORE or B2B. OneOff
// mandates allow a single collection (OOFF). Final, for a recurring mandate
// already collected under, makes the next collection its last (FNAL).
type MandateInput struct {
	Reference string          `json:"reference"`
	IBAN      string          `json:"iban"`
	BIC       string          `json:"bic"`
	SignedOn  backoffice.Date `json:"signed_on"`
	Scheme    string          `json:"scheme"`
	OneOff    bool            `json:"one_off"`
	Final     bool            `json:"final,omitempty"`
}

// Mandate is a stored mandate. Sequence is the sequence type of its next
// collection: FRST until one was collected, then RCUR (FNAL when marked
// final), OOFF for a one-off mandate.
type Mandate struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	PartyID   backoffice.ID `json:"party_id"`
	MandateInput
	Sequence      string          `json:"sequence"`
	State         MandateState    `json:"state"`
	RevokeReason  string          `json:"revoke_reason,omitempty"`
	Collections   int             `json:"collections"`
	LastCollected backoffice.Date `json:"last_collected,omitzero"`
	Version       int64           `json:"version"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
}

// Collectable reports whether a direct debit may be collected under m.
func (m Mandate) Collectable() bool { return m.State == MandateActive }

// mandateRef is the EPC rule for a mandate reference: at most 35 characters
// of the SEPA set without the space, not starting with "/", no "//".
var mandateRef = regexp.MustCompile(`^[A-Za-z0-9/\-?:().,'+]{1,35}$`)

func (in *MandateInput) normalise() {
	in.Reference = strings.TrimSpace(in.Reference)
	in.IBAN = NormalizeIBAN(in.IBAN)
	in.BIC = strings.ToUpper(strings.TrimSpace(in.BIC))
	in.Scheme = strings.ToUpper(strings.TrimSpace(in.Scheme))
	if in.Scheme == "" {
		in.Scheme = "CORE"
	}
}

// checkMandate normalises in and names every bad field: p is the customer,
// today the day the check is made (a mandate cannot be signed later).
func checkMandate(in *MandateInput, p Party, today backoffice.Date) backoffice.Validation {
	in.normalise()
	v := backoffice.Validation{}
	switch {
	case in.Reference == "":
		v.Add("reference", "is required: the mandate reference printed on the signed form")
	case len(in.Reference) > 35:
		v.Add("reference", fmt.Sprintf("is %d characters long; SEPA allows at most 35", len(in.Reference)))
	case !mandateRef.MatchString(in.Reference) || strings.HasPrefix(in.Reference, "/") || strings.Contains(in.Reference, "//"):
		v.Add("reference", "may hold only letters A-Z, digits and / - ? : ( ) . , ' + (no spaces or accents, no leading / or //)")
	}
	if p.Kind == KindSupplier {
		v.Add("party_id", "is a supplier: direct debits are collected from customers")
	}
	if in.IBAN == "" && len(p.BankAccounts) == 1 {
		in.IBAN = p.BankAccounts[0].IBAN
	}
	var account *BankAccount
	for i := range p.BankAccounts {
		if p.BankAccounts[i].IBAN == in.IBAN {
			account = &p.BankAccounts[i]
		}
	}
	switch {
	case in.IBAN == "" && len(p.BankAccounts) == 0:
		v.Add("iban", "is required: add the customer's bank account to the customer first")
	case in.IBAN == "":
		v.Add("iban", "is required: choose one of the customer's bank accounts")
	case account == nil:
		v.Add("iban", "is not one of the customer's bank accounts: add it to the customer first")
	case in.BIC == "":
		in.BIC = account.BIC
	}
	if in.BIC != "" {
		if msg := CheckBIC(in.BIC); msg != "" {
			v.Add("bic", msg)
		}
	}
	switch {
	case in.SignedOn.IsZero():
		v.Add("signed_on", "is required: the day the customer signed the mandate")
	case in.SignedOn.After(today):
		v.Add("signed_on", fmt.Sprintf("%s is in the future; a mandate is entered once it is signed", in.SignedOn))
	}
	v.Check(in.Scheme == "CORE" || in.Scheme == "B2B", "scheme", "must be CORE (consumers and businesses) or B2B (businesses only)")
	return v
}

// CreateMandate stores a mandate the customer partyID signed. It starts
// active, with FRST (OOFF when one-off) as its next sequence type.
func (s *Service) CreateMandate(ctx context.Context, companyID, partyID backoffice.ID, in MandateInput) (Mandate, error) {
	p, err := s.Get(ctx, companyID, partyID)
	if err != nil {
		return Mandate{}, err
	}
	v := checkMandate(&in, p, backoffice.DateOf(s.now()))
	v.Check(!in.Final, "final", "applies only to a mandate already collected under")
	if err := v.Err("mandate"); err != nil {
		return Mandate{}, err
	}
	now := s.now()
	m := Mandate{CompanyID: companyID, PartyID: partyID, MandateInput: in, Sequence: SeqFirst, State: MandateActive,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if in.OneOff {
		m.Sequence = SeqOneOff
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := mandateRefFree(ctx, tx, companyID, 0, in.Reference); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO party_mandates (company_id, party_id, reference, iban, bic, signed_on, scheme,
			sequence, state, revoke_reason, collections, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, 1, ?, ?) RETURNING id`,
			int64(companyID), int64(partyID), m.Reference, m.IBAN, m.BIC, m.SignedOn, m.Scheme, m.Sequence, string(m.State), now, now).Scan(&m.ID)
		if err != nil {
			return fmt.Errorf("insert mandate: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: mandateEntity, EntityID: m.ID.String(), Action: "create", New: m})
		return err
	})
	if err != nil {
		return Mandate{}, err
	}
	return m, nil
}

// mandateRefFree refuses a reference another mandate of the company has.
func mandateRefFree(ctx context.Context, q sqldb.Querier, companyID, self backoffice.ID, ref string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM party_mandates WHERE company_id = ? AND reference = ? AND id <> ?`,
		int64(companyID), ref, int64(self)).Scan(&n); err != nil {
		return fmt.Errorf("check mandate reference: %w", err)
	}
	if n > 0 {
		return &backoffice.Error{Code: backoffice.EConflict, Message: fmt.Sprintf("mandate reference %q is already used: each mandate needs its own", ref),
			Fields: map[string]string{"reference": "is already used by another mandate"}}
	}
	return nil
}

// UpdateMandate corrects an active mandate when version is still its
// current one. Once collected under, only Final may change: a changed
// reference or account is a new mandate to the bank, so revoke this one
// and add another.
func (s *Service) UpdateMandate(ctx context.Context, companyID, id backoffice.ID, version int64, in MandateInput) (Mandate, error) {
	before, err := getMandate(ctx, s.DB, companyID, id)
	if err != nil {
		return Mandate{}, err
	}
	p, err := s.Get(ctx, companyID, before.PartyID)
	if err != nil {
		return Mandate{}, err
	}
	v := checkMandate(&in, p, backoffice.DateOf(s.now()))
	if before.Collections > 0 {
		was, now := before.MandateInput, in
		was.Final, now.Final = false, false
		v.Check(now == was, "reference", "cannot change once collected under: revoke this mandate and add a new one")
	}
	v.Check(!in.Final || (before.Collections > 0 && !in.OneOff), "final", "applies only to a recurring mandate already collected under")
	if err := v.Err("mandate"); err != nil {
		return Mandate{}, err
	}
	if err := mustBeActive(before); err != nil {
		return Mandate{}, err
	}
	if before.Version != version {
		return Mandate{}, staleMandate(before)
	}
	var after Mandate
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := mandateRefFree(ctx, tx, companyID, id, in.Reference); err != nil {
			return err
		}
		after = before
		after.MandateInput, after.Version, after.UpdatedAt = in, version+1, s.now()
		after.Sequence = nextSequence(after)
		return s.saveMandate(ctx, tx, before, after, "update", "")
	})
	if err != nil {
		return Mandate{}, err
	}
	return after, nil
}

// nextSequence is the sequence type of m's next collection.
func nextSequence(m Mandate) string {
	switch {
	case m.OneOff:
		return SeqOneOff
	case m.Collections == 0:
		return SeqFirst
	case m.Final:
		return SeqFinal
	}
	return SeqRecurring
}

// saveMandate writes after over before (when before's version is still
// stored) and records the change.
func (s *Service) saveMandate(ctx context.Context, tx *sqldb.Tx, before, after Mandate, action, reason string) error {
	res, err := tx.ExecContext(ctx, `UPDATE party_mandates SET reference = ?, iban = ?, bic = ?, signed_on = ?, scheme = ?, sequence = ?,
		state = ?, revoke_reason = ?, collections = ?, last_collected = ?, version = ?, updated_at = ?
		WHERE company_id = ? AND id = ? AND version = ?`,
		after.Reference, after.IBAN, after.BIC, after.SignedOn, after.Scheme, after.Sequence, string(after.State), after.RevokeReason,
		after.Collections, after.LastCollected, after.Version, after.UpdatedAt, int64(after.CompanyID), int64(after.ID), before.Version)
	if err != nil {
		return fmt.Errorf("update mandate: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return staleMandate(before)
	}
	old, new, err := audit.Diff(before, after)
	if err != nil {
		return err
	}
	_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: after.CompanyID, Entity: mandateEntity, EntityID: after.ID.String(),
		Action: action, Old: old, New: new, Reason: reason})
	return err
}

func staleMandate(m Mandate) error {
	return backoffice.Errorf(backoffice.EPrecondition, "mandate %s was changed by someone else since version %d: reload it and apply your change again", m.Reference, m.Version)
}

// mustBeActive refuses a change to a revoked or ended mandate.
func mustBeActive(m Mandate) error {
	if m.State != MandateActive {
		return backoffice.Errorf(backoffice.EConflict, "mandate %s is %s: nothing more can be collected under it or changed", m.Reference, m.State)
	}
	return nil
}

// RevokeMandate ends an active mandate for good, with the reason (the
// customer's revocation letter, a closed account …). Nothing is collected
// under it afterwards.
func (s *Service) RevokeMandate(ctx context.Context, companyID, id backoffice.ID, reason string) (Mandate, error) {
	reason = strings.TrimSpace(reason)
	if len(reason) < 3 || len(reason) > 500 {
		return Mandate{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "say why the mandate is revoked",
			Fields: map[string]string{"reason": "is required (3 to 500 characters)"}}
	}
	var after Mandate
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getMandate(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if err := mustBeActive(before); err != nil {
			return err
		}
		after = before
		after.State, after.RevokeReason, after.Version, after.UpdatedAt = MandateRevoked, reason, before.Version+1, s.now()
		return s.saveMandate(ctx, tx, before, after, "revoke", reason)
	})
	return after, err
}

// MandateCollectedTx records, inside the caller's transaction, that a
// collection under the mandate was made on day: FRST becomes RCUR, and an
// OOFF or FNAL collection ends the mandate.
func (s *Service) MandateCollectedTx(ctx context.Context, tx *sqldb.Tx, companyID, id backoffice.ID, day backoffice.Date, why string) (Mandate, error) {
	before, err := getMandate(ctx, tx, companyID, id)
	if err != nil {
		return Mandate{}, err
	}
	if err := mustBeActive(before); err != nil {
		return Mandate{}, err
	}
	after := before
	after.Collections++
	after.LastCollected, after.Version, after.UpdatedAt = day, before.Version+1, s.now()
	after.Sequence = nextSequence(after)
	if before.Sequence == SeqOneOff || before.Sequence == SeqFinal {
		after.Sequence, after.State = before.Sequence, MandateEnded
	}
	return after, s.saveMandate(ctx, tx, before, after, "collect", why)
}

// MandateCollectionRejectedTx undoes MandateCollectedTx for a collection the
// bank rejected, inside the caller's transaction: the scheme requires the
// next collection to be FRST again when the first one failed, and an OOFF
// or FNAL mandate ended by it may be collected again.
func (s *Service) MandateCollectionRejectedTx(ctx context.Context, tx *sqldb.Tx, companyID, id backoffice.ID, why string) (Mandate, error) {
	before, err := getMandate(ctx, tx, companyID, id)
	if err != nil {
		return Mandate{}, err
	}
	if before.Collections == 0 || before.State == MandateRevoked {
		return before, nil
	}
	after := before
	after.Collections--
	after.State, after.Version, after.UpdatedAt = MandateActive, before.Version+1, s.now()
	after.Sequence = nextSequence(after)
	return after, s.saveMandate(ctx, tx, before, after, "collection_rejected", why)
}

// GetMandate returns one mandate of the company.
func (s *Service) GetMandate(ctx context.Context, companyID, id backoffice.ID) (Mandate, error) {
	return getMandate(ctx, s.DB, companyID, id)
}

// Mandates returns a customer's mandates, newest first.
func (s *Service) Mandates(ctx context.Context, companyID, partyID backoffice.ID) ([]Mandate, error) {
	return queryMandates(ctx, s.DB, `WHERE company_id = ? AND party_id = ? ORDER BY signed_on DESC, id DESC`, int64(companyID), int64(partyID))
}

// ActiveMandates returns, per customer, the mandate direct debits are
// collected under: the active one signed last.
func ActiveMandates(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (map[backoffice.ID]Mandate, error) {
	ms, err := queryMandates(ctx, q, `WHERE company_id = ? AND state = ? ORDER BY signed_on, id`, int64(companyID), string(MandateActive))
	if err != nil {
		return nil, err
	}
	out := map[backoffice.ID]Mandate{}
	for _, m := range ms {
		out[m.PartyID] = m
	}
	return out, nil
}

const mandateColumns = `id, company_id, party_id, reference, iban, bic, signed_on, scheme, sequence, state, revoke_reason,
	collections, last_collected, version, created_at, updated_at`

func scanMandate(sc scanner) (Mandate, error) {
	var m Mandate
	if err := sc.Scan(&m.ID, &m.CompanyID, &m.PartyID, &m.Reference, &m.IBAN, &m.BIC, &m.SignedOn, &m.Scheme, &m.Sequence,
		&m.State, &m.RevokeReason, &m.Collections, &m.LastCollected, &m.Version, &m.CreatedAt, &m.UpdatedAt); err != nil {
		return Mandate{}, err
	}
	m.OneOff, m.Final = m.Sequence == SeqOneOff, m.Sequence == SeqFinal
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m, nil
}

func getMandate(ctx context.Context, q sqldb.Querier, companyID, id backoffice.ID) (Mandate, error) {
	m, err := scanMandate(q.QueryRowContext(ctx, `SELECT `+mandateColumns+` FROM party_mandates WHERE company_id = ? AND id = ?`, int64(companyID), int64(id)))
	if errors.Is(err, sql.ErrNoRows) {
		return Mandate{}, backoffice.Errorf(backoffice.ENotFound, "mandate %s not found", id)
	}
	if err != nil {
		return Mandate{}, fmt.Errorf("get mandate: %w", err)
	}
	return m, nil
}

func queryMandates(ctx context.Context, q sqldb.Querier, where string, args ...any) ([]Mandate, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+mandateColumns+` FROM party_mandates `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list mandates: %w", err)
	}
	defer rows.Close()
	out := []Mandate{}
	for rows.Next() {
		m, err := scanMandate(rows)
		if err != nil {
			return nil, fmt.Errorf("list mandates: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
