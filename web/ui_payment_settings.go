package web

import (
	"net/http"

	"backoffice"
)

// paymentSettingsView is the data of the payment settings page.
type paymentSettingsView struct {
	Tolerance string
	Currency  backoffice.Currency
	CanEdit   bool
	Errors    *formErrors
	History   []historyItem
}

func (s *Server) paymentSettingsPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderPaymentSettings(w, r, http.StatusOK, "", nil)
}

func (s *Server) renderPaymentSettings(w http.ResponseWriter, r *http.Request, status int, typed string, fe *formErrors) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	st, err := s.Invoice.PaymentSettings(r.Context(), company)
	if err != nil {
		return err
	}
	cur := baseCurrency(r)
	v := paymentSettingsView{Tolerance: backoffice.FormatMinor(st.WriteOffTolerance, cur.Exponent()), Currency: cur, CanEdit: principal(r).Can("payment.approve"), Errors: fe}
	if fe != nil {
		v.Tolerance = typed
	}
	recs, err := s.history(r, "payment_settings", company.String())
	if err != nil {
		return err
	}
	v.History = historyOf(recs)
	return s.render(w, r, status, "payment_settings", "Payment settings", v)
}

func (s *Server) paymentSettingsUpdate(w http.ResponseWriter, r *http.Request) error {
	company, err := s.invoicing(r)
	if err != nil {
		return err
	}
	typed := r.PostForm.Get("write_off_tolerance")
	tolerance, err := backoffice.ParseMinor(typed, baseCurrency(r).Exponent())
	if err == nil {
		_, err = s.Invoice.SetWriteOffTolerance(r.Context(), company, tolerance)
	} else {
		err = &backoffice.Error{Code: backoffice.EInvalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{"write_off_tolerance": "must be an amount like 1.00"}}
	}
	if err != nil {
		fe, ferr := formFailure(err)
		if ferr != nil {
			return ferr
		}
		return s.renderPaymentSettings(w, r, http.StatusUnprocessableEntity, typed, fe)
	}
	return redirectFlash(w, r, "/payment-settings", "Saved.")
}
