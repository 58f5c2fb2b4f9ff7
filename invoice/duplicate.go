package invoice

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/sqldb"
)

// DuplicateBill is another bill that a bill may duplicate, and why.
type DuplicateBill struct {
	ID                backoffice.ID   `json:"id"`
	Number            string          `json:"number,omitempty"` // "" for a draft
	State             State           `json:"state"`
	IssueDate         backoffice.Date `json:"issue_date"`
	SupplierReference string          `json:"supplier_reference"`
	Payable           int64           `json:"payable"`
	Reason            string          `json:"reason"` // same_reference or same_amount_and_date
}

// Label names the bill for messages: its number, or "draft 12".
func (b DuplicateBill) Label() string {
	if b.Number != "" {
		return b.Number
	}
	return "draft " + b.ID.String()
}

// findDuplicates lists the other bills of d's supplier with the same
// supplier reference (compared without case, spaces and punctuation), or
// with the same amount payable and issue date. Only bills are checked.
func findDuplicates(ctx context.Context, q sqldb.Querier, d *Document) ([]DuplicateBill, error) {
	if d.Kind != KindBill {
		return nil, nil
	}
	key := referenceKey(d.SupplierReference)
	rows, err := q.QueryContext(ctx, `SELECT id, number, state, issue_date, supplier_reference, payable, supplier_reference_key
		FROM invoice_documents WHERE company_id = ? AND party_id = ? AND kind = ? AND id <> ?
		AND ((supplier_reference_key = ? AND supplier_reference_key <> '') OR (payable = ? AND issue_date = ? AND currency = ?))
		ORDER BY id LIMIT 20`,
		int64(d.CompanyID), int64(d.PartyID), string(KindBill), int64(d.ID), key, d.Totals.Payable, d.IssueDate, string(d.Currency))
	if err != nil {
		return nil, fmt.Errorf("find duplicate bills: %w", err)
	}
	defer rows.Close()
	var out []DuplicateBill
	for rows.Next() {
		var b DuplicateBill
		var number *string
		var otherKey string
		if err := rows.Scan(&b.ID, &number, &b.State, &b.IssueDate, &b.SupplierReference, &b.Payable, &otherKey); err != nil {
			return nil, fmt.Errorf("find duplicate bills: %w", err)
		}
		if number != nil {
			b.Number = *number
		}
		b.Reason = "same_amount_and_date"
		if key != "" && otherKey == key {
			b.Reason = "same_reference"
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// checkDuplicates refuses a bill that may duplicate another, unless the
// user gave a reason to record it anyway (the change log keeps it).
func checkDuplicates(ctx context.Context, q sqldb.Querier, d *Document) error {
	if d.DuplicateReason != "" {
		return nil
	}
	dups, err := findDuplicates(ctx, q, d)
	if err != nil || len(dups) == 0 {
		return err
	}
	names := make([]string, len(dups))
	for i, b := range dups {
		why := "same supplier, amount and date"
		if b.Reason == "same_reference" {
			why = "same supplier reference " + b.SupplierReference
		}
		names[i] = fmt.Sprintf("%s (%s)", b.Label(), why)
	}
	return &backoffice.Error{Code: backoffice.EConflict,
		Message: "this bill may be a duplicate of " + strings.Join(names, ", ") + ": check it, or give duplicate_reason to record it anyway",
		Fields:  map[string]string{"duplicate_reason": "is required to record a possible duplicate of " + strings.Join(names, ", ")}}
}

// Duplicates lists the bills that the draft or posted bill id may duplicate.
func (s *Service) Duplicates(ctx context.Context, companyID, id backoffice.ID) ([]DuplicateBill, error) {
	d, err := getDocument(ctx, s.DB, companyID, id)
	if err != nil {
		return nil, err
	}
	dups, err := findDuplicates(ctx, s.DB, &d)
	if dups == nil {
		dups = []DuplicateBill{}
	}
	return dups, err
}
