package party

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// Create adds a party to a company. It returns the possible duplicates it
// found (same VAT id, same IBAN, similar name) as a warning: the party is
// created all the same, and the caller shows them to the user.
func (s *Service) Create(ctx context.Context, companyID backoffice.ID, in Input) (Party, []Duplicate, error) {
	if err := s.validate(ctx, companyID, &in); err != nil {
		return Party{}, nil, err
	}
	now := s.now()
	p := Party{CompanyID: companyID, Input: in, Version: 1, CreatedAt: now, UpdatedAt: now}
	var dups []Duplicate
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		if dups, err = findDuplicates(ctx, tx, companyID, 0, in); err != nil {
			return err
		}
		if err := s.insert(ctx, tx, &p); err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "party", EntityID: p.ID.String(), Action: "create", New: p})
		return err
	})
	if err != nil {
		return Party{}, nil, err
	}
	return p, dups, nil
}

// insert stores a new party with its contacts and bank accounts, setting p.ID.
func (s *Service) insert(ctx context.Context, tx *sqldb.Tx, p *Party) error {
	id, err := insertParty(ctx, tx, *p)
	if err != nil {
		return err
	}
	p.ID = id
	return replaceChildren(ctx, tx, *p)
}

// Update replaces every field of a party by in when version is still its
// current version (EPrecondition otherwise).
func (s *Service) Update(ctx context.Context, companyID, id backoffice.ID, version int64, in Input) (Party, error) {
	if err := s.validate(ctx, companyID, &in); err != nil {
		return Party{}, err
	}
	var after Party
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getParty(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return stale(id, version)
		}
		if before.MergedIntoID != 0 {
			return backoffice.Errorf(backoffice.EConflict, "party %s was merged into party %s: change that one instead", id, before.MergedIntoID)
		}
		after = before
		after.Input, after.Version, after.UpdatedAt = in, version+1, s.now()
		if err := updateParty(ctx, tx, after, version); err != nil {
			return err
		}
		if err := replaceChildren(ctx, tx, after); err != nil {
			return err
		}
		old, new, err := audit.Diff(before, after)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "party", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	if err != nil {
		return Party{}, err
	}
	return after, nil
}

func stale(id backoffice.ID, version int64) error {
	return backoffice.Errorf(backoffice.EPrecondition, "party %s was changed by someone else since version %d: reload it and apply your change again", id, version)
}

// Get returns one party of the company with its contacts and bank accounts.
func (s *Service) Get(ctx context.Context, companyID, id backoffice.ID) (Party, error) {
	return getParty(ctx, s.DB, companyID, id)
}

// Filter narrows List.
type Filter struct {
	Query       string // part of the legal or trade name, VAT id; case-insensitive
	Kind        Kind   // customer also lists "both", and so does supplier; "" for all
	WithBlocked bool   // include blocked and merged parties
}

// List returns the company's parties by legal name.
func (s *Service) List(ctx context.Context, companyID backoffice.ID, f Filter) ([]Party, error) {
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, backoffice.Errorf(backoffice.EInvalid, "kind %q: use customer, supplier or both", f.Kind)
	}
	like := "%" + strings.ToLower(strings.TrimSpace(f.Query)) + "%"
	rows, err := s.DB.QueryContext(ctx, `SELECT `+partyColumns+` FROM parties
		WHERE company_id = ? AND (NOT blocked OR ?) AND (? = '' OR kind = ? OR kind = 'both')
		AND (LOWER(legal_name) LIKE ? OR LOWER(trade_name) LIKE ? OR LOWER(vat_id) LIKE ?)
		ORDER BY legal_name, id`, int64(companyID), f.WithBlocked, string(f.Kind), string(f.Kind), like, like, like)
	if err != nil {
		return nil, fmt.Errorf("list parties: %w", err)
	}
	defer rows.Close()
	out := []Party{}
	for rows.Next() {
		p, err := scanParty(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, loadChildren(ctx, s.DB, out, 0)
}
