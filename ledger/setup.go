package ledger

import (
	"context"

	"backoffice"
	"backoffice/sqldb"
)

// SetUpCompany gives a company its books: the default chart of accounts, the
// default journals (sales, purchases, bank, cash, general) and the fiscal
// year of today's date with its monthly periods. It is idempotent: what
// exists already is left as it is, and only what is missing is created.
func (s *Service) SetUpCompany(ctx context.Context, companyID backoffice.ID) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := companyCurrency(ctx, tx, companyID); err != nil {
			return err
		}
		var missing []NewAccount
		for _, na := range DefaultChart() {
			_, err := accountByCode(ctx, tx, companyID, na.Code)
			if backoffice.ErrorCode(err) == backoffice.ENotFound {
				missing = append(missing, na)
				continue
			}
			if err != nil {
				return err
			}
		}
		if _, err := s.createAccounts(ctx, tx, companyID, missing, "accounts"); err != nil {
			return err
		}
		for _, j := range DefaultJournals() {
			if _, _, err := s.createJournal(ctx, tx, companyID, j, true); err != nil {
				return err
			}
		}
		month, err := fiscalStartMonth(ctx, tx, companyID)
		if err != nil {
			return err
		}
		_, err = s.ensureFiscalYear(ctx, tx, companyID, month, s.today())
		return err
	})
}
