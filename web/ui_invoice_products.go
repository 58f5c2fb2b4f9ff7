package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/invoice"
)

// productsPage lists the catalogue: search, inactive ones on request, CSV export.
func (s *Server) productsPage(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	inactive := q.Get("inactive") == "true"
	f := invoice.ProductFilter{Query: q.Get("q"), WithInactive: inactive}
	if f.Page, err = pageOf(r); err != nil {
		return err
	}
	if q.Get("format") == "csv" {
		return s.productsCSV(w, r, company, f)
	}
	list, err := s.Invoice.ListProducts(r.Context(), company, f)
	if err != nil {
		return err
	}
	v := listView{Title: "Products & services", SearchHint: "Search code or name", ExportURL: withQuery(r, "format", "csv"),
		Help:    "The catalogue that document lines pick from: a product fills in its description, unit, price, tax code and account.",
		Empty:   "No products or services match. Add what you sell or buy, and lines fill themselves in from its code.",
		Columns: []column{{Label: "Code"}, {Label: "Name"}, {Label: "Unit"}, {Label: "Unit price", Numeric: true}, {Label: "Tax code"}, {Label: "Status"}},
		Filters: []chip{{Label: "Active", URL: withQuery(r, "inactive", ""), Active: !inactive}, {Label: "Include inactive", URL: withQuery(r, "inactive", "true"), Active: inactive}},
	}
	if principal(r).Can("invoice.manage") {
		v.NewURL, v.NewLabel = "/products/new", "New product"
	}
	for _, p := range list.Items {
		status := cell{Text: "Active", Badge: "ok"}
		if !p.Active {
			status = cell{Text: "Inactive", Badge: "muted"}
		}
		v.Rows = append(v.Rows, listRow{URL: "/products/" + p.ID.String(), Cells: []cell{{Text: p.Code}, {Text: p.Name}, {Text: p.Unit},
			{Text: backoffice.NewMoney(p.UnitPrice, p.Currency).String(), Numeric: true}, {Text: p.TaxCode}, status}})
	}
	v.pageLinks(r, list.Next, len(list.Items))
	if inactive {
		v.Hidden = append(v.Hidden, hiddenField{"inactive", "true"})
	}
	return s.render(w, r, http.StatusOK, "party_list", "Products & services", v)
}

// productsCSV exports every product the filters select.
func (s *Server) productsCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, f invoice.ProductFilter) error {
	var rows [][]string
	f.Page = backoffice.Page{Limit: backoffice.MaxPageLimit}
	for {
		list, err := s.Invoice.ListProducts(r.Context(), company, f)
		if err != nil {
			return err
		}
		for _, p := range list.Items {
			rows = append(rows, []string{p.Code, p.Name, p.Unit, decimal(p.UnitPrice, p.Currency), string(p.Currency), p.TaxCode, strconv.FormatBool(p.Active)})
		}
		if list.Next == "" {
			break
		}
		f.Page.After = list.Next
	}
	return writeCSV(w, "products.csv", []string{"code", "name", "unit", "unit_price", "currency", "tax_code", "active"}, rows)
}

// productForm lays out the product fields; tax codes are offered by code.
func productForm(f *catalogForm, v catalogValues, codes []invoice.TaxCode) {
	taxes := [][2]string{{"", "none: the party's or the line's"}}
	for _, t := range codes {
		taxes = append(taxes, [2]string{t.Code, t.Code + " · " + t.Name})
	}
	f.Fields = []partyField{f.field(v, "code", "Code", "what lines are typed with, e.g. CONSULT-H"), f.field(v, "name", "Name", "the line's description"),
		f.field(v, "unit", "Unit", "UN/ECE code: C62 piece, HUR hour, DAY day, KGM kilogram"),
		f.field(v, "unit_price", "Unit price", "without tax, e.g. 120.00"), f.field(v, "currency", "Currency", "empty: the company's"),
		f.choice(v, "tax_code", "Tax code", taxes),
		f.field(v, "income_account_id", "Income account", "ledger account code for sales, e.g. 4010"),
		f.field(v, "expense_account_id", "Expense account", "ledger account code for purchases"),
		f.check(v, "active", "Active: offered on new lines")}
	f.Fields[6].Type, f.Fields[7].Type = "account", "account"
}

func productValues(p invoice.Product, codes map[backoffice.ID]string) catalogValues {
	v := catalogValues{"code": p.Code, "name": p.Name, "unit": p.Unit, "unit_price": decimal(p.UnitPrice, p.Currency), "currency": string(p.Currency),
		"tax_code": p.TaxCode, "income_account_id": codes[p.IncomeAccountID], "expense_account_id": codes[p.ExpenseAccountID]}
	if p.Active {
		v["active"] = "1"
	}
	return v
}

func productInputOf(v catalogValues, base backoffice.Currency, byCode map[string]backoffice.ID) (invoice.ProductInput, map[string]string) {
	bad := map[string]string{}
	in := invoice.ProductInput{Code: v["code"], Name: v["name"], Unit: v["unit"], Currency: backoffice.Currency(strings.ToUpper(v["currency"])),
		TaxCode: v["tax_code"], Active: v["active"] != ""}
	cur := in.Currency
	if cur == "" {
		cur = base
	}
	if t := v["unit_price"]; t != "" {
		n, err := parseAmount(t, cur, "unit_price")
		if err != nil {
			bad["unit_price"] = "must be an amount in " + string(cur) + " like " + decimal(12345, cur)
		}
		in.UnitPrice = n
	}
	catalogAccount(v, "income_account_id", byCode, &in.IncomeAccountID, bad)
	catalogAccount(v, "expense_account_id", byCode, &in.ExpenseAccountID, bad)
	return in, bad
}

// productPage renders the new-product form (p nil) or a product's page.
func (s *Server) productPage(w http.ResponseWriter, r *http.Request, status int, p *invoice.Product, v catalogValues, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := &catalogForm{New: p == nil, Title: "New product or service", Action: "/products", Back: "/products", BackLabel: "Products & services",
		Errors: fe, CanEdit: principal(r).Can("invoice.manage")}
	if f.Accounts, err = s.catalogAccounts(r, company); err != nil {
		return err
	}
	if p != nil {
		f.Title, f.Action, f.Version = p.Code+" · "+p.Name, "/products/"+p.ID.String(), p.Version
		if v == nil {
			v = productValues(*p, accountCodes(f.Accounts))
		}
		recs, err := s.history(r, "product", p.ID.String())
		if err != nil {
			return err
		}
		f.History = catalogHistory(recs, f.Accounts)
	}
	codes, err := s.Invoice.ListTaxCodes(r.Context(), company, false)
	if err != nil {
		return err
	}
	productForm(f, v, codes)
	return s.render(w, r, status, "invoice_catalog_form", f.Title, f)
}

func (s *Server) productNew(w http.ResponseWriter, r *http.Request) error {
	return s.productPage(w, r, http.StatusOK, nil, catalogValues{"unit": "C62", "active": "1"}, nil)
}

func (s *Server) productShow(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.productOf(r)
	if err != nil {
		return err
	}
	return s.productPage(w, r, http.StatusOK, &p, nil, nil)
}

// productSave creates (existing nil) or updates a product from the form.
func (s *Server) productSave(w http.ResponseWriter, r *http.Request, existing *invoice.Product) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	accounts, err := s.catalogAccounts(r, company)
	if err != nil {
		return err
	}
	v := readCatalogForm(r.PostForm)
	in, bad := productInputOf(v, baseCurrency(r), docAccounts(accounts))
	var p invoice.Product
	if len(bad) > 0 {
		err = s.Invoice.CheckProduct(r.Context(), company, in)
	} else {
		p, err = s.saveProduct(r.Context(), company, existing, r.PostForm.Get("version"), in)
	}
	if err != nil || len(bad) > 0 {
		fe, ferr := catalogFailure(err, bad)
		if ferr != nil {
			return ferr
		}
		return s.productPage(w, r, failedSaveStatus(err), existing, v, fe)
	}
	return redirectFlash(w, r, "/products/"+p.ID.String(), "Saved.")
}

func (s *Server) saveProduct(ctx context.Context, company backoffice.ID, existing *invoice.Product, versionText string, in invoice.ProductInput) (invoice.Product, error) {
	if existing == nil {
		return s.Invoice.CreateProduct(ctx, company, in)
	}
	version, _ := strconv.ParseInt(versionText, 10, 64)
	return s.Invoice.UpdateProduct(ctx, company, existing.ID, cmpOrVersion(version, existing.Version), in)
}

func (s *Server) productCreate(w http.ResponseWriter, r *http.Request) error {
	return s.productSave(w, r, nil)
}

func (s *Server) productUpdate(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.productOf(r)
	if err != nil {
		return err
	}
	return s.productSave(w, r, &p)
}
