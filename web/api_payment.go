package web

import (
	"context"
	"net/http"

	"backoffice"
	"backoffice/invoice"
)

// paymentApplyIn names the document a payment's unallocated credit is applied to.
type paymentApplyIn struct {
	DocumentID backoffice.ID `json:"document_id"`
}

// paymentSettingsIn changes the company's payment settings.
type paymentSettingsIn struct {
	WriteOffTolerance *int64 `json:"write_off_tolerance"`
}

// paymentOf reads the {id} payment of the caller's company.
func (s *Server) paymentOf(r *http.Request) (backoffice.ID, invoice.Payment, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.Payment{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.Payment{}, err
	}
	p, err := s.Invoice.GetPayment(r.Context(), company, id)
	return company, p, err
}

// paymentExists checks that {id} is a payment of the caller's company.
func (s *Server) paymentExists(r *http.Request) error {
	_, _, err := s.paymentOf(r)
	return err
}

// paymentFilter reads ?direction=&state=&party=&run=&document=&from=&to=&q=&limit=&after=.
func paymentFilter(r *http.Request) (invoice.PaymentFilter, error) {
	q := r.URL.Query()
	f := invoice.PaymentFilter{Direction: invoice.Direction(q.Get("direction")), State: invoice.PaymentState(q.Get("state")), Query: q.Get("q")}
	v := backoffice.Validation{}
	var err error
	if f.From, err = dateParam(q, "from"); err != nil {
		addFieldErrors(v, err)
	}
	if f.To, err = dateParam(q, "to"); err != nil {
		addFieldErrors(v, err)
	}
	party, err := int64Param(q, "party")
	if err != nil {
		addFieldErrors(v, err)
	}
	run, err := int64Param(q, "run")
	if err != nil {
		addFieldErrors(v, err)
	}
	doc, err := int64Param(q, "document")
	if err != nil {
		addFieldErrors(v, err)
	}
	f.PartyID, f.RunID, f.Document = backoffice.ID(party), backoffice.ID(run), backoffice.ID(doc)
	if f.Page, err = pageOf(r); err != nil {
		addFieldErrors(v, err)
	}
	return f, v.Err("filter")
}

func (s *Server) apiListPayments(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	f, err := paymentFilter(r)
	if err != nil {
		return err
	}
	list, err := s.Invoice.ListPayments(r.Context(), company, f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.Payment](list))
	return nil
}

func (s *Server) apiCreatePayment(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoice.PaymentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err := s.Invoice.CreatePayment(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/payments/"+p.ID.String())
	writeVersioned(w, http.StatusCreated, p.Version, p)
	return nil
}

func (s *Server) apiGetPayment(w http.ResponseWriter, r *http.Request) error {
	_, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

func (s *Server) apiReversePayment(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	var in invoice.ReversePaymentInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	p, err = s.Invoice.ReversePayment(r.Context(), company, p.ID, in)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, p.Version, p)
	return nil
}

// apiApplyPayment applies what the {id} payment left unallocated to a document.
func (s *Server) apiApplyPayment(w http.ResponseWriter, r *http.Request) error {
	company, p, err := s.paymentOf(r)
	if err != nil {
		return err
	}
	var in paymentApplyIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.DocumentID == 0 {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "name the document the credit is applied to", Fields: map[string]string{"document_id": "is required"}}
	}
	app, err := s.Invoice.ApplyCredit(r.Context(), company, in.DocumentID, invoice.ApplyCreditInput{PaymentID: p.ID})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, app)
	return nil
}

// apiApplyCredit applies a credit note or a payment's credit to the {id} document.
func (s *Server) apiApplyCredit(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in invoice.ApplyCreditInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	app, err := s.Invoice.ApplyCredit(r.Context(), company, id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, app)
	return nil
}

// apiDocumentBalance answers what is open and paid of the {id} document.
func (s *Server) apiDocumentBalance(w http.ResponseWriter, r *http.Request) error {
	company, d, err := s.documentOf(r)
	if err != nil {
		return err
	}
	if d.State == invoice.StateDraft {
		return backoffice.Errorf(backoffice.EConflict, "document %d is a draft: it has no balance until it is posted", d.ID)
	}
	b, err := s.Invoice.Balance(r.Context(), company, d)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b)
	return nil
}

func (s *Server) apiGetPaymentSettings(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	st, err := s.Invoice.PaymentSettings(r.Context(), company)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

func (s *Server) apiUpdatePaymentSettings(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in paymentSettingsIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.WriteOffTolerance == nil {
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "give the write-off tolerance in minor units of the company currency",
			Fields: map[string]string{"write_off_tolerance": "is required"}}
	}
	st, err := s.Invoice.SetWriteOffTolerance(r.Context(), company, *in.WriteOffTolerance)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, st)
	return nil
}

// runLineIn names a line of a draft payment run.
type runLineIn struct {
	Seq int `json:"seq"`
}

// runOf reads the {id} payment run of the caller's company.
func (s *Server) runOf(r *http.Request) (backoffice.ID, invoice.Run, error) {
	company, err := s.invoicing(r)
	if err != nil {
		return 0, invoice.Run{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, invoice.Run{}, err
	}
	run, err := s.Invoice.GetRun(r.Context(), company, id)
	return company, run, err
}

// runExists checks that {id} is a payment run of the caller's company.
func (s *Server) runExists(r *http.Request) error {
	_, _, err := s.runOf(r)
	return err
}

func (s *Server) apiListRuns(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	list, err := s.Invoice.ListRuns(r.Context(), company, invoice.RunFilter{State: invoice.RunState(r.URL.Query().Get("state")), Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[invoice.Run](list))
	return nil
}

func (s *Server) apiCreateRun(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	var in invoice.RunInput
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	run, err := s.Invoice.CreateRun(r.Context(), company, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/payment-runs/"+run.ID.String())
	writeVersioned(w, http.StatusCreated, run.Version, run)
	return nil
}

func (s *Server) apiGetRun(w http.ResponseWriter, r *http.Request) error {
	_, run, err := s.runOf(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, run.Version, run)
	return nil
}

// apiRunAction serves a state change of the {id} payment run.
func (s *Server) apiRunAction(action func(ctx context.Context, company, id backoffice.ID, r *http.Request) (invoice.Run, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, run, err := s.runOf(r)
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

func (s *Server) approveRun(ctx context.Context, company, id backoffice.ID, _ *http.Request) (invoice.Run, error) {
	return s.Invoice.ApproveRun(ctx, company, id)
}

func (s *Server) sendRun(ctx context.Context, company, id backoffice.ID, _ *http.Request) (invoice.Run, error) {
	return s.Invoice.MarkRunSent(ctx, company, id)
}

func (s *Server) confirmRun(ctx context.Context, company, id backoffice.ID, _ *http.Request) (invoice.Run, error) {
	return s.Invoice.ConfirmRun(ctx, company, id)
}

func (s *Server) cancelRun(ctx context.Context, company, id backoffice.ID, r *http.Request) (invoice.Run, error) {
	var in reasonIn
	if err := decodeJSON(r, &in); err != nil {
		return invoice.Run{}, err
	}
	return s.Invoice.CancelRun(ctx, company, id, in.Reason)
}

func (s *Server) removeRunLine(ctx context.Context, company, id backoffice.ID, r *http.Request) (invoice.Run, error) {
	var in runLineIn
	if err := decodeJSON(r, &in); err != nil {
		return invoice.Run{}, err
	}
	return s.Invoice.RemoveRunLine(ctx, company, id, in.Seq)
}
