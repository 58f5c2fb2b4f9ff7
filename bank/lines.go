package bank

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/bank/statement"
	"backoffice/sqldb"
)

// line is one statement entry ready to store.
type line struct {
	statement.Entry
	key   string
	isNew bool
}

// Lines are looked up and inserted in chunks: one round trip per line took
// 16 s for 10,000 new and 10,000 known lines on PostgreSQL (0.3 s on SQLite).
const (
	lookupChunk = 500 // keys per SELECT … IN
	insertChunk = 200 // rows per INSERT (17 parameters each, under every driver's limit)
)

// lines gives every entry its dedupe key and finds out whether it is new.
// The key hashes account, booking date, amount, the bank reference (else the
// end-to-end id) and the remittance text, with a counter for identical
// entries within one statement (two equal card payments on one day), so an
// overlapping statement later recognises each of them once.
func (imp *importer) lines(ctx context.Context, a Account, st *statement.Statement) ([]line, error) {
	out := make([]line, len(st.Entries))
	count := map[string]int{}
	for i, e := range st.Entries {
		if e.Amount.Currency == "" {
			e.Amount.Currency = a.Currency
		}
		if e.Amount.Currency != a.Currency {
			return nil, backoffice.Errorf(backoffice.EInvalid, "statement %q, entry %d of %s: the amount is in %s, but bank account %s keeps %s",
				st.ID, i+1, e.BookingDate, e.Amount.Currency, a.Name, a.Currency)
		}
		ref := e.BankReference
		if ref == "" {
			ref = e.EndToEndID
		}
		base := strings.Join([]string{a.ID.String(), e.BookingDate.String(), strconv.FormatInt(e.Amount.Amount, 10),
			string(e.Amount.Currency), ref, e.Remittance}, "\x1f")
		count[base]++
		sum := sha256.Sum256([]byte(base + "\x1f" + strconv.Itoa(count[base])))
		out[i] = line{Entry: e, key: hex.EncodeToString(sum[:]), isNew: true}
	}
	return out, markKnown(ctx, imp.tx, a.ID, out)
}

// markKnown clears isNew on the lines whose key the account already has.
func markKnown(ctx context.Context, q sqldb.Querier, accountID backoffice.ID, lines []line) error {
	known := map[string]bool{}
	for start := 0; start < len(lines); start += lookupChunk {
		chunk := lines[start:min(start+lookupChunk, len(lines))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, int64(accountID))
		for _, l := range chunk {
			args = append(args, l.key)
		}
		rows, err := q.QueryContext(ctx, `SELECT dedupe_key FROM bank_statement_lines WHERE bank_account_id = ? AND dedupe_key IN (`+
			placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return fmt.Errorf("look up statement lines: %w", err)
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return fmt.Errorf("look up statement lines: %w", err)
			}
			known[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("look up statement lines: %w", err)
		}
	}
	for i := range lines {
		lines[i].isNew = !known[lines[i].key]
	}
	return nil
}

// insertLines stores the new lines of a statement.
func insertLines(ctx context.Context, tx *sqldb.Tx, companyID, accountID, statementID backoffice.ID, lines []line) error {
	var fresh []line
	for _, l := range lines {
		if l.isNew {
			fresh = append(fresh, l)
		}
	}
	for start := 0; start < len(fresh); start += insertChunk {
		chunk := fresh[start:min(start+insertChunk, len(fresh))]
		args := make([]any, 0, 17*len(chunk))
		values := make([]string, len(chunk))
		for i, l := range chunk {
			values[i] = "(" + placeholders(17) + ")"
			args = append(args, int64(companyID), int64(accountID), int64(statementID), l.BookingDate, l.ValueDate, l.Amount.Amount,
				string(l.Amount.Currency), l.Counterparty.Name, l.Counterparty.IBAN, l.Counterparty.BIC, l.Remittance, l.EndToEndID,
				l.BankReference, l.MandateID, l.CreditorID, l.BankTxCode, l.key)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO bank_statement_lines (company_id, bank_account_id, statement_id, booking_date,
			value_date, amount, currency, counterparty_name, counterparty_iban, counterparty_bic, remittance, end_to_end_id,
			bank_reference, mandate_id, creditor_id, bank_tx_code, dedupe_key) VALUES `+strings.Join(values, ", "), args...)
		if sqldb.IsUniqueViolation(err) {
			return concurrentImport()
		}
		if err != nil {
			return fmt.Errorf("insert statement lines: %w", err)
		}
	}
	return nil
}

// placeholders is "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
