package web

import (
	"errors"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"

	"backoffice"
	"backoffice/bank"
)

// bankImportOut answers a statement upload: one report per file, in the
// order the files came.
type bankImportOut struct {
	Files    []bankFileOut `json:"files"`
	Imported int           `json:"imported"` // files that imported (or had been imported before)
	Failed   int           `json:"failed"`   // files refused; nothing of them was stored
}

// bankFileOut is what happened to one uploaded file. Error is set when the
// file was refused as a whole.
type bankFileOut struct {
	FileName        string                 `json:"file_name"`
	Format          string                 `json:"format,omitempty"`
	AlreadyImported bool                   `json:"already_imported"`
	NewLines        int                    `json:"new_lines"`
	SkippedLines    int                    `json:"skipped_lines"`
	BalanceProblems []string               `json:"balance_problems"`
	Warnings        []string               `json:"warnings"`
	Statements      []bank.StatementReport `json:"statements"`
	Error           string                 `json:"error,omitempty"`
	Code            string                 `json:"code,omitempty"`
}

// uploadedFile is one statement file of a request.
type uploadedFile struct {
	name string
	data []byte
}

// uploadedFiles reads the files of a multipart form (every file field, in
// order of field name, then as sent), or else the raw body named by
// ?filename=. what names the files in the message when none came.
func uploadedFiles(r *http.Request, what string) ([]uploadedFile, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(8 << 20); err != nil {
			return nil, uploadError(err)
		}
		var out []uploadedFile
		for _, field := range slices.Sorted(maps.Keys(r.MultipartForm.File)) {
			for _, h := range r.MultipartForm.File[field] {
				f, err := readPart(h)
				if err != nil {
					return nil, err
				}
				out = append(out, f)
			}
		}
		if len(out) == 0 {
			return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "choose one or more " + what,
				Fields: map[string]string{"file": "is required"}}
		}
		return out, nil
	}
	name := strings.TrimSpace(r.URL.Query().Get("filename"))
	if name == "" {
		return nil, &backoffice.Error{Code: backoffice.EInvalid, Message: "send the files as multipart/form-data, or one file as the body with ?filename=",
			Fields: map[string]string{"filename": "is required for a raw body"}}
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, uploadError(err)
	}
	return []uploadedFile{{name: name, data: data}}, nil
}

func readPart(h *multipart.FileHeader) (uploadedFile, error) {
	f, err := h.Open()
	if err != nil {
		return uploadedFile{}, uploadError(err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return uploadedFile{}, uploadError(err)
	}
	return uploadedFile{name: h.Filename, data: data}, nil
}

// uploadError says why an upload could not be read.
func uploadError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return backoffice.Errorf(backoffice.ETooLarge, "the upload is larger than %d bytes: send fewer or smaller files at a time", tooBig.Limit)
	}
	return backoffice.Errorf(backoffice.EInvalid, "the upload could not be read: %v", err)
}

// importStatements imports each file on its own, so a file that fails does
// not keep the others out. Only an internal error stops the upload.
func (s *Server) importStatements(r *http.Request, company backoffice.ID, files []uploadedFile, opts bank.ImportOptions) (bankImportOut, error) {
	out := bankImportOut{Files: make([]bankFileOut, 0, len(files))}
	for _, f := range files {
		rep, err := s.Bank.Import(r.Context(), company, f.name, f.data, opts)
		fo := bankFileOut{FileName: f.name, Format: rep.Format, AlreadyImported: rep.AlreadyImported, NewLines: rep.NewLines(),
			SkippedLines: rep.SkippedLines(), BalanceProblems: rep.BalanceProblems(), Warnings: []string{}, Statements: rep.Statements}
		if fo.BalanceProblems == nil {
			fo.BalanceProblems = []string{}
		}
		if fo.Statements == nil {
			fo.Statements = []bank.StatementReport{}
		}
		for _, w := range rep.Warnings {
			fo.Warnings = append(fo.Warnings, w.String())
		}
		if err != nil {
			if backoffice.ErrorCode(err) == backoffice.EInternal {
				return out, err
			}
			fo.Error, fo.Code = backoffice.ErrorMessage(err), backoffice.ErrorCode(err)
			out.Failed++
		} else {
			out.Imported++
		}
		out.Files = append(out.Files, fo)
	}
	return out, nil
}

// importOptions reads ?bank_account= (or the form field) and ?format=.
func (s *Server) importOptions(r *http.Request, company backoffice.ID) (bank.ImportOptions, error) {
	opts := bank.ImportOptions{Format: strings.TrimSpace(r.FormValue("format"))}
	v := strings.TrimSpace(r.FormValue("bank_account"))
	if v == "" {
		return opts, nil
	}
	id, err := backoffice.ParseID(v)
	if err == nil {
		_, err = s.Bank.Get(r.Context(), company, id)
	}
	if err != nil {
		return opts, &backoffice.Error{Code: backoffice.EInvalid, Message: "bank_account is not a bank account of this company",
			Fields: map[string]string{"bank_account": "must be the id of one of this company's bank accounts"}}
	}
	opts.BankAccountID = id
	return opts, nil
}

// apiImportStatements imports one or more statement files; the answer
// reports each file, including the ones refused.
func (s *Server) apiImportStatements(w http.ResponseWriter, r *http.Request) error {
	company, err := s.banking(r)
	if err != nil {
		return err
	}
	files, err := uploadedFiles(r, "statement files")
	if err != nil {
		return err
	}
	opts, err := s.importOptions(r, company)
	if err != nil {
		return err
	}
	out, err := s.importStatements(r, company, files, opts)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
