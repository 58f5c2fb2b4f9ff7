package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/party"
)

// partyValues is the party form as text, keyed by the same field names the
// party package uses in its errors ("billing.city", "contacts[0].email"), so
// a failed save shows what was typed with each message beside its field.
type partyValues map[string]string

// partyField is one input of the party form.
type partyField struct {
	Name, Label, Value, Hint, Error string
	Type                            string // "", "select" or "checkbox"
	Options                         []partyOption
	ReadOnly                        bool
}

// partyOption is one choice of a select field.
type partyOption struct {
	Value, Label string
	Selected     bool
}

// partySection is a titled group of fields; rows repeat for contacts and bank accounts.
type partySection struct {
	ID, Title, Help string
	Fields          []partyField
	Rows            [][]partyField
}

// partyForm is the data of the party page and the new-party form.
type partyForm struct {
	New        bool
	Party      party.Party
	Values     partyValues
	Errors     *formErrors
	CanEdit    bool
	Duplicates []party.Duplicate
	History    []historyItem
}

// partyAccountFields are the default ledger accounts, shown and typed by code.
var partyAccountFields = []struct{ name, label string }{
	{"receivable_account_id", "Receivable account"}, {"payable_account_id", "Payable account"},
	{"income_account_id", "Income account"}, {"expense_account_id", "Expense account"},
}

// rowCount is how many contact or bank account rows the values hold, with
// one blank row more to add another.
func (v partyValues) rowCount(prefix string) int {
	n := 0
	for k := range v {
		var i int
		if _, err := fmt.Sscanf(k, prefix+"[%d].", &i); err == nil && i+1 > n {
			n = i + 1
		}
	}
	return n + 1
}

// Sections are the form's groups of fields, in the order they show.
func (f partyForm) Sections() []partySection {
	field := func(name, label, hint string) partyField {
		pf := partyField{Name: name, Label: label, Hint: hint, Value: f.Values[name], ReadOnly: !f.CanEdit}
		if f.Errors != nil {
			pf.Error = f.Errors.Fields[name]
		}
		return pf
	}
	kind := field("kind", "Kind", "")
	kind.Type = "select"
	for _, k := range []string{"customer", "supplier", "both"} {
		kind.Options = append(kind.Options, partyOption{Value: k, Label: strings.ToUpper(k[:1]) + k[1:], Selected: f.Values["kind"] == k})
	}
	blocked := field("blocked", "Blocked: no new invoices or payments", "")
	blocked.Type = "checkbox"
	addr := func(p, title string) partySection {
		return partySection{ID: p, Title: title, Fields: []partyField{field(p+".lines", "Street and number", ""),
			field(p+".postal_code", "Postal code", ""), field(p+".city", "City", ""), field(p+".region", "Region", ""),
			field(p+".country", "Country", "two letters, e.g. DE")}}
	}
	contacts := partySection{ID: "contacts", Title: "Contacts", Help: "Leave a row empty to remove it."}
	for i := range f.Values.rowCount("contacts") {
		p := fmt.Sprintf("contacts[%d].", i)
		contacts.Rows = append(contacts.Rows, []partyField{field(p+"name", "Name", ""), field(p+"email", "E-mail", ""),
			field(p+"phone", "Phone", ""), field(p+"role", "Role", "e.g. accounts payable")})
	}
	banks := partySection{ID: "bank", Title: "Bank accounts", Help: "Leave a row empty to remove it."}
	for i := range f.Values.rowCount("bank_accounts") {
		p := fmt.Sprintf("bank_accounts[%d].", i)
		banks.Rows = append(banks.Rows, []partyField{field(p+"iban", "IBAN", "spaces are fine"), field(p+"bic", "BIC", ""), field(p+"holder", "Account holder", "")})
	}
	terms := partySection{ID: "terms", Title: "Terms and defaults", Fields: []partyField{
		field("terms.net_days", "Payment due in days", ""), field("terms.discount_percent", "Early-payment discount %", "e.g. 2 or 2.5"),
		field("terms.discount_days", "Discount if paid within days", ""), field("currency", "Currency", "e.g. EUR"),
		field("credit_limit", "Credit limit", "in the currency; empty for none"), field("language", "Document language", "e.g. en, de"),
		field("tax_code", "Tax code", "")}}
	for _, a := range partyAccountFields {
		terms.Fields = append(terms.Fields, field(a.name, a.label, "ledger account code"))
	}
	terms.Fields = append(terms.Fields, blocked)
	return []partySection{
		{ID: "identity", Title: "Identity", Fields: []partyField{kind, field("legal_name", "Legal name", ""), field("trade_name", "Trade name", "if different"),
			field("vat_id", "VAT id", "with country prefix, e.g. DE136695976"), field("peppol_scheme", "Peppol scheme", "EAS code, e.g. 0088, 9930"), field("peppol_id", "Peppol id", "")}},
		addr("billing", "Billing address"), addr("shipping", "Shipping address"), contacts, banks, terms,
	}
}

// partyValuesOf is a stored party as form text; account ids show as codes.
func (s *Server) partyValuesOf(ctx context.Context, company backoffice.ID, p party.Party) (partyValues, error) {
	exp := p.Currency.Exponent()
	v := partyValues{"kind": string(p.Kind), "legal_name": p.LegalName, "trade_name": p.TradeName, "vat_id": p.VATID,
		"peppol_scheme": p.PeppolScheme, "peppol_id": p.PeppolID, "currency": string(p.Currency), "language": p.Language, "tax_code": p.TaxCode,
		"terms.net_days": strconv.Itoa(p.Terms.NetDays), "terms.discount_days": strconv.Itoa(p.Terms.DiscountDays)}
	if p.Terms.DiscountBasisPoints != 0 {
		v["terms.discount_percent"] = backoffice.FormatMinor(int64(p.Terms.DiscountBasisPoints), 2)
	}
	if p.CreditLimit != 0 {
		v["credit_limit"] = backoffice.FormatMinor(p.CreditLimit, exp)
	}
	if p.Blocked {
		v["blocked"] = "1"
	}
	for name, a := range map[string]party.Address{"billing": p.Billing, "shipping": p.Shipping} {
		v[name+".lines"], v[name+".postal_code"], v[name+".city"], v[name+".region"], v[name+".country"] = a.Lines, a.PostalCode, a.City, a.Region, a.Country
	}
	for i, c := range p.Contacts {
		pre := fmt.Sprintf("contacts[%d].", i)
		v[pre+"name"], v[pre+"email"], v[pre+"phone"], v[pre+"role"] = c.Name, c.Email, c.Phone, c.Role
	}
	for i, b := range p.BankAccounts {
		pre := fmt.Sprintf("bank_accounts[%d].", i)
		v[pre+"iban"], v[pre+"bic"], v[pre+"holder"] = formatIBAN(b.IBAN), b.BIC, b.Holder
	}
	for _, a := range partyAccountFields {
		id := map[string]backoffice.ID{"receivable_account_id": p.ReceivableAccountID, "payable_account_id": p.PayableAccountID,
			"income_account_id": p.IncomeAccountID, "expense_account_id": p.ExpenseAccountID}[a.name]
		if id == 0 || s.Ledger == nil {
			continue
		}
		acc, err := s.Ledger.GetAccount(ctx, company, id)
		if err != nil {
			return nil, err
		}
		v[a.name] = acc.Code
	}
	return v, nil
}

// readPartyForm keeps every posted field as typed.
func readPartyForm(form url.Values) partyValues {
	v := partyValues{}
	for k, vs := range form {
		if k != "version" && len(vs) > 0 && len(k) < 64 {
			v[k] = strings.TrimSpace(vs[0])
		}
	}
	return v
}

// partyInput turns the form text into a party. Text that cannot be read
// (a number, an unknown account code) comes back in bad, named like the
// field. rows maps the index of each kept contact and bank account row to
// its row on the form, as blank rows are left out.
func (s *Server) partyInput(ctx context.Context, company backoffice.ID, v partyValues) (in party.Input, bad map[string]string, rows map[string]int) {
	bad, rows = map[string]string{}, map[string]int{}
	in = party.Input{Kind: party.Kind(v["kind"]), LegalName: v["legal_name"], TradeName: v["trade_name"], VATID: v["vat_id"],
		PeppolScheme: v["peppol_scheme"], PeppolID: v["peppol_id"], Currency: backoffice.Currency(strings.ToUpper(v["currency"])),
		Language: v["language"], TaxCode: v["tax_code"], Blocked: v["blocked"] != ""}
	addr := func(p string) party.Address {
		return party.Address{Lines: v[p+".lines"], PostalCode: v[p+".postal_code"], City: v[p+".city"], Region: v[p+".region"], Country: v[p+".country"]}
	}
	in.Billing, in.Shipping = addr("billing"), addr("shipping")
	in.Contacts, in.BankAccounts = partyRows(v, rows)
	number := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v[name]))
		if v[name] != "" && err != nil {
			bad[name] = "must be a whole number of days"
		}
		return n
	}
	in.Terms.NetDays, in.Terms.DiscountDays = number("terms.net_days"), number("terms.discount_days")
	if t := v["terms.discount_percent"]; t != "" {
		bp, err := backoffice.ParseMinor(t, 2)
		if err != nil {
			bad["terms.discount_percent"] = "must be a percentage like 2 or 2.5"
		}
		in.Terms.DiscountBasisPoints = int(bp)
	}
	if t := v["credit_limit"]; t != "" {
		var err error
		if in.CreditLimit, err = backoffice.ParseMinor(t, in.Currency.Exponent()); err != nil {
			bad["credit_limit"] = "must be an amount like 5000.00"
		}
	}
	for _, a := range partyAccountFields {
		code := v[a.name]
		if code == "" || s.Ledger == nil {
			continue
		}
		acc, err := s.Ledger.AccountByCode(ctx, company, code)
		if err != nil {
			bad[a.name] = "no ledger account has the code " + code
			continue
		}
		*map[string]*backoffice.ID{"receivable_account_id": &in.ReceivableAccountID, "payable_account_id": &in.PayableAccountID,
			"income_account_id": &in.IncomeAccountID, "expense_account_id": &in.ExpenseAccountID}[a.name] = acc.ID
	}
	return in, bad, rows
}

// partyRows reads the contact and bank account rows, leaving blank ones out
// and noting in rows which form row each kept one came from.
func partyRows(v partyValues, rows map[string]int) (contacts []party.Contact, banks []party.BankAccount) {
	for i := range v.rowCount("contacts") {
		p := fmt.Sprintf("contacts[%d].", i)
		c := party.Contact{Name: v[p+"name"], Email: v[p+"email"], Phone: v[p+"phone"], Role: v[p+"role"]}
		if c != (party.Contact{}) {
			rows[fmt.Sprintf("contacts[%d].", len(contacts))] = i
			contacts = append(contacts, c)
		}
	}
	for i := range v.rowCount("bank_accounts") {
		p := fmt.Sprintf("bank_accounts[%d].", i)
		b := party.BankAccount{IBAN: v[p+"iban"], BIC: v[p+"bic"], Holder: v[p+"holder"]}
		if b != (party.BankAccount{}) {
			rows[fmt.Sprintf("bank_accounts[%d].", len(banks))] = i
			banks = append(banks, b)
		}
	}
	return contacts, banks
}

// partyFormErrors merges the form's own messages with the save's, moving
// row messages back to the rows the user typed them in. The discount in
// basis points is shown on the percent field.
func partyFormErrors(err error, bad map[string]string, rows map[string]int) (*formErrors, error) {
	fe := &formErrors{Message: "Please correct the marked fields: nothing was saved.", Fields: map[string]string{}}
	if err != nil {
		var ferr error
		if fe, ferr = formFailure(err); ferr != nil {
			return nil, ferr
		}
	}
	moved := map[string]string{}
	for k, msg := range fe.Fields {
		if k == "terms.discount_basis_points" {
			k = "terms.discount_percent"
		}
		for prefix, row := range rows {
			if strings.HasPrefix(k, prefix) {
				k = prefix[:strings.Index(prefix, "[")] + fmt.Sprintf("[%d].", row) + strings.TrimPrefix(k, prefix)
				break
			}
		}
		moved[k] = msg
	}
	for k, msg := range bad {
		moved[k] = msg
	}
	fe.Fields = moved
	if len(moved) > 0 {
		fe.Message = "Please correct the marked fields: nothing was saved."
	}
	return fe, nil
}
