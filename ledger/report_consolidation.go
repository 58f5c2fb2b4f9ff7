package ledger

import (
	"context"
	"fmt"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// SetIntercompany flags (or unflags) an account as intercompany: a
// receivable from, payable to, sale to or cost from another company of the
// group. Consolidated reports leave such accounts out.
func (s *Service) SetIntercompany(ctx context.Context, companyID, accountID backoffice.ID, intercompany bool) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if _, err := getAccount(ctx, tx, companyID, accountID); err != nil {
			return err
		}
		var before bool
		if err := tx.QueryRowContext(ctx, `SELECT intercompany FROM ledger_accounts WHERE id = ?`, int64(accountID)).Scan(&before); err != nil {
			return fmt.Errorf("read intercompany flag: %w", err)
		}
		if before == intercompany {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ledger_accounts SET intercompany = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			intercompany, s.now(), int64(accountID)); err != nil {
			return fmt.Errorf("save intercompany flag: %w", err)
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "account", EntityID: accountID.String(), Action: "update",
			Old: map[string]any{"intercompany": before}, New: map[string]any{"intercompany": intercompany}})
		return err
	})
}

// IntercompanyAccounts lists the company's accounts flagged intercompany,
// by code.
func (s *Service) IntercompanyAccounts(ctx context.Context, companyID backoffice.ID) ([]Account, error) {
	ids, err := intercompanyAccounts(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	accounts, err := chart(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	out := []Account{}
	for _, a := range accounts {
		if ids[a.ID] {
			out = append(out, a)
		}
	}
	return out, nil
}

// Member is a company of a consolidation and the rate that translates its
// currency into the group currency (group currency per unit, a decimal;
// "" when the currencies are the same).
type Member struct {
	CompanyID backoffice.ID `json:"company_id"`
	Rate      string        `json:"rate,omitempty"`
}

// member is a member read for consolidation.
type member struct {
	Member
	base         backoffice.Currency
	rate         decimal.Decimal
	accounts     []Account
	intercompany map[backoffice.ID]bool
}

// loadMembers validates the members and reads their charts.
func loadMembers(ctx context.Context, q sqldb.Querier, group backoffice.Currency, in []Member) ([]member, error) {
	v := backoffice.Validation{}
	v.Check(group.Valid(), "currency", "must be an ISO 4217 currency code")
	v.Check(len(in) >= 1 && len(in) <= 100, "members", "give 1 to 100 companies")
	seen := map[backoffice.ID]bool{}
	out := make([]member, 0, len(in))
	for i, m := range in {
		f := fmt.Sprintf("members[%d].", i)
		v.Check(!seen[m.CompanyID], f+"company_id", "is given twice")
		seen[m.CompanyID] = true
		base, err := companyCurrency(ctx, q, m.CompanyID)
		if backoffice.ErrorCode(err) == backoffice.ENotFound {
			v.Add(f+"company_id", "is not a company")
			continue
		}
		if err != nil {
			return nil, err
		}
		mm := member{Member: m, base: base, rate: decimal.One}
		if m.Rate != "" || base != group {
			r, err := decimal.Parse(m.Rate)
			if err != nil || !r.IsPos() {
				v.Add(f+"rate", fmt.Sprintf("give the rate from %s to %s as a positive decimal", base, group))
				continue
			}
			mm.rate = r
		}
		if mm.accounts, err = chart(ctx, q, m.CompanyID); err != nil {
			return nil, err
		}
		if mm.intercompany, err = intercompanyAccounts(ctx, q, m.CompanyID); err != nil {
			return nil, err
		}
		out = append(out, mm)
	}
	return out, v.Err("consolidation")
}

func intercompanyAccounts(ctx context.Context, q sqldb.Querier, companyID backoffice.ID) (map[backoffice.ID]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM ledger_accounts WHERE company_id = ? AND intercompany = ?`, int64(companyID), true)
	if err != nil {
		return nil, fmt.Errorf("read intercompany accounts: %w", err)
	}
	defer rows.Close()
	out := map[backoffice.ID]bool{}
	for rows.Next() {
		var id backoffice.ID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read intercompany accounts: %w", err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// translate converts minor units of from into minor units of to at rate,
// rounding half to even to to's digits.
func translate(amount int64, from backoffice.Currency, rate decimal.Decimal, to backoffice.Currency) (int64, error) {
	d, err := decimal.New(amount, from.Exponent())
	if err == nil {
		d, err = d.Mul(rate)
	}
	whole, frac, ok := d.Int64(to.Exponent())
	if err != nil || !ok {
		return 0, backoffice.Errorf(backoffice.EInvalid, "%s at rate %s is too large to translate", backoffice.NewMoney(amount, from), rate)
	}
	return whole*pow10(to.Exponent()) + frac, nil
}
