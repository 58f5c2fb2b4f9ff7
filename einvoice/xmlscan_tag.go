package einvoice

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

type rawAttr struct{ name, value string }

// startTag reads "<name attr='v' ...>" or the empty form "<name/>" and
// returns the element with its namespace resolved. It pushes the element's
// namespace scope; the caller pops it for an empty element.
func (s *scanner) startTag(parent *node) (*node, bool, error) {
	s.pos++ // '<'
	line := s.line
	qn := s.name()
	if qn == "" {
		return nil, false, s.fail("a tag without a name")
	}
	var attrs []rawAttr
	empty := false
	for {
		s.skipSpace()
		if s.pos >= len(s.src) {
			return nil, false, s.fail("tag %s is not closed", qn)
		}
		if c := s.src[s.pos]; c == '>' {
			s.pos++
			break
		} else if c == '/' {
			if s.pos+1 >= len(s.src) || s.src[s.pos+1] != '>' {
				return nil, false, s.fail("expected /> in tag %s", qn)
			}
			s.pos += 2
			empty = true
			break
		}
		a, err := s.attribute(qn)
		if err != nil {
			return nil, false, err
		}
		for _, b := range attrs {
			if b.name == a.name {
				return nil, false, s.fail("attribute %s repeated in tag %s", a.name, qn)
			}
		}
		attrs = append(attrs, a)
	}
	scope := s.pushScope(attrs)
	el := &node{kind: elemNode, parent: parent, line: line, order: s.order}
	s.order++
	prefix, local := splitQName(qn)
	uri, ok := scope[prefix]
	if !ok && prefix != "" {
		return nil, false, s.fail("prefix %s of element %s is not declared", prefix, qn)
	}
	el.space, el.local, el.prefix = uri, local, prefix
	for _, a := range attrs {
		if a.name == "xmlns" || strings.HasPrefix(a.name, "xmlns:") {
			continue
		}
		ap, al := splitQName(a.name)
		auri := ""
		if ap != "" {
			if auri, ok = scope[ap]; !ok {
				return nil, false, s.fail("prefix %s of attribute %s is not declared", ap, a.name)
			}
		}
		el.attrs = append(el.attrs, &node{kind: attrNode, space: auri, local: al, prefix: ap, text: a.value, parent: el, order: s.order})
		s.order++
	}
	return el, empty, nil
}

func (s *scanner) attribute(tag string) (rawAttr, error) {
	name := s.name()
	if name == "" {
		return rawAttr{}, s.fail("unexpected %q in tag %s", s.src[s.pos], tag)
	}
	s.skipSpace()
	if s.pos >= len(s.src) || s.src[s.pos] != '=' {
		return rawAttr{}, s.fail("attribute %s has no value", name)
	}
	s.pos++
	s.skipSpace()
	if s.pos >= len(s.src) || (s.src[s.pos] != '"' && s.src[s.pos] != '\'') {
		return rawAttr{}, s.fail("the value of attribute %s is not quoted", name)
	}
	q := s.src[s.pos]
	end := bytes.IndexByte(s.src[s.pos+1:], q)
	if end < 0 {
		return rawAttr{}, s.fail("the value of attribute %s is not closed", name)
	}
	raw := s.src[s.pos+1 : s.pos+1+end]
	s.line += bytes.Count(raw, []byte{'\n'})
	s.pos += end + 2
	if bytes.IndexByte(raw, '<') >= 0 {
		return rawAttr{}, s.fail("< in the value of attribute %s", name)
	}
	// Attribute value normalisation: each whitespace character becomes a space.
	norm := bytes.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, raw)
	v, err := appendText(nil, norm)
	if err != nil {
		return rawAttr{}, s.fail("attribute %s: %v", name, err)
	}
	return rawAttr{name: name, value: string(v)}, nil
}

// pushScope opens the namespace scope of an element: its parent's, plus
// the element's own declarations.
func (s *scanner) pushScope(attrs []rawAttr) map[string]string {
	var parent map[string]string
	if len(s.scope) > 0 {
		parent = s.scope[len(s.scope)-1]
	} else {
		parent = map[string]string{"xml": xmlNamespace}
	}
	scope, copied := parent, false
	for _, a := range attrs {
		prefix, isDecl := "", a.name == "xmlns"
		if p, ok := strings.CutPrefix(a.name, "xmlns:"); ok {
			prefix, isDecl = p, true
		}
		if !isDecl {
			continue
		}
		if !copied {
			scope, copied = make(map[string]string, len(parent)+2), true
			for k, v := range parent {
				scope[k] = v
			}
		}
		scope[prefix] = canonicalNamespace(a.value)
	}
	s.scope = append(s.scope, scope)
	return scope
}

func splitQName(qn string) (prefix, local string) {
	if p, l, ok := strings.Cut(qn, ":"); ok {
		return p, l
	}
	return "", qn
}

// endTag reads "</name>", which must close cur.
func (s *scanner) endTag(cur *node) error {
	s.pos += 2
	qn := s.name()
	s.skipSpace()
	if s.pos >= len(s.src) || s.src[s.pos] != '>' {
		return s.fail("end tag %s is not closed", qn)
	}
	s.pos++
	want := cur.local
	if cur.prefix != "" {
		want = cur.prefix + ":" + cur.local
	}
	if qn != want {
		return s.fail("element %s is closed by </%s>", want, qn)
	}
	return nil
}

// normalizeNewlines turns CR LF and lone CR into LF, as XML parsers must.
func normalizeNewlines(b []byte) []byte {
	if bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(b, []byte("\r"), []byte("\n"))
}

// appendText appends character data with its entity and character
// references replaced.
func appendText(dst, chunk []byte) ([]byte, error) {
	chunk = normalizeNewlines(chunk)
	for {
		i := bytes.IndexByte(chunk, '&')
		if i < 0 {
			return append(dst, chunk...), nil
		}
		dst = append(dst, chunk[:i]...)
		chunk = chunk[i:]
		end := bytes.IndexByte(chunk, ';')
		if end < 0 || end > 12 {
			return nil, fmt.Errorf("& must start an entity reference such as &amp;")
		}
		ref := string(chunk[1:end])
		chunk = chunk[end+1:]
		switch ref {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, err := charRef(ref)
			if err != nil {
				return nil, err
			}
			dst = utf8.AppendRune(dst, r)
		}
	}
}

func charRef(ref string) (rune, error) {
	var n uint64
	var err error
	switch {
	case strings.HasPrefix(ref, "#x"):
		n, err = strconv.ParseUint(ref[2:], 16, 32)
	case strings.HasPrefix(ref, "#"):
		n, err = strconv.ParseUint(ref[1:], 10, 32)
	default:
		return 0, fmt.Errorf("unknown entity &%s;", ref)
	}
	if err != nil || n == 0 || n > utf8.MaxRune || (n >= 0xD800 && n <= 0xDFFF) {
		return 0, fmt.Errorf("bad character reference &%s;", ref)
	}
	return rune(n), nil
}

// canonicalNamespace returns the package's own copy of a well-known
// namespace URI, so that name tests compare equal strings by pointer
// instead of byte by byte (a measurable share of validation time).
func canonicalNamespace(uri string) string {
	for _, known := range []string{nsCBC, nsCAC, nsInvoice, nsCreditNote, nsRSM, nsRAM, nsUDT, nsQDT} {
		if uri == known {
			return known
		}
	}
	return uri
}
