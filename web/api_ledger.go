package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"backoffice"
	"backoffice/ledger"
)

// Amounts cross the API as decimal strings in their currency ("1234.50"),
// never as floats; these helpers convert them with the currency's exponent.

// decimal writes minor units of c as a plain decimal: -123 EUR is "-1.23".
func decimal(minor int64, c backoffice.Currency) string {
	return backoffice.FormatMinor(minor, c.Exponent())
}

// parseAmount reads a decimal amount in currency c for field. People type
// a decimal comma where it is customary, so "12,50" is 12.50 when the amount
// has no dot; thousands separators are refused rather than guessed.
func parseAmount(s string, c backoffice.Currency, field string) (int64, error) {
	t := strings.TrimSpace(s)
	if strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	n, err := backoffice.ParseMinor(t, c.Exponent())
	if err != nil {
		return 0, &backoffice.Error{Code: backoffice.EInvalid, Message: field + " is not an amount",
			Fields: map[string]string{field: "must be a decimal amount in " + string(c) + " with at most " + strconv.Itoa(c.Exponent()) + " decimals, like " + decimal(123450, c)}}
	}
	return n, nil
}

// dateParam reads an optional YYYY-MM-DD query parameter.
func dateParam(q url.Values, name string) (backoffice.Date, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return backoffice.Date{}, nil
	}
	d, err := backoffice.ParseDate(v)
	if err != nil {
		return d, &backoffice.Error{Code: backoffice.EInvalid, Message: name + " is not a date",
			Fields: map[string]string{name: "must be a date as YYYY-MM-DD"}}
	}
	return d, nil
}

// books returns the caller's company for a ledger request, or an error when
// the caller has none or the server runs without a ledger.
func (s *Server) books(r *http.Request) (backoffice.ID, error) {
	if s.Ledger == nil {
		return 0, backoffice.Errorf(backoffice.EInternal, "this server was started without the general ledger")
	}
	return requireCompany(r)
}

// baseCurrency is the current company's currency, the ledger's company currency.
func baseCurrency(r *http.Request) backoffice.Currency { return principal(r).Company.Currency }

// today is the server clock's date.
func (s *Server) today() backoffice.Date { return backoffice.DateOf(s.now().UTC()) }

type accountOut struct {
	ID                 backoffice.ID       `json:"id"`
	Code               string              `json:"code"`
	Name               string              `json:"name"`
	Type               ledger.AccountType  `json:"type"`
	Subtype            string              `json:"subtype"`
	ParentID           backoffice.ID       `json:"parent_id,omitempty"`
	Currency           backoffice.Currency `json:"currency,omitempty"`
	Blocked            bool                `json:"blocked"`
	Reconcilable       bool                `json:"reconcilable"`
	RequiredDimensions []string            `json:"required_dimensions"`
	MinBalance         string              `json:"min_balance,omitempty"` // debit − credit, company currency
	MaxBalance         string              `json:"max_balance,omitempty"`
	Version            int64               `json:"version"`
	CreatedAt          time.Time           `json:"created_at"`
	UpdatedAt          time.Time           `json:"updated_at"`
}

func toAccountOut(a ledger.Account, base backoffice.Currency) accountOut {
	out := accountOut{ID: a.ID, Code: a.Code, Name: a.Name, Type: a.Type, Subtype: a.Subtype, ParentID: a.ParentID,
		Currency: a.Currency, Blocked: a.Blocked, Reconcilable: a.Reconcilable, RequiredDimensions: a.RequiredDimensions,
		Version: a.Version, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	if out.RequiredDimensions == nil {
		out.RequiredDimensions = []string{}
	}
	if a.MinBalance != nil {
		out.MinBalance = decimal(*a.MinBalance, base)
	}
	if a.MaxBalance != nil {
		out.MaxBalance = decimal(*a.MaxBalance, base)
	}
	return out
}

type accountIn struct {
	Code               string              `json:"code"`
	Name               string              `json:"name"`
	Type               ledger.AccountType  `json:"type"`
	Subtype            string              `json:"subtype"`
	Parent             string              `json:"parent,omitempty"` // parent account's code
	Currency           backoffice.Currency `json:"currency,omitempty"`
	Reconcilable       bool                `json:"reconcilable,omitempty"`
	RequiredDimensions []string            `json:"required_dimensions,omitempty"`
}

// accountPatchIn changes the fields it names. min_balance and max_balance
// are decimal strings in company currency; "" removes the limit.
type accountPatchIn struct {
	Code               *string              `json:"code,omitempty"`
	Name               *string              `json:"name,omitempty"`
	Type               *ledger.AccountType  `json:"type,omitempty"`
	Subtype            *string              `json:"subtype,omitempty"`
	Parent             *string              `json:"parent,omitempty"`
	Currency           *backoffice.Currency `json:"currency,omitempty"`
	Reconcilable       *bool                `json:"reconcilable,omitempty"`
	RequiredDimensions *[]string            `json:"required_dimensions,omitempty"`
	MinBalance         *string              `json:"min_balance,omitempty"`
	MaxBalance         *string              `json:"max_balance,omitempty"`
}

type journalOut struct {
	ID        backoffice.ID `json:"id"`
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Type      string        `json:"type"`
	Blocked   bool          `json:"blocked"`
	Version   int64         `json:"version"`
	CreatedAt time.Time     `json:"created_at"`
}

type journalIn struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Type string `json:"type"`
}

func (s *Server) apiListAccounts(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := ledger.AccountFilter{Query: q.Get("q"), Type: ledger.AccountType(q.Get("type")), Page: page}
	if b := q.Get("blocked"); b != "" {
		v := b == "true"
		f.Blocked = &v
	}
	list, err := s.Ledger.ListAccounts(r.Context(), company, f)
	if err != nil {
		return err
	}
	out := listOf[accountOut]{Items: make([]accountOut, 0, len(list.Items)), Next: list.Next}
	for _, a := range list.Items {
		out.Items = append(out.Items, toAccountOut(a, baseCurrency(r)))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateAccount(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in accountIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	a, err := s.Ledger.CreateAccount(r.Context(), company, ledger.NewAccount(in))
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/accounts/"+a.ID.String())
	writeVersioned(w, http.StatusCreated, a.Version, toAccountOut(a, baseCurrency(r)))
	return nil
}

// account reads the {id} account of the caller's company.
func (s *Server) account(r *http.Request) (backoffice.ID, ledger.Account, error) {
	company, err := s.books(r)
	if err != nil {
		return 0, ledger.Account{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return 0, ledger.Account{}, err
	}
	a, err := s.Ledger.GetAccount(r.Context(), company, id)
	return company, a, err
}

func (s *Server) apiGetAccount(w http.ResponseWriter, r *http.Request) error {
	_, a, err := s.account(r)
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusOK, a.Version, toAccountOut(a, baseCurrency(r)))
	return nil
}

func (s *Server) apiUpdateAccount(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	var in accountPatchIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	version, err := ifMatch(r, a.Version)
	if err != nil {
		return err
	}
	a, err = s.Ledger.UpdateAccount(r.Context(), company, a.ID, version, ledger.AccountPatch{Code: in.Code, Name: in.Name, Type: in.Type,
		Subtype: in.Subtype, Parent: in.Parent, Currency: in.Currency, Reconcilable: in.Reconcilable, RequiredDimensions: in.RequiredDimensions})
	if err != nil {
		return err
	}
	if in.MinBalance != nil || in.MaxBalance != nil {
		if a, err = s.setLimits(r, company, a, in.MinBalance, in.MaxBalance); err != nil {
			return err
		}
	}
	writeVersioned(w, http.StatusOK, a.Version, toAccountOut(a, baseCurrency(r)))
	return nil
}

// setLimits applies changed balance limits; a nil side keeps its limit and
// "" removes it.
func (s *Server) setLimits(r *http.Request, company backoffice.ID, a ledger.Account, minIn, maxIn *string) (ledger.Account, error) {
	limit := func(in *string, cur *int64, field string) (*int64, error) {
		if in == nil {
			return cur, nil
		}
		if strings.TrimSpace(*in) == "" {
			return nil, nil
		}
		n, err := parseAmount(*in, baseCurrency(r), field)
		return &n, err
	}
	lo, err := limit(minIn, a.MinBalance, "min_balance")
	if err != nil {
		return a, err
	}
	hi, err := limit(maxIn, a.MaxBalance, "max_balance")
	if err != nil {
		return a, err
	}
	return s.Ledger.SetBalanceLimit(r.Context(), company, a.ID, lo, hi)
}

// apiBlockAccount blocks or unblocks the {id} account.
func (s *Server) apiBlockAccount(blocked bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		company, a, err := s.account(r)
		if err != nil {
			return err
		}
		a, err = s.Ledger.BlockAccount(r.Context(), company, a.ID, blocked)
		if err != nil {
			return err
		}
		writeVersioned(w, http.StatusOK, a.Version, toAccountOut(a, baseCurrency(r)))
		return nil
	}
}

func (s *Server) apiDeleteAccount(w http.ResponseWriter, r *http.Request) error {
	company, a, err := s.account(r)
	if err != nil {
		return err
	}
	if _, err := ifMatch(r, a.Version); err != nil {
		return err
	}
	if err := s.Ledger.DeleteAccount(r.Context(), company, a.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiEntityHistory serves the change history of a ledger record after
// checking, with exists, that the record is the caller's company's.
func (s *Server) apiEntityHistory(entity string, exists func(*http.Request) error) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := exists(r); err != nil {
			return err
		}
		return s.apiHistory(entity)(w, r)
	}
}

func (s *Server) apiListJournals(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	js, err := s.Ledger.ListJournals(r.Context(), company)
	if err != nil {
		return err
	}
	out := listOf[journalOut]{Items: make([]journalOut, 0, len(js))}
	for _, j := range js {
		out.Items = append(out.Items, toJournalOut(j))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func toJournalOut(j ledger.Journal) journalOut {
	return journalOut{ID: j.ID, Code: j.Code, Name: j.Name, Type: j.Type, Blocked: j.Blocked, Version: j.Version, CreatedAt: j.CreatedAt}
}

func (s *Server) apiCreateJournal(w http.ResponseWriter, r *http.Request) error {
	company, err := s.books(r)
	if err != nil {
		return err
	}
	var in journalIn
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	j, err := s.Ledger.CreateJournal(r.Context(), company, ledger.NewJournal(in))
	if err != nil {
		return err
	}
	writeVersioned(w, http.StatusCreated, j.Version, toJournalOut(j))
	return nil
}
