package web

import (
	"net/http"
	"strconv"

	"backoffice"
	"backoffice/csvio"
	"backoffice/party"
)

// partyKindBadge is the badge of a party's kind in lists.
func partyKindBadge(k party.Kind) cell {
	switch k {
	case party.KindCustomer:
		return cell{Text: "Customer", Badge: "ok"}
	case party.KindSupplier:
		return cell{Text: "Supplier", Badge: "supplier"}
	}
	return cell{Text: "Both", Badge: "muted"}
}

// partiesList lists the company's parties; ?kind= filters, ?q= searches,
// ?blocked=true includes blocked and merged ones, ?format=csv exports.
func (s *Server) partiesList(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	f := partyFilter(r)
	if f.Kind != "" && !f.Kind.Valid() {
		f.Kind = ""
	}
	list, err := s.Party.List(r.Context(), company, f)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := listView{
		Title: "Customers & suppliers", SearchHint: "Search name or VAT id", Search: q.Get("q"), ExportURL: withQuery(r, "format", "csv"),
		Help:    "Customers and suppliers of " + principal(r).Company.Name + ". Blocked and merged parties show when you include them.",
		Empty:   "No customers or suppliers match. Add one, or import a CSV file.",
		Columns: []column{{Label: "Name"}, {Label: "Kind"}, {Label: "VAT id"}, {Label: "Country"}, {Label: "City"}, {Label: "Currency"}, {Label: "Status"}},
	}
	for _, c := range []struct{ label, kind string }{{"All", ""}, {"Customers", "customer"}, {"Suppliers", "supplier"}} {
		v.Filters = append(v.Filters, chip{Label: c.label, URL: withQuery(r, "kind", c.kind), Active: string(f.Kind) == c.kind})
	}
	v.Filters = append(v.Filters, chip{Label: "Include blocked", URL: withQuery(r, "blocked", map[bool]string{false: "true", true: ""}[f.WithBlocked]), Active: f.WithBlocked})
	if principal(r).Can("party.manage") {
		v.NewURL, v.NewLabel, v.ImportURL = "/parties/new", "New party", "/parties/import"
	}
	var csvRows [][]string
	for _, p := range list {
		status := cell{}
		switch {
		case p.MergedIntoID != 0:
			status = cell{Text: "Merged", Badge: "muted"}
		case p.Blocked:
			status = cell{Text: "Blocked", Badge: "warn"}
		}
		v.Rows = append(v.Rows, listRow{URL: "/parties/" + p.ID.String(), Cells: []cell{{Text: p.Name()}, partyKindBadge(p.Kind),
			{Text: p.VATID}, {Text: p.Billing.Country}, {Text: p.Billing.City}, {Text: string(p.Currency)}, status}})
		csvRows = append(csvRows, []string{p.ID.String(), p.LegalName, p.TradeName, string(p.Kind), p.VATID, p.Billing.Country, p.Billing.City,
			string(p.Currency), strconv.FormatBool(p.Blocked)})
	}
	if q.Get("format") == "csv" {
		return writeCSV(w, "parties.csv", []string{"id", "legal_name", "trade_name", "kind", "vat_id", "country", "city", "currency", "blocked"}, csvRows)
	}
	for _, k := range []string{"kind", "blocked"} {
		if q.Get(k) != "" {
			v.Hidden = append(v.Hidden, hiddenField{k, q.Get(k)})
		}
	}
	return s.render(w, r, http.StatusOK, "party_list", "Customers & suppliers", v)
}

func (s *Server) partyNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.parties(r); err != nil {
		return err
	}
	kind := r.URL.Query().Get("kind")
	if !party.Kind(kind).Valid() {
		kind = "customer"
	}
	return s.render(w, r, http.StatusOK, "party_form", "New customer or supplier", partyForm{New: true, CanEdit: true,
		Values: partyValues{"kind": kind, "currency": string(baseCurrency(r)), "language": "en", "terms.net_days": "30"}})
}

func (s *Server) partyCreate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	vals := readPartyForm(r.PostForm)
	in, bad, rows := s.partyInput(r.Context(), company, vals)
	var p party.Party
	var dups []party.Duplicate
	if len(bad) == 0 {
		p, dups, err = s.Party.Create(r.Context(), company, in)
	} else {
		err = s.partyCheck(r, company, in)
	}
	if err != nil || len(bad) > 0 {
		fe, ferr := partyFormErrors(err, bad, rows)
		if ferr != nil {
			return ferr
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "party_form", "New customer or supplier", partyForm{New: true, CanEdit: true, Values: vals, Errors: fe})
	}
	if len(dups) > 0 {
		return s.partyPage(w, r, http.StatusCreated, p, nil, nil, dups)
	}
	return redirectFlash(w, r, "/parties/"+p.ID.String(), "Created.")
}

func (s *Server) partyShow(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	return s.partyPage(w, r, http.StatusOK, p, nil, nil, nil)
}

// partyPage renders a party: its form (with vals when a save failed), the
// possible duplicates found when it was just created, and its history.
func (s *Server) partyPage(w http.ResponseWriter, r *http.Request, status int, p party.Party, vals partyValues, fe *formErrors, dups []party.Duplicate) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	if vals == nil {
		if vals, err = s.partyValuesOf(r.Context(), company, p); err != nil {
			return err
		}
	}
	recs, err := s.history(r, "party", p.ID.String())
	if err != nil {
		return err
	}
	form := partyForm{Party: p, Values: vals, Errors: fe, Duplicates: dups, History: historyOf(recs),
		CanEdit: principal(r).Can("party.manage") && p.MergedIntoID == 0}
	return s.render(w, r, status, "party_form", p.Name(), form)
}

func (s *Server) partyUpdate(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.partyOf(r)
	if err != nil {
		return err
	}
	vals := readPartyForm(r.PostForm)
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if version == 0 {
		version = p.Version
	}
	in, bad, rows := s.partyInput(r.Context(), company, vals)
	if len(bad) == 0 {
		_, err = s.Party.Update(r.Context(), company, p.ID, version, in)
	} else {
		err = s.partyCheck(r, company, in)
	}
	if err != nil || len(bad) > 0 {
		fe, ferr := partyFormErrors(err, bad, rows)
		if ferr != nil {
			return ferr
		}
		return s.partyPage(w, r, http.StatusUnprocessableEntity, p, vals, fe, nil)
	}
	return redirectFlash(w, r, "/parties/"+p.ID.String(), "Saved.")
}

// partyCheck returns the party package's field errors for in without
// storing anything, so a form whose own text could not be read (a number,
// an account code) still names every other bad field at once. Update
// validates before it reads the party, and no party has id 0, so a valid
// input ends in "not found", which is no error here.
func (s *Server) partyCheck(r *http.Request, company backoffice.ID, in party.Input) error {
	_, err := s.Party.Update(r.Context(), company, 0, 0, in)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return nil
	}
	return err
}

// partyImportPage is the import page for parties.
func partyImportPage() importPage {
	return importPage{Title: "Import customers and suppliers", Action: "/parties/import", Back: "/parties",
		Columns: party.CSVColumns(), Example: "/api/v1/parties/export"}
}

func (s *Server) partyImportForm(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.parties(r); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "import", "Import customers and suppliers", partyImportPage())
}

// partyImport takes the uploaded CSV: a dry run shows what would happen, a
// real run imports every row or none.
func (s *Server) partyImport(w http.ResponseWriter, r *http.Request) error {
	company, err := s.parties(r)
	if err != nil {
		return err
	}
	pg := partyImportPage()
	f, hdr, err := r.FormFile("file")
	if err != nil {
		pg.Error = "Choose a CSV file to import."
		return s.render(w, r, http.StatusUnprocessableEntity, "import", pg.Title, pg)
	}
	defer f.Close()
	pg.File = hdr.Filename
	rep, err := s.Party.Import(r.Context(), f, company, csvio.Options{DryRun: r.FormValue("dry_run") != ""})
	pg.Report = &rep
	status := http.StatusOK
	if err != nil {
		if backoffice.ErrorCode(err) == backoffice.EInternal {
			return err
		}
		pg.Error = backoffice.ErrorMessage(err)
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "import", pg.Title, pg)
}
