package bank

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"backoffice"
	"backoffice/audit"
	"backoffice/bank/csvimport"
	"backoffice/bank/statement"
	"backoffice/bank/statementfile"
	"backoffice/sqldb"
)

// ImportOptions choose how a statement file is read and where it goes.
type ImportOptions struct {
	// BankAccountID, when set, receives every statement of the file whatever
	// account the file names (CSV exports often name none). When 0, each
	// statement goes to the company's bank account with its IBAN, else its
	// account number.
	BankAccountID backoffice.ID
	Format        string             // "auto" or "" to detect, else "camt", "mt940", "ofx" or "csv"
	CSVProfile    *csvimport.Profile // the CSV layout; nil = guessed
	// NoReconcile keeps the new lines open. By default, once the file is
	// stored, the lines the matching engine is certain of are reconciled
	// (AutoReconcile), each in its own transaction, so a refusal (a closed
	// period) never undoes the import.
	NoReconcile bool
}

// ImportReport says what an import did with one file.
type ImportReport struct {
	FileName string `json:"file_name"`
	Format   string `json:"format"` // as read: "camt.053", "mt940", …
	SHA256   string `json:"sha256"`
	// AlreadyImported is set when a file with the same SHA-256 was imported
	// before; then nothing was stored and every line counts as skipped.
	AlreadyImported bool                `json:"already_imported"`
	Statements      []StatementReport   `json:"statements"`
	Warnings        []statement.Warning `json:"warnings"`
}

// StatementReport is the outcome for one statement of a file.
type StatementReport struct {
	ID            backoffice.ID   `json:"id,omitempty"` // the stored statement; 0 when it was not stored
	BankAccountID backoffice.ID   `json:"bank_account_id"`
	StatementID   string          `json:"statement_id"` // the bank's id
	FromDate      backoffice.Date `json:"from_date"`
	ToDate        backoffice.Date `json:"to_date"`
	NewLines      int             `json:"new_lines"`
	SkippedLines  int             `json:"skipped_lines"` // lines already stored from an earlier import
	// Duplicate is set when this statement (same account, id and period) was
	// imported before: none of its lines were looked at again.
	Duplicate bool `json:"duplicate"`
	// BalanceProblem says how the balances disagree; "" when they agree or
	// the file gives none to compare.
	BalanceProblem string `json:"balance_problem"`
	// Reconciled says what the automatic reconciliation after the import did.
	Reconciled *AutoResult `json:"reconciled,omitempty"`
}

// NewLines is the number of lines stored, over all statements.
func (r ImportReport) NewLines() int {
	n := 0
	for _, s := range r.Statements {
		n += s.NewLines
	}
	return n
}

// SkippedLines is the number of lines not stored because they were already there.
func (r ImportReport) SkippedLines() int {
	n := 0
	for _, s := range r.Statements {
		n += s.SkippedLines
	}
	return n
}

// BalanceProblems lists the balance problems of the statements, each
// prefixed with its statement id.
func (r ImportReport) BalanceProblems() []string {
	var out []string
	for _, s := range r.Statements {
		if s.BalanceProblem != "" {
			out = append(out, fmt.Sprintf("statement %s: %s", s.StatementID, s.BalanceProblem))
		}
	}
	return out
}

// Import reads one statement file and stores its statements and lines for
// the company, in one transaction: a file that cannot be read, or that has a
// statement for an account the company does not have, changes nothing.
// Nothing is stored twice: a file seen before (same SHA-256), a statement
// seen before (same account, id and period) and a line seen before (same
// dedupe key, see lineKeys) are skipped and counted. Balances are checked
// (opening = previous closing; opening + lines = closing) and a mismatch is
// stored on the statement and reported, not refused. One change-log entry is
// appended per stored statement.
func (s *Service) Import(ctx context.Context, companyID backoffice.ID, fileName string, data []byte, opts ImportOptions) (ImportReport, error) {
	sum := sha256.Sum256(data)
	rep := ImportReport{FileName: fileName, SHA256: hex.EncodeToString(sum[:])}
	res, err := statementfile.Parse(data, statementfile.Options{Format: opts.Format, CSVProfile: opts.CSVProfile})
	if err != nil {
		return rep, inFile(fileName, err)
	}
	rep.Format, rep.Warnings = res.Format, res.Warnings
	err = s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		rep.Statements = nil
		seen, err := fileImported(ctx, tx, companyID, rep.SHA256)
		if err != nil || seen {
			rep.AlreadyImported = seen
			rep.Statements = skippedFile(res.Statements)
			return err
		}
		imp := importer{s: s, tx: tx, companyID: companyID, opts: opts, rep: &rep}
		changes := make([]audit.Change, 0, len(res.Statements))
		for i := range res.Statements {
			c, err := imp.statement(ctx, &res.Statements[i])
			if err != nil {
				return inFile(fileName, err)
			}
			if c != nil {
				changes = append(changes, *c)
			}
		}
		if len(changes) == 0 {
			return nil
		}
		_, err = s.Audit.Append(ctx, tx, changes...)
		return err
	})
	if err != nil {
		return ImportReport{FileName: fileName, SHA256: rep.SHA256, Format: rep.Format, Warnings: rep.Warnings}, err
	}
	if !opts.NoReconcile {
		s.reconcileImported(ctx, companyID, &rep)
	}
	return rep, nil
}

// inFile prefixes err's message with the file name, keeping an application
// error's code and fields so callers still see why the file was refused.
func inFile(name string, err error) error {
	var be *backoffice.Error
	if errors.As(err, &be) {
		c := *be
		c.Message = name + ": " + be.Message
		return &c
	}
	return fmt.Errorf("%s: %w", name, err)
}

// skippedFile reports every statement of a file imported before as skipped.
func skippedFile(sts []statement.Statement) []StatementReport {
	out := make([]StatementReport, len(sts))
	for i, st := range sts {
		out[i] = StatementReport{StatementID: st.ID, FromDate: st.FromDate, ToDate: st.ToDate,
			SkippedLines: len(st.Entries), Duplicate: true}
	}
	return out
}

// importer stores the statements of one file in one transaction.
type importer struct {
	s         *Service
	tx        *sqldb.Tx
	companyID backoffice.ID
	opts      ImportOptions
	rep       *ImportReport
}

// statement stores one statement and its new lines, adds its report, and
// returns its change-log entry (nil when the statement was stored before).
func (imp *importer) statement(ctx context.Context, st *statement.Statement) (*audit.Change, error) {
	acct, err := imp.account(ctx, st)
	if err != nil {
		return nil, err
	}
	r := StatementReport{BankAccountID: acct.ID, StatementID: st.ID, FromDate: st.FromDate, ToDate: st.ToDate}
	key := statementKey(st)
	dup, err := statementExists(ctx, imp.tx, acct.ID, key)
	if err != nil {
		return nil, err
	}
	if dup {
		r.Duplicate, r.SkippedLines = true, len(st.Entries)
		imp.rep.Statements = append(imp.rep.Statements, r)
		return nil, nil
	}
	lines, err := imp.lines(ctx, acct, st)
	if err != nil {
		return nil, err
	}
	if r.BalanceProblem, err = balanceProblem(ctx, imp.tx, acct, st); err != nil {
		return nil, err
	}
	row := statementRow{companyID: imp.companyID, account: acct, st: st, key: key, rep: imp.rep, problem: r.BalanceProblem}
	for _, l := range lines {
		if l.isNew {
			row.newLines++
		}
	}
	row.skipped = len(lines) - row.newLines
	if r.ID, err = insertStatement(ctx, imp.tx, row, imp.s.now()); err != nil {
		return nil, err
	}
	if err := insertLines(ctx, imp.tx, imp.companyID, acct.ID, r.ID, lines); err != nil {
		return nil, err
	}
	r.NewLines, r.SkippedLines = row.newLines, row.skipped
	imp.rep.Statements = append(imp.rep.Statements, r)
	return &audit.Change{CompanyID: imp.companyID, Entity: "bank_statement", EntityID: r.ID.String(), Action: "import",
		New: map[string]any{"bank_account_id": acct.ID, "statement_id": st.ID, "from_date": st.FromDate, "to_date": st.ToDate,
			"file_name": imp.rep.FileName, "file_sha256": imp.rep.SHA256, "format": imp.rep.Format,
			"new_lines": r.NewLines, "skipped_lines": r.SkippedLines, "balance_problem": r.BalanceProblem}}, nil
}
