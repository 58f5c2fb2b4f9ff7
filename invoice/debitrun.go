package invoice

import (
	"context"
	"fmt"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/party"
	"backoffice/sqldb"
)

// DebitRunState is where a direct debit run is. A draft is reviewed,
// approved by someone allowed to, exported as a pain.008 file for the bank,
// and confirmed once the bank collected: only then are its payments posted.
// A run not yet confirmed can be cancelled.
type DebitRunState string

// The direct debit run states.
const (
	DebitDraft     DebitRunState = "draft"
	DebitApproved  DebitRunState = "approved"
	DebitExported  DebitRunState = "exported"
	DebitConfirmed DebitRunState = "confirmed"
	DebitCancelled DebitRunState = "cancelled"
)

// debitRunEntity names direct debit runs in the change log.
const debitRunEntity = "debit_run"

// DebitRunInput selects the invoices a run collects: posted customer
// invoices in EUR with something open, due on or before DueBy, of customers
// with an active mandate; PartyID limits the run to one customer. Invoices
// in another open run are left out. The money arrives on CollectionDate in
// the bank ledger account AccountID.
type DebitRunInput struct {
	CollectionDate backoffice.Date `json:"collection_date"`
	DueBy          backoffice.Date `json:"due_by"`
	AccountID      backoffice.ID   `json:"account_id"`
	PartyID        backoffice.ID   `json:"party_id,omitempty"`
}

// DebitLine is one collection of a run: one invoice's open amount, collected
// under the customer's mandate with the sequence type the mandate had when
// the run was made, under its own end-to-end id.
type DebitLine struct {
	Seq              int             `json:"seq"`
	DocumentID       backoffice.ID   `json:"document_id"`
	DocumentNumber   string          `json:"document_number"`
	PartyID          backoffice.ID   `json:"party_id"`
	PartyName        string          `json:"party_name"`
	DueDate          backoffice.Date `json:"due_date"`
	Amount           int64           `json:"amount"`
	MandateID        backoffice.ID   `json:"mandate_id"`
	MandateReference string          `json:"mandate_reference"`
	SignedOn         backoffice.Date `json:"mandate_signed_on"`
	IBAN             string          `json:"iban"`
	BIC              string          `json:"bic,omitempty"`
	Scheme           string          `json:"scheme"`
	SequenceType     string          `json:"sequence_type"`
	EndToEndID       string          `json:"end_to_end_id"`
	PaymentID        backoffice.ID   `json:"payment_id,omitempty"`
}

// DebitRun is a direct debit run.
type DebitRun struct {
	ID             backoffice.ID       `json:"id"`
	CompanyID      backoffice.ID       `json:"company_id"`
	Number         string              `json:"number"`
	State          DebitRunState       `json:"state"`
	CollectionDate backoffice.Date     `json:"collection_date"`
	DueBy          backoffice.Date     `json:"due_by"`
	AccountID      backoffice.ID       `json:"account_id"`
	Currency       backoffice.Currency `json:"currency"`
	Total          int64               `json:"total"`
	Count          int                 `json:"count"`
	Lines          []DebitLine         `json:"lines"`
	CreatedBy      backoffice.ID       `json:"created_by"`
	ApprovedBy     backoffice.ID       `json:"approved_by,omitempty"`
	ApprovedAt     *time.Time          `json:"approved_at,omitempty"`
	ExportedAt     *time.Time          `json:"exported_at,omitempty"`
	ConfirmedAt    *time.Time          `json:"confirmed_at,omitempty"`
	Version        int64               `json:"version"`
	CreatedAt      time.Time           `json:"created_at"`
	UpdatedAt      time.Time           `json:"updated_at"`
}

// CreateDebitRun selects the invoices due and stores them as a draft run,
// one collection per invoice with the end-to-end id
// "BO-<company>-D<run>-<n>". A selection that finds nothing is an error, so
// an empty run is never stored.
func (s *Service) CreateDebitRun(ctx context.Context, companyID backoffice.ID, in DebitRunInput) (DebitRun, error) {
	pin := PaymentInput{Direction: Received, PartyID: max(in.PartyID, 1), Date: in.CollectionDate, AccountID: in.AccountID, Currency: "EUR", Amount: 1}
	pin.normalise()
	v := backoffice.Validation{}
	pin.check("EUR", v)
	v.Check(!in.DueBy.IsZero(), "due_by", "is required: invoices due on or before this day are collected")
	if v["date"] != "" {
		v["collection_date"] = v["date"]
		delete(v, "date")
	}
	plan := &paymentPlan{companyID: companyID, base: "EUR"}
	if err := s.planAccounts(ctx, plan, &pin, v); err != nil {
		return DebitRun{}, err
	}
	if err := v.Err("direct debit run"); err != nil {
		return DebitRun{}, err
	}
	lines, err := s.selectDebits(ctx, companyID, in)
	if err != nil {
		return DebitRun{}, err
	}
	if len(lines) == 0 {
		return DebitRun{}, &backoffice.Error{Code: backoffice.EInvalid,
			Message: "no open invoice matches: none in EUR is due by that day from a customer with an active mandate, or they are all in other runs",
			Fields:  map[string]string{"due_by": "selects no open invoice"}}
	}
	now := s.now()
	r := DebitRun{CompanyID: companyID, State: DebitDraft, CollectionDate: in.CollectionDate, DueBy: in.DueBy, AccountID: in.AccountID,
		Currency: "EUR", Lines: lines, CreatedBy: backoffice.ActorFrom(ctx).UserID, Version: 1, CreatedAt: now, UpdatedAt: now}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		if err := s.insertDebitRun(ctx, tx, &r); err != nil {
			return err
		}
		_, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: debitRunEntity, EntityID: r.ID.String(), Action: "create",
			New: map[string]any{"number": r.Number, "collection_date": r.CollectionDate, "due_by": r.DueBy, "collections": len(r.Lines),
				"total": backoffice.FormatMinor(r.Total, r.Currency.Exponent())}})
		return err
	})
	return r, err
}

// selectDebits finds the invoices a run collects, by customer then due date.
func (s *Service) selectDebits(ctx context.Context, companyID backoffice.ID, in DebitRunInput) ([]DebitLine, error) {
	mandates, err := party.ActiveMandates(ctx, s.DB, companyID)
	if err != nil {
		return nil, err
	}
	where := `d.company_id = ? AND d.kind = ? AND d.state = ? AND d.currency = 'EUR' AND d.due_date <= ?
		AND EXISTS (SELECT 1 FROM ledger_open_items o WHERE o.entry_id = d.entry_id AND o.settled_on IS NULL AND o.residual <> 0)
		AND NOT EXISTS (SELECT 1 FROM debit_run_lines l JOIN debit_runs r ON r.id = l.run_id WHERE l.document_id = d.id AND r.state IN (?, ?, ?))`
	args := []any{int64(companyID), string(KindInvoice), string(StatePosted), in.DueBy, string(DebitDraft), string(DebitApproved), string(DebitExported)}
	if in.PartyID != 0 {
		where += ` AND d.party_id = ?`
		args = append(args, int64(in.PartyID))
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+documentColumns+documentFrom+` WHERE `+where+` ORDER BY d.party_id, d.due_date, d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("select invoices to collect: %w", err)
	}
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("select invoices to collect: %w", err)
		}
		if _, ok := mandates[d.PartyID]; ok {
			docs = append(docs, d)
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("select invoices to collect: %w", err)
	}
	for i := range docs {
		if err := loadInstallments(ctx, s.DB, &docs[i]); err != nil {
			return nil, err
		}
	}
	bs, err := s.Balances(ctx, companyID, docs)
	if err != nil {
		return nil, err
	}
	var out []DebitLine
	seen := map[backoffice.ID]bool{}
	for _, d := range docs {
		open := bs[d.ID].Open
		m := mandates[d.PartyID]
		// A one-off or final mandate allows one collection: the oldest
		// invoice. Later collections in the run of a mandate collected
		// FRST are RCUR, as the scheme has allowed since November 2016.
		if open <= 0 || (seen[m.ID] && (m.Sequence == party.SeqOneOff || m.Sequence == party.SeqFinal)) {
			continue
		}
		if seen[m.ID] {
			m.Sequence = party.SeqRecurring
		}
		seen[m.ID] = true
		out = append(out, DebitLine{DocumentID: d.ID, DocumentNumber: d.Number, PartyID: d.PartyID, PartyName: d.PartyName, DueDate: d.DueDate,
			Amount: open, MandateID: m.ID, MandateReference: m.Reference, SignedOn: m.SignedOn, IBAN: m.IBAN, BIC: m.BIC, Scheme: m.Scheme,
			SequenceType: m.Sequence})
	}
	return out, nil
}

// insertDebitRun numbers and stores a run and its lines, giving each line
// its end-to-end id.
func (s *Service) insertDebitRun(ctx context.Context, tx *sqldb.Tx, r *DebitRun) error {
	year, err := fiscalYear(ctx, tx, r.CompanyID, r.CollectionDate)
	if err != nil {
		return err
	}
	var last int64
	err = tx.QueryRowContext(ctx, `INSERT INTO payment_sequences (company_id, kind, year, last_number) VALUES (?, 'debit_run', ?, 1)
		ON CONFLICT (company_id, kind, year) DO UPDATE SET last_number = payment_sequences.last_number + 1 RETURNING last_number`,
		int64(r.CompanyID), year).Scan(&last)
	if err != nil {
		return fmt.Errorf("number direct debit run: %w", err)
	}
	r.Number = fmt.Sprintf("DD-%d-%05d", year, last)
	err = tx.QueryRowContext(ctx, `INSERT INTO debit_runs (company_id, number, state, collection_date, due_by, account_id, currency,
		created_by, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		int64(r.CompanyID), r.Number, string(r.State), r.CollectionDate, r.DueBy, int64(r.AccountID), string(r.Currency),
		int64(r.CreatedBy), r.Version, r.CreatedAt, r.UpdatedAt).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert direct debit run: %w", err)
	}
	for i := range r.Lines {
		l := &r.Lines[i]
		l.Seq, l.EndToEndID = i+1, fmt.Sprintf("BO-%d-D%d-%d", r.CompanyID, r.ID, i+1)
		r.Total += l.Amount
		_, err := tx.ExecContext(ctx, `INSERT INTO debit_run_lines (company_id, run_id, seq, document_id, party_id, mandate_id, sequence_type, amount, end_to_end_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, int64(r.CompanyID), int64(r.ID), l.Seq, int64(l.DocumentID), int64(l.PartyID), int64(l.MandateID),
			l.SequenceType, l.Amount, l.EndToEndID)
		if err != nil {
			return fmt.Errorf("insert direct debit run line: %w", err)
		}
	}
	r.Count = len(r.Lines)
	return nil
}
