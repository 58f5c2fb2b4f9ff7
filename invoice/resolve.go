package invoice

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/govalues/decimal"

	"backoffice"
	"backoffice/ledger"
	"backoffice/party"
)

// Bounds of a document.
const (
	maxLines      = 1000
	maxAllowances = 100
)

// resolver turns an Input into a Document: every default filled, every
// reference checked against the company, totals computed. It memoises
// what it reads (tax codes, settings, parties, accounts, journals), so one
// resolver serves a batch of documents of one company; v collects the
// field errors of the document being resolved.
type resolver struct {
	s        *Service
	ctx      context.Context
	company  backoffice.ID
	base     backoffice.Currency
	codes    map[string]TaxCode
	settings Settings
	locks    []ledger.LockDate
	accounts map[backoffice.ID]*ledger.Account
	byCode   map[string]backoffice.ID
	parties  map[backoffice.ID]*party.Party
	journals map[string]backoffice.ID
	v        backoffice.Validation
}

// newResolver reads what every document of the company needs.
func (s *Service) newResolver(ctx context.Context, companyID backoffice.ID) (*resolver, error) {
	base, err := s.companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	codes, err := taxCodesByCode(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	settings, err := getSettings(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	locks, err := s.Ledger.LockDates(ctx, companyID)
	if err != nil {
		return nil, err
	}
	return &resolver{s: s, ctx: ctx, company: companyID, base: base, codes: codes, settings: settings, locks: locks,
		accounts: map[backoffice.ID]*ledger.Account{}, byCode: map[string]backoffice.ID{}, parties: map[backoffice.ID]*party.Party{},
		journals: map[string]backoffice.ID{}}, nil
}

// resolve validates in for the company and returns the document it
// describes (ID 0, state draft). selfID is the draft being changed, so that
// it is not its own duplicate or credit.
func (s *Service) resolve(ctx context.Context, companyID backoffice.ID, in Input, selfID backoffice.ID) (*Document, error) {
	r, err := s.newResolver(ctx, companyID)
	if err != nil {
		return nil, err
	}
	return r.resolve(in, selfID)
}

// resolve validates one document; see Service.resolve.
func (r *resolver) resolve(in Input, selfID backoffice.ID) (*Document, error) {
	r.v = backoffice.Validation{}
	normaliseInput(&in)
	v := r.v
	d := &Document{ID: selfID, CompanyID: r.company, Kind: in.Kind, State: StateDraft, PartyID: in.PartyID, IssueDate: in.IssueDate,
		Notes: in.Notes, SupplierReference: in.SupplierReference, CreditsID: in.CreditsID, DuplicateReason: in.DuplicateReason}
	v.Check(in.Kind.Valid(), "kind", "must be invoice, credit_note, bill or refund")
	v.Check(!in.IssueDate.IsZero(), "issue_date", "is required")
	v.Check(len(in.Notes) <= 5000, "notes", "must be at most 5000 characters")
	v.Check(len(in.PaymentTerms) <= 500, "payment_terms", "must be at most 500 characters")
	v.Check(len(in.SupplierReference) <= 200, "supplier_reference", "must be at most 200 characters")
	v.Check(len(in.DuplicateReason) <= 500, "duplicate_reason", "must be at most 500 characters")
	v.Check(in.SupplierReference == "" || !in.Kind.Sales(), "supplier_reference", "is only for bills and refunds")
	p, err := r.party(in)
	if err != nil {
		return nil, err
	}
	if p != nil {
		d.PartyName = p.Name()
	}
	if err := r.currency(in, p, d); err != nil {
		return nil, err
	}
	if err := r.lines(in, p, d); err != nil {
		return nil, err
	}
	if err := r.allowances(in, d); err != nil {
		return nil, err
	}
	r.sameRates(d)
	if len(v) > 0 {
		return nil, v.Err("document")
	}
	d.Totals, d.Taxes = computeTotals(d.Lines, d.Allowances, r.codes, r.settings.Rounding, v)
	v.Check(d.Totals.Payable >= 0, "lines", "the document total is negative: write a credit note (or refund) instead")
	r.terms(in, p, d)
	if err := r.credits(in, d); err != nil {
		return nil, err
	}
	if err := v.Err("document"); err != nil {
		return nil, err
	}
	return d, checkLock(r.locks, d)
}

// normaliseInput trims text and upper-cases codes.
func normaliseInput(in *Input) {
	in.Kind = Kind(strings.ToLower(strings.TrimSpace(string(in.Kind))))
	in.Currency = backoffice.Currency(strings.ToUpper(strings.TrimSpace(string(in.Currency))))
	in.Rate = strings.TrimSpace(in.Rate)
	in.PaymentTerms = strings.TrimSpace(in.PaymentTerms)
	in.Notes = strings.TrimSpace(in.Notes)
	in.SupplierReference = strings.TrimSpace(in.SupplierReference)
	in.DuplicateReason = strings.TrimSpace(in.DuplicateReason)
	for i := range in.Lines {
		l := &in.Lines[i]
		l.ProductCode, l.Description = strings.TrimSpace(l.ProductCode), strings.TrimSpace(l.Description)
		l.Unit = strings.ToUpper(strings.TrimSpace(l.Unit))
		for j := range l.TaxCodes {
			l.TaxCodes[j] = strings.ToUpper(strings.TrimSpace(l.TaxCodes[j]))
		}
	}
	for i := range in.Allowances {
		a := &in.Allowances[i]
		a.Reason, a.TaxCode = strings.TrimSpace(a.Reason), strings.ToUpper(strings.TrimSpace(a.TaxCode))
	}
}

// party reads the document's party and checks it may take this kind.
func (r *resolver) party(in Input) (*party.Party, error) {
	if in.PartyID == 0 {
		r.v.Add("party_id", "is required")
		return nil, nil
	}
	p, err := r.partyByID(in.PartyID)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		r.v.Add("party_id", "is not a customer or supplier of this company")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	switch {
	case p.MergedIntoID != 0:
		r.v.Add("party_id", fmt.Sprintf("%s was merged into party %d: use that one", p.Name(), p.MergedIntoID))
	case p.Blocked:
		r.v.Add("party_id", fmt.Sprintf("%s is blocked", p.Name()))
	case in.Kind.Sales() && p.Kind == party.KindSupplier:
		r.v.Add("party_id", fmt.Sprintf("%s is not a customer (invoices and credit notes go to customers)", p.Name()))
	case in.Kind.Valid() && !in.Kind.Sales() && p.Kind == party.KindCustomer:
		r.v.Add("party_id", fmt.Sprintf("%s is not a supplier (bills and refunds come from suppliers)", p.Name()))
	default:
		return p, nil
	}
	return nil, nil
}

// partyByID reads a party of the company (cached).
func (r *resolver) partyByID(id backoffice.ID) (*party.Party, error) {
	if p, ok := r.parties[id]; ok {
		return p, nil
	}
	p, err := r.s.Party.Get(r.ctx, r.company, id)
	if err != nil {
		return nil, err
	}
	r.parties[id] = &p
	return &p, nil
}

// currency sets the document currency and rate: the party's currency (or
// the company's) unless given. A foreign currency takes the rate given, or
// else the ledger's rate on the issue date; a draft then stores no rate
// and takes the ledger's rate again when it is saved or posted.
func (r *resolver) currency(in Input, p *party.Party, d *Document) error {
	d.Currency = in.Currency
	if d.Currency == "" && p != nil {
		d.Currency = p.Currency
	}
	if d.Currency == "" {
		d.Currency = r.base
	}
	if !d.Currency.Valid() {
		r.v.Add("currency", "must be an ISO 4217 currency code like EUR")
		return nil
	}
	if d.Currency == r.base {
		r.v.Check(in.Rate == "" || in.Rate == "1", "rate", "is only for a document in a foreign currency")
		return nil
	}
	if in.Rate == "" {
		if d.IssueDate.IsZero() {
			return nil
		}
		er, err := r.s.Ledger.RateOn(r.ctx, r.company, d.Currency, d.IssueDate)
		if backoffice.ErrorCode(err) == backoffice.EInvalid {
			r.v.Add("rate", fmt.Sprintf("is required for a document in %s: the ledger has no %s rate on or before %s; give the %s value of 1 %s",
				d.Currency, d.Currency, d.IssueDate, r.base, d.Currency))
			return nil
		}
		if err != nil {
			return err
		}
		d.Rate, d.rateFromLedger = er.Rate, true
		return nil
	}
	rate, err := decimal.Parse(in.Rate)
	if err != nil || !rate.IsPos() {
		r.v.Add("rate", "must be a positive decimal number such as 1.0875")
		return nil
	}
	d.Rate = rate.Trim(0).String()
	return nil
}

// account checks a ledger account of the company (cached).
func (r *resolver) account(id backoffice.ID, field string) (*ledger.Account, error) {
	if a, ok := r.accounts[id]; ok {
		if a == nil {
			r.v.Add(field, "is not a usable ledger account of this company")
		}
		return a, nil
	}
	a, err := r.s.accountOf(r.ctx, r.company, id, r.v, field)
	if err != nil {
		return nil, err
	}
	r.accounts[id] = a
	return a, nil
}

// chartAccount is the id of the company's account with that code, 0 when
// the chart has none.
func (r *resolver) chartAccount(code string) (backoffice.ID, error) {
	if id, ok := r.byCode[code]; ok {
		return id, nil
	}
	a, err := r.s.Ledger.AccountByCode(r.ctx, r.company, code)
	if err != nil && backoffice.ErrorCode(err) != backoffice.ENotFound {
		return 0, err
	}
	r.byCode[code] = a.ID
	return a.ID, nil
}

// taxCode checks one tax code named by a line or allowance.
func (r *resolver) taxCode(code, field string) (TaxCode, bool) {
	t, ok := r.codes[code]
	switch {
	case !ok:
		r.v.Add(field, fmt.Sprintf("%s is not a tax code of this company", code))
	case !t.Active:
		r.v.Add(field, fmt.Sprintf("tax code %s is inactive", code))
	default:
		return t, true
	}
	return t, false
}

// lines resolves every line of in into d.Lines.
func (r *resolver) lines(in Input, p *party.Party, d *Document) error {
	v := r.v
	v.Check(len(in.Lines) >= 1 && len(in.Lines) <= maxLines, "lines", fmt.Sprintf("a document needs 1 to %d lines", maxLines))
	for i, li := range in.Lines {
		f := fmt.Sprintf("lines[%d].", i)
		l := Line{LineNo: i + 1, ProductID: li.ProductID, Description: li.Description, Quantity: li.Quantity, Unit: li.Unit,
			DiscountPercent: li.DiscountPercent, TaxCodes: li.TaxCodes, AccountID: li.AccountID, Dimensions: li.Dimensions}
		prod, err := r.product(li, f)
		if err != nil {
			return err
		}
		if l.Quantity == 0 {
			l.Quantity = fixedScale
		}
		if prod != nil {
			l.ProductID = prod.ID
			l.Description = cmpOr(l.Description, prod.Name)
			l.Unit = cmpOr(l.Unit, prod.Unit)
			if len(l.TaxCodes) == 0 && prod.TaxCode != "" {
				l.TaxCodes = []string{prod.TaxCode}
			}
		}
		l.Unit = cmpOr(l.Unit, "C62")
		switch {
		case li.UnitPrice != nil:
			l.UnitPrice = *li.UnitPrice
		case prod != nil && prod.Currency == d.Currency:
			l.UnitPrice = prod.UnitPrice
		case prod != nil:
			v.Add(f+"unit_price", fmt.Sprintf("is required: product %s is priced in %s, the document is in %s", prod.Code, prod.Currency, d.Currency))
		default:
			v.Add(f+"unit_price", "is required for a line without a product")
		}
		if len(l.TaxCodes) == 0 && p != nil && p.TaxCode != "" {
			l.TaxCodes = []string{strings.ToUpper(p.TaxCode)}
		}
		v.Check(l.Description != "" && len([]rune(l.Description)) <= 1000, f+"description", "is required (1 to 1000 characters) when the line has no product")
		v.Check(validUnit(l.Unit), f+"unit", "must be a UN/ECE Rec 20 unit code such as C62, HUR, KGM")
		v.Check(l.UnitPrice >= 0 && l.UnitPrice <= maxAmount, f+"unit_price", "must be zero or more (use a negative quantity to take something back)")
		v.Check(l.Quantity >= -maxAmount && l.Quantity <= maxAmount, f+"quantity", "is too large")
		v.Check(l.DiscountPercent >= 0 && l.DiscountPercent <= 100*fixedScale, f+"discount_percent", "must be a percentage from 0 to 100")
		r.lineTaxes(&l, f)
		if err := r.lineAccount(&l, prod, p, d.Kind, f); err != nil {
			return err
		}
		d.Lines = append(d.Lines, l)
	}
	return nil
}

// product reads the line's product, by id or code, when it names one.
func (r *resolver) product(li LineInput, f string) (*Product, error) {
	var prod Product
	var err error
	switch {
	case li.ProductID != 0:
		prod, err = getProduct(r.ctx, r.s.DB, r.company, li.ProductID)
	case li.ProductCode != "":
		prod, err = r.s.ProductByCode(r.ctx, r.company, li.ProductCode)
	default:
		return nil, nil
	}
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		r.v.Add(f+"product_id", "is not a product of this company")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !prod.Active {
		r.v.Add(f+"product_id", fmt.Sprintf("product %s is inactive", prod.Code))
	}
	return &prod, nil
}

// lineTaxes checks the line's tax codes: exactly one VAT or sales tax code
// and at most one withholding code.
func (r *resolver) lineTaxes(l *Line, f string) {
	var primary, withholding int
	for _, c := range l.TaxCodes {
		t, ok := r.taxCode(c, f+"tax_codes")
		if !ok {
			return
		}
		if t.Type == TaxWithholding {
			withholding++
		} else {
			primary++
		}
	}
	switch {
	case primary == 0:
		r.v.Add(f+"tax_codes", "needs a VAT or sales tax code (give one, or set one on the product or the party)")
	case primary > 1:
		r.v.Add(f+"tax_codes", "may have only one VAT or sales tax code")
	case withholding > 1:
		r.v.Add(f+"tax_codes", "may have only one withholding tax code")
	}
}

// lineAccount fills the line's income (sales) or expense (purchases)
// account: the line's, the product's, the party's, or the chart's default
// (4010 sales of goods, 5010 cost of goods sold).
func (r *resolver) lineAccount(l *Line, prod *Product, p *party.Party, k Kind, f string) error {
	if l.AccountID == 0 {
		switch {
		case k.Sales() && prod != nil && prod.IncomeAccountID != 0:
			l.AccountID = prod.IncomeAccountID
		case !k.Sales() && prod != nil && prod.ExpenseAccountID != 0:
			l.AccountID = prod.ExpenseAccountID
		case k.Sales() && p != nil && p.IncomeAccountID != 0:
			l.AccountID = p.IncomeAccountID
		case !k.Sales() && p != nil && p.ExpenseAccountID != 0:
			l.AccountID = p.ExpenseAccountID
		default:
			code := "5010"
			if k.Sales() {
				code = "4010"
			}
			id, err := r.chartAccount(code)
			if err != nil {
				return err
			}
			l.AccountID = id
		}
	}
	if l.AccountID == 0 {
		r.v.Add(f+"account_id", "is required: the chart has no default account for it")
		return nil
	}
	a, err := r.account(l.AccountID, f+"account_id")
	if err != nil || a == nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(l.Dimensions)) {
		val := l.Dimensions[k]
		r.v.Check(validDimension(k), f+"dimensions."+k, "is not a dimension name (lower snake case)")
		r.v.Check(len(val) >= 1 && len(val) <= 100, f+"dimensions."+k, "must be 1 to 100 characters")
	}
	for _, dim := range a.RequiredDimensions {
		r.v.Check(l.Dimensions[dim] != "", f+"dimensions."+dim, fmt.Sprintf("is required by account %s", a.Code))
	}
	return nil
}

// validDimension accepts lower snake case names, as the ledger does.
func validDimension(name string) bool {
	if len(name) < 1 || len(name) > 50 || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}
