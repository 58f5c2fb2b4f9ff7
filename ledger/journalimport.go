package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"backoffice"
	"backoffice/ledger/plaintext"
)

// ImportJournalCode is the journal that imported plain-text transactions are
// posted to; it is created on the first import.
const ImportJournalCode = "IMP"

// JournalImport says what ImportJournal did.
type JournalImport struct {
	Transactions int      `json:"transactions"` // read from the file
	Posted       int      `json:"posted"`       // new entries; a re-import posts none
	Accounts     int      `json:"accounts"`     // accounts created
	Warnings     []string `json:"warnings"`
}

// ImportJournal books a parsed ledger-cli or hledger journal into a company:
// accounts named by their colon paths (created with their parents, typed from
// the top-level name), and one posted entry per transaction in the IMP
// journal. Every posting must be in the company's currency or carry a cost in
// it; unbalanced virtual postings "(…)" cannot be booked. All problems are
// reported at once, by file and line, before anything is stored. Each entry's
// idempotency key derives from the transaction, so importing the same file
// again posts nothing twice.
func (s *Service) ImportJournal(ctx context.Context, companyID backoffice.ID, j *plaintext.Journal, progress func(done, total int)) (JournalImport, error) {
	rep := JournalImport{Transactions: len(j.Transactions)}
	for _, w := range j.Warnings {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Message))
	}
	cur, err := companyCurrency(ctx, s.DB, companyID)
	if err != nil {
		return rep, err
	}
	paths := journalAccounts(j)
	created, warnings, err := s.ensureImportAccounts(ctx, companyID, paths)
	if err != nil {
		return rep, err
	}
	rep.Accounts = created
	rep.Warnings = append(rep.Warnings, warnings...)
	journal, err := s.importJournal(ctx, companyID)
	if err != nil {
		return rep, err
	}
	ids := map[string]backoffice.ID{}
	for _, p := range paths {
		a, err := s.AccountByCode(ctx, companyID, p)
		if err != nil {
			return rep, err
		}
		ids[p] = a.ID
	}
	entries, problems, skipped, failed := importEntries(j, cur, journal.ID, ids)
	rep.Warnings = append(rep.Warnings, skipped...)
	if len(problems) > 0 {
		return rep, importProblems(problems, failed)
	}
	// Entries of an earlier import come back from PostBatch by their
	// idempotency keys; only ids above the current highest are new.
	var highest int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM ledger_entries`).Scan(&highest); err != nil {
		return rep, fmt.Errorf("import journal: %w", err)
	}
	for start := 0; start < len(entries); start += MaxBatch {
		end := min(start+MaxBatch, len(entries))
		posted, err := s.PostBatch(ctx, companyID, entries[start:end])
		if err != nil {
			return rep, fmt.Errorf("transactions %d to %d: %w", start+1, end, err)
		}
		for _, e := range posted {
			if int64(e.ID) > highest {
				rep.Posted++
			}
		}
		if progress != nil {
			progress(end, len(entries))
		}
	}
	return rep, nil
}

// journalAccounts lists every account the journal uses or declares, with
// their parents, parents first.
func journalAccounts(j *plaintext.Journal) []string {
	seen := map[string]bool{}
	add := func(path string) {
		parts := strings.Split(path, ":")
		for i := range parts {
			seen[strings.Join(parts[:i+1], ":")] = true
		}
	}
	for _, a := range j.Accounts {
		add(a)
	}
	for _, t := range j.Transactions {
		for _, p := range t.Postings {
			add(p.Account)
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b string) int {
		if d := strings.Count(a, ":") - strings.Count(b, ":"); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return out
}

// topLevelTypes maps the usual top-level names of plain-text journals (in
// English, and those hledger recognises) to account types.
var topLevelTypes = map[string]AccountType{
	"assets": Asset, "asset": Asset, "liabilities": Liability, "liability": Liability, "debts": Liability,
	"equity": Equity, "income": Income, "revenue": Income, "revenues": Income,
	"expenses": Expense, "expense": Expense,
}

// ensureImportAccounts creates the accounts of paths that do not exist yet.
func (s *Service) ensureImportAccounts(ctx context.Context, companyID backoffice.ID, paths []string) (int, []string, error) {
	var missing []NewAccount
	var warnings []string
	for _, p := range paths {
		if _, err := s.AccountByCode(ctx, companyID, p); err == nil {
			continue
		} else if backoffice.ErrorCode(err) != backoffice.ENotFound {
			return 0, nil, err
		}
		top, _, _ := strings.Cut(p, ":")
		typ, ok := topLevelTypes[strings.ToLower(top)]
		if !ok {
			typ = Asset
			if !strings.Contains(p, ":") {
				warnings = append(warnings, fmt.Sprintf("account %q: its top-level name does not say its type; created as an asset (change it on the account's page)", p))
			}
		}
		parent := ""
		if i := strings.LastIndex(p, ":"); i >= 0 {
			parent = p[:i]
		}
		missing = append(missing, NewAccount{Code: p, Name: p[strings.LastIndex(p, ":")+1:], Type: typ, Subtype: "other", Parent: parent})
	}
	if len(missing) == 0 {
		return 0, warnings, nil
	}
	_, err := s.CreateAccounts(ctx, companyID, missing)
	return len(missing), warnings, err
}

// importJournal returns the IMP journal, creating it on first use.
func (s *Service) importJournal(ctx context.Context, companyID backoffice.ID) (Journal, error) {
	j, err := s.JournalByCode(ctx, companyID, ImportJournalCode)
	if backoffice.ErrorCode(err) == backoffice.ENotFound {
		return s.CreateJournal(ctx, companyID, NewJournal{Code: ImportJournalCode, Name: "Imported journal", Type: "general"})
	}
	return j, err
}

// importEntries turns transactions into entries in company currency cur.
// Transactions that book nothing come back as warnings in skipped.
// failed counts the transactions with problems.
func importEntries(j *plaintext.Journal, cur backoffice.Currency, journalID backoffice.ID, ids map[string]backoffice.ID) (entries []NewEntry, problems, skipped []string, failed int) {
	for _, t := range j.Transactions {
		e := NewEntry{JournalID: journalID, Date: t.Date, Reference: t.Code, Narration: t.Payee}
		if t.Note != "" {
			e.Narration = strings.TrimSpace(t.Payee + " | " + t.Note)
		}
		var sum int64
		bad := false
		for _, p := range t.Postings {
			at := fmt.Sprintf("%s:%d", t.File, p.Line)
			if p.Virtual == "()" {
				problems = append(problems, at+": the virtual posting ("+p.Account+") does not balance and cannot be booked in double-entry books; write it without parentheses or leave it out")
				bad = true
				continue
			}
			if p.Amount.Amount == 0 && (p.Cost == nil || p.Cost.Amount == 0) {
				continue // books nothing; the ledger has no zero lines
			}
			line := NewLine{AccountID: ids[p.Account], Currency: p.Amount.Currency, Amount: p.Amount.Amount, Memo: p.Comment}
			switch {
			case p.Amount.Currency == cur:
				line.CompanyAmount = p.Amount.Amount
			case p.Cost != nil && p.Cost.Currency == cur:
				line.CompanyAmount = p.Cost.Amount
			default:
				problems = append(problems, fmt.Sprintf("%s: %s is not in the company's currency %s and has no cost in %s; add one with @ or @@", at, p.Amount, cur, cur))
				bad = true
				continue
			}
			sum += line.CompanyAmount
			e.Lines = append(e.Lines, line)
		}
		if !bad && sum != 0 {
			problems = append(problems, fmt.Sprintf("%s:%d: the transaction does not balance in %s (off by %s)", t.File, t.Line, cur, backoffice.NewMoney(sum, cur)))
			bad = true
		}
		if bad {
			failed++
			continue
		}
		if len(e.Lines) == 0 {
			skipped = append(skipped, fmt.Sprintf("%s:%d: the transaction books nothing (every amount is zero); skipped", t.File, t.Line))
			continue
		}
		e.IdempotencyKey = importKey(t, e)
		entries = append(entries, e)
	}
	return entries, problems, skipped, failed
}

// importKey identifies a transaction by where it is and what it books, so a
// second import of the same file finds the entries of the first.
func importKey(t plaintext.Transaction, e NewEntry) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%d|%s|%s|%s", t.File, t.Line, e.Date, e.Reference, e.Narration)
	for _, l := range e.Lines {
		fmt.Fprintf(h, "|%d|%s|%d", l.AccountID, l.Currency, l.Amount)
	}
	return "import:" + hex.EncodeToString(h.Sum(nil))[:40]
}

// importProblems is the error listing every transaction that cannot be booked.
func importProblems(problems []string, transactions int) error {
	fields := map[string]string{}
	for i, p := range problems {
		if i == 100 {
			fields["more"] = strconv.Itoa(len(problems)-100) + " more problems"
			break
		}
		loc, msg, _ := strings.Cut(p, ": ")
		fields[loc] = msg
	}
	return &backoffice.Error{Code: backoffice.EInvalid, Fields: fields,
		Message: fmt.Sprintf("%d transaction(s) cannot be booked; nothing was imported. The first problem: %s", transactions, problems[0])}
}
