package invoice

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
	"backoffice/bank/pain"
	"backoffice/party"
	"backoffice/sqldb"
)

// What ApplyStatusReport did with one transaction of a pain.002 report.
const (
	StatusReversed  = "reversed"  // RJCT: the payment was reversed, its documents are open again
	StatusRecorded  = "recorded"  // the status was recorded on the payment
	StatusDuplicate = "duplicate" // this report's status was already recorded
	StatusUnmatched = "unmatched" // no payment of ours has the end-to-end id
)

// StatusOutcome is what a pain.002 transaction status did to our books.
type StatusOutcome struct {
	EndToEndID    string        `json:"end_to_end_id"`
	Status        string        `json:"status"`
	ReasonCode    string        `json:"reason_code,omitempty"`
	ReasonText    string        `json:"reason_text,omitempty"`
	PaymentID     backoffice.ID `json:"payment_id,omitempty"`
	PaymentNumber string        `json:"payment_number,omitempty"`
	Outcome       string        `json:"outcome"`
}

// StatusResult sums up one applied pain.002 report.
type StatusResult struct {
	MessageID string          `json:"message_id"`
	Reversed  int             `json:"reversed"`
	Recorded  int             `json:"recorded"`
	Unmatched int             `json:"unmatched"`
	Outcomes  []StatusOutcome `json:"outcomes"`
}

// BankStatus is one status a bank reported on a payment.
type BankStatus struct {
	PaymentID  backoffice.ID `json:"payment_id"`
	EndToEndID string        `json:"end_to_end_id"`
	Status     string        `json:"status"`
	ReasonCode string        `json:"reason_code,omitempty"`
	ReasonText string        `json:"reason_text,omitempty"`
	MessageID  string        `json:"message_id"`
	CreatedAt  time.Time     `json:"created_at"`
}

// ApplyStatusReport applies a bank's pain.002 answer to our payment files.
// Each transaction is matched by its end-to-end id to a payment of ours
// (a supplier transfer or a direct debit collection). A rejection (RJCT)
// reverses the payment with the bank's reason, which opens the invoice or
// bill again, and, for a first, final or one-off direct debit, lets the
// mandate be collected with that sequence type again; every status (ACCP,
// ACSC, PDNG, RJCT …) is recorded on the payment. Applying the same report
// twice changes nothing the second time.
func (s *Service) ApplyStatusReport(ctx context.Context, companyID backoffice.ID, rpt *pain.StatusReport) (StatusResult, error) {
	res := StatusResult{MessageID: rpt.MessageID, Outcomes: []StatusOutcome{}}
	if len(rpt.Transactions) == 0 {
		return res, &backoffice.Error{Code: backoffice.EInvalid,
			Message: fmt.Sprintf("the report names no transaction (file status %q): there is no payment to match", rpt.GroupStatus)}
	}
	for _, t := range rpt.Transactions {
		o, err := s.applyTransactionStatus(ctx, companyID, rpt.MessageID, t)
		if err != nil {
			return res, fmt.Errorf("end-to-end id %s: %w", t.OriginalEndToEndID, err)
		}
		switch o.Outcome {
		case StatusReversed:
			res.Reversed++
		case StatusRecorded:
			res.Recorded++
		case StatusUnmatched:
			res.Unmatched++
		}
		res.Outcomes = append(res.Outcomes, o)
	}
	return res, nil
}

func (s *Service) applyTransactionStatus(ctx context.Context, companyID backoffice.ID, msgID string, t pain.TransactionStatus) (StatusOutcome, error) {
	o := StatusOutcome{EndToEndID: t.OriginalEndToEndID, Status: strings.ToUpper(t.Status), ReasonCode: t.ReasonCode, ReasonText: t.ReasonText}
	var state PaymentState
	err := s.DB.QueryRowContext(ctx, `SELECT id, number, state FROM payments WHERE company_id = ? AND end_to_end_id = ?`,
		int64(companyID), o.EndToEndID).Scan(&o.PaymentID, &o.PaymentNumber, &state)
	if errors.Is(err, sql.ErrNoRows) {
		o.Outcome = StatusUnmatched
		return o, nil
	}
	if err != nil {
		return o, fmt.Errorf("match payment: %w", err)
	}
	var seen int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM payment_bank_statuses WHERE company_id = ? AND payment_id = ? AND status = ? AND message_id = ?`,
		int64(companyID), int64(o.PaymentID), o.Status, msgID).Scan(&seen); err != nil {
		return o, fmt.Errorf("read payment statuses: %w", err)
	}
	if seen > 0 {
		o.Outcome = StatusDuplicate
		return o, nil
	}
	o.Outcome = StatusRecorded
	if o.Status == "RJCT" && state == PaymentPosted {
		reason := strings.TrimSpace("rejected by the bank: " + strings.TrimSpace(o.ReasonCode+" "+o.ReasonText))
		if _, err := s.ReversePayment(ctx, companyID, o.PaymentID, ReversePaymentInput{Reason: reason}); err != nil {
			return o, err
		}
		o.Outcome = StatusReversed
	}
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := BankStatus{PaymentID: o.PaymentID, EndToEndID: o.EndToEndID, Status: o.Status, ReasonCode: o.ReasonCode, ReasonText: o.ReasonText,
			MessageID: msgID, CreatedAt: s.now()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO payment_bank_statuses (company_id, payment_id, end_to_end_id, status, reason_code, reason_text, message_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, int64(companyID), int64(st.PaymentID), st.EndToEndID, st.Status, st.ReasonCode, st.ReasonText, st.MessageID, st.CreatedAt); err != nil {
			return fmt.Errorf("record payment status: %w", err)
		}
		if _, err := s.Audit.Append(ctx, tx, audit.Change{CompanyID: companyID, Entity: paymentEntity, EntityID: o.PaymentID.String(),
			Action: "bank_status", New: st}); err != nil {
			return err
		}
		if o.Outcome == StatusReversed {
			return s.collectionRejected(ctx, tx, companyID, o)
		}
		return nil
	})
	return o, err
}

// collectionRejected gives a mandate back the collection a rejected direct
// debit used when that was its first, final or one-off one: the scheme
// wants the next collection to carry that sequence type again.
func (s *Service) collectionRejected(ctx context.Context, tx *sqldb.Tx, companyID backoffice.ID, o StatusOutcome) error {
	var mandateID backoffice.ID
	var seq string
	err := tx.QueryRowContext(ctx, `SELECT mandate_id, sequence_type FROM debit_run_lines WHERE company_id = ? AND payment_id = ?`,
		int64(companyID), int64(o.PaymentID)).Scan(&mandateID, &seq)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && seq == party.SeqRecurring) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read collection: %w", err)
	}
	_, err = s.Party.MandateCollectionRejectedTx(ctx, tx, companyID, mandateID, "collection "+o.EndToEndID+" rejected by the bank")
	return err
}

// BankStatuses returns what banks reported on a payment, oldest first.
func (s *Service) BankStatuses(ctx context.Context, companyID, paymentID backoffice.ID) ([]BankStatus, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT payment_id, end_to_end_id, status, reason_code, reason_text, message_id, created_at
		FROM payment_bank_statuses WHERE company_id = ? AND payment_id = ? ORDER BY id`, int64(companyID), int64(paymentID))
	if err != nil {
		return nil, fmt.Errorf("read payment statuses: %w", err)
	}
	defer rows.Close()
	out := []BankStatus{}
	for rows.Next() {
		var b BankStatus
		if err := rows.Scan(&b.PaymentID, &b.EndToEndID, &b.Status, &b.ReasonCode, &b.ReasonText, &b.MessageID, &b.CreatedAt); err != nil {
			return nil, fmt.Errorf("read payment statuses: %w", err)
		}
		b.CreatedAt = b.CreatedAt.UTC()
		out = append(out, b)
	}
	return out, rows.Err()
}
