package party

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/csvio"
	"backoffice/ledger"
	"backoffice/sqldb"
)

// csvColumns are the columns of the parties CSV, for import and export
// alike. A row carries one contact and one bank account; a party with more
// exports its first of each.
var csvColumns = []csvio.Column{
	{Name: "kind", Required: true, Help: "customer, supplier or both"},
	{Name: "legal_name", Required: true, Help: "registered name"},
	{Name: "trade_name", Help: "name used in business, when it differs"},
	{Name: "billing_lines", Help: "street lines of the billing address (one per line in a quoted cell)"},
	{Name: "billing_city", Help: "city of the billing address"},
	{Name: "billing_postal_code", Help: "postal code of the billing address"},
	{Name: "billing_region", Help: "region or state of the billing address"},
	{Name: "billing_country", Help: "ISO 3166-1 country code of the billing address: DE, FR, GB"},
	{Name: "shipping_lines", Help: "street lines of the shipping address"},
	{Name: "shipping_city", Help: "city of the shipping address"},
	{Name: "shipping_postal_code", Help: "postal code of the shipping address"},
	{Name: "shipping_region", Help: "region or state of the shipping address"},
	{Name: "shipping_country", Help: "ISO 3166-1 country code of the shipping address"},
	{Name: "vat_id", Help: "VAT id with country prefix, checked: DE136695976"},
	{Name: "peppol_scheme", Help: "Peppol EAS code: 0088 (GLN), 0192, 0208, 9930 …"},
	{Name: "peppol_id", Help: "Peppol endpoint id in that scheme"},
	{Name: "net_days", Help: "days until payment is due; 0 when empty"},
	{Name: "discount_percent", Help: "early-payment discount in percent: 2 or 2.5"},
	{Name: "discount_days", Help: "days within which the discount applies"},
	{Name: "receivable_account", Help: "ledger account code for receivables"},
	{Name: "payable_account", Help: "ledger account code for payables"},
	{Name: "income_account", Help: "default ledger account code for sales"},
	{Name: "expense_account", Help: "default ledger account code for purchases"},
	{Name: "tax_code", Help: "default tax code"},
	{Name: "currency", Required: true, Help: "ISO 4217 currency: EUR"},
	{Name: "credit_limit", Help: "credit limit in the currency: 5000.00; none when empty"},
	{Name: "language", Help: "ISO 639-1 language of documents: en (default), de, fr …"},
	{Name: "blocked", Help: "true to block the party; false when empty"},
	{Name: "contact_name", Help: "contact person"},
	{Name: "contact_email", Help: "contact's e-mail"},
	{Name: "contact_phone", Help: "contact's phone"},
	{Name: "contact_role", Help: "contact's role: accounts payable, sales …"},
	{Name: "iban", Help: "IBAN of the party's bank account, checked"},
	{Name: "bic", Help: "BIC of that account"},
	{Name: "account_holder", Help: "holder of that account when not the party"},
}

// CSVColumns describes the parties CSV format, for help texts and templates.
func CSVColumns() []csvio.Column { return append([]csvio.Column(nil), csvColumns...) }

// chart maps the company's ledger account codes to ids and back.
type chart struct {
	byCode map[string]backoffice.ID
	byID   map[backoffice.ID]string
}

func (s *Service) chart(ctx context.Context, companyID backoffice.ID) (chart, error) {
	c := chart{byCode: map[string]backoffice.ID{}, byID: map[backoffice.ID]string{}}
	f := ledger.AccountFilter{Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for {
		list, err := s.Ledger.ListAccounts(ctx, companyID, f)
		if err != nil {
			return chart{}, err
		}
		for _, a := range list.Items {
			c.byCode[a.Code], c.byID[a.ID] = a.ID, a.Code
		}
		if list.Next == "" {
			return c, nil
		}
		f.Page.After = list.Next
	}
}

// Import creates parties from CSV, all or nothing: every bad row is
// reported with its line and column, and nothing is stored unless every row
// is good. Possible duplicates are not checked on import; run Duplicates.
func (s *Service) Import(ctx context.Context, r io.Reader, companyID backoffice.ID, opts csvio.Options) (csvio.Report, error) {
	ch, err := s.chart(ctx, companyID)
	if err != nil {
		return csvio.Report{}, err
	}
	schema := csvio.Schema[Input]{Entity: "party", Columns: csvColumns, Parse: func(row csvio.Row) (Input, error) {
		return parseRow(row, ch)
	}}
	return csvio.Import(ctx, r, schema, opts, func(ctx context.Context, items []Input, _ []int) error {
		return s.commitImport(ctx, companyID, items)
	})
}

// cell is a cell's value without the apostrophe Export puts before text a
// spreadsheet would run as a formula ("'+49 30 …").
func cell(row csvio.Row, name string) string {
	v := row.Get(name)
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
		return v[1:]
	}
	return v
}

// parseRow turns one CSV row into an Input and validates it, naming cells
// by their column.
func parseRow(row csvio.Row, ch chart) (Input, error) {
	v := backoffice.Validation{}
	in := Input{Kind: Kind(cell(row, "kind")), LegalName: cell(row, "legal_name"), TradeName: cell(row, "trade_name"),
		VATID: cell(row, "vat_id"), PeppolScheme: cell(row, "peppol_scheme"), PeppolID: cell(row, "peppol_id"),
		TaxCode: cell(row, "tax_code"), Currency: backoffice.Currency(strings.ToUpper(cell(row, "currency"))), Language: cell(row, "language")}
	for _, a := range []struct {
		prefix string
		addr   *Address
	}{{"billing", &in.Billing}, {"shipping", &in.Shipping}} {
		*a.addr = Address{Lines: cell(row, a.prefix+"_lines"), City: cell(row, a.prefix+"_city"), PostalCode: cell(row, a.prefix+"_postal_code"),
			Region: cell(row, a.prefix+"_region"), Country: cell(row, a.prefix+"_country")}
	}
	in.Terms.NetDays = intCell(v, row, "net_days")
	in.Terms.DiscountDays = intCell(v, row, "discount_days")
	if s := cell(row, "discount_percent"); s != "" {
		bp, err := backoffice.ParseMinor(strings.TrimSuffix(s, "%"), 2)
		v.Check(err == nil, "discount_percent", "must be a percentage like 2 or 2.5")
		in.Terms.DiscountBasisPoints = int(bp)
	}
	if s := cell(row, "credit_limit"); s != "" && in.Currency.Valid() {
		m, err := backoffice.ParseMinor(s, in.Currency.Exponent())
		v.Check(err == nil, "credit_limit", "must be an amount like 5000.00")
		in.CreditLimit = m
	}
	switch b := strings.ToLower(cell(row, "blocked")); b {
	case "", "false", "no", "0":
	case "true", "yes", "1":
		in.Blocked = true
	default:
		v.Add("blocked", "must be true or false")
	}
	for col, id := range map[string]*backoffice.ID{"receivable_account": &in.ReceivableAccountID, "payable_account": &in.PayableAccountID,
		"income_account": &in.IncomeAccountID, "expense_account": &in.ExpenseAccountID} {
		if code := cell(row, col); code != "" {
			*id = ch.byCode[code]
			v.Check(*id != 0, col, "no ledger account has code "+code)
		}
	}
	if c := (Contact{Name: cell(row, "contact_name"), Email: cell(row, "contact_email"), Phone: cell(row, "contact_phone"), Role: cell(row, "contact_role")}); c != (Contact{}) {
		in.Contacts = []Contact{c}
	}
	if b := (BankAccount{IBAN: cell(row, "iban"), BIC: cell(row, "bic"), Holder: cell(row, "account_holder")}); b != (BankAccount{}) {
		in.BankAccounts = []BankAccount{b}
	}
	in.normalise()
	for f, msg := range in.check() {
		v.Add(csvField(f), msg)
	}
	return in, v.Err("party")
}

// csvField maps a validation field of Input to its CSV column.
func csvField(f string) string {
	r := strings.NewReplacer("billing.", "billing_", "shipping.", "shipping_", "terms.", "", "discount_basis_points", "discount_percent",
		"contacts[0].", "contact_", "bank_accounts[0].", "", "_account_id", "_account")
	f = r.Replace(f)
	if f == "holder" {
		return "account_holder"
	}
	return f
}

func intCell(v backoffice.Validation, row csvio.Row, col string) int {
	s := cell(row, col)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	v.Check(err == nil, col, "must be a whole number of days")
	return n
}

// commitImport stores all parties in one transaction, the change log last.
func (s *Service) commitImport(ctx context.Context, companyID backoffice.ID, items []Input) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		changes := make([]audit.Change, 0, len(items))
		for i, in := range items {
			p := Party{CompanyID: companyID, Input: in, Version: 1, CreatedAt: now, UpdatedAt: now}
			if err := s.insert(ctx, tx, &p); err != nil {
				return &csvio.ItemError{Index: i, Err: err}
			}
			changes = append(changes, audit.Change{CompanyID: companyID, Entity: "party", EntityID: p.ID.String(), Action: "create", New: p, Reason: "CSV import"})
		}
		_, err := s.Audit.Append(ctx, tx, changes...)
		return err
	})
}

// Export writes the company's parties that were not merged away as CSV in
// the import format.
func (s *Service) Export(ctx context.Context, w io.Writer, companyID backoffice.ID) error {
	ch, err := s.chart(ctx, companyID)
	if err != nil {
		return err
	}
	ps, err := s.List(ctx, companyID, Filter{WithBlocked: true})
	if err != nil {
		return err
	}
	header := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		header[i] = c.Name
	}
	rows := iter.Seq[[]string](func(yield func([]string) bool) {
		for _, p := range ps {
			if p.MergedIntoID == 0 && !yield(exportRow(p, ch)) {
				return
			}
		}
	})
	if err := csvio.Export(w, header, rows); err != nil {
		return fmt.Errorf("export parties: %w", err)
	}
	return nil
}

// exportRow is p's cells in csvColumns order.
func exportRow(p Party, ch chart) []string {
	var c Contact
	var b BankAccount
	if len(p.Contacts) > 0 {
		c = p.Contacts[0]
	}
	if len(p.BankAccounts) > 0 {
		b = p.BankAccounts[0]
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	discount, limit := "", ""
	if p.Terms.DiscountBasisPoints != 0 {
		discount = backoffice.FormatMinor(int64(p.Terms.DiscountBasisPoints), 2)
	}
	if p.CreditLimit != 0 {
		limit = backoffice.FormatMinor(p.CreditLimit, p.Currency.Exponent())
	}
	bi, sh := p.Billing, p.Shipping
	return []string{string(p.Kind), p.LegalName, p.TradeName,
		bi.Lines, bi.City, bi.PostalCode, bi.Region, bi.Country, sh.Lines, sh.City, sh.PostalCode, sh.Region, sh.Country,
		p.VATID, p.PeppolScheme, p.PeppolID, num(p.Terms.NetDays), discount, num(p.Terms.DiscountDays),
		ch.byID[p.ReceivableAccountID], ch.byID[p.PayableAccountID], ch.byID[p.IncomeAccountID], ch.byID[p.ExpenseAccountID],
		p.TaxCode, string(p.Currency), limit, p.Language, strconv.FormatBool(p.Blocked),
		c.Name, c.Email, c.Phone, c.Role, b.IBAN, b.BIC, b.Holder}
}
