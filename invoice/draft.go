package invoice

import (
	"context"
	"fmt"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// entity is the change log's name for documents of every kind.
const entity = "invoice_document"

// Create validates in and stores it as a draft. A bill that looks like one
// already recorded (same supplier and reference, or same supplier, total
// and issue date) is refused with a conflict naming the other bills,
// unless in.DuplicateReason says why it is not a duplicate.
func (s *Service) Create(ctx context.Context, companyID backoffice.ID, in Input) (Document, error) {
	d, err := s.resolve(ctx, companyID, in, 0)
	if err != nil {
		return Document{}, err
	}
	now := s.now()
	d.Version, d.CreatedAt, d.UpdatedAt = 1, now, now
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := checkDuplicates(ctx, tx, d); err != nil {
			return err
		}
		if err := insertDocument(ctx, tx, d); err != nil {
			return err
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entity, EntityID: d.ID.String(), Action: "create",
			New: changeFields(d), Reason: d.DuplicateReason})
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return *d, nil
}

// Update replaces every field of a draft by in when version is still its
// current version (EPrecondition otherwise). Posted documents never change.
func (s *Service) Update(ctx context.Context, companyID, id backoffice.ID, version int64, in Input) (Document, error) {
	before, err := getDocument(ctx, s.DB, companyID, id)
	if err != nil {
		return Document{}, err
	}
	if err := draftOnly(before, "change"); err != nil {
		return Document{}, err
	}
	d, err := s.resolve(ctx, companyID, in, id)
	if err != nil {
		return Document{}, err
	}
	d.Version, d.CreatedAt, d.UpdatedAt = version+1, before.CreatedAt, s.now()
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := checkDuplicates(ctx, tx, d); err != nil {
			return err
		}
		if err := updateDraft(ctx, tx, d, version); err != nil {
			return err
		}
		old, new, err := audit.Diff(changeFields(&before), changeFields(d))
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entity, EntityID: id.String(), Action: "update",
			Old: old, New: new, Reason: d.DuplicateReason})
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return *d, nil
}

// Delete removes a draft. Posted documents are never deleted: cancel them.
func (s *Service) Delete(ctx context.Context, companyID, id backoffice.ID, version int64) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		d, err := getDocument(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if err := draftOnly(d, "delete"); err != nil {
			return err
		}
		if version != 0 && d.Version != version {
			return stale("document", id, version)
		}
		if err := deleteChildren(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invoice_documents WHERE id = ? AND company_id = ? AND state = ?`,
			int64(id), int64(companyID), string(StateDraft)); err != nil {
			return fmt.Errorf("delete document: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: entity, EntityID: id.String(), Action: "delete", Old: changeFields(&d)})
		return err
	})
}

// Get returns one document of the company with its lines, allowances, tax
// breakdown and installments.
func (s *Service) Get(ctx context.Context, companyID, id backoffice.ID) (Document, error) {
	return getDocument(ctx, s.DB, companyID, id)
}

// Preview computes what in would store, without storing it: the resolved
// lines, the totals and the tax breakdown, for forms that show totals as
// the user types.
func (s *Service) Preview(ctx context.Context, companyID backoffice.ID, in Input) (Document, error) {
	d, err := s.resolve(ctx, companyID, in, 0)
	if err != nil {
		return Document{}, err
	}
	return *d, nil
}

// draftOnly refuses to change or delete a posted document.
func draftOnly(d Document, what string) error {
	if d.State == StateDraft {
		return nil
	}
	return backoffice.Errorf(backoffice.EConflict, "%s %s is posted and cannot %s: cancel it with a credit note instead", d.Kind, d.Number, what)
}

// changeFields is what the change log records of a document: its header
// and totals, and the lines in short.
func changeFields(d *Document) map[string]any {
	lines := make([]map[string]any, len(d.Lines))
	for i, l := range d.Lines {
		lines[i] = map[string]any{"description": l.Description, "quantity": l.Quantity, "unit_price": l.UnitPrice,
			"discount_percent": l.DiscountPercent, "tax_codes": l.TaxCodes, "account_id": l.AccountID, "net_amount": l.NetAmount}
	}
	m := map[string]any{"kind": d.Kind, "state": d.State, "party_id": d.PartyID, "issue_date": d.IssueDate, "due_date": d.DueDate,
		"currency": d.Currency, "rate": d.Rate, "supplier_reference": d.SupplierReference, "notes": d.Notes, "payment_terms": d.PaymentTerms,
		"lines": lines, "allowances": d.Allowances, "tax_exclusive": d.Totals.TaxExclusive, "tax_total": d.Totals.TaxTotal,
		"payable": d.Totals.Payable}
	if d.Number != "" {
		m["number"] = d.Number
	}
	if d.CreditsID != 0 {
		m["credits_id"] = d.CreditsID
	}
	return m
}
