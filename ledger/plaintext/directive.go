package plaintext

import (
	"strconv"
	"strings"
)

// directive handles a line that starts with a word: a directive. Those that
// only declare (account, payee, tag, commodity) are read and their indented
// subdirectives skipped; those that would change amounts in ways the import
// cannot honour are reported.
func (p *parser) directive(f *fileState, line string, n, depth int) {
	word, arg := cutWord(line)
	switch word {
	case "include", "!include":
		p.include(f, arg, n, depth)
	case "account":
		f.block = blockSkip
		if name := accountField(arg); name != "" {
			p.account(name)
		} else {
			p.problem(f.name, n, "account directive needs an account name")
		}
	case "commodity":
		f.block = blockCommodity
		p.commodityDirective(f.name, arg, n)
	case "D":
		p.defaultCommodity(f.name, arg, n)
	case "P", "N":
		p.warn(f.name, n, "market price directive %s ignored: the ledger keeps its own exchange rates", word)
	case "Y", "year":
		p.setYear(f.name, arg, n)
	case "alias":
		p.addAlias(f.name, arg, n)
	case "payee", "tag":
		f.block = blockSkip
	case "decimal-mark":
		p.setDecimalMark(f.name, arg, n)
	case "comment", "test":
		f.comment, f.endWord = n, "end "+word
	case "apply":
		p.apply(f, arg, n)
	case "end":
		p.end(f, arg, n)
	default:
		p.problem(f.name, n, "directive %q is not supported", clip(word))
	}
}

// cutWord splits a line into its first word and the trimmed rest.
func cutWord(s string) (string, string) {
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], strings.TrimSpace(s[i+1:])
}

// accountField is an account name up to two spaces, a tab or a comment.
func accountField(s string) string {
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "  "); i >= 0 {
		s = s[:i]
	}
	if i := strings.IndexByte(s, '\t'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func (p *parser) setYear(file, arg string, n int) {
	y, err := strconv.Atoi(strings.TrimSpace(arg))
	if err != nil || y < 1 || y > 9999 {
		p.problem(file, n, "year directive needs a year such as 2026, not %q", clip(arg))
		return
	}
	p.year = y
}

func (p *parser) setDecimalMark(file, arg string, n int) {
	switch strings.TrimSpace(arg) {
	case ".":
		p.decimalMark = '.'
	case ",":
		p.decimalMark = ','
	default:
		p.problem(file, n, "decimal-mark must be \".\" or \",\", not %q", clip(arg))
	}
}

// commodityDirective reads "commodity $", "commodity $1,000.00" or
// "commodity 1.000,00 EUR": a sample amount declares the decimal mark.
func (p *parser) commodityDirective(file, arg string, n int) {
	if i := strings.IndexByte(arg, ';'); i >= 0 {
		arg = strings.TrimSpace(arg[:i])
	}
	if arg == "" {
		p.problem(file, n, "commodity directive needs a commodity symbol or a sample amount")
		return
	}
	a, err := splitAmount(arg)
	if err != "" || a.num == "" {
		// A bare symbol such as "commodity $" or "commodity AAPL" declares only.
		return
	}
	if mark := sampleMark(a.num); mark != 0 {
		p.marks[a.sym] = mark
	}
}

// defaultCommodity reads "D $1,000.00": the commodity of amounts written
// without one, and its decimal mark.
func (p *parser) defaultCommodity(file, arg string, n int) {
	a, err := splitAmount(arg)
	if err != "" || a.sym == "" {
		p.problem(file, n, "D directive needs a sample amount with a commodity, such as D $1,000.00")
		return
	}
	p.defaultSymbol, p.hasDefault = a.sym, true
	delete(p.currencies, "")
	if mark := sampleMark(a.num); mark != 0 {
		p.marks[a.sym] = mark
	}
}

// sampleMark is the decimal mark a format sample shows: its last separator
// when that occurs once ("1,000.00", "1.000,00", "1,5"), the other one when
// the only separator repeats ("1,000,000" groups with commas, so "." marks
// decimals). 0 when the sample shows no separator.
func sampleMark(num string) byte {
	i := strings.LastIndexAny(num, ".,")
	if i < 0 {
		return 0
	}
	c := num[i]
	if strings.Count(num, string(c)) == 1 {
		return c
	}
	if c == ',' {
		return '.'
	}
	return ','
}

// apply handles "apply account NAME", "apply tag TAG" and "apply year Y".
func (p *parser) apply(f *fileState, arg string, n int) {
	what, rest := cutWord(arg)
	switch what {
	case "account":
		name := accountField(rest)
		if name == "" {
			p.problem(f.name, n, "apply account needs an account name")
			return
		}
		if len(p.applyAccounts) > 0 {
			name = p.applyAccounts[len(p.applyAccounts)-1] + ":" + name
		}
		p.applyAccounts = append(p.applyAccounts, name)
	case "tag":
		tags := map[string]string{}
		parseTags(rest, p.opts.Dialect, tags)
		if len(tags) == 0 && rest != "" {
			tags[strings.TrimSpace(rest)] = ""
		}
		p.applyTags = append(p.applyTags, tags)
	case "year":
		p.setYear(f.name, rest, n)
	default:
		p.problem(f.name, n, "directive \"apply %s\" is not supported", clip(what))
	}
}

// end closes "apply account", "apply tag" and aliases. Ledger also accepts
// a bare "end" and "end tag".
func (p *parser) end(f *fileState, arg string, n int) {
	switch arg {
	case "aliases":
		p.aliases = nil
	case "apply account":
		p.popAccount(f.name, n)
	case "apply tag", "tag":
		if len(p.applyTags) == 0 {
			p.problem(f.name, n, "\"end %s\" without \"apply tag\"", arg)
			return
		}
		p.applyTags = p.applyTags[:len(p.applyTags)-1]
	case "", "apply":
		if len(p.applyAccounts) > 0 {
			p.popAccount(f.name, n)
		} else if len(p.applyTags) > 0 {
			p.applyTags = p.applyTags[:len(p.applyTags)-1]
		} else {
			p.problem(f.name, n, "\"end\" without an open \"apply\"")
		}
	default:
		p.problem(f.name, n, "directive \"end %s\" is not supported", clip(arg))
	}
}

func (p *parser) popAccount(file string, n int) {
	if len(p.applyAccounts) == 0 {
		p.problem(file, n, "\"end apply account\" without \"apply account\"")
		return
	}
	p.applyAccounts = p.applyAccounts[:len(p.applyAccounts)-1]
}
