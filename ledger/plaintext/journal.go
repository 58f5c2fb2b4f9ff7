package plaintext

import (
	"fmt"
	"io"
	"os"
	"strings"

	"backoffice"
)

// Dialects accepted in Options.Dialect.
const (
	DialectLedger  = "ledger"  // ledger-cli 3
	DialectHledger = "hledger" // hledger 1.x
)

// Options tell Parse what the journal cannot say about itself.
type Options struct {
	// Dialect is "ledger" or "hledger" (the default): the few places where the
	// two tools read the same text differently (see the package comment).
	Dialect string
	// Commodities maps journal commodity symbols to ISO 4217 currencies, as
	// given by --commodity '$=USD'. ISO codes map to themselves; the key ""
	// gives the currency of amounts written without a commodity.
	Commodities map[string]backoffice.Currency
	// DefaultYear completes dates written without a year ("1/31") until a
	// Y or year directive says otherwise. Zero means the current year.
	DefaultYear int
	// Open opens included files; nil means os.Open. Tests and fuzzing use it
	// to keep Parse off the file system.
	Open func(path string) (io.ReadCloser, error)
}

// Journal is everything a journal file (and the files it includes) says.
type Journal struct {
	Transactions []Transaction // in file order, included files in place of their include line
	Accounts     []string      // every account declared or used, full colon paths, first seen first
	Warnings     []Warning     // what was read but not imported, such as market prices
}

// Transaction is one dated, balanced transaction of the journal.
type Transaction struct {
	File    string // the file it was read from: the name given to Parse or an included path
	Line    int    // line of the date
	Date    backoffice.Date
	Date2   backoffice.Date // secondary date after "=", zero when absent
	Status  string          // "", "*" (cleared) or "!" (pending)
	Code    string          // the text in parentheses after the status
	Payee   string          // the description; in hledger dialect the part before "|"
	Note    string          // hledger dialect: the part of the description after "|"
	Comment string          // comment text after ";" on the date line and the lines before the first posting, joined by "\n"
	Tags    map[string]string
	// Postings in file order. A posting written without an amount is filled
	// in with the balancing amount; when that amount spans several
	// currencies it becomes one posting per currency, all with its line.
	Postings []Posting
}

// Posting is one line of a transaction: an amount booked to an account.
type Posting struct {
	Line    int
	Account string // full colon path, after aliases and "apply account"
	Virtual string // "" real, "()" virtual and unbalanced, "[]" virtual and balanced on its own
	Amount  backoffice.Money
	// Cost is the total cost of Amount in another currency (from "@ unit
	// cost", multiplied out exactly, or "@@ total cost"), carrying Amount's
	// sign. When set, it is the posting's value for balancing.
	Cost    *backoffice.Money
	Status  string // "", "*" or "!"
	Comment string
	Tags    map[string]string
	// BalanceAssertion is the balance the account must have in that currency
	// after this posting, checked by Parse.
	BalanceAssertion *backoffice.Money
	// Assertion is how BalanceAssertion was written: "=" (this currency),
	// "==" (and no other currency), "=*" or "==*" (including subaccounts).
	Assertion string
}

// Warning is something Parse read but left out, such as a market price.
type Warning struct {
	File    string
	Line    int
	Message string
}

// Problem is one thing wrong with a journal, at a file and line.
type Problem struct {
	File    string
	Line    int
	Message string
}

// String is "file:line: message", or "file: message" for the whole file.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// maxProblems bounds the list an error carries; a binary file fed by mistake
// would otherwise produce one problem per line.
const maxProblems = 1000

// Error lists every problem Parse found. Parse returns it instead of a
// journal: nothing is half-read.
type Error struct {
	Problems []Problem // the first maxProblems, in file order
	More     int       // problems found beyond those listed
}

// Error counts the problems and lists each on its own line.
func (e *Error) Error() string {
	var b strings.Builder
	n := len(e.Problems) + e.More
	if n == 1 {
		b.WriteString("the journal has 1 problem; nothing was imported:")
	} else {
		fmt.Fprintf(&b, "the journal has %d problems; nothing was imported:", n)
	}
	for _, p := range e.Problems {
		b.WriteString("\n" + p.String())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\n… and %d more", e.More)
	}
	return b.String()
}

// Unwrap gives the invalid *backoffice.Error that the CLI and the API show,
// with one field per "file:line".
func (e *Error) Unwrap() error {
	fields := make(map[string]string, len(e.Problems))
	for _, p := range e.Problems {
		key := fmt.Sprintf("%s:%d", p.File, p.Line)
		if old, ok := fields[key]; ok {
			fields[key] = old + "; " + p.Message
		} else {
			fields[key] = p.Message
		}
	}
	return &backoffice.Error{Code: backoffice.EInvalid, Message: e.Error(), Fields: fields}
}

// Parse reads a ledger-cli or hledger journal named name (used in messages
// and to resolve includes) from r. It returns every problem at once as an
// *Error, and then no journal.
func Parse(name string, r io.Reader, opts Options) (*Journal, error) {
	if opts.Dialect == "" {
		opts.Dialect = DialectHledger
	}
	if opts.Dialect != DialectLedger && opts.Dialect != DialectHledger {
		return nil, backoffice.Errorf(backoffice.EInvalid, "journal format %q is not known: use ledger or hledger", opts.Dialect)
	}
	if opts.Open == nil {
		opts.Open = func(path string) (io.ReadCloser, error) { return os.Open(path) }
	}
	p := newParser(opts)
	p.readFile(name, r, 0)
	p.finish()
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems, More: p.more}
	}
	return p.journal(), nil
}

// Balances sums every posting's amount (not its cost) per account and
// currency, virtual postings included, as "hledger bal" and "ledger bal" do.
func (j *Journal) Balances() map[string]map[backoffice.Currency]int64 {
	out := make(map[string]map[backoffice.Currency]int64)
	for i := range j.Transactions {
		for _, p := range j.Transactions[i].Postings {
			m := out[p.Account]
			if m == nil {
				m = make(map[backoffice.Currency]int64, 1)
				out[p.Account] = m
			}
			m[p.Amount.Currency] += p.Amount.Amount
		}
	}
	return out
}
