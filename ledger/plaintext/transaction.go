package plaintext

import (
	"maps"
	"strings"
	"time"

	"backoffice"
)

// readHeader reads "DATE[=DATE2] [*|!] [(CODE)] DESCRIPTION [; COMMENT]"
// and starts a transaction.
func (p *parser) readHeader(file, line string, n int) {
	t := p.startTx(Transaction{File: file, Line: n})
	rest := line
	if i := strings.IndexByte(rest, ';'); i >= 0 {
		t.tx.Comment = strings.TrimSpace(rest[i+1:])
		rest = rest[:i]
	}
	dates, rest := cutWord(rest)
	d1, d2, hasD2 := strings.Cut(dates, "=")
	var ok bool
	if t.tx.Date, ok = parseDate(d1, p.year); !ok {
		p.problem(file, n, "%q is not a date: write 2026-01-31, 2026/01/31, 2026.01.31 or 1/31", clip(d1))
		t.broken = true
	}
	if hasD2 {
		if t.tx.Date2, ok = parseDate(d2, t.tx.Date.Year); !ok {
			p.problem(file, n, "secondary date %q is not a date", clip(d2))
			t.broken = true
		}
	}
	if rest != "" && (rest[0] == '*' || rest[0] == '!') {
		t.tx.Status, rest = rest[:1], strings.TrimSpace(rest[1:])
	}
	if rest != "" && rest[0] == '(' {
		if end := strings.IndexByte(rest, ')'); end > 0 {
			t.tx.Code, rest = strings.TrimSpace(rest[1:end]), strings.TrimSpace(rest[end+1:])
		}
	}
	t.tx.Payee = rest
	if p.opts.Dialect == DialectHledger {
		if payee, note, ok := strings.Cut(rest, "|"); ok {
			t.tx.Payee, t.tx.Note = strings.TrimSpace(payee), strings.TrimSpace(note)
		}
	}
	t.tx.Tags = p.tags(t.tx.Comment, nil)
	for _, applied := range p.applyTags {
		if t.tx.Tags == nil {
			t.tx.Tags = make(map[string]string, len(applied))
		}
		maps.Copy(t.tx.Tags, applied)
	}
}

// parseDate reads Y-M-D with "-", "/" or "." and M-D in year.
func parseDate(s string, year int) (backoffice.Date, bool) {
	var parts [3]int
	n, sep := 0, byte(0)
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '-' || s[i] == '/' || s[i] == '.' {
			if i < len(s) {
				if sep != 0 && s[i] != sep || n == 2 {
					return backoffice.Date{}, false
				}
				sep = s[i]
			}
			n++
			continue
		}
		c := s[i]
		if c < '0' || c > '9' || parts[n] > 9999 {
			return backoffice.Date{}, false
		}
		parts[n] = parts[n]*10 + int(c-'0')
	}
	y, m, d := year, parts[0], parts[1]
	if n == 3 {
		y, m, d = parts[0], parts[1], parts[2]
	} else if n != 2 {
		return backoffice.Date{}, false
	}
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return backoffice.Date{}, false
	}
	date := backoffice.NewDate(y, time.Month(m), d)
	return date, date.Day == d // 2026-02-30 is not a date
}

// readPostingLine reads an indented line of a transaction: a comment, which
// belongs to the last posting (or to the transaction before the first), or
// a posting "[*|!] ACCOUNT  [AMOUNT] [@ COST|@@ TOTAL] [= BALANCE] [; COMMENT]".
func (p *parser) readPostingLine(file, line string, n int) {
	t := p.cur()
	if line[0] == ';' || line[0] == '#' {
		comment := strings.TrimSpace(line[1:])
		if k := len(t.tx.Postings); k > 0 {
			post := &t.tx.Postings[k-1]
			post.Comment = joinLine(post.Comment, comment)
			post.Tags = p.tags(comment, post.Tags)
		} else {
			t.tx.Comment = joinLine(t.tx.Comment, comment)
			t.tx.Tags = p.tags(comment, t.tx.Tags)
		}
		return
	}
	post := Posting{Line: n}
	if i := strings.IndexByte(line, ';'); i >= 0 {
		post.Comment = strings.TrimSpace(line[i+1:])
		post.Tags = p.tags(post.Comment, nil)
		line = strings.TrimSpace(line[:i])
	}
	if line[0] == '*' || line[0] == '!' {
		post.Status, line = line[:1], strings.TrimLeft(line[1:], " \t")
	}
	name, rest, msg := cutAccount(line, &post)
	if msg != "" {
		p.problem(file, n, "%s", msg)
		t.broken = true
		return
	}
	post.Account = p.account(name)
	if !p.postingAmounts(file, n, rest, &post) {
		t.broken = true
	}
	p.addPosting(post)
}

func joinLine(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

// cutAccount reads the account, "(virtual)" or "[balanced virtual]", and
// returns the rest of the line. A plain name ends at two spaces or a tab.
func cutAccount(line string, post *Posting) (name, rest, msg string) {
	if line == "" {
		return "", "", "posting has no account"
	}
	if open := line[0]; open == '(' || open == '[' {
		closer := byte(')')
		if open == '[' {
			closer = ']'
		}
		end := strings.IndexByte(line, closer)
		if end < 0 {
			return "", "", "virtual account " + clip(line) + " is not closed by " + string(closer)
		}
		post.Virtual = string(open) + string(closer)
		name, rest = strings.TrimSpace(line[1:end]), strings.TrimSpace(line[end+1:])
	} else {
		end := len(line)
		if i := strings.Index(line, "  "); i >= 0 {
			end = i
		}
		if i := strings.IndexByte(line[:end], '\t'); i >= 0 {
			end = i
		}
		name, rest = strings.TrimSpace(line[:end]), strings.TrimSpace(line[end:])
	}
	if name == "" {
		return "", "", "posting has no account"
	}
	return name, rest, ""
}
