package plaintext

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"backoffice"
)

// parser holds what directives set while files are read, and the problems
// found so far. One parser reads one journal and the files it includes.
type parser struct {
	opts     Options
	problems []Problem
	more     int // problems beyond maxProblems
	warnings []Warning

	txs      []Transaction
	meta     []txMeta  // beside txs, what finish needs to complete each
	slab     []Posting // postings are cut from shared chunks: 2 allocations per 4,096 postings, not 3 per transaction
	start    int       // where the current transaction's postings begin in slab
	accounts []string
	interned map[string]string // account name -> the one string every posting shares

	year          int
	decimalMark   byte            // from decimal-mark; 0 = not declared
	marks         map[string]byte // per commodity symbol, from commodity and D directives
	defaultSymbol string          // from D
	hasDefault    bool
	currencies    map[string]resolved // symbol -> currency, or why not
	aliases       []alias
	applyAccounts []string            // "apply account" stack, innermost last
	applyTags     []map[string]string // "apply tag" stack
	including     []string            // absolute paths of the files being read, for cycles
	assertions    bool                // some posting asserts or assigns a balance
	scratch       struct {
		real, brack sums
		elided      []int
	}
}

// txMeta is what finish needs to know of a transaction beyond its fields.
// A posting written without an amount is one whose Amount has no currency
// yet: a balance assignment when it has a BalanceAssertion, else an amount
// left out to balance.
type txMeta struct {
	broken bool // a problem was reported; finish leaves it alone
}

// pendingTx is a view of one transaction and its txMeta, valid until the
// next transaction is appended.
type pendingTx struct {
	tx *Transaction
	*txMeta
}

func (p *parser) pending(i int) pendingTx { return pendingTx{&p.txs[i], &p.meta[i]} }

type resolved struct {
	cur backoffice.Currency
	err string
}

// block is what the indented lines that follow belong to.
type block int

const (
	blockNone      block = iota
	blockTx              // postings and comments of the last transaction
	blockSkip            // subdirectives, or the body of an unsupported entry already reported
	blockCommodity       // subdirectives of a commodity directive, which may give its format
)

func newParser(opts Options) *parser {
	year := opts.DefaultYear
	if year == 0 {
		year = time.Now().Year()
	}
	return &parser{
		opts:       opts,
		interned:   make(map[string]string),
		year:       year,
		marks:      make(map[string]byte),
		currencies: make(map[string]resolved),
	}
}

func (p *parser) problem(file string, line int, format string, args ...any) {
	if len(p.problems) >= maxProblems {
		p.more++
		return
	}
	p.problems = append(p.problems, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) warn(file string, line int, format string, args ...any) {
	p.warnings = append(p.warnings, Warning{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// cur is the transaction being read.
func (p *parser) cur() pendingTx { return p.pending(len(p.txs) - 1) }

// addPosting appends a posting to the current transaction, in the slab.
func (p *parser) addPosting(post Posting) {
	if len(p.slab) == cap(p.slab) {
		// Move the current transaction's postings to a fresh chunk so they stay contiguous.
		chunk := make([]Posting, len(p.slab)-p.start, max(4096, 2*(len(p.slab)-p.start)))
		copy(chunk, p.slab[p.start:])
		p.slab, p.start = chunk, 0
	}
	p.slab = append(p.slab, post)
	p.txs[len(p.txs)-1].Postings = p.slab[p.start:len(p.slab):len(p.slab)]
}

// startTx appends a transaction.
func (p *parser) startTx(tx Transaction) pendingTx {
	p.txs = append(p.txs, tx)
	p.meta = append(p.meta, txMeta{})
	p.start = len(p.slab)
	return p.cur()
}

// readFile reads one file line by line. Directives take effect from their
// line on, as in both tools; includes are read in place.
func (p *parser) readFile(name string, r io.Reader, depth int) {
	data, err := io.ReadAll(r)
	if err != nil {
		p.problem(name, 0, "cannot read the file: %v", err)
		return
	}
	text := strings.TrimPrefix(string(data), "\uFEFF")
	// Room for every line that starts with a digit: one growth instead of twenty.
	if n := countDated(text); cap(p.txs)-len(p.txs) < n {
		p.txs = slices.Grow(p.txs, n)
		p.meta = slices.Grow(p.meta, n)
	}
	f := fileState{name: name}
	for lineNo := 1; text != ""; lineNo++ {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		p.readLine(&f, strings.TrimSuffix(line, "\r"), lineNo, depth)
	}
	// A comment block left open runs to the end of the file, as in both tools.
}

func countDated(text string) int {
	n := 0
	for i := 0; i < len(text); {
		if text[i] >= '0' && text[i] <= '9' {
			n++
		}
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	return n
}

// fileState is what a line's meaning depends on within one file.
type fileState struct {
	name    string
	block   block
	comment int // line of an open "comment" block, 0 outside one
	endWord string
}

func (p *parser) readLine(f *fileState, line string, n, depth int) {
	if f.comment > 0 {
		if strings.TrimSpace(line) == f.endWord {
			f.comment = 0
		}
		return
	}
	trimmed := strings.TrimSpace(line)
	if trimmed == "" {
		f.block = blockNone
		return
	}
	switch c := line[0]; {
	case c == ' ' || c == '\t':
		p.readIndented(f, trimmed, n)
		return
	case c == ';' || c == '#' || c == '%' || c == '|' || c == '*':
		return
	case c >= '0' && c <= '9':
		f.block = blockTx
		p.readHeader(f.name, line, n)
		return
	case c == '=':
		f.block = blockSkip
		p.problem(f.name, n, "automated transactions (lines starting with \"=\") are not supported; write the postings they would add into the transactions")
		return
	case c == '~':
		f.block = blockSkip
		p.problem(f.name, n, "periodic transactions (lines starting with \"~\") are not supported; they are forecasts or budgets, not bookings")
		return
	}
	f.block = blockNone
	p.directive(f, trimmed, n, depth)
}

func (p *parser) readIndented(f *fileState, trimmed string, n int) {
	switch f.block {
	case blockTx:
		p.readPostingLine(f.name, trimmed, n)
	case blockSkip:
	case blockCommodity:
		if word, arg := cutWord(trimmed); word == "format" {
			p.commodityDirective(f.name, arg, n)
		}
	default:
		if trimmed[0] != ';' && trimmed[0] != '#' {
			p.problem(f.name, n, "indented line outside a transaction: %q", clip(trimmed))
		}
	}
}

// include reads another file named relative to the including one.
func (p *parser) include(f *fileState, arg string, n, depth int) {
	if arg == "" {
		p.problem(f.name, n, "include needs a file name")
		return
	}
	if fmtName, _, ok := strings.Cut(arg, ":"); ok && len(fmtName) > 1 && !strings.ContainsAny(fmtName, `/\`) {
		p.problem(f.name, n, "include of a %s file is not supported: only journal files can be imported", fmtName)
		return
	}
	path := arg
	if strings.HasPrefix(path, "~/") {
		p.problem(f.name, n, "include %q: paths starting with ~ are not supported; give the path relative to this file", arg)
		return
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(f.name), path)
	}
	paths := []string{path}
	if strings.ContainsAny(arg, "*?[") {
		var err error
		if paths, err = filepath.Glob(path); err != nil || len(paths) == 0 {
			p.problem(f.name, n, "include %q matches no file", arg)
			return
		}
	}
	for _, path := range paths {
		p.includeOne(f, arg, path, n, depth)
	}
}

func (p *parser) includeOne(f *fileState, arg, path string, n, depth int) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".tsv", ".ssv", ".timeclock", ".timedot", ".rules":
		p.problem(f.name, n, "include %q: only journal files can be imported, not %s files", arg, filepath.Ext(path))
		return
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	for _, open := range p.including {
		if open == abs {
			p.problem(f.name, n, "include %q makes a cycle: the file is already being read", arg)
			return
		}
	}
	if depth >= 50 {
		p.problem(f.name, n, "include %q: includes nested more than 50 deep", arg)
		return
	}
	rc, err := p.opts.Open(path)
	if err != nil {
		p.problem(f.name, n, "include %q: cannot open %s", arg, path)
		return
	}
	defer rc.Close()
	p.including = append(p.including, abs)
	p.readFile(path, rc, depth+1)
	p.including = p.including[:len(p.including)-1]
}

// account applies "apply account" and aliases to a name as written, and
// records it: hledger prefixes the parent first, ledger-cli applies aliases
// first. Interning keeps one string per account for a million postings.
func (p *parser) account(name string) string {
	ledger := p.opts.Dialect == DialectLedger
	if ledger && len(p.aliases) > 0 {
		name = p.applyAliases(name)
	}
	if len(p.applyAccounts) > 0 {
		name = p.applyAccounts[len(p.applyAccounts)-1] + ":" + name
	}
	if !ledger && len(p.aliases) > 0 {
		name = p.applyAliases(name)
	}
	if s, ok := p.interned[name]; ok {
		return s
	}
	name = strings.Clone(name)
	p.interned[name] = name
	p.accounts = append(p.accounts, name)
	return name
}

// journal is the result, without transactions that have no postings: both
// tools accept them, but they book nothing.
func (p *parser) journal() *Journal {
	txs := p.txs[:0]
	for _, tx := range p.txs {
		if len(tx.Postings) == 0 {
			p.warn(tx.File, tx.Line, "transaction has no postings; skipped")
			continue
		}
		txs = append(txs, tx)
	}
	return &Journal{Transactions: txs, Accounts: p.accounts, Warnings: p.warnings}
}

// clip shortens text quoted in a message, on a character boundary.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	cut := 57
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
