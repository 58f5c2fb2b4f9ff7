package einvoice

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"

	"backoffice"
)

// facturXNames are the names the CII XML of a hybrid PDF invoice goes by:
// Factur-X and ZUGFeRD 2 use factur-x.xml (ZUGFeRD 2.0 zugferd-invoice.xml,
// XRechnung in ZUGFeRD xrechnung.xml, ZUGFeRD 1 ZUGFeRD-invoice.xml), in
// order of preference.
var facturXNames = []string{"factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"}

// maxEmbedded bounds what one embedded file may decompress to, so a
// crafted stream cannot exhaust memory.
const maxEmbedded = 64 << 20

// ExtractFacturX returns the e-invoice XML embedded in a Factur-X or
// ZUGFeRD PDF: the file specification (a dictionary with /EF) named
// factur-x.xml, zugferd-invoice.xml or xrechnung.xml, whether it is
// reached through the EmbeddedFiles name tree or the catalog's /AF array,
// and whether the objects are plain or packed in object streams. The
// stream is decoded (FlateDecode or none). A PDF without such a file is an
// EInvalid error saying so; a damaged one an error naming what is wrong.
func ExtractFacturX(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(bytes.TrimLeft(data[:min(len(data), 1024)], "\x00\t\r\n "), []byte("%PDF-")) {
		return nil, errPDF("the file is not a PDF")
	}
	x := indexObjects(data)
	if len(x.direct) == 0 {
		return nil, errPDF("the PDF holds no objects")
	}
	x.unpackObjectStreams()
	found := map[string]int{} // name → object of its file specification
	for _, n := range x.numbers() {
		v, _, err := x.object(n)
		if err != nil {
			continue
		}
		d, ok := v.(pdfDict)
		if !ok || d["EF"] == nil {
			continue
		}
		name := ""
		for _, k := range []pdfName{"UF", "F"} {
			if s, ok := x.resolve(d[k], 0).(pdfString); ok {
				name = strings.ToLower(textOf(s))
				break
			}
		}
		if i := strings.LastIndexAny(name, "/\\"); i >= 0 {
			name = name[i+1:]
		}
		if _, seen := found[name]; !seen {
			found[name] = n
		}
	}
	for _, want := range facturXNames {
		n, ok := found[want]
		if !ok {
			continue
		}
		v, _, _ := x.object(n)
		ef, ok := x.resolve(v.(pdfDict)["EF"], 0).(pdfDict)
		if !ok {
			return nil, errPDF(fmt.Sprintf("the file specification of %s has no /EF dictionary", want))
		}
		target := ef["F"]
		if target == nil {
			target = ef["UF"]
		}
		r, ok := target.(pdfRef)
		if !ok {
			return nil, errPDF(fmt.Sprintf("the embedded file %s is not a stream", want))
		}
		sd, raw, err := x.object(r.n)
		if err != nil {
			return nil, errPDF(fmt.Sprintf("the embedded file %s: %v", want, err))
		}
		dict, ok := sd.(pdfDict)
		if !ok || raw == nil {
			return nil, errPDF(fmt.Sprintf("the embedded file %s is not a stream", want))
		}
		out, err := x.decode(dict, raw)
		if err != nil {
			return nil, errPDF(fmt.Sprintf("the embedded file %s: %v", want, err))
		}
		return out, nil
	}
	if len(found) > 0 {
		var names []string
		for n := range found {
			names = append(names, n)
		}
		return nil, errPDF(fmt.Sprintf("the PDF embeds no factur-x.xml, zugferd-invoice.xml or xrechnung.xml (it embeds %s)", strings.Join(sortedStrings(names), ", ")))
	}
	return nil, errPDF("the PDF embeds no e-invoice: it is not a Factur-X or ZUGFeRD document")
}

// errPDF is the EInvalid error of a PDF without a readable e-invoice.
func errPDF(msg string) error {
	return &backoffice.Error{Code: backoffice.EInvalid, Message: "Factur-X: " + msg}
}

func sortedStrings(a []string) []string {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
	return a
}

// PDF values as the parser returns them.
type (
	pdfName   string
	pdfString []byte
	pdfRef    struct{ n, g int }
	pdfDict   map[pdfName]any
	pdfArray  []any
)

// objects indexes where each object of a PDF is: directly in the file
// (the last definition wins, as incremental updates want) or inside an
// object stream.
type objects struct {
	data   []byte
	direct map[int]int    // object number → offset of its body
	packed map[int][]byte // object number → its text inside a decoded object stream
	cache  map[int]cached
}

type cached struct {
	v   any
	raw []byte
	err error
}

var reObj = regexp.MustCompile(`(\d{1,10})\s+(\d{1,5})\s+obj\b`)

func indexObjects(data []byte) *objects {
	x := &objects{data: data, direct: map[int]int{}, packed: map[int][]byte{}, cache: map[int]cached{}}
	for _, m := range reObj.FindAllSubmatchIndex(data, -1) {
		if m[0] > 0 && !pdfSpace(data[m[0]-1]) && data[m[0]-1] != '>' && data[m[0]-1] != ']' && data[m[0]-1] != ')' {
			continue // the digits are the end of something else
		}
		n, err := strconv.Atoi(string(data[m[2]:m[3]]))
		if err != nil {
			continue
		}
		x.direct[n] = m[1]
	}
	return x
}

// numbers lists every object number, in ascending order.
func (x *objects) numbers() []int {
	seen := map[int]bool{}
	var out []int
	for n := range x.direct {
		seen[n] = true
		out = append(out, n)
	}
	for n := range x.packed {
		if !seen[n] {
			out = append(out, n)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// unpackObjectStreams indexes the objects packed in object streams.
func (x *objects) unpackObjectStreams() {
	for n := range x.direct {
		v, raw, err := x.object(n)
		if err != nil || raw == nil {
			continue
		}
		d, _ := v.(pdfDict)
		if d["Type"] != pdfName("ObjStm") {
			continue
		}
		count, _ := x.resolve(d["N"], 0).(int)
		first, _ := x.resolve(d["First"], 0).(int)
		body, err := x.decode(d, raw)
		if err != nil || first < 0 || first > len(body) || count <= 0 {
			continue
		}
		p := &parser{b: body[:first]}
		type entry struct{ n, off int }
		var entries []entry
		for range count {
			a, err1 := p.value(0)
			b, err2 := p.value(0)
			an, ok1 := a.(int)
			bn, ok2 := b.(int)
			if err1 != nil || err2 != nil || !ok1 || !ok2 || bn < 0 || first+bn > len(body) {
				break
			}
			entries = append(entries, entry{an, bn})
		}
		for i, e := range entries {
			end := len(body)
			if i+1 < len(entries) && first+entries[i+1].off >= first+e.off {
				end = first + entries[i+1].off
			}
			if _, ok := x.direct[e.n]; !ok {
				x.packed[e.n] = body[first+e.off : end]
			}
		}
	}
}

// object parses object n: its value and, for a stream, its raw data.
func (x *objects) object(n int) (any, []byte, error) {
	if c, ok := x.cache[n]; ok {
		return c.v, c.raw, c.err
	}
	x.cache[n] = cached{err: errors.New("object refers to itself")} // a loop reads as an error
	v, raw, err := x.parse(n)
	x.cache[n] = cached{v, raw, err}
	return v, raw, err
}

func (x *objects) parse(n int) (any, []byte, error) {
	if b, ok := x.packed[n]; ok {
		v, err := (&parser{b: b}).value(0)
		return v, nil, err
	}
	off, ok := x.direct[n]
	if !ok {
		return nil, nil, fmt.Errorf("object %d is missing", n)
	}
	p := &parser{b: x.data, pos: off}
	v, err := p.value(0)
	if err != nil {
		return nil, nil, fmt.Errorf("object %d: %w", n, err)
	}
	d, isDict := v.(pdfDict)
	p.skipSpace()
	if !isDict || !bytes.HasPrefix(x.data[p.pos:], []byte("stream")) {
		return v, nil, nil
	}
	start := p.pos + len("stream")
	if start < len(x.data) && x.data[start] == '\r' {
		start++
	}
	if start < len(x.data) && x.data[start] == '\n' {
		start++
	}
	length := -1
	if l, ok := d["Length"].(int); ok {
		length = l
	} else if r, ok := d["Length"].(pdfRef); ok && r.n != n {
		if l, ok := x.resolve(r, 0).(int); ok {
			length = l
		}
	}
	if length >= 0 && start+length <= len(x.data) {
		rest := bytes.TrimLeft(x.data[start+length:min(len(x.data), start+length+32)], "\r\n\t ")
		if bytes.HasPrefix(rest, []byte("endstream")) {
			return d, x.data[start : start+length], nil
		}
	}
	end := bytes.Index(x.data[start:], []byte("endstream"))
	if end < 0 {
		return nil, nil, fmt.Errorf("object %d: stream without endstream", n)
	}
	raw := bytes.TrimRight(x.data[start:start+end], "\r\n")
	return d, raw, nil
}

// resolve follows a reference to its value (at most a few steps deep).
func (x *objects) resolve(v any, depth int) any {
	r, ok := v.(pdfRef)
	if !ok || depth > 8 {
		return v
	}
	o, _, err := x.object(r.n)
	if err != nil {
		return nil
	}
	return x.resolve(o, depth+1)
}

// decode applies a stream's filters: FlateDecode, or none.
func (x *objects) decode(d pdfDict, raw []byte) ([]byte, error) {
	var filters []any
	switch f := x.resolve(d["Filter"], 0).(type) {
	case nil:
	case pdfName:
		filters = []any{f}
	case pdfArray:
		filters = f
	default:
		return nil, errors.New("unreadable /Filter")
	}
	out := raw
	for _, f := range filters {
		switch x.resolve(f, 0) {
		case pdfName("FlateDecode"), pdfName("Fl"):
			zr, err := zlib.NewReader(bytes.NewReader(out))
			if err != nil {
				return nil, fmt.Errorf("FlateDecode: %w", err)
			}
			b, err := io.ReadAll(io.LimitReader(zr, maxEmbedded+1))
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("FlateDecode: %w", err)
			}
			if len(b) > maxEmbedded {
				return nil, fmt.Errorf("the stream decompresses to more than %d MiB", maxEmbedded>>20)
			}
			out = b
		default:
			return nil, fmt.Errorf("filter %v is not supported", f)
		}
	}
	if dp, ok := x.resolve(d["DecodeParms"], 0).(pdfDict); ok {
		if p, ok := dp["Predictor"].(int); ok && p > 1 {
			return nil, errors.New("stream predictors are not supported")
		}
	}
	return out, nil
}

// textOf decodes a PDF text string: UTF-16BE after a byte order mark, else
// PDFDocEncoding read as Latin-1.
func textOf(s pdfString) string {
	if len(s) >= 2 && s[0] == 0xfe && s[1] == 0xff {
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(s))
	for i, c := range s {
		r[i] = rune(c)
	}
	return string(r)
}

// parser reads PDF values from b.
type parser struct {
	b   []byte
	pos int
}

func pdfSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return strings.IndexByte("()<>[]{}/%", c) >= 0 }

func (p *parser) skipSpace() {
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		if pdfSpace(c) {
			p.pos++
			continue
		}
		if c == '%' {
			for p.pos < len(p.b) && p.b[p.pos] != '\n' && p.b[p.pos] != '\r' {
				p.pos++
			}
			continue
		}
		return
	}
}

var errEnd = errors.New("unexpected end of data")

// value reads one value; a number followed by "G R" is a reference.
func (p *parser) value(depth int) (any, error) {
	if depth > 64 {
		return nil, errors.New("values nested too deeply")
	}
	p.skipSpace()
	if p.pos >= len(p.b) {
		return nil, errEnd
	}
	c := p.b[p.pos]
	switch {
	case c == '/':
		p.pos++
		return pdfName(p.name()), nil
	case c == '<' && p.pos+1 < len(p.b) && p.b[p.pos+1] == '<':
		p.pos += 2
		d := pdfDict{}
		for {
			p.skipSpace()
			if p.pos+1 < len(p.b) && p.b[p.pos] == '>' && p.b[p.pos+1] == '>' {
				p.pos += 2
				return d, nil
			}
			if p.pos >= len(p.b) {
				return nil, errEnd
			}
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			key, ok := k.(pdfName)
			if !ok {
				return nil, fmt.Errorf("a dictionary key is not a name at byte %d", p.pos)
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d[key] = v
		}
	case c == '<':
		p.pos++
		var hexd []byte
		for p.pos < len(p.b) && p.b[p.pos] != '>' {
			if h := p.b[p.pos]; !pdfSpace(h) {
				hexd = append(hexd, h)
			}
			p.pos++
		}
		if p.pos >= len(p.b) {
			return nil, errEnd
		}
		p.pos++
		if len(hexd)%2 == 1 {
			hexd = append(hexd, '0')
		}
		out := make([]byte, len(hexd)/2)
		for i := range out {
			v, err := strconv.ParseUint(string(hexd[2*i:2*i+2]), 16, 8)
			if err != nil {
				return nil, errors.New("a bad hex string")
			}
			out[i] = byte(v)
		}
		return pdfString(out), nil
	case c == '(':
		return p.literal()
	case c == '[':
		p.pos++
		var a pdfArray
		for {
			p.skipSpace()
			if p.pos >= len(p.b) {
				return nil, errEnd
			}
			if p.b[p.pos] == ']' {
				p.pos++
				return a, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'):
		tok := p.name()
		n, err := strconv.Atoi(tok)
		if err != nil {
			f, err := strconv.ParseFloat(tok, 64)
			if err != nil {
				return nil, fmt.Errorf("a bad number %q", tok)
			}
			return f, nil
		}
		// "12 0 R" is a reference
		save := p.pos
		p.skipSpace()
		gen := p.name()
		p.skipSpace()
		if g, err := strconv.Atoi(gen); err == nil && gen != "" && p.pos < len(p.b) && p.b[p.pos] == 'R' &&
			(p.pos+1 == len(p.b) || pdfSpace(p.b[p.pos+1]) || isDelim(p.b[p.pos+1])) {
			p.pos++
			return pdfRef{n, g}, nil
		}
		p.pos = save
		return n, nil
	default:
		tok := p.name()
		switch tok {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		case "":
			return nil, fmt.Errorf("unexpected %q at byte %d", c, p.pos)
		}
		return nil, fmt.Errorf("unexpected %q", tok)
	}
}

// name reads a regular token, decoding #xx escapes.
func (p *parser) name() string {
	var b strings.Builder
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		if pdfSpace(c) || isDelim(c) {
			break
		}
		if c == '#' && p.pos+2 < len(p.b) {
			if v, err := strconv.ParseUint(string(p.b[p.pos+1:p.pos+3]), 16, 8); err == nil {
				b.WriteByte(byte(v))
				p.pos += 3
				continue
			}
		}
		b.WriteByte(c)
		p.pos++
	}
	return b.String()
}

// literal reads a (string) with its escapes and balanced parentheses.
func (p *parser) literal() (any, error) {
	p.pos++ // (
	var out []byte
	depth := 1
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return pdfString(out), nil
			}
		case '\\':
			if p.pos >= len(p.b) {
				return nil, errEnd
			}
			e := p.b[p.pos]
			p.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				if e == '\r' && p.pos < len(p.b) && p.b[p.pos] == '\n' {
					p.pos++
				}
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '7'; k++ {
						v = v*8 + int(p.b[p.pos]-'0')
						p.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, errEnd
}
