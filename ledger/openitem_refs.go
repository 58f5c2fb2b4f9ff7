package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// LockOpenItems reads the given open items inside the caller's transaction
// and locks them until it ends, in key order so that two payments touching
// the same lines never deadlock. They are answered in the order given. A
// caller (a payment) checks what is still open of them before it settles
// them, and no other transaction can settle them in between.
func (s *Service) LockOpenItems(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, refs []LineRef) ([]OpenItem, error) {
	sorted := slices.Clone(refs)
	slices.SortFunc(sorted, compareRefs)
	byRef := map[LineRef]OpenItem{}
	for _, r := range slices.Compact(sorted) {
		it, err := lockOpenItem(ctx, tx, companyID, r)
		if err != nil {
			return nil, err
		}
		byRef[r] = it
	}
	out := make([]OpenItem, len(refs))
	for i, r := range refs {
		out[i] = byRef[r]
	}
	return out, nil
}

// OpenItemsOfEntries reads every open-item line of the given entries, open
// or settled, keyed by line: what documents and payments built on those
// entries still have open. Entries are read in chunks of 500.
func (s *Service) OpenItemsOfEntries(ctx context.Context, q sqldb.Querier, companyID backoffice.ID, entryIDs []backoffice.ID) (map[LineRef]OpenItem, error) {
	out := map[LineRef]OpenItem{}
	for len(entryIDs) > 0 {
		chunk := entryIDs[:min(500, len(entryIDs))]
		entryIDs = entryIDs[len(chunk):]
		args := []any{int64(companyID)}
		for _, id := range chunk {
			args = append(args, int64(id))
		}
		rows, err := q.QueryContext(ctx, `SELECT entry_id, line_no, account_id, party_id, date, due_date, currency, amount, company_amount,
			residual, company_residual, settled_on FROM ledger_open_items WHERE company_id = ? AND entry_id IN (?`+strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("read open items of entries: %w", err)
		}
		for rows.Next() {
			var it OpenItem
			var party *int64
			if err := rows.Scan(&it.EntryID, &it.LineNo, &it.AccountID, &party, &it.Date, &it.DueDate, &it.Currency, &it.Amount,
				&it.CompanyAmount, &it.Residual, &it.CompanyResidual, &it.SettledOn); err != nil {
				rows.Close()
				return nil, fmt.Errorf("read open items of entries: %w", err)
			}
			if party != nil {
				it.PartyID = *party
			}
			out[it.LineRef] = it
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("read open items of entries: %w", err)
		}
	}
	return out, nil
}

// ReconciliationsOfEntry lists the reconciliations that settled any line of
// an entry, oldest first: what must be undone before the entry is reversed
// so that the lines it settled open again.
func (s *Service) ReconciliationsOfEntry(ctx context.Context, q sqldb.Querier, companyID, entryID backoffice.ID) ([]backoffice.ID, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT reconciliation_id FROM ledger_matches WHERE company_id = ? AND (debit_entry_id = ? OR credit_entry_id = ?)
		ORDER BY reconciliation_id`, int64(companyID), int64(entryID), int64(entryID))
	if err != nil {
		return nil, fmt.Errorf("read reconciliations of entry %d: %w", entryID, err)
	}
	defer rows.Close()
	var out []backoffice.ID
	for rows.Next() {
		var id backoffice.ID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read reconciliations of entry %d: %w", entryID, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// UnmatchTx undoes a reconciliation inside the caller's transaction, as
// Unmatch does in its own: the lines it settled are open again for what it
// took and its exchange difference entry, if any, is reversed. Reversing a
// payment uses it to open the invoices it paid before the reversal entry
// settles the payment's own lines.
func (s *Service) UnmatchTx(ctx context.Context, tx *sqldb.Tx, companyID, reconciliationID backoffice.ID, reason string) error {
	if len(reason) < 3 {
		return fieldError("reason", "is required: say why the lines are no longer settled")
	}
	ms, err := matchesOf(ctx, tx, companyID, reconciliationID)
	if err != nil {
		return err
	}
	var refs []LineRef
	for _, m := range ms {
		refs = append(refs, m.Debit, m.Credit)
	}
	if _, err := s.LockOpenItems(ctx, tx, companyID, refs); err != nil {
		return err
	}
	for _, m := range ms {
		if err := reopen(ctx, tx, m.Debit, m.DebitAmount, m.DebitCompany); err != nil {
			return err
		}
		if err := reopen(ctx, tx, m.Credit, -m.CreditAmount, -m.CreditCompany); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_matches WHERE reconciliation_id = ? AND company_id = ?`, int64(reconciliationID), int64(companyID)); err != nil {
		return fmt.Errorf("delete matches: %w", err)
	}
	if _, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "ledger_reconciliation", EntityID: reconciliationID.String(),
		Action: "unmatch", Old: map[string]any{"matches": len(ms)}, Reason: reason}); err != nil {
		return err
	}
	if fx := ms[0].FXEntryID; fx != 0 {
		// Open the difference line again so that its reversal settles it.
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_open_items SET residual = amount, company_residual = company_amount, settled_on = NULL
			WHERE entry_id = ? AND line_no = 1`, int64(fx)); err != nil {
			return fmt.Errorf("reopen the exchange difference: %w", err)
		}
		if _, err := s.ReverseTx(ctx, tx, companyID, fx, backoffice.Date{}, "unmatched: "+reason); err != nil {
			return err
		}
	}
	return nil
}

func compareRefs(a, b LineRef) int {
	return cmp.Or(cmp.Compare(a.EntryID, b.EntryID), cmp.Compare(a.LineNo, b.LineNo))
}
