// Package party holds the company's business partners: customers and
// suppliers (one party may be both) with their addresses, contacts, tax and
// Peppol identifiers, bank accounts, payment terms and default accounts;
// duplicate detection and merging; CSV import and export.
package party

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// Service holds the dependencies of the party use cases.
type Service struct {
	DB     *sqldb.DB
	Audit  *audit.Log
	Ledger *ledger.Service  // checks that default accounts belong to the company
	Now    func() time.Time // clock; time.Now when nil
}

// now is the service clock in UTC, cut to microseconds because PostgreSQL
// keeps no more, so a value written and read back compares equal.
func (s *Service) now() time.Time {
	t := time.Now()
	if s.Now != nil {
		t = s.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Kind says whether a party buys from us, sells to us, or both.
type Kind string

// The kinds of party.
const (
	KindCustomer Kind = "customer"
	KindSupplier Kind = "supplier"
	KindBoth     Kind = "both"
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindCustomer || k == KindSupplier || k == KindBoth }

// Address is a postal address; Lines holds street lines separated by "\n".
type Address struct {
	Lines      string `json:"lines"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Region     string `json:"region"`
	Country    string `json:"country"` // ISO 3166-1 alpha-2, "" when the address is empty
}

// Contact is a person to talk to at a party.
type Contact struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
	Role  string `json:"role"` // "accounts payable", "sales", …
}

// BankAccount is a party's account we pay to or collect from.
type BankAccount struct {
	IBAN   string `json:"iban"` // normalised
	BIC    string `json:"bic"`
	Holder string `json:"holder"`
}

// Terms are a party's payment terms: due NetDays after the document date,
// less DiscountBasisPoints (hundredths of a percent: 200 = 2 %) when paid
// within DiscountDays.
type Terms struct {
	NetDays             int `json:"net_days"`
	DiscountBasisPoints int `json:"discount_basis_points"`
	DiscountDays        int `json:"discount_days"`
}

// Input is what a user gives to create a party or to replace its fields.
type Input struct {
	Kind                Kind                `json:"kind"`
	LegalName           string              `json:"legal_name"`
	TradeName           string              `json:"trade_name"`
	Billing             Address             `json:"billing"`
	Shipping            Address             `json:"shipping"`
	Contacts            []Contact           `json:"contacts"`
	BankAccounts        []BankAccount       `json:"bank_accounts"`
	VATID               string              `json:"vat_id"`
	PeppolScheme        string              `json:"peppol_scheme"` // EAS code, e.g. 0088, 0208, 9930
	PeppolID            string              `json:"peppol_id"`
	Terms               Terms               `json:"terms"`
	ReceivableAccountID backoffice.ID       `json:"receivable_account_id,omitempty"`
	PayableAccountID    backoffice.ID       `json:"payable_account_id,omitempty"`
	IncomeAccountID     backoffice.ID       `json:"income_account_id,omitempty"`
	ExpenseAccountID    backoffice.ID       `json:"expense_account_id,omitempty"`
	TaxCode             string              `json:"tax_code"`
	Currency            backoffice.Currency `json:"currency"`
	CreditLimit         int64               `json:"credit_limit"` // minor units of Currency; 0 for none
	Language            string              `json:"language"`     // ISO 639-1, for documents
	Blocked             bool                `json:"blocked"`
}

// Party is a stored customer or supplier.
type Party struct {
	ID        backoffice.ID `json:"id"`
	CompanyID backoffice.ID `json:"company_id"`
	Input
	MergedIntoID backoffice.ID `json:"merged_into_id,omitempty"` // the survivor when this party was merged away
	Version      int64         `json:"version"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// Name is the trade name when there is one, else the legal name.
func (p Party) Name() string {
	if p.TradeName != "" {
		return p.TradeName
	}
	return p.LegalName
}

// languages are the ISO 639-1 codes documents can be written in.
const languages = " bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv no is "

// normalise trims text, upper-cases codes and fills defaults.
func (in *Input) normalise() {
	trim := func(ps ...*string) {
		for _, p := range ps {
			*p = strings.TrimSpace(*p)
		}
	}
	trim(&in.LegalName, &in.TradeName, &in.TaxCode, &in.PeppolID, &in.PeppolScheme)
	for _, a := range []*Address{&in.Billing, &in.Shipping} {
		trim(&a.Lines, &a.City, &a.PostalCode, &a.Region, &a.Country)
		a.Country = strings.ToUpper(a.Country)
	}
	for i := range in.Contacts {
		c := &in.Contacts[i]
		trim(&c.Name, &c.Email, &c.Phone, &c.Role)
	}
	for i := range in.BankAccounts {
		b := &in.BankAccounts[i]
		b.IBAN, b.BIC, b.Holder = NormalizeIBAN(b.IBAN), strings.ToUpper(strings.TrimSpace(b.BIC)), strings.TrimSpace(b.Holder)
	}
	in.VATID = NormalizeVAT(in.VATID)
	in.Kind = Kind(strings.ToLower(strings.TrimSpace(string(in.Kind))))
	in.Currency = backoffice.Currency(strings.ToUpper(strings.TrimSpace(string(in.Currency))))
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	if in.Language == "" {
		in.Language = "en"
	}
	if in.Contacts == nil {
		in.Contacts = []Contact{}
	}
	if in.BankAccounts == nil {
		in.BankAccounts = []BankAccount{}
	}
}

// check validates every field that needs no database, naming each bad one.
func (in *Input) check() backoffice.Validation {
	v := backoffice.Validation{}
	v.Check(in.Kind.Valid(), "kind", "must be customer, supplier or both")
	v.Check(in.LegalName != "", "legal_name", "is required")
	checkAddress(v, "billing", in.Billing)
	checkAddress(v, "shipping", in.Shipping)
	for i, c := range in.Contacts {
		f := fmt.Sprintf("contacts[%d].", i)
		v.Check(c.Name != "" || c.Email != "", f+"name", "is required when the contact has no e-mail")
		if c.Email != "" {
			if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
				v.Add(f+"email", "must be an e-mail address like ann@example.com")
			}
		}
	}
	for i, b := range in.BankAccounts {
		f := fmt.Sprintf("bank_accounts[%d].", i)
		if msg := CheckIBAN(b.IBAN); msg != "" {
			v.Add(f+"iban", msg)
		}
		if b.BIC != "" {
			if msg := CheckBIC(b.BIC); msg != "" {
				v.Add(f+"bic", msg)
			}
		}
	}
	if in.VATID != "" {
		if msg := CheckVAT(in.VATID); msg != "" {
			v.Add("vat_id", msg)
		}
	}
	if in.PeppolScheme != "" || in.PeppolID != "" {
		if !ValidEAS(in.PeppolScheme) {
			v.Add("peppol_scheme", "must be an EAS code such as 0088 (GLN), 0192, 0208 or 9930")
		} else if msg := CheckEndpoint(in.PeppolScheme, in.PeppolID); msg != "" {
			v.Add("peppol_id", msg)
		}
	}
	v.Check(in.Terms.NetDays >= 0 && in.Terms.NetDays <= 366, "terms.net_days", "must be 0 to 366 days")
	v.Check(in.Terms.DiscountBasisPoints >= 0 && in.Terms.DiscountBasisPoints < 10000, "terms.discount_basis_points", "must be at least 0 and below 10000 (100 %)")
	v.Check(in.Terms.DiscountDays >= 0 && in.Terms.DiscountDays <= in.Terms.NetDays, "terms.discount_days", "must be 0 to the net days")
	v.Check(in.Terms.DiscountBasisPoints == 0 || in.Terms.DiscountDays > 0, "terms.discount_days", "must be given with an early-payment discount")
	v.Check(in.Currency.Valid(), "currency", "must be an ISO 4217 currency code like EUR")
	v.Check(in.CreditLimit >= 0, "credit_limit", "must not be negative")
	v.Check(len(in.Language) == 2 && strings.Contains(languages, " "+in.Language+" "), "language", "must be an ISO 639-1 code like en, de, fr")
	return v
}

func checkAddress(v backoffice.Validation, f string, a Address) {
	if a == (Address{}) {
		return
	}
	v.Check(ValidCountry(a.Country), f+".country", "must be an ISO 3166-1 country code like DE, FR, GB")
	v.Check(a.City != "", f+".city", "is required in an address")
}

// checkAccounts proves that every default ledger account given belongs to
// the company, adding a message to v for each that does not.
func (s *Service) checkAccounts(ctx context.Context, companyID backoffice.ID, in Input, v backoffice.Validation) error {
	for _, a := range []struct {
		field string
		id    backoffice.ID
	}{{"receivable_account_id", in.ReceivableAccountID}, {"payable_account_id", in.PayableAccountID},
		{"income_account_id", in.IncomeAccountID}, {"expense_account_id", in.ExpenseAccountID}} {
		if a.id == 0 {
			continue
		}
		_, err := s.Ledger.GetAccount(ctx, companyID, a.id)
		if backoffice.ErrorCode(err) == backoffice.ENotFound {
			v.Add(a.field, "is not a ledger account of this company")
		} else if err != nil {
			return err
		}
	}
	return nil
}

// validate normalises in and returns an invalid error naming every bad field.
func (s *Service) validate(ctx context.Context, companyID backoffice.ID, in *Input) error {
	in.normalise()
	v := in.check()
	if err := s.checkAccounts(ctx, companyID, *in, v); err != nil {
		return err
	}
	return v.Err("party")
}
