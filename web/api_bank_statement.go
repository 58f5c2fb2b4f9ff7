package web

import (
	"net/http"

	"backoffice"
	"backoffice/bank"
)

// bankStatementDetailOut is one statement with a page of its lines.
type bankStatementDetailOut struct {
	Statement bankStatementOut    `json:"statement"`
	Lines     listOf[bankLineOut] `json:"lines"`
}

// bankLineOut is a statement line; the amount is a decimal string in its
// currency, negative for money out.
type bankLineOut struct {
	ID               backoffice.ID       `json:"id"`
	BookingDate      backoffice.Date     `json:"booking_date"`
	ValueDate        backoffice.Date     `json:"value_date"`
	Amount           string              `json:"amount"`
	Currency         backoffice.Currency `json:"currency"`
	CounterpartyName string              `json:"counterparty_name"`
	CounterpartyIBAN string              `json:"counterparty_iban"`
	CounterpartyBIC  string              `json:"counterparty_bic"`
	Remittance       string              `json:"remittance"`
	EndToEndID       string              `json:"end_to_end_id"`
	BankReference    string              `json:"bank_reference"`
	MandateID        string              `json:"mandate_id"`
	CreditorID       string              `json:"creditor_id"`
	BankTxCode       string              `json:"bank_tx_code"`
}

func toBankLineOut(l bank.Line) bankLineOut {
	return bankLineOut{ID: l.ID, BookingDate: l.BookingDate, ValueDate: l.ValueDate, Amount: decimal(l.Amount, l.Currency),
		Currency: l.Currency, CounterpartyName: l.CounterpartyName, CounterpartyIBAN: l.CounterpartyIBAN, CounterpartyBIC: l.CounterpartyBIC,
		Remittance: l.Remittance, EndToEndID: l.EndToEndID, BankReference: l.BankReference, MandateID: l.MandateID,
		CreditorID: l.CreditorID, BankTxCode: l.BankTxCode}
}

// bankStatement reads the {id} statement of the caller's company.
func (s *Server) bankStatement(r *http.Request) (backoffice.ID, bank.Statement, error) {
	company, err := s.banking(r)
	if err != nil {
		return 0, bank.Statement{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, bank.Statement{}, err
	}
	st, err := s.Bank.Statement(r.Context(), company, id)
	return company, st, err
}

// apiGetBankStatement answers a statement with one page of its lines
// (?limit=&after= page through them, ?q= searches them).
func (s *Server) apiGetBankStatement(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	lines, err := s.Bank.Lines(r.Context(), company, st.ID, bank.LineFilter{Query: r.URL.Query().Get("q"), Page: page})
	if err != nil {
		return err
	}
	out := bankStatementDetailOut{Statement: toBankStatementOut(st), Lines: listOf[bankLineOut]{Items: make([]bankLineOut, 0, len(lines.Items)), Next: lines.Next}}
	for _, l := range lines.Items {
		out.Lines.Items = append(out.Lines.Items, toBankLineOut(l))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
