package ledger

import (
	"time"

	"backoffice"
)

// EntryState is where an entry is in its life: a draft changes freely, a
// posted entry never changes again, a pending entry (the first phase of a
// two-phase posting) reserves its amounts against balance limits until it
// is posted or voided.
type EntryState string

// Entry states.
const (
	Draft   EntryState = "draft"
	Posted  EntryState = "posted"
	Pending EntryState = "pending"
	Voided  EntryState = "voided"
)

// NewLine is one line of an entry as a caller writes it. Amount is signed
// minor units of Currency: debit positive, credit negative. Currency ""
// means the company currency. For a foreign currency give the exchange rate
// (company currency per unit, a decimal string) or CompanyAmount, or both.
type NewLine struct {
	AccountID     backoffice.ID       `json:"account_id"`
	Currency      backoffice.Currency `json:"currency,omitempty"`
	Amount        int64               `json:"amount"`
	CompanyAmount int64               `json:"company_amount,omitempty"`
	Rate          string              `json:"rate,omitempty"`
	PartyID       int64               `json:"party_id,omitempty"`
	Dimensions    map[string]string   `json:"dimensions,omitempty"`
	TaxCode       string              `json:"tax_code,omitempty"`
	DueDate       backoffice.Date     `json:"due_date,omitzero"`
	Memo          string              `json:"memo,omitempty"`
}

// NewEntry is the input of Post, PostBatch and CreateDraft. IdempotencyKey,
// when given, is unique per company: a retry with the same key and content
// returns the first entry instead of posting twice.
type NewEntry struct {
	JournalID      backoffice.ID   `json:"journal_id"`
	Date           backoffice.Date `json:"date"`
	Reference      string          `json:"reference,omitempty"`
	Narration      string          `json:"narration,omitempty"`
	IdempotencyKey string          `json:"idempotency_key,omitempty"`
	Lines          []NewLine       `json:"lines"`
}

// Line is a stored line of an entry, with its amount in company currency.
type Line struct {
	LineNo        int                 `json:"line_no"`
	AccountID     backoffice.ID       `json:"account_id"`
	AccountCode   string              `json:"account_code"`
	Currency      backoffice.Currency `json:"currency"`
	Amount        int64               `json:"amount"`
	CompanyAmount int64               `json:"company_amount"`
	Rate          string              `json:"rate,omitempty"`
	PartyID       int64               `json:"party_id,omitempty"`
	Dimensions    map[string]string   `json:"dimensions,omitempty"`
	TaxCode       string              `json:"tax_code,omitempty"`
	DueDate       backoffice.Date     `json:"due_date,omitzero"`
	Memo          string              `json:"memo,omitempty"`
}

// Entry is a journal entry. Number is set at posting ("GEN-2026-000042").
// Amount is the sum of its debits in company currency. A reversal names the
// entry it reverses (ReversesID) and that entry names it (ReversedByID).
type Entry struct {
	ID             backoffice.ID       `json:"id"`
	CompanyID      backoffice.ID       `json:"company_id"`
	JournalID      backoffice.ID       `json:"journal_id"`
	Journal        string              `json:"journal"`
	State          EntryState          `json:"state"`
	Number         string              `json:"number,omitempty"`
	FiscalYear     int                 `json:"fiscal_year,omitempty"`
	Date           backoffice.Date     `json:"date"`
	Reference      string              `json:"reference"`
	Narration      string              `json:"narration"`
	Currency       backoffice.Currency `json:"currency"`
	Amount         int64               `json:"amount"`
	LineCount      int                 `json:"line_count"`
	ReversesID     backoffice.ID       `json:"reverses_id,omitempty"`
	ReversedByID   backoffice.ID       `json:"reversed_by_id,omitempty"`
	Reason         string              `json:"reason,omitempty"`
	IdempotencyKey string              `json:"idempotency_key,omitempty"`
	Lines          []Line              `json:"lines,omitempty"`
	PostedAt       *time.Time          `json:"posted_at,omitempty"`
	ExpiresAt      *time.Time          `json:"expires_at,omitempty"` // a pending entry voids itself then
	CreatedAt      time.Time           `json:"created_at"`
	UpdatedAt      time.Time           `json:"updated_at"`
	Version        int64               `json:"version"`
	Warnings       []string            `json:"warnings,omitempty"` // budgets with action warn that the posting went beyond
}
