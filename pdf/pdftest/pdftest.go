// Package pdftest reads back the documents of package pdf in tests: the
// text each page shows and the number of pages, without an external tool.
// It understands what fpdf writes (Flate-compressed or plain content
// streams, strings shown with Tj in Windows-1252), not PDF in general.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// Line is one string a page shows, and where: X from the left and Y from
// the top of the page, in millimetres.
type Line struct {
	X, Y float64
	Text string
}

// Page is the strings one page shows, in the order it shows them.
type Page []Line

// Text returns the page's strings, one a line.
func (p Page) Text() string {
	out := make([]string, len(p))
	for i, l := range p {
		out[i] = l.Text
	}
	return strings.Join(out, "\n")
}

// Has reports whether the page shows exactly s as one string.
func (p Page) Has(s string) bool {
	for _, l := range p {
		if l.Text == s {
			return true
		}
	}
	return false
}

// Pages holds the text of every page of a document.
type Pages []Page

// Text returns all pages' text, pages separated by a form feed.
func (p Pages) Text() string {
	out := make([]string, len(p))
	for i, pg := range p {
		out[i] = pg.Text()
	}
	return strings.Join(out, "\f")
}

// Read extracts the text of every page of doc, failing t when doc is not
// a PDF it can read.
func Read(t testing.TB, doc []byte) Pages {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		t.Fatalf("not a PDF: starts with %q", doc[:min(len(doc), 16)])
	}
	var pages Pages
	height := 841.89 // A4 portrait unless the document says otherwise
	if m := mediaBox.FindSubmatch(doc); m != nil {
		height, _ = strconv.ParseFloat(string(m[1]), 64)
	}
	rest := doc
	for {
		dict, data, after, ok := nextStream(rest)
		if !ok {
			break
		}
		rest = after
		if bytes.Contains(dict, []byte("/Image")) || bytes.Contains(dict, []byte("/Length1")) {
			continue // pictures and embedded fonts show no text
		}
		if bytes.Contains(dict, []byte("/FlateDecode")) {
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("content stream: %v", err)
			}
			if data, err = io.ReadAll(zr); err != nil {
				t.Fatalf("content stream: %v", err)
			}
		}
		if !bytes.Contains(data, []byte("BT")) {
			continue
		}
		pages = append(pages, shown(t, data, height))
	}
	if len(pages) == 0 {
		t.Fatalf("the PDF shows no text")
	}
	return pages
}

var streamStart = regexp.MustCompile(`(?s)<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n`)

// nextStream finds the next stream object: its dictionary, its data, and
// the bytes after it.
func nextStream(b []byte) (dict, data, rest []byte, ok bool) {
	m := streamStart.FindSubmatchIndex(b)
	if m == nil {
		return nil, nil, nil, false
	}
	dict = b[m[2]:m[3]]
	body := b[m[1]:]
	// The length in the dictionary, not a search for "endstream": that
	// word may occur inside compressed data.
	if l := streamLength.FindSubmatch(dict); l != nil {
		if n, err := strconv.Atoi(string(l[1])); err == nil && n <= len(body) {
			return dict, body[:n], body[n:], true
		}
	}
	end := bytes.Index(body, []byte("endstream"))
	if end < 0 {
		return nil, nil, nil, false
	}
	data = bytes.TrimRight(body[:end], "\r\n")
	return dict, data, body[end:], true
}

var streamLength = regexp.MustCompile(`/Length (\d+)`)

var showText = regexp.MustCompile(`([-\d.]+) ([-\d.]+) Td \(((?:[^()\\]|\\.|\\[0-7]{1,3})*)\)\s*Tj`)

const mm = 72 / 25.4 // points

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 [\d.]+ ([\d.]+)\]`)

// shown lists the strings a content stream shows, decoded from
// Windows-1252, with their positions.
func shown(t testing.TB, content []byte, height float64) Page {
	var lines Page
	dec := charmap.Windows1252.NewDecoder()
	for _, m := range showText.FindAllSubmatch(content, -1) {
		s, err := dec.Bytes(unescape(m[3]))
		if err != nil {
			t.Fatalf("decode %q: %v", m[3], err)
		}
		x, _ := strconv.ParseFloat(string(m[1]), 64)
		y, _ := strconv.ParseFloat(string(m[2]), 64)
		lines = append(lines, Line{X: x / mm, Y: (height - y) / mm, Text: string(s)})
	}
	return lines
}

// unescape undoes a PDF literal string's backslash escapes.
func unescape(s []byte) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			out = append(out, s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			v, n := 0, 0
			for n < 3 && i+n < len(s) && s[i+n] >= '0' && s[i+n] <= '7' {
				v = v*8 + int(s[i+n]-'0')
				n++
			}
			out = append(out, byte(v))
			i += n - 1
		default:
			out = append(out, c)
		}
	}
	return out
}
