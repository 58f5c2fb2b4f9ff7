package web

import (
	"fmt"
	"net/http"

	"backoffice"
	"backoffice/bank"
	"backoffice/bank/reconcile"
	"backoffice/ledger"
)

// Reconciling a statement line posts a bank entry, yet bank.manage alone
// allows it: the entry only books money the bank statement proves moved,
// on the bank account the user already manages; the ledger's own rules
// (open periods, open items, balanced entries) still apply.

// bankSuggestionOut is an unreconciled line with the ways to reconcile it.
// Amounts are decimal strings in the line's currency.
type bankSuggestionOut struct {
	Line       bankLineOut         `json:"line"`
	Candidates []bankCandidateOut  `json:"candidates"`
	Hold       string              `json:"hold,omitempty"`
	Posted     []bankPostedLineOut `json:"posted"`
}

type bankCandidateOut struct {
	Items      []bankCandidateItemOut `json:"items"`
	Confidence int                    `json:"confidence"`
	Reasons    []string               `json:"reasons"`
	Difference string                 `json:"difference"`
	Partial    bool                   `json:"partial"`
	Auto       bool                   `json:"auto"`
}

type bankCandidateItemOut struct {
	Item           ledger.LineRef  `json:"item"`
	Amount         string          `json:"amount"`
	Open           string          `json:"open"`
	Kind           string          `json:"kind"`
	DocumentNumber string          `json:"document_number"`
	EntryNumber    string          `json:"entry_number"`
	PartyID        int64           `json:"party_id,omitempty"`
	PartyName      string          `json:"party_name"`
	DueDate        backoffice.Date `json:"due_date,omitzero"`
}

type bankPostedLineOut struct {
	Line      ledger.LineRef  `json:"line"`
	Number    string          `json:"number"`
	Date      backoffice.Date `json:"date"`
	Reference string          `json:"reference"`
	Narration string          `json:"narration"`
	Amount    string          `json:"amount"`
}

func toBankSuggestionOut(sg bank.Suggestion) bankSuggestionOut {
	c := sg.Line.Currency
	out := bankSuggestionOut{Line: toBankLineOut(sg.Line), Hold: sg.Hold, Candidates: []bankCandidateOut{}, Posted: []bankPostedLineOut{}}
	for _, cd := range sg.Candidates {
		co := bankCandidateOut{Confidence: cd.Confidence, Reasons: cd.Reasons, Difference: decimal(cd.Difference, c), Partial: cd.Partial, Auto: cd.Auto}
		for _, it := range cd.Items {
			co.Items = append(co.Items, bankCandidateItemOut{Item: it.Item, Amount: decimal(it.Amount, c), Open: decimal(it.Open, c), Kind: it.Kind,
				DocumentNumber: it.DocumentNumber, EntryNumber: it.EntryNumber, PartyID: it.PartyID, PartyName: it.PartyName, DueDate: it.DueDate})
		}
		out.Candidates = append(out.Candidates, co)
	}
	for _, p := range sg.Posted {
		out.Posted = append(out.Posted, bankPostedLineOut{Line: p.Line, Number: p.Number, Date: p.Date, Reference: p.Reference,
			Narration: p.Narration, Amount: decimal(p.Amount, p.Currency)})
	}
	return out
}

// apiBankSuggestions answers the unreconciled lines of a statement with
// their candidates.
func (s *Server) apiBankSuggestions(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	sug, err := s.Bank.Suggest(r.Context(), company, bank.SuggestFilter{StatementID: st.ID})
	if err != nil {
		return err
	}
	out := listOf[bankSuggestionOut]{Items: make([]bankSuggestionOut, 0, len(sug))}
	for _, sg := range sug {
		out.Items = append(out.Items, toBankSuggestionOut(sg))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiBankAutoReconcile confirms the statement's automatic suggestions.
func (s *Server) apiBankAutoReconcile(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	res, err := s.Bank.AutoReconcile(r.Context(), company, st.ID, reconcile.Options{})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// bankReconcileIn is the body of POST .../reconcile: exactly one of items,
// posted and counter. Amounts are decimal strings in the line's currency,
// signed like the statement (a receivable positive); an item without an
// amount is settled for what is open of it.
type bankReconcileIn struct {
	Items []struct {
		Item   ledger.LineRef `json:"item"`
		Amount string         `json:"amount,omitempty"`
	} `json:"items,omitempty"`
	Difference   string             `json:"difference,omitempty"` // fee or open
	FeeAccountID backoffice.ID      `json:"fee_account_id,omitempty"`
	Posted       *ledger.LineRef    `json:"posted,omitempty"`
	Counter      *bank.CounterInput `json:"counter,omitempty"`
}

// bankUnreconcileIn is the body of POST .../unreconcile.
type bankUnreconcileIn struct {
	Reason string `json:"reason"`
}

// statementLineOf reads the {id} statement line of the caller's company.
func (s *Server) statementLineOf(r *http.Request) (backoffice.ID, bank.Line, error) {
	company, err := s.banking(r)
	if err != nil {
		return 0, bank.Line{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, bank.Line{}, err
	}
	l, err := s.Bank.StatementLine(r.Context(), company, id)
	return company, l, err
}

// input converts the body into the service's terms.
func (in bankReconcileIn) input(c backoffice.Currency) (bank.ReconcileInput, error) {
	out := bank.ReconcileInput{Difference: in.Difference, FeeAccountID: in.FeeAccountID, Posted: in.Posted, Counter: in.Counter, Method: bank.MethodManual}
	for i, it := range in.Items {
		a := bank.ItemAllocation{Item: it.Item}
		if it.Amount != "" {
			v, err := parseAmount(it.Amount, c, fmt.Sprintf("items[%d].amount", i))
			if err != nil {
				return out, err
			}
			a.Amount = v
		}
		out.Items = append(out.Items, a)
	}
	return out, nil
}

func (s *Server) apiBankReconcileLine(w http.ResponseWriter, r *http.Request) error {
	company, l, err := s.statementLineOf(r)
	if err != nil {
		return err
	}
	var body bankReconcileIn
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	in, err := body.input(l.Currency)
	if err != nil {
		return err
	}
	rec, err := s.Bank.Reconcile(r.Context(), company, l.ID, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rec)
	return nil
}

func (s *Server) apiBankUnreconcileLine(w http.ResponseWriter, r *http.Request) error {
	company, l, err := s.statementLineOf(r)
	if err != nil {
		return err
	}
	var body bankUnreconcileIn
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	if err := s.Bank.Unreconcile(r.Context(), company, l.ID, body.Reason); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
