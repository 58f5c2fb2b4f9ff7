package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"backoffice"
	"backoffice/audit"
	"backoffice/sqldb"
)

// AccountType is the accounting class of an account; it decides the side of
// the balance sheet or income statement the account reports on.
type AccountType string

// The five account types.
const (
	Asset     AccountType = "asset"
	Liability AccountType = "liability"
	Equity    AccountType = "equity"
	Income    AccountType = "income"
	Expense   AccountType = "expense"
)

// AccountTypes lists the account types in reporting order.
func AccountTypes() []AccountType { return []AccountType{Asset, Liability, Equity, Income, Expense} }

// Subtypes are the roles an account plays for other domains (invoices post
// to a receivable, bank statements to a bank account, year-end close to
// retained earnings).
var subtypes = []string{"receivable", "payable", "bank", "cash", "credit_card", "tax", "inventory", "fixed_asset",
	"accumulated_depreciation", "prepayment", "accrual", "current_asset", "non_current_asset", "current_liability",
	"non_current_liability", "retained_earnings", "opening_balance", "revenue", "cost_of_sales",
	"payroll", "depreciation", "exchange_difference", "rounding", "suspense", "other"}

// Subtypes lists the account subtypes the ledger knows.
func Subtypes() []string { return slices.Clone(subtypes) }

// BuiltinDimensions are the dimensions every company has; a line may carry
// others, named in lower snake case.
func BuiltinDimensions() []string { return []string{"cost_center", "project", "department"} }

// Account is one account of a company's chart.
type Account struct {
	ID                 backoffice.ID       `json:"id"`
	CompanyID          backoffice.ID       `json:"company_id"`
	Code               string              `json:"code"`
	Name               string              `json:"name"`
	Type               AccountType         `json:"type"`
	Subtype            string              `json:"subtype"`
	ParentID           backoffice.ID       `json:"parent_id,omitempty"`
	Currency           backoffice.Currency `json:"currency,omitempty"` // "" = any currency
	Blocked            bool                `json:"blocked"`
	Reconcilable       bool                `json:"reconcilable"`
	RequiredDimensions []string            `json:"required_dimensions"`
	MinBalance         *int64              `json:"min_balance,omitempty"` // limit on debit − credit, company currency
	MaxBalance         *int64              `json:"max_balance,omitempty"`
	Version            int64               `json:"version"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
}

// NewAccount is the input of CreateAccount. Parent is the code of the parent
// account ("" for a top-level account).
type NewAccount struct {
	Code               string              `json:"code"`
	Name               string              `json:"name"`
	Type               AccountType         `json:"type"`
	Subtype            string              `json:"subtype"`
	Parent             string              `json:"parent,omitempty"`
	Currency           backoffice.Currency `json:"currency,omitempty"`
	Reconcilable       bool                `json:"reconcilable,omitempty"`
	RequiredDimensions []string            `json:"required_dimensions,omitempty"`
}

// AccountPatch changes the fields that are not nil. Parent is a parent code
// ("" to make the account top-level).
type AccountPatch struct {
	Code               *string
	Name               *string
	Type               *AccountType
	Subtype            *string
	Parent             *string
	Currency           *backoffice.Currency
	Reconcilable       *bool
	RequiredDimensions *[]string
}

// validCode accepts 1–200 printable characters without surrounding spaces:
// numbered codes ("4000") as well as imported colon paths ("Assets:Bank").
func validCode(code string) bool {
	if code == "" || len(code) > 200 || strings.TrimSpace(code) != code {
		return false
	}
	for _, r := range code {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// validDimension accepts lower snake case names of up to 40 characters.
func validDimension(name string) bool {
	if name == "" || len(name) > 40 || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// check validates the fields of an account that need no database, into v
// with field names under prefix ("" or "accounts[3].").
func (a *NewAccount) check(v backoffice.Validation, prefix string) {
	v.Check(validCode(a.Code), prefix+"code", "must be 1 to 200 printable characters without surrounding spaces")
	n := len([]rune(strings.TrimSpace(a.Name)))
	v.Check(n >= 1 && n <= 200, prefix+"name", "must be 1 to 200 characters")
	v.Check(slices.Contains(AccountTypes(), a.Type), prefix+"type", "must be asset, liability, equity, income or expense")
	if a.Subtype == "" {
		a.Subtype = "other"
	}
	v.Check(slices.Contains(subtypes, a.Subtype), prefix+"subtype", "must be one of "+strings.Join(subtypes, ", "))
	v.Check(a.Currency == "" || a.Currency.Valid(), prefix+"currency", "must be an ISO 4217 currency code or empty")
	for i, d := range a.RequiredDimensions {
		v.Check(validDimension(d), fmt.Sprintf("%srequired_dimensions[%d]", prefix, i), "must be a dimension name in lower snake case")
	}
}

// CreateAccount adds one account to a company's chart.
func (s *Service) CreateAccount(ctx context.Context, companyID backoffice.ID, in NewAccount) (Account, error) {
	v := backoffice.Validation{}
	in.check(v, "")
	if err := v.Err("account"); err != nil {
		return Account{}, err
	}
	var out []Account
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		out, err = s.createAccounts(ctx, tx, companyID, []NewAccount{in}, "")
		return err
	})
	if err != nil {
		return Account{}, err
	}
	return out[0], nil
}

// CreateAccounts adds many accounts at once, all or nothing, as chart
// importers need. A parent may be an existing account or one earlier in the
// list. Errors name fields as "accounts[i].code".
func (s *Service) CreateAccounts(ctx context.Context, companyID backoffice.ID, in []NewAccount) ([]Account, error) {
	v := backoffice.Validation{}
	for i := range in {
		in[i].check(v, fmt.Sprintf("accounts[%d].", i))
	}
	if err := v.Err("chart of accounts"); err != nil {
		return nil, err
	}
	var out []Account
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		out, err = s.createAccounts(ctx, tx, companyID, in, "accounts")
		return err
	})
	return out, err
}

// createAccounts inserts validated accounts in tx and appends one change each.
// list names the input in field errors ("" for a single account).
func (s *Service) createAccounts(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, in []NewAccount, list string) ([]Account, error) {
	if _, err := companyCurrency(ctx, tx, companyID); err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]Account, 0, len(in))
	changes := make([]audit.Change, 0, len(in))
	v := backoffice.Validation{}
	for i, na := range in {
		prefix := ""
		if list != "" {
			prefix = fmt.Sprintf("%s[%d].", list, i)
		}
		a := Account{CompanyID: companyID, Code: na.Code, Name: strings.TrimSpace(na.Name), Type: na.Type, Subtype: na.Subtype,
			Currency: na.Currency, Reconcilable: na.Reconcilable, RequiredDimensions: dims(na.RequiredDimensions),
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if na.Parent != "" {
			p, err := accountByCode(ctx, tx, companyID, na.Parent)
			if err != nil {
				v.Add(prefix+"parent", "is not an account code of this company")
				continue
			}
			if p.Type != a.Type {
				v.Add(prefix+"parent", fmt.Sprintf("is a %s account; a parent must be of the same type (%s)", p.Type, a.Type))
				continue
			}
			a.ParentID = p.ID
		}
		id, err := insertAccount(ctx, tx, a)
		if sqldb.IsUniqueViolation(err) {
			v.Add(prefix+"code", fmt.Sprintf("account %s already exists", a.Code))
			continue
		}
		if err != nil {
			return nil, err
		}
		a.ID = id
		out = append(out, a)
		changes = append(changes, audit.Change{CompanyID: companyID, Entity: "account", EntityID: id.String(), Action: "create", New: a})
	}
	if err := v.Err("account"); err != nil {
		return nil, err
	}
	if _, err := s.Audit.Append(ctx, tx, changes...); err != nil {
		return nil, err
	}
	return out, nil
}

// dims returns a sorted copy without duplicates, never nil.
func dims(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// UpdateAccount changes an account when version is still its current version
// (EPrecondition otherwise). An account with postings keeps its type.
func (s *Service) UpdateAccount(ctx context.Context, companyID, id backoffice.ID, version int64, p AccountPatch) (Account, error) {
	var out Account
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		before, err := getAccount(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if before.Version != version {
			return backoffice.Errorf(backoffice.EPrecondition, "account %s was changed by someone else (version %d, you had %d); reload it", before.Code, before.Version, version)
		}
		after, err := s.applyAccountPatch(ctx, tx, before, p)
		if err != nil {
			return err
		}
		after.Version, after.UpdatedAt = before.Version+1, s.now()
		if err := updateAccount(ctx, tx, after, before.Version); err != nil {
			return err
		}
		old, new, err := audit.Diff(before, after)
		if err != nil {
			return err
		}
		out = after
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "account", EntityID: id.String(), Action: "update", Old: old, New: new})
		return err
	})
	return out, err
}

// applyAccountPatch returns before with p applied, validated.
func (s *Service) applyAccountPatch(ctx context.Context, q sqldb.Querier, before Account, p AccountPatch) (Account, error) {
	na := NewAccount{Code: before.Code, Name: before.Name, Type: before.Type, Subtype: before.Subtype, Currency: before.Currency,
		Reconcilable: before.Reconcilable, RequiredDimensions: before.RequiredDimensions}
	set(&na.Code, p.Code)
	set(&na.Name, p.Name)
	set(&na.Type, p.Type)
	set(&na.Subtype, p.Subtype)
	set(&na.Currency, p.Currency)
	set(&na.Reconcilable, p.Reconcilable)
	set(&na.RequiredDimensions, p.RequiredDimensions)
	v := backoffice.Validation{}
	na.check(v, "")
	if err := v.Err("account"); err != nil {
		return Account{}, err
	}
	after := before
	after.Code, after.Name, after.Type, after.Subtype = na.Code, strings.TrimSpace(na.Name), na.Type, na.Subtype
	after.Currency, after.Reconcilable, after.RequiredDimensions = na.Currency, na.Reconcilable, dims(na.RequiredDimensions)
	posted, err := hasPostings(ctx, q, before.ID)
	if err != nil {
		return Account{}, err
	}
	if posted && after.Type != before.Type {
		return Account{}, fieldError("type", "cannot change: the account has postings")
	}
	if posted && after.Currency != before.Currency && after.Currency != "" {
		return Account{}, fieldError("currency", "cannot be fixed: the account already has postings")
	}
	if p.Parent != nil {
		after.ParentID = 0
		if *p.Parent != "" {
			parent, err := accountByCode(ctx, q, before.CompanyID, *p.Parent)
			if err != nil {
				return Account{}, fieldError("parent", "is not an account code of this company")
			}
			after.ParentID = parent.ID
		}
	}
	return after, checkParent(ctx, q, after)
}

// checkParent enforces that the parent has the account's type and that the
// tree has no cycle; children must also keep the account's type.
func checkParent(ctx context.Context, q sqldb.Querier, a Account) error {
	for id, depth := a.ParentID, 0; id != 0; depth++ {
		if id == a.ID || depth > 100 {
			return fieldError("parent", "would make the account its own ancestor")
		}
		p, err := getAccount(ctx, q, a.CompanyID, id)
		if err != nil {
			return err
		}
		if p.Type != a.Type {
			return fieldError("parent", fmt.Sprintf("is a %s account; a parent must be of the same type (%s)", p.Type, a.Type))
		}
		id = p.ParentID
	}
	var other int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM ledger_accounts WHERE parent_id = ? AND type <> ?`, int64(a.ID), string(a.Type)).Scan(&other)
	if err != nil {
		return fmt.Errorf("check child accounts: %w", err)
	}
	if other > 0 {
		return fieldError("type", "cannot change: the account has children of its current type")
	}
	return nil
}

func set[T any](dst *T, p *T) {
	if p != nil {
		*dst = *p
	}
}

// BlockAccount blocks (or unblocks) an account: a blocked account takes no
// new postings; its history and balances stay.
func (s *Service) BlockAccount(ctx context.Context, companyID, id backoffice.ID, blocked bool) (Account, error) {
	var out Account
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		a, err := getAccount(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		if a.Blocked == blocked {
			out = a
			return nil
		}
		before := a
		a.Blocked, a.Version, a.UpdatedAt = blocked, a.Version+1, s.now()
		if err := updateAccount(ctx, tx, a, before.Version); err != nil {
			return err
		}
		out = a
		action := "block"
		if !blocked {
			action = "unblock"
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "account", EntityID: id.String(), Action: action,
			Old: map[string]any{"blocked": before.Blocked}, New: map[string]any{"blocked": blocked}})
		return err
	})
	return out, err
}

// DeleteAccount removes an account that has no postings and no children.
func (s *Service) DeleteAccount(ctx context.Context, companyID, id backoffice.ID) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		a, err := getAccount(ctx, tx, companyID, id)
		if err != nil {
			return err
		}
		posted, err := hasPostings(ctx, tx, id)
		if err != nil {
			return err
		}
		if posted {
			return backoffice.Errorf(backoffice.EConflict, "account %s has postings and cannot be deleted; block it instead", a.Code)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM ledger_accounts WHERE id = ?`, int64(id)); err != nil {
			if sqldb.IsForeignKeyViolation(err) {
				return backoffice.Errorf(backoffice.EConflict, "account %s has sub-accounts; move or delete them first", a.Code)
			}
			return fmt.Errorf("delete account: %w", err)
		}
		fields, err := audit.Fields(a)
		if err != nil {
			return err
		}
		_, err = s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: "account", EntityID: id.String(), Action: "delete", Old: fields})
		return err
	})
}
