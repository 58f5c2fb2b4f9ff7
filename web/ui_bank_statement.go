package web

import (
	"net/http"
	"path"

	"backoffice"
	"backoffice/bank"
)

// bankStatementView is the data of the statement page: its header and one
// page of its lines.
type bankStatementView struct {
	Statement         bank.Statement
	Account           bank.Account
	IBAN              string // the account's IBAN in groups of four
	Period            string
	File              string // the file name without its folder
	Opening, Closing  string // "" when the file gave none
	Query             string
	Lines             []bankLineRow
	NextURL, FirstURL string
	CSVURL            string
	Showing           string
	Open              int // lines not reconciled yet
}

// bankLineRow is one statement line as the page shows it.
type bankLineRow struct {
	Date, ValueDate string
	Name, IBAN, BIC string
	Remittance      string
	References      []string // end-to-end id, bank reference, mandate, creditor id, transaction code with their labels
	Amount          string   // signed: a minus sign for money out
	Debit           bool
	ID              backoffice.ID
	Reconciled      *bank.Reconciled // nil while the line is open
}

// bankStatementShow shows a statement with its lines, searchable and page by
// page; ?format=csv exports every line that the search selects.
func (s *Server) bankStatementShow(w http.ResponseWriter, r *http.Request) error {
	company, st, err := s.bankStatement(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if q.Get("format") == "csv" {
		return s.bankStatementCSV(w, r, company, st)
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	lines, err := s.Bank.Lines(r.Context(), company, st.ID, bank.LineFilter{Query: q.Get("q"), Page: page})
	if err != nil {
		return err
	}
	a, err := s.Bank.Get(r.Context(), company, st.BankAccountID)
	if err != nil {
		return err
	}
	v := bankStatementView{Statement: st, Account: a, IBAN: formatIBAN(a.IBAN), Period: period(st.FromDate, st.ToDate),
		File: path.Base(st.FileName), Query: q.Get("q"), CSVURL: withQuery(r, "format", "csv")}
	if st.OpeningBalance != nil {
		v.Opening = decimal(*st.OpeningBalance, st.Currency)
	}
	if st.ClosingBalance != nil {
		v.Closing = decimal(*st.ClosingBalance, st.Currency)
	}
	lv := listView{}
	lv.pageLinks(r, lines.Next, len(lines.Items))
	v.NextURL, v.FirstURL, v.Showing = lv.NextURL, lv.FirstURL, lv.Showing
	recs, err := s.Bank.StatementReconciliations(r.Context(), company, st.ID)
	if err != nil {
		return err
	}
	for _, l := range lines.Items {
		row := bankLineRowOf(l)
		if rec, ok := recs[l.ID]; ok {
			row.Reconciled = &rec
		}
		row.ID = l.ID
		v.Lines = append(v.Lines, row)
	}
	v.Open = st.NewLines - len(recs)
	title := "Statement " + st.StatementID
	if st.StatementID == "" {
		title = "Statement " + v.Period
	}
	return s.render(w, r, http.StatusOK, "bank_statement", title, v)
}

func bankLineRowOf(l bank.Line) bankLineRow {
	row := bankLineRow{Date: l.BookingDate.String(), Name: l.CounterpartyName, IBAN: formatIBAN(l.CounterpartyIBAN), BIC: l.CounterpartyBIC,
		Remittance: l.Remittance, Amount: decimal(l.Amount, l.Currency), Debit: l.Amount < 0}
	if l.ValueDate != l.BookingDate {
		row.ValueDate = l.ValueDate.String()
	}
	for _, ref := range []struct{ label, value string }{{"End-to-end", l.EndToEndID}, {"Bank ref.", l.BankReference},
		{"Mandate", l.MandateID}, {"Creditor", l.CreditorID}, {"Code", l.BankTxCode}} {
		if ref.value != "" {
			row.References = append(row.References, ref.label+": "+ref.value)
		}
	}
	return row
}

// bankStatementCSV exports every line of the statement that ?q= selects,
// reading it page by page.
func (s *Server) bankStatementCSV(w http.ResponseWriter, r *http.Request, company backoffice.ID, st bank.Statement) error {
	header := []string{"Booking date", "Value date", "Amount", "Currency", "Counterparty", "Counterparty IBAN", "Counterparty BIC",
		"Remittance", "End-to-end id", "Bank reference", "Mandate id", "Creditor id", "Bank transaction code"}
	var rows [][]string
	f := bank.LineFilter{Query: r.URL.Query().Get("q"), Page: backoffice.Page{Limit: backoffice.MaxPageLimit}}
	for {
		lines, err := s.Bank.Lines(r.Context(), company, st.ID, f)
		if err != nil {
			return err
		}
		for _, l := range lines.Items {
			rows = append(rows, []string{l.BookingDate.String(), l.ValueDate.String(), decimal(l.Amount, l.Currency), string(l.Currency),
				l.CounterpartyName, l.CounterpartyIBAN, l.CounterpartyBIC, l.Remittance, l.EndToEndID, l.BankReference, l.MandateID,
				l.CreditorID, l.BankTxCode})
		}
		if lines.Next == "" {
			break
		}
		f.Page.After = lines.Next
	}
	return writeCSV(w, "bank-statement-"+st.ID.String()+".csv", header, rows)
}
