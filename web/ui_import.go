package web

import (
	"net/http"

	"backoffice"
	"backoffice/csvio"
)

type importPage struct {
	Title, Action, Back string
	Columns             []csvio.Column
	Report              *csvio.Report
	Error               string
	File                string
	Example             string // URL of a CSV in the import format
}

func (s *Server) usersImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "import", "Import users", importPage{Title: "Import users", Action: "/users/import", Back: "/users",
		Columns: s.Access.UserCSVColumns(), Example: "/api/v1/users/export"})
}

// usersImport takes the uploaded CSV: a dry run shows what would happen, a
// real run imports every row or none.
func (s *Server) usersImport(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	pg := importPage{Title: "Import users", Action: "/users/import", Back: "/users", Columns: s.Access.UserCSVColumns(), Example: "/api/v1/users/export"}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		pg.Error = "Choose a CSV file to import."
		return s.render(w, r, http.StatusUnprocessableEntity, "import", "Import users", pg)
	}
	defer f.Close()
	pg.File = hdr.Filename
	rep, err := s.Access.ImportUsers(r.Context(), f, company, csvio.Options{DryRun: r.FormValue("dry_run") != ""})
	pg.Report = &rep
	status := http.StatusOK
	if err != nil {
		if code := backoffice.ErrorCode(err); code == backoffice.EInternal {
			return err
		}
		pg.Error = backoffice.ErrorMessage(err)
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, "import", "Import users", pg)
}
