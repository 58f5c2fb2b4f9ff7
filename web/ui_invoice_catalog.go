package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/audit"
	"backoffice/invoice"
	"backoffice/ledger"
)

// catalogForm is the page of one tax code or product: its form (with what
// was typed when a save failed) and its history.
type catalogForm struct {
	New             bool
	Title, Action   string
	Back, BackLabel string
	Help            string
	Version         int64
	Fields          []partyField
	Errors          *formErrors
	History         []historyItem
	CanEdit         bool
	Accounts        []ledger.Account
}

// catalogValues are a form's fields as text, keyed by the invoice package's
// field names so its messages land beside them.
type catalogValues map[string]string

func readCatalogForm(form url.Values) catalogValues {
	v := catalogValues{}
	for k, vs := range form {
		if k != "version" && len(vs) > 0 && len(k) < 64 {
			v[k] = strings.TrimSpace(vs[0])
		}
	}
	return v
}

// field builds one input of a catalog form.
func (f *catalogForm) field(v catalogValues, name, label, hint string) partyField {
	pf := partyField{Name: name, Label: label, Hint: hint, Value: v[name], ReadOnly: !f.CanEdit}
	if f.Errors != nil {
		pf.Error = f.Errors.Fields[name]
	}
	return pf
}

// choice builds a select of a catalog form.
func (f *catalogForm) choice(v catalogValues, name, label string, options [][2]string) partyField {
	pf := f.field(v, name, label, "")
	pf.Type = "select"
	for _, o := range options {
		pf.Options = append(pf.Options, partyOption{Value: o[0], Label: o[1], Selected: v[name] == o[0]})
	}
	return pf
}

// check builds a checkbox of a catalog form.
func (f *catalogForm) check(v catalogValues, name, label string) partyField {
	pf := f.field(v, name, label, "")
	pf.Type = "checkbox"
	return pf
}

// catalogFailure merges the form's own messages with the save's.
func catalogFailure(err error, bad map[string]string) (*formErrors, error) {
	fe := &formErrors{Message: "Please correct the marked fields: nothing was saved.", Fields: map[string]string{}}
	if err != nil {
		var ferr error
		if fe, ferr = formFailure(err); ferr != nil {
			return nil, ferr
		}
		if len(fe.Fields) > 0 {
			fe.Message = "Please correct the marked fields: nothing was saved."
		}
	}
	for k, m := range bad {
		fe.Fields[k] = m
	}
	return fe, nil
}

// catalogHistory is the history panel of a tax code or product: the
// bookkeeping fields (id, version, timestamps) left out, accounts by code
// and prices in their currency.
func catalogHistory(recs []audit.Record, accounts []ledger.Account) []historyItem {
	codes := accountCodes(accounts)
	out := make([]audit.Record, len(recs))
	for i, rec := range recs {
		rec.Old, rec.New = catalogChangeText(rec.Old, codes), catalogChangeText(rec.New, codes)
		out[i] = rec
	}
	return historyOf(out)
}

func catalogChangeText(raw json.RawMessage, codes map[backoffice.ID]string) json.RawMessage {
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return raw
	}
	for _, k := range []string{"id", "company_id", "version", "created_at", "updated_at"} {
		delete(m, k)
	}
	for k, v := range m {
		if n, ok := v.(float64); ok && strings.HasSuffix(k, "_account_id") {
			m[k] = codes[backoffice.ID(n)]
		}
		if v == nil || v == "" || (strings.HasSuffix(k, "_account_id") && v == float64(0)) {
			delete(m, k)
		}
	}
	if n, ok := m["unit_price"].(float64); ok {
		if c, ok := m["currency"].(string); ok {
			m["unit_price"] = decimal(int64(n), backoffice.Currency(c))
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return raw
	}
	return b
}

// failedSaveStatus is the status of a form shown again: the error's, or 422
// when the form's own text could not be read.
func failedSaveStatus(err error) int {
	if err == nil {
		return http.StatusUnprocessableEntity
	}
	return backoffice.HTTPStatus(backoffice.ErrorCode(err))
}

// accountCodes maps account ids to codes, for showing them in forms.
func accountCodes(accounts []ledger.Account) map[backoffice.ID]string {
	out := make(map[backoffice.ID]string, len(accounts))
	for _, a := range accounts {
		out[a.ID] = a.Code
	}
	return out
}

// catalogAccount reads an account typed by code into id; an unknown code is
// a message in bad.
func catalogAccount(v catalogValues, name string, byCode map[string]backoffice.ID, id *backoffice.ID, bad map[string]string) {
	code := v[name]
	if code == "" {
		return
	}
	if n, ok := byCode[code]; ok {
		*id = n
		return
	}
	bad[name] = "no usable ledger account has the code " + code
}

// catalogAccounts are the usable ledger accounts the forms offer.
func (s *Server) catalogAccounts(r *http.Request, company backoffice.ID) ([]ledger.Account, error) {
	if s.Ledger == nil {
		return nil, nil
	}
	return s.postableAccounts(r, company)
}

// --- tax codes ---

// taxCodesView is the tax codes page: the company's rounding setting and the codes.
type taxCodesView struct {
	List      listView
	Rounding  invoice.Rounding
	CanManage bool
}

func (s *Server) taxCodesPage(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	inactive := q.Get("inactive") == "true"
	codes, err := s.Invoice.ListTaxCodes(r.Context(), company, inactive)
	if err != nil {
		return err
	}
	settings, err := s.Invoice.GetSettings(r.Context(), company)
	if err != nil {
		return err
	}
	v := listView{Title: "Tax codes", SearchHint: "Search code or name", Search: q.Get("q"),
		Help:  "Each line of a document carries a tax code: its rate, its EN 16931 VAT category and the accounts the tax is booked to.",
		Empty: "No tax codes match. A tax code sets the rate and the VAT category of document lines.",
		Columns: []column{{Label: "Code"}, {Label: "Name"}, {Label: "Rate", Numeric: true}, {Label: "Type"}, {Label: "Category"},
			{Label: "Exemption reason"}, {Label: "Prices"}, {Label: "Status"}},
		Filters: []chip{{Label: "Active", URL: withQuery(r, "inactive", ""), Active: !inactive}, {Label: "Include inactive", URL: withQuery(r, "inactive", "true"), Active: inactive}},
	}
	if inactive {
		v.Hidden = append(v.Hidden, hiddenField{"inactive", "true"})
	}
	canManage := principal(r).Can("invoice.manage")
	if canManage {
		v.NewURL, v.NewLabel = "/tax-codes/new", "New tax code"
	}
	needle := strings.ToLower(strings.TrimSpace(q.Get("q")))
	for _, t := range codes {
		if needle != "" && !strings.Contains(strings.ToLower(t.Code+" "+t.Name), needle) {
			continue
		}
		prices := "without tax"
		if t.PriceInclusive {
			prices = "with tax"
		}
		status := cell{Text: "Active", Badge: "ok"}
		if !t.Active {
			status = cell{Text: "Inactive", Badge: "muted"}
		}
		v.Rows = append(v.Rows, listRow{URL: "/tax-codes/" + t.ID.String(), Cells: []cell{{Text: t.Code}, {Text: t.Name}, {Text: t.Rate.String() + " %", Numeric: true},
			{Text: humanAction(string(t.Type))}, {Text: t.Category}, {Text: t.ExemptionReason}, {Text: prices}, status}})
	}
	v.Showing = strconv.Itoa(len(v.Rows)) + " tax codes"
	return s.render(w, r, http.StatusOK, "invoice_tax_codes", "Tax codes", taxCodesView{List: v, Rounding: settings.Rounding, CanManage: canManage})
}

// taxCodeRounding sets how tax is rounded on the company's documents.
func (s *Server) taxCodeRounding(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	st, err := s.Invoice.SetRounding(r.Context(), company, invoice.Rounding(r.PostForm.Get("rounding")))
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/tax-codes", "Tax is now rounded per "+string(st.Rounding)+" on documents saved from now on.")
}

// taxCodeForm lays out the tax code fields.
func taxCodeForm(f *catalogForm, v catalogValues) {
	code := f.field(v, "code", "Code", "e.g. VAT19; it cannot change later")
	code.ReadOnly = !f.New || !f.CanEdit
	cats := [][2]string{{"", "none (not VAT)"}}
	for _, c := range invoice.Categories() {
		cats = append(cats, [2]string{c, c + " · " + vatCategoryNames[c]})
	}
	f.Fields = []partyField{code, f.field(v, "name", "Name", ""), f.field(v, "rate", "Rate %", "e.g. 19 or 7.7"),
		f.choice(v, "type", "Type", [][2]string{{"vat", "VAT"}, {"sales_tax", "Sales tax"}, {"withholding", "Withholding tax"}}),
		f.choice(v, "category", "EN 16931 VAT category", cats),
		f.field(v, "exemption_code", "Exemption reason code", "VATEX code, e.g. VATEX-EU-AE; for E, AE, K, G, O"),
		f.field(v, "exemption_reason", "Exemption reason", "printed on the document"),
		f.field(v, "collected_account_id", "Account of tax owed", "ledger account code, e.g. 2100 output VAT"),
		f.field(v, "deductible_account_id", "Account of tax claimed back", "ledger account code, e.g. 1400 input VAT"),
		f.check(v, "price_inclusive", "Prices include this tax"), f.check(v, "active", "Active: offered on new lines")}
	f.Fields[7].Type, f.Fields[8].Type = "account", "account"
}

// vatCategoryNames say what the EN 16931 VAT categories mean.
var vatCategoryNames = map[string]string{"S": "standard rate", "Z": "zero rated", "E": "exempt", "AE": "reverse charge", "K": "intra-community supply",
	"G": "export outside the EU", "O": "outside the scope of VAT", "L": "Canary Islands IGIC", "M": "Ceuta and Melilla IPSI"}

func taxCodeValues(t invoice.TaxCode, codes map[backoffice.ID]string) catalogValues {
	v := catalogValues{"code": t.Code, "name": t.Name, "rate": t.Rate.String(), "type": string(t.Type), "category": t.Category,
		"exemption_code": t.ExemptionCode, "exemption_reason": t.ExemptionReason, "collected_account_id": codes[t.CollectedAccountID],
		"deductible_account_id": codes[t.DeductibleAccountID]}
	if t.PriceInclusive {
		v["price_inclusive"] = "1"
	}
	if t.Active {
		v["active"] = "1"
	}
	return v
}

func taxCodeInputOf(v catalogValues, byCode map[string]backoffice.ID) (invoice.TaxCodeInput, map[string]string) {
	bad := map[string]string{}
	in := invoice.TaxCodeInput{Code: strings.ToUpper(v["code"]), Name: v["name"], Type: invoice.TaxType(v["type"]), Category: v["category"],
		ExemptionCode: v["exemption_code"], ExemptionReason: v["exemption_reason"], PriceInclusive: v["price_inclusive"] != "", Active: v["active"] != ""}
	rate, err := invoice.ParsePercent(commaDot(v["rate"]))
	if err != nil {
		bad["rate"] = "must be a percentage like 19 or 7.7"
	}
	in.Rate = rate
	catalogAccount(v, "collected_account_id", byCode, &in.CollectedAccountID, bad)
	catalogAccount(v, "deductible_account_id", byCode, &in.DeductibleAccountID, bad)
	return in, bad
}

// taxCodePage renders the new-tax-code form (t nil) or a tax code's page.
func (s *Server) taxCodePage(w http.ResponseWriter, r *http.Request, status int, t *invoice.TaxCode, v catalogValues, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f := &catalogForm{New: t == nil, Title: "New tax code", Action: "/tax-codes", Back: "/tax-codes", BackLabel: "Tax codes", Errors: fe,
		CanEdit: principal(r).Can("invoice.manage"),
		Help:    "Rates are exact percentages. Changing a rate affects drafts saved from now on; posted documents keep theirs."}
	if f.Accounts, err = s.catalogAccounts(r, company); err != nil {
		return err
	}
	if t != nil {
		f.Title, f.Action, f.Version = t.Code+" · "+t.Name, "/tax-codes/"+t.ID.String(), t.Version
		if v == nil {
			v = taxCodeValues(*t, accountCodes(f.Accounts))
		}
		recs, err := s.history(r, "tax_code", t.ID.String())
		if err != nil {
			return err
		}
		f.History = catalogHistory(recs, f.Accounts)
	}
	taxCodeForm(f, v)
	return s.render(w, r, status, "invoice_catalog_form", f.Title, f)
}

func (s *Server) taxCodeNew(w http.ResponseWriter, r *http.Request) error {
	return s.taxCodePage(w, r, http.StatusOK, nil, catalogValues{"type": "vat", "category": "S", "active": "1", "collected_account_id": "2100", "deductible_account_id": "1400"}, nil)
}

func (s *Server) taxCodeShow(w http.ResponseWriter, r *http.Request) error {
	_, t, err := s.taxCodeOf(r)
	if err != nil {
		return err
	}
	return s.taxCodePage(w, r, http.StatusOK, &t, nil, nil)
}

// taxCodeSave creates (id 0) or updates a tax code from the form.
func (s *Server) taxCodeSave(w http.ResponseWriter, r *http.Request, existing *invoice.TaxCode) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	accounts, err := s.catalogAccounts(r, company)
	if err != nil {
		return err
	}
	v := readCatalogForm(r.PostForm)
	if existing != nil {
		v["code"] = existing.Code
	}
	in, bad := taxCodeInputOf(v, docAccounts(accounts))
	var t invoice.TaxCode
	if len(bad) > 0 {
		err = s.Invoice.CheckTaxCode(r.Context(), company, in)
	} else {
		if existing == nil {
			t, err = s.Invoice.CreateTaxCode(r.Context(), company, in)
		} else {
			version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
			t, err = s.Invoice.UpdateTaxCode(r.Context(), company, existing.ID, cmpOrVersion(version, existing.Version), in)
		}
	}
	if err != nil || len(bad) > 0 {
		fe, ferr := catalogFailure(err, bad)
		if ferr != nil {
			return ferr
		}
		return s.taxCodePage(w, r, failedSaveStatus(err), existing, v, fe)
	}
	return redirectFlash(w, r, "/tax-codes/"+t.ID.String(), "Saved.")
}

func (s *Server) taxCodeCreate(w http.ResponseWriter, r *http.Request) error {
	return s.taxCodeSave(w, r, nil)
}

func (s *Server) taxCodeUpdate(w http.ResponseWriter, r *http.Request) error {
	_, t, err := s.taxCodeOf(r)
	if err != nil {
		return err
	}
	return s.taxCodeSave(w, r, &t)
}

// cmpOrVersion is the version the form was read at, or the current one.
func cmpOrVersion(form, current int64) int64 {
	if form != 0 {
		return form
	}
	return current
}
