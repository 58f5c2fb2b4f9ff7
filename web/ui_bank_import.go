package web

import (
	"net/http"

	"backoffice"
)

// bankImportPage is the statement upload form and, after an upload, the
// report of every file.
type bankImportPage struct {
	Accounts []ledgerChoice // the company's active bank accounts
	Account  backoffice.ID  // the account chosen, 0 to go by the IBAN in each file
	Format   string
	Formats  []string
	Error    string
	Report   *bankImportOut
}

// statementFormats are the formats the upload form offers; "" detects.
func statementFormats() []string { return []string{"", "camt", "mt940", "ofx", "csv"} }

// bankImportPageFor fills the form's choices, keeping what was chosen.
func (s *Server) bankImportPageFor(r *http.Request, company backoffice.ID) (bankImportPage, error) {
	pg := bankImportPage{Formats: statementFormats(), Format: r.FormValue("format")}
	pg.Account, _ = backoffice.ParseID(r.FormValue("bank_account"))
	list, err := s.Bank.List(r.Context(), company, false)
	if err != nil {
		return pg, err
	}
	for _, a := range list {
		label := a.Name + " · " + a.AccountNumber
		if a.IBAN != "" {
			label = a.Name + " · " + formatIBAN(a.IBAN)
		}
		pg.Accounts = append(pg.Accounts, ledgerChoice{ID: a.ID, Label: label})
	}
	return pg, nil
}

func (s *Server) bankImportForm(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	pg, err := s.bankImportPageFor(r, company)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "bank_import", "Import bank statements", pg)
}

// bankImport imports every uploaded file on its own and shows what
// happened to each; the form keeps the chosen account and format.
func (s *Server) bankImport(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	files, ferr := uploadedFiles(r, "statement files")
	pg, err := s.bankImportPageFor(r, company)
	if err != nil {
		return err
	}
	if ferr == nil {
		ferr = checkForm(r)
	}
	if ferr != nil {
		if backoffice.ErrorCode(ferr) == backoffice.EInternal {
			return ferr
		}
		pg.Error = backoffice.ErrorMessage(ferr)
		return s.render(w, r, backoffice.HTTPStatus(backoffice.ErrorCode(ferr)), "bank_import", "Import bank statements", pg)
	}
	opts, err := s.importOptions(r, company)
	if err != nil {
		pg.Error = backoffice.ErrorMessage(err)
		return s.render(w, r, http.StatusUnprocessableEntity, "bank_import", "Import bank statements", pg)
	}
	out, err := s.importStatements(r, company, files, opts)
	if err != nil {
		return err
	}
	pg.Report = &out
	return s.render(w, r, http.StatusOK, "bank_import", "Import bank statements", pg)
}
