package ofx

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// node is one OFX element: an aggregate with children, or a leaf with text.
type node struct {
	name     string
	text     string
	children []*node
	line     int // 1-based line of the start tag
}

// child is the first direct child called name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// get is the text at a path of direct children ("PAYEE", "NAME"), "" when absent.
func (n *node) get(path ...string) string {
	for _, p := range path {
		n = n.child(p)
	}
	if n == nil {
		return ""
	}
	return n.text
}

// all collects every descendant called name, in document order, without
// descending into a match.
func (n *node) all(name string, out []*node) []*node {
	for _, c := range n.children {
		if c.name == name {
			out = append(out, c)
			continue
		}
		out = c.all(name, out)
	}
	return out
}

// decode returns the file as UTF-8, honouring the SGML CHARSET/ENCODING
// header or the XML declaration. Valid UTF-8 is taken as it is: a
// "CHARSET:1252" header on a UTF-8 file is a common exporter mistake.
func decode(data []byte) string {
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		data = data[3:]
	}
	if utf8.Valid(data) {
		return string(data)
	}
	head := strings.ToUpper(string(data[:min(len(data), 600)]))
	cm := charmap.Windows1252
	if strings.Contains(head, "8859-1") || strings.Contains(head, "LATIN1") || strings.Contains(head, "LATIN-1") {
		cm = charmap.ISO8859_1
	}
	out, err := cm.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// aggregateName tells the OFX aggregates from leaf elements, so that an SGML
// leaf with no text and no end tag (<MEMO><NAME>x) does not swallow what follows.
var aggregateName = regexp.MustCompile(`^(OFX|STATUS|FI|PAYEE|CURRENCY|ORIGCURRENCY|STMTTRN|LEDGERBAL|AVAILBAL|BAL|BALLIST|.*MSGSRSV\d|.*MSGSRQV\d|.*(TRN)?RS|.*(TRN)?RQ|.*LIST|.*ACCTFROM|.*ACCTTO|.*INFO|INV.*|.*POS.*|SECID|INVTRAN)$`)

var entities = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&nbsp;", " ", "&#39;", "'")

// parseTree reads SGML (OFX 1.x, leaf end tags optional) and XML (OFX 2.x)
// alike into a tree rooted at a synthetic node. found is false when the
// text holds no <OFX> element.
func parseTree(s string) (root *node, found bool) {
	root = &node{name: ""}
	stack := []*node{root}
	line := 1
	i := 0
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			break
		}
		text := s[i : i+lt]
		line += strings.Count(text, "\n")
		top := stack[len(stack)-1]
		if t := strings.TrimSpace(text); t != "" && top != root && len(top.children) == 0 {
			top.text += entities.Replace(t)
		}
		i += lt
		end := tagEnd(s, i)
		tag := s[i:end]
		line += strings.Count(tag, "\n")
		i = end
		name, closing, skip := tagName(tag)
		if skip || name == "" {
			continue
		}
		if name == "OFX" {
			found = true
		}
		stack = applyTag(stack, name, closing, line)
	}
	return root, found
}

// applyTag opens or closes an element on the stack.
func applyTag(stack []*node, name string, closing bool, line int) []*node {
	top := stack[len(stack)-1]
	// A leaf whose text ended without an end tag closes at the next tag.
	if len(stack) > 1 && !isAggregate(top) && !(closing && top.name == name) {
		stack = stack[:len(stack)-1]
	}
	if closing {
		for k := len(stack) - 1; k > 0; k-- {
			if stack[k].name == name {
				return stack[:k]
			}
		}
		return stack // an end tag with no open element: ignore it
	}
	n := &node{name: name, line: line}
	parent := stack[len(stack)-1]
	parent.children = append(parent.children, n)
	return append(stack, n)
}

func isAggregate(n *node) bool {
	return len(n.children) > 0 || (n.text == "" && aggregateName.MatchString(n.name))
}

// tagEnd is the index just past the tag starting at i, skipping comments.
func tagEnd(s string, i int) int {
	if strings.HasPrefix(s[i:], "<!--") {
		if k := strings.Index(s[i:], "-->"); k >= 0 {
			return i + k + 3
		}
		return len(s)
	}
	if k := strings.IndexByte(s[i:], '>'); k >= 0 {
		return i + k + 1
	}
	return len(s)
}

// tagName reads "<NAME attr>", "</NAME>"; skip is set for comments,
// declarations and processing instructions.
func tagName(tag string) (name string, closing, skip bool) {
	t := strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">")
	if strings.HasPrefix(t, "!") || strings.HasPrefix(t, "?") {
		return "", false, true
	}
	if strings.HasPrefix(t, "/") {
		closing, t = true, t[1:]
	}
	t = strings.TrimSuffix(t, "/")
	if f := strings.Fields(t); len(f) > 0 {
		name = strings.ToUpper(f[0])
	}
	return name, closing, false
}
