package invoice

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"backoffice"
	"backoffice/bank/pain"
)

// ExportDebitRun writes an approved (or already exported) run as a pain.008
// file of version v (pain.008.001.02 or .08) into the company's bank account
// linked to the run's ledger account, with the creditor name and SEPA
// creditor id of the company details, and marks an approved run exported.
// Nothing is written or changed when the file would be invalid.
func (s *Service) ExportDebitRun(ctx context.Context, companyID, id backoffice.ID, v pain.Version) ([]byte, DebitRun, error) {
	r, err := s.GetDebitRun(ctx, companyID, id)
	if err != nil {
		return nil, DebitRun{}, err
	}
	profile, err := s.Party.Profile(ctx, companyID)
	if err != nil {
		return nil, DebitRun{}, err
	}
	cred := pain.Creditor{Account: pain.Account{Name: profile.LegalName}, CreditorID: profile.CreditorID}
	err = s.DB.QueryRowContext(ctx, `SELECT iban, bic FROM bank_accounts WHERE company_id = ? AND ledger_account_id = ? AND active AND iban <> '' ORDER BY id LIMIT 1`,
		int64(companyID), int64(r.AccountID)).Scan(&cred.IBAN, &cred.BIC)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, DebitRun{}, backoffice.Errorf(backoffice.EInvalid, "direct debit run %s collects into a ledger account that no active bank account with an IBAN is linked to: add the bank account first", r.Number)
	}
	if err != nil {
		return nil, DebitRun{}, fmt.Errorf("read creditor account: %w", err)
	}
	if cred.BIC == "" && cred.IBAN == profile.IBAN {
		cred.BIC = profile.BIC
	}
	dd, err := r.DirectDebit(cred, s.now())
	if err != nil {
		return nil, DebitRun{}, err
	}
	var file bytes.Buffer
	if err := pain.WriteDirectDebit(&file, dd, v); err != nil {
		return nil, DebitRun{}, err
	}
	if r.State == DebitApproved {
		if r, err = s.MarkDebitRunExported(ctx, companyID, id); err != nil {
			return nil, DebitRun{}, err
		}
	}
	return file.Bytes(), r, nil
}
