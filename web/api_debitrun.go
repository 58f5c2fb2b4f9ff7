package web

import (
	"bytes"
	"context"
	"net/http"

	"backoffice"
	"backoffice/bank/pain"
	"backoffice/invoice"
)

// debitRunOf reads the {id} direct debit run of the caller's company.
func (s *Server) debitRunOf(r *http.Request) (backoffice.ID, invoice.DebitRun, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.DebitRun{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.DebitRun{}, err
	}
	run, err := s.Invoice.GetDebitRun(r.Context(), company, id)
	return company, run, err
}

// debitRunExists checks that {id} is a direct debit run of the caller's company.
func (s *Server) debitRunExists(r *http.Request) error {
	_, _, err := s.debitRunOf(r)
	return err
}

func (s *Server) apiListDebitRuns(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := s.Invoice.ListDebitRuns(r.Context(), company, invoice.DebitRunFilter{State: invoice.DebitRunState(r.URL.Query().Get("state")),
		Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.DebitRun](list))
	return nil
}

func (s *Server) apiCreateDebitRun(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoice.DebitRunInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	run, err := s.Invoice.CreateDebitRun(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/debit-runs/"+run.ID.String())
	writeVersioned(w, http.StatusCreated, run.Version, run)
	return nil
}

func (s *Server) apiGetDebitRun(w http.ResponseWriter, r *http.Request) error {
	_, run, err := s.debitRunOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, run.Version, run)
	return nil
}

// apiDebitRunAction serves a state change of the {id} direct debit run.
func (s *Server) apiDebitRunAction(action func(ctx context.Context, company, id backoffice.ID, r *http.Request) (invoice.DebitRun, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, run, err := s.debitRunOf(r)
		if err != nil {
			return err
		}
		run, err = action(r.Context(), company, run.ID, r)
		if err != nil {
			return err
		}
		writeVersioned(w, http.StatusOK, run.Version, run)
		return nil
	}
}

func (s *Server) approveDebitRun(ctx context.Context, company, id backoffice.ID, _ *http.Request) (invoice.DebitRun, error) {
	return s.Invoice.ApproveDebitRun(ctx, company, id)
}

func (s *Server) confirmDebitRun(ctx context.Context, company, id backoffice.ID, _ *http.Request) (invoice.DebitRun, error) {
	return s.Invoice.ConfirmDebitRun(ctx, company, id)
}

func (s *Server) cancelDebitRun(ctx context.Context, company, id backoffice.ID, r *http.Request) (invoice.DebitRun, error) {
	var in reasonIn
	if err := decodeJSON(r, &in); err != nil {
		return invoice.DebitRun{}, err
	}
	return s.Invoice.CancelDebitRun(ctx, company, id, in.Reason)
}

// apiExportDebitRun serves the run as a pain.008 file (?format=
// pain.008.001.02, the default, or pain.008.001.08); an approved run is
// marked exported.
func (s *Server) apiExportDebitRun(w http.ResponseWriter, r *http.Request) error {
	company, run, err := s.debitRunOf(r)
	if err != nil {
		return err
	}
	v := pain.Version(r.URL.Query().Get("format"))
	if v == "" {
		v = pain.DirectDebit02
	}
	file, run, err := s.Invoice.ExportDebitRun(r.Context(), company, run.ID, v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Disposition", `attachment; filename="`+run.Number+`.xml"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(file)
	return err
}

// apiApplyPaymentStatus applies an uploaded pain.002 status report: each
// rejected payment is reversed and what it settled is open again.
func (s *Server) apiApplyPaymentStatus(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	res, err := s.applyPaymentStatus(r, company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// applyPaymentStatus reads the one uploaded pain.002 and applies it.
func (s *Server) applyPaymentStatus(r *http.Request, company backoffice.ID) (invoice.StatusResult, error) {
	files, err := uploadedFiles(r, "pain.002 status report")
	if err != nil {
		return invoice.StatusResult{}, err
	}
	if len(files) != 1 {
		return invoice.StatusResult{}, &backoffice.Error{Code: backoffice.EInvalid, Message: "send one status report at a time", Fields: map[string]string{"file": "one file"}}
	}
	rpt, err := pain.Read(bytes.NewReader(files[0].data))
	if err != nil {
		return invoice.StatusResult{}, err
	}
	return s.Invoice.ApplyStatusReport(r.Context(), company, rpt)
}

func (s *Server) removeDebitLine(ctx context.Context, company, id backoffice.ID, r *http.Request) (invoice.DebitRun, error) {
	var in runLineIn
	if err := decodeJSON(r, &in); err != nil {
		return invoice.DebitRun{}, err
	}
	return s.Invoice.RemoveDebitLine(ctx, company, id, in.Seq)
}

// apiPaymentBankStatuses lists what banks reported on the {id} payment.
func (s *Server) apiPaymentBankStatuses(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	sts, err := s.Invoice.BankStatuses(r.Context(), company, p.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.BankStatus]{Items: sts})
	return nil
}
