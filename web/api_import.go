package web

import (
	"net/http"
	"strings"

	"backoffice"
	"backoffice/csvio"
)

type importOut = csvio.Report

// apiImportUsers imports users from a CSV request body into the current
// company, all or nothing. Problems come back as 422 with every bad row.
func (s *Server) apiImportUsers(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "text/plain") && !strings.HasPrefix(ct, "application/octet-stream") {
		return backoffice.Errorf(backoffice.EUnsupported, "send the file as text/csv (got %q)", ct)
	}
	rep, err := s.Access.ImportUsers(r.Context(), r.Body, company, csvio.Options{DryRun: r.URL.Query().Get("dry_run") == "true"})
	if err != nil && len(rep.Errors) > 0 {
		writeJSON(w, http.StatusUnprocessableEntity, struct {
			csvio.Report
			Code   string `json:"code"`
			Detail string `json:"detail"`
		}{rep, backoffice.EInvalid, backoffice.ErrorMessage(err)})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// apiExportUsers writes the current company's users in the import format.
func (s *Server) apiExportUsers(w http.ResponseWriter, r *http.Request) error {
	company, err := requireCompany(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="users.csv"`)
	return s.Access.ExportUsers(r.Context(), w, company)
}
