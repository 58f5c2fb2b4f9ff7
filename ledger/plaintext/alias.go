package plaintext

import (
	"regexp"
	"strings"
)

// alias rewrites account names: "alias OLD = NEW" or, in hledger,
// "alias /REGEX/ = REPLACEMENT".
type alias struct {
	old, new string
	re       *regexp.Regexp
}

func (p *parser) addAlias(file, arg string, n int) {
	old, repl, ok := strings.Cut(arg, "=")
	old, repl = strings.TrimSpace(old), strings.TrimSpace(repl)
	if !ok || old == "" {
		p.problem(file, n, "alias needs the form \"alias OLD = NEW\"")
		return
	}
	a := alias{old: old, new: repl}
	if len(old) >= 2 && old[0] == '/' && old[len(old)-1] == '/' {
		if p.opts.Dialect == DialectLedger {
			p.problem(file, n, "regular expression aliases are an hledger feature; use --format hledger or a plain alias")
			return
		}
		// hledger matches case-insensitively and writes groups as \1.
		re, err := regexp.Compile("(?i)" + old[1:len(old)-1])
		if err != nil {
			p.problem(file, n, "alias %s is not a valid regular expression: %v", clip(old), err)
			return
		}
		a.re = re
		a.new = goReplacement(repl)
	}
	p.aliases = append(p.aliases, a)
}

// goReplacement turns hledger's \1 group references into Go's ${1}, and
// escapes the dollar signs Go would otherwise expand.
func goReplacement(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			b.WriteString("${" + s[i+1:i+2] + "}")
			i++
		case s[i] == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// applyAliases rewrites name. hledger applies every alias, the most recently
// defined first, each to the result of the last, and a plain alias matches
// whole leading components ("assets" matches "assets:cash", not "assetsx").
// ledger-cli 3 replaces a name equal to an alias, or else its first
// component, once.
func (p *parser) applyAliases(name string) string {
	if p.opts.Dialect == DialectLedger {
		first, rest, _ := strings.Cut(name, ":")
		for i := len(p.aliases) - 1; i >= 0; i-- {
			if p.aliases[i].old == name {
				return p.aliases[i].new
			}
		}
		for i := len(p.aliases) - 1; i >= 0; i-- {
			if p.aliases[i].old == first && rest != "" {
				return p.aliases[i].new + ":" + rest
			}
		}
		return name
	}
	for i := len(p.aliases) - 1; i >= 0; i-- {
		a := p.aliases[i]
		switch {
		case a.re != nil:
			name = a.re.ReplaceAllString(name, a.new)
		case name == a.old:
			name = a.new
		case strings.HasPrefix(name, a.old) && name[len(a.old)] == ':':
			name = a.new + name[len(a.old):]
		}
	}
	return name
}
