package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// SettlementAccountCode is the default chart's VAT settlement account, which
// a settlement credits with the VAT payable (or debits with a refund due).
const SettlementAccountCode = "2110"

// SettleTax posts the settlement of a tax period: the period's output VAT
// is debited off each collected account and its input VAT credited off each
// deductible account, and the difference goes to the VAT settlement
// account, in one entry dated the period's last day in the general journal.
// A period is settled once; periods never overlap. The entry is what the
// return declares, so the tax accounts then hold only other periods.
func (s *Service) SettleTax(ctx context.Context, companyID backoffice.ID, from, to backoffice.Date) (TaxSettlement, error) {
	rep, err := s.TaxReport(ctx, companyID, from, to)
	if err != nil {
		return TaxSettlement{}, err
	}
	codes, err := taxCodesByCode(ctx, s.DB, companyID)
	if err != nil {
		return TaxSettlement{}, err
	}
	settleAcct, err := s.Ledger.AccountByCode(ctx, companyID, SettlementAccountCode)
	if err != nil {
		return TaxSettlement{}, fmt.Errorf("the VAT settlement account %s: %w", SettlementAccountCode, err)
	}
	journal, err := s.generalJournal(ctx, companyID)
	if err != nil {
		return TaxSettlement{}, err
	}
	amounts := map[backoffice.ID]int64{} // debit positive, per tax account
	for _, a := range rep.Codes {
		if a.Type != TaxVAT {
			continue
		}
		tc := codes[a.TaxCode]
		amounts[tc.CollectedAccountID] += a.SalesTax
		amounts[tc.DeductibleAccountID] -= a.PurchasesTax
	}
	in := ledger.NewEntry{JournalID: journal, Date: to, Reference: fmt.Sprintf("VAT %s–%s", from, to),
		Narration:      fmt.Sprintf("VAT return %s to %s: payable %s", from, to, backoffice.NewMoney(rep.Payable, rep.Currency)),
		IdempotencyKey: fmt.Sprintf("tax-settlement:%s:%s", from, to)}
	for _, acct := range slices.Sorted(maps.Keys(amounts)) {
		if amounts[acct] != 0 && acct != 0 {
			in.Lines = append(in.Lines, ledger.NewLine{AccountID: acct, Amount: amounts[acct], Memo: "VAT of the period"})
		}
	}
	if rep.Payable != 0 {
		in.Lines = append(in.Lines, ledger.NewLine{AccountID: settleAcct.ID, Amount: -rep.Payable, Memo: "VAT payable for the period"})
	}
	if len(in.Lines) < 2 {
		return TaxSettlement{}, backoffice.Errorf(backoffice.EInvalid, "no VAT to settle from %s to %s", from, to)
	}
	var st TaxSettlement
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var overlap int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM invoice_tax_settlements WHERE company_id = ? AND from_date <= ? AND to_date >= ?`,
			int64(companyID), to, from).Scan(&overlap); err != nil {
			return fmt.Errorf("check settled periods: %w", err)
		}
		if overlap > 0 {
			return backoffice.Errorf(backoffice.EConflict, "the VAT of %s to %s is already settled, wholly or in part", from, to)
		}
		e, err := s.Ledger.PostTx(ctx, tx, companyID, in)
		if err != nil {
			return err
		}
		st = TaxSettlement{From: from, To: to, EntryID: e.ID, Payable: rep.Payable}
		if err := tx.QueryRowContext(ctx, `INSERT INTO invoice_tax_settlements (company_id, from_date, to_date, entry_id, payable, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, int64(companyID), from, to, int64(e.ID), rep.Payable, s.now()).Scan(&st.ID); err != nil {
			return fmt.Errorf("record the settlement: %w", err)
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "tax_settlement", EntityID: st.ID.String(), Action: "post",
			New: map[string]any{"from": from, "to": to, "entry": e.Number, "payable": rep.Payable}})
		return err
	})
	return st, err
}

// settlementOf returns the settlement of the period starting on from, if any.
func (s *Service) settlementOf(ctx context.Context, companyID backoffice.ID, from backoffice.Date) (*TaxSettlement, error) {
	var st TaxSettlement
	err := s.DB.QueryRowContext(ctx, `SELECT id, from_date, to_date, entry_id, payable FROM invoice_tax_settlements WHERE company_id = ? AND from_date = ?`,
		int64(companyID), from).Scan(&st.ID, &st.From, &st.To, &st.EntryID, &st.Payable)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the settlement: %w", err)
	}
	return &st, nil
}

// generalJournal finds the company's general journal.
func (s *Service) generalJournal(ctx context.Context, companyID backoffice.ID) (backoffice.ID, error) {
	js, err := s.Ledger.ListJournals(ctx, companyID)
	if err != nil {
		return 0, err
	}
	for _, j := range js {
		if j.Type == "general" && !j.Blocked {
			return j.ID, nil
		}
	}
	return 0, backoffice.Errorf(backoffice.EInvalid, "the company has no open general journal to post the VAT settlement in")
}
