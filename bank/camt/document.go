package camt

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/ianaindex"
)

// maxDepth bounds how deep the element tree is kept. camt nests about 15
// levels; anything far deeper is junk or an attack on the parser's memory.
const maxDepth = 64

// node is one XML element, known by its local name only: camt files come with
// every namespace from camt.05x.001.02 to .001.13, with none at all, or with a
// wrong one, and the element names are what stays the same.
type node struct {
	name   string
	attrs  []xml.Attr
	text   strings.Builder
	line   int  // 1-based line of the start tag
	closed bool // the end tag was read; false when the file broke off inside
	space  string
	kids   []*node
}

// child is the first child element called name, or nil. It is nil-safe so
// that optional wrappers can be walked without checks: n.at("Tp", "Cd").
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

// children are all child elements called name.
func (n *node) children(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// at follows a path of child names.
func (n *node) at(path ...string) *node {
	for _, p := range path {
		n = n.child(p)
	}
	return n
}

// str is the trimmed text of the element at path, or "".
func (n *node) str(path ...string) string {
	t := n.at(path...)
	if t == nil {
		return ""
	}
	return strings.TrimSpace(t.text.String())
}

// first is the text of the first of several alternative paths that has any,
// for elements renamed between versions (BIC in .02, BICFI from .04).
func (n *node) first(paths ...[]string) string {
	for _, p := range paths {
		if s := n.str(p...); s != "" {
			return s
		}
	}
	return ""
}

// attr is the value of the attribute with local name name.
func (n *node) attr(name string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// pos is the line of n, or 0 for a missing element.
func (n *node) pos() int {
	if n == nil {
		return 0
	}
	return n.line
}

// lineIndex maps byte offsets of the (cleaned) input to 1-based lines.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	var idx lineIndex
	for i, b := range data {
		if b == '\n' {
			idx = append(idx, i)
		}
	}
	return idx
}

// line is the line of the byte at offset off.
func (l lineIndex) line(off int64) int {
	return sort.Search(len(l), func(i int) bool { return int64(l[i]) >= off }) + 1
}

var encodingDecl = regexp.MustCompile(`^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// clean turns the input into UTF-8 the XML decoder accepts, without moving
// any line break, so that line numbers still point into the user's file.
// Banks send Latin-1 files, stray control bytes and broken UTF-8; each
// repair is reported once.
func clean(data []byte, w *warnings) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if m := encodingDecl.FindSubmatch(data[:min(len(data), 200)]); m != nil {
		label := strings.ToLower(string(m[1]))
		if label != "utf-8" && label != "utf8" {
			data = toUTF8(data, label, w)
		}
	}
	if !utf8.Valid(data) {
		line := newLineIndex(data).line(int64(firstInvalidUTF8(data)))
		w.add(line, "the file is not valid UTF-8; unreadable bytes were replaced by \uFFFD")
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	if i := bytes.IndexFunc(data, badXMLRune); i >= 0 {
		w.add(newLineIndex(data).line(int64(i)), "the file contains control characters that XML does not allow; they were replaced by spaces")
		data = bytes.Map(func(r rune) rune {
			if badXMLRune(r) {
				return ' '
			}
			return r
		}, data)
	}
	return data
}

func toUTF8(data []byte, label string, w *warnings) []byte {
	enc, err := ianaindex.IANA.Encoding(label)
	if err != nil || enc == nil {
		w.add(1, fmt.Sprintf("unknown character encoding %q; the file was read as UTF-8", label))
		return data
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		w.add(1, fmt.Sprintf("the file does not decode as %s (%v); it was read as UTF-8", label, err))
		return data
	}
	return out
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}

// badXMLRune reports control characters outside XML 1.0's Char production.
func badXMLRune(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}

// readTree reads the whole element tree it can. It stops at the first
// XML error and reports it as a warning; the caller decides whether what was
// read before is enough. It returns the root element, or nil.
func readTree(data []byte, lines lineIndex, w *warnings) *node {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false // unquoted attributes, unknown entities, mismatched end tags
	dec.Entity = xml.HTMLEntity
	// The input is UTF-8 by now (see clean), whatever the declaration says.
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var root *node
	var stack []*node
	skip := 0 // depth inside an element below maxDepth
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) || len(stack) > 0 {
				w.add(errLine(err, dec, lines), "the XML breaks off here ("+xmlReason(err)+"); only what comes before was read")
			}
			return root
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 || len(stack) >= maxDepth {
				if skip == 0 {
					w.addf(lines.line(off), "elements nested deeper than %d levels were ignored", maxDepth)
				}
				skip++
				continue
			}
			n := &node{name: t.Name.Local, space: t.Name.Space, attrs: t.Attr, line: lines.line(off)}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else if root == nil {
				root = n
			} else {
				w.add(n.line, "a second root element <"+n.name+"> follows the document; it was ignored")
				return root
			}
			stack = append(stack, n)
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) > 0 {
				stack[len(stack)-1].closed = true
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if skip == 0 && len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
}

func errLine(err error, dec *xml.Decoder, lines lineIndex) int {
	var se *xml.SyntaxError
	if errors.As(err, &se) && se.Line > 0 {
		return se.Line
	}
	return lines.line(dec.InputOffset())
}

func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the file ends inside an element"
	}
	return err.Error()
}
