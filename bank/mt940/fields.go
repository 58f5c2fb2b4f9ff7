package mt940

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"backoffice/bank/statement"
)

// field is one tagged field with its continuation lines.
type field struct {
	tag   string   // "20", "28C", "61", …
	lines []string // the text after the tag, then each continuation line
	line  int      // 1-based file line of the tag
}

// text is the field's lines joined with sep, trailing blank lines dropped.
func (f field) text(sep string) string { return strings.Join(f.linesTrimmed(), sep) }

// message is one statement's fields, split at ":20:", "-" or a SWIFT envelope.
type message struct {
	fields  []field
	interim bool // MT942
}

var (
	tagLine = regexp.MustCompile(`^:([0-9]{2}[A-Z]?|NS):`)
	// knownTags are the MT940/MT942 fields; other tag-shaped lines inside a
	// text field are wrapped text, such as a time "13:12:11" broken at a colon.
	knownTags = map[string]bool{
		"20": true, "21": true, "25": true, "28": true, "28C": true,
		"60": true, "60F": true, "60M": true, "61": true, "86": true,
		"62": true, "62F": true, "62M": true, "64": true, "65": true,
		"34": true, "34F": true, "13": true, "13D": true, "90D": true, "90C": true, "NS": true,
	}
)

// decodeText returns data as UTF-8. SWIFT text is ASCII, but banks write
// umlauts in ISO-8859-1/Windows-1252; a file that is not valid UTF-8 is read
// as Windows-1252, which is a superset of ISO-8859-1's printable range.
func decodeText(data []byte) string {
	data = trimBOM(data)
	if utf8.Valid(data) {
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

// splitLines splits on LF, CRLF or a lone CR.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// reader groups lines into messages and fields.
type reader struct {
	msgs  []message
	cur   *message
	fld   *field
	warns []statement.Warning
	found bool
}

// readMessages splits the file into messages of fields. found is false when
// no MT940 field was seen at all.
func readMessages(lines []string) ([]message, []statement.Warning, bool) {
	r := &reader{}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\x00")
		// Some Sparkassen break the line right after the tag's first colon.
		if l == ":" && i+1 < len(lines) && tagLine.MatchString(":"+lines[i+1]) {
			i++
			l = ":" + strings.TrimRight(lines[i], " \t")
		}
		r.line(l, i+1)
	}
	r.endMessage()
	return r.msgs, r.warns, r.found
}

func (r *reader) line(l string, n int) {
	if strings.HasPrefix(l, "{1:") || strings.Contains(l, "{4:") {
		r.endMessage()
		r.startMessage()
		if strings.Contains(l, "{2:O942") || strings.Contains(l, "{2:I942") {
			r.cur.interim = true
		}
		if _, rest, ok := strings.Cut(l, "{4:"); ok && strings.TrimSpace(rest) != "" {
			r.line(rest, n)
		}
		return
	}
	if l == "-" || strings.HasPrefix(l, "-}") {
		r.endMessage()
		return
	}
	m := tagLine.FindStringSubmatch(l)
	if m == nil || (!knownTags[m[1]] && r.fld != nil && (r.fld.tag == "86" || r.fld.tag == "NS")) {
		if r.fld != nil && (strings.TrimSpace(l) != "" || r.inText()) {
			r.fld.lines = append(r.fld.lines, l)
		}
		return
	}
	r.startField(m[1], l[len(m[0]):], n)
}

// inText reports whether the open field is free text that may wrap.
func (r *reader) inText() bool {
	return r.fld != nil && (r.fld.tag == "86" || r.fld.tag == "61" || r.fld.tag == "NS")
}

func (r *reader) startField(tag, rest string, n int) {
	r.endField()
	if !knownTags[tag] {
		r.warns = append(r.warns, statement.Warning{Line: n, Message: "unknown field :" + tag + ": skipped"})
		r.fld = &field{tag: "?" + tag, line: n}
		return
	}
	r.found = true
	if r.cur == nil || (tag == "20" && len(r.cur.fields) > 0) || (isOpening(tag) && r.has(isOpening)) {
		r.endMessage()
		r.startMessage()
	}
	if tag == "13" || tag == "13D" || tag == "34F" || tag == "34" {
		r.cur.interim = true
	}
	r.fld = &field{tag: tag, lines: []string{rest}, line: n}
}

func isOpening(tag string) bool { return tag == "60F" || tag == "60M" || tag == "60" }

func (r *reader) has(pred func(string) bool) bool {
	for _, f := range r.cur.fields {
		if pred(f.tag) {
			return true
		}
	}
	return false
}

func (r *reader) startMessage() { r.cur = &message{} }

func (r *reader) endField() {
	if r.fld != nil && r.cur != nil && !strings.HasPrefix(r.fld.tag, "?") {
		r.cur.fields = append(r.cur.fields, *r.fld)
	}
	r.fld = nil
}

func (r *reader) endMessage() {
	r.endField()
	if r.cur != nil && len(r.cur.fields) > 0 {
		r.msgs = append(r.msgs, *r.cur)
	}
	r.cur = nil
}
