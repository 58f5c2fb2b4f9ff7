package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/party"
)

// profileView is the company details page.
type profileView struct {
	Profile party.Profile
	Fields  []profileField
	CanEdit bool
	Errors  *formErrors
	History []historyItem
}

// profileField is one input of the details form.
type profileField struct {
	Name, Label, Hint, Value, Error string
	Wide                            bool
}

// profileFields lists the form's inputs in order with their help.
func profileFields(in party.ProfileInput, fe *formErrors) []profileField {
	fs := []profileField{
		{Name: "legal_name", Label: "Legal name", Value: in.LegalName, Hint: "as registered; printed as the seller", Wide: true},
		{Name: "trade_name", Label: "Trade name", Value: in.TradeName},
		{Name: "address.lines", Label: "Street and number", Value: in.Address.Lines, Wide: true},
		{Name: "address.postal_code", Label: "Postal code", Value: in.Address.PostalCode},
		{Name: "address.city", Label: "City", Value: in.Address.City},
		{Name: "address.region", Label: "Region", Value: in.Address.Region},
		{Name: "address.country", Label: "Country", Value: in.Address.Country, Hint: "ISO code, e.g. DE"},
		{Name: "vat_id", Label: "VAT id", Value: in.VATID, Hint: "e.g. DE123456788"},
		{Name: "tax_id", Label: "Tax number", Value: in.TaxID, Hint: "local tax registration"},
		{Name: "registration_id", Label: "Company registration", Value: in.RegistrationID, Hint: "e.g. HRB 12345"},
		{Name: "peppol_scheme", Label: "Peppol scheme", Value: in.PeppolScheme, Hint: "EAS code, e.g. 9930, 0088"},
		{Name: "peppol_id", Label: "Peppol endpoint id", Value: in.PeppolID},
		{Name: "email", Label: "E-mail for invoices", Value: in.Email},
		{Name: "phone", Label: "Phone", Value: in.Phone},
		{Name: "website", Label: "Website", Value: in.Website},
		{Name: "iban", Label: "IBAN customers pay to", Value: in.IBAN, Wide: true},
		{Name: "bic", Label: "BIC", Value: in.BIC},
		{Name: "bank_name", Label: "Bank", Value: in.BankName},
		{Name: "creditor_id", Label: "SEPA creditor id", Value: in.CreditorID, Hint: "for direct debits"},
		{Name: "language", Label: "Language of documents", Value: in.Language, Hint: "en, de, fr …"},
	}
	if fe != nil {
		for i := range fs {
			fs[i].Error = fe.Fields[fs[i].Name]
		}
	}
	return fs
}

// profileInputOf reads the form.
func profileInputOf(r *http.Request) party.ProfileInput {
	f := func(name string) string { return strings.TrimSpace(r.PostForm.Get(name)) }
	in := party.ProfileInput{LegalName: f("legal_name"), TradeName: f("trade_name"), VATID: f("vat_id"), TaxID: f("tax_id"),
		RegistrationID: f("registration_id"), PeppolScheme: f("peppol_scheme"), PeppolID: f("peppol_id"), Email: f("email"),
		Phone: f("phone"), Website: f("website"), IBAN: f("iban"), BIC: f("bic"), BankName: f("bank_name"),
		CreditorID: f("creditor_id"), Language: f("language")}
	in.Address = party.Address{Lines: f("address.lines"), City: f("address.city"), PostalCode: f("address.postal_code"),
		Region: f("address.region"), Country: f("address.country")}
	return in
}

func (s *Server) companyProfile(w http.ResponseWriter, r *http.Request) error {
	return s.profilePage(w, r, http.StatusOK, nil, nil)
}

func (s *Server) profilePage(w http.ResponseWriter, r *http.Request, status int, typed *party.ProfileInput, fe *formErrors) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	p, err := s.Party.Profile(r.Context(), company)
	if err != nil {
		return err
	}
	in := p.ProfileInput
	if typed != nil {
		in = *typed
	}
	v := profileView{Profile: p, Fields: profileFields(in, fe), CanEdit: principal(r).Can("company.manage"), Errors: fe}
	recs, err := s.history(r, "company_profile", company.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "company_profile", "Company details", v)
}

func (s *Server) companyProfileSave(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	in := profileInputOf(r)
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if _, err := s.Party.SetProfile(r.Context(), company, version, in); err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.profilePage(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(err)), &in, fe)
	}
	return redirectFlash(w, r, "/company/profile", "Company details saved: invoices and payment files use them from now on.")
}

// companyLogoUpload stores the uploaded logo, or removes it with ?remove=1.
func (s *Server) companyLogoUpload(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	var data []byte
	if r.URL.Query().Get("remove") == "" {
		f, _, err := r.FormFile("logo")
		if err != nil {
			return s.profilePage(w, r, http.StatusUnprocessableEntity, nil, &formErrors{Message: "Choose a PNG or JPEG file for the logo.", Fields: map[string]string{"logo": "is required"}})
		}
		defer f.Close()
		if data, err = io.ReadAll(io.LimitReader(f, party.MaxLogoBytes+1)); err != nil {
			return err
		}
	}
	if _, err := s.Party.SetLogo(r.Context(), company, data); err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.profilePage(w, r, http.StatusUnprocessableEntity, nil, fe)
	}
	msg := "Logo saved: it is printed on invoices and letters."
	if data == nil {
		msg = "Logo removed."
	}
	return redirectFlash(w, r, "/company/profile", msg)
}
