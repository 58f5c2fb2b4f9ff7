package einvoice

import (
	"fmt"
	"strings"
)

// tokKind classifies XPath tokens.
type tokKind uint8

const (
	tEOF  tokKind = iota
	tName         // QName, wildcard name test (*, p:*, *:n) or keyword
	tNum          // numeric literal
	tStr          // string literal, quotes removed
	tVar          // $name, without the dollar
	tOp           // punctuation and symbolic operators
)

type token struct {
	kind tokKind
	text string
}

// lexXPath splits an XPath 2.0 expression into tokens. Whether "*" or a name
// such as "div" is an operator is left to the parser, which knows whether it
// expects an operand.
func lexXPath(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' && i+1 < len(s) && s[i+1] == ':':
			end := strings.Index(s[i:], ":)")
			if end < 0 {
				return nil, fmt.Errorf("unterminated comment")
			}
			i += end + 2
		case c == '\'' || c == '"':
			lit, next, err := scanString(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tStr, lit})
			i = next
		case isDigit(c) || (c == '.' && i+1 < len(s) && isDigit(s[i+1])):
			j := scanNumber(s, i)
			toks = append(toks, token{tNum, s[i:j]})
			i = j
		case c == '$':
			j := scanNCName(s, i+1)
			if j < len(s) && s[j] == ':' && j+1 < len(s) && isNameStart(s[j+1]) {
				j = scanNCName(s, j+1)
			}
			toks = append(toks, token{tVar, s[i+1 : j]})
			i = j
		case c == '*':
			if i+2 < len(s) && s[i+1] == ':' && isNameStart(s[i+2]) {
				j := scanNCName(s, i+2)
				toks = append(toks, token{tName, s[i:j]})
				i = j
			} else {
				toks = append(toks, token{tName, "*"})
				i++
			}
		case isNameStart(c):
			j := scanNCName(s, i)
			if j+1 < len(s) && s[j] == ':' && s[j+1] != ':' {
				if s[j+1] == '*' {
					j += 2
				} else if isNameStart(s[j+1]) {
					j = scanNCName(s, j+1)
				}
			}
			toks = append(toks, token{tName, s[i:j]})
			i = j
		default:
			op, err := scanOp(s[i:])
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tOp, op})
			i += len(op)
		}
	}
	return append(toks, token{kind: tEOF}), nil
}

// scanString reads a string literal starting at the quote s[i]; a doubled
// quote stands for one.
func scanString(s string, i int) (string, int, error) {
	q := s[i]
	var b strings.Builder
	for j := i + 1; j < len(s); j++ {
		if s[j] != q {
			b.WriteByte(s[j])
			continue
		}
		if j+1 < len(s) && s[j+1] == q {
			b.WriteByte(q)
			j++
			continue
		}
		return b.String(), j + 1, nil
	}
	return "", 0, fmt.Errorf("unterminated string at %d", i)
}

// scanNumber returns the end of the numeric literal starting at i.
func scanNumber(s string, i int) int {
	j := i
	for j < len(s) && (isDigit(s[j]) || s[j] == '.') {
		j++
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		k := j + 1
		if k < len(s) && (s[k] == '+' || s[k] == '-') {
			k++
		}
		if k < len(s) && isDigit(s[k]) {
			for j = k; j < len(s) && isDigit(s[j]); j++ {
			}
		}
	}
	return j
}

func scanOp(s string) (string, error) {
	for _, op := range []string{"//", "::", "..", "!=", "<=", ">=", "<<", ">>", "||"} {
		if strings.HasPrefix(s, op) {
			return op, nil
		}
	}
	if strings.ContainsRune("()[],/@.=<>+-|?", rune(s[0])) {
		return s[:1], nil
	}
	return "", fmt.Errorf("unexpected character %q", s[0])
}

func scanNCName(s string, i int) int {
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isNameStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80
}

func isNameChar(c byte) bool { return isNameStart(c) || isDigit(c) || c == '-' || c == '.' }
