package party

import (
	"context"
	"fmt"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// MergeResult says what a merge moved.
type MergeResult struct {
	Survivor     Party `json:"survivor"`
	Merged       Party `json:"merged"`
	Contacts     int   `json:"contacts"`      // contacts moved to the survivor
	BankAccounts int   `json:"bank_accounts"` // bank accounts moved to the survivor
}

// Merge folds the party mergedID into survivorID: its contacts and bank
// accounts move to the survivor, and the merged party is blocked and points
// to the survivor, so it stays readable for the documents that name it.
// Both changes are in the change log with reason, which is required.
func (s *Service) Merge(ctx context.Context, companyID, survivorID, mergedID backoffice.ID, reason string) (MergeResult, error) {
	reason = strings.TrimSpace(reason)
	v := backoffice.Validation{}
	v.Check(reason != "", "reason", "is required: say why these parties are one")
	v.Check(survivorID != mergedID, "merged_id", "must differ from the surviving party")
	if err := v.Err("merge"); err != nil {
		return MergeResult{}, err
	}
	var res MergeResult
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		survivor, err := getParty(ctx, tx, companyID, survivorID)
		if err != nil {
			return err
		}
		merged, err := getParty(ctx, tx, companyID, mergedID)
		if err != nil {
			return err
		}
		if merged.MergedIntoID != 0 || survivor.MergedIntoID != 0 {
			return backoffice.Errorf(backoffice.EConflict, "a party that was merged away cannot take part in another merge")
		}
		if err := moveChildren(ctx, tx, survivorID, mergedID); err != nil {
			return err
		}
		after := merged
		after.Blocked, after.MergedIntoID, after.Version, after.UpdatedAt = true, survivorID, merged.Version+1, s.now()
		after.Contacts, after.BankAccounts = []Contact{}, []BankAccount{}
		if err := updateParty(ctx, tx, after, merged.Version); err != nil {
			return err
		}
		survivorAfter := survivor
		survivorAfter.Contacts = append(append([]Contact{}, survivor.Contacts...), merged.Contacts...)
		survivorAfter.BankAccounts = append(append([]BankAccount{}, survivor.BankAccounts...), merged.BankAccounts...)
		survivorAfter.Version, survivorAfter.UpdatedAt = survivor.Version+1, after.UpdatedAt
		if err := updateParty(ctx, tx, survivorAfter, survivor.Version); err != nil {
			return err
		}
		res = MergeResult{Survivor: survivorAfter, Merged: after, Contacts: len(merged.Contacts), BankAccounts: len(merged.BankAccounts)}
		return s.logMerge(ctx, tx, companyID, survivor, survivorAfter, merged, after, reason)
	})
	if err != nil {
		return MergeResult{}, err
	}
	return res, nil
}

// moveChildren gives the merged party's contacts and bank accounts to the
// survivor.
func moveChildren(ctx context.Context, tx *sqldb.Tx, survivorID, mergedID backoffice.ID) error {
	for _, table := range []string{"party_contacts", "party_bank_accounts"} {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET party_id = ? WHERE party_id = ?`, int64(survivorID), int64(mergedID)); err != nil {
			return fmt.Errorf("move %s: %w", table, err)
		}
	}
	return nil
}

// logMerge appends the merge to the change log: a "merge" on the merged
// party and a "merge_into" on the survivor, both with the reason.
func (s *Service) logMerge(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, survivor, survivorAfter, merged, mergedAfter Party, reason string) error {
	oldM, newM, err := audit.Diff(merged, mergedAfter)
	if err != nil {
		return err
	}
	oldS, newS, err := audit.Diff(survivor, survivorAfter)
	if err != nil {
		return err
	}
	if newS == nil {
		newS = map[string]any{}
	}
	newS["merged_party_id"] = merged.ID
	_, err = s.Audit.Append(ctx, tx,
		audit.Change{CompanyID: companyID, Entity: "party", EntityID: merged.ID.String(), Action: "merge", Old: oldM, New: newM, Reason: reason},
		audit.Change{CompanyID: companyID, Entity: "party", EntityID: survivor.ID.String(), Action: "merge_into", Old: oldS, New: newS, Reason: reason})
	return err
}
