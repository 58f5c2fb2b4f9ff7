// Command einvoicerules generates the rule tables of package einvoice from
// the official Schematron files: the CEN EN 16931 validation artefacts
// (preprocessed, code lists included) and the Peppol BIS Billing 3.0 rules,
// for UBL and CII. Every assert keeps its id, flag, XPath test and message
// exactly as published; einvoice evaluates the tests with its own XPath
// interpreter, so nothing is read at run time and nothing is hand-copied.
//
// Usage (from the module root):
//
//	go run ./internal/gen/einvoicerules -testdata ../shared/testdata/einvoice/peppol -out einvoice
package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
)

// source names one Schematron file and the Go identifier of its table.
type source struct {
	ident, file string
}

var sources = []source{
	{"cenUBL", "en16931/ubl/schematron/preprocessed/EN16931-UBL-validation-preprocessed.sch"},
	{"cenCII", "en16931/cii/schematron/preprocessed/EN16931-CII-validation-preprocessed.sch"},
	{"peppolUBL", "bis3/sch/PEPPOL-EN16931-UBL.sch"},
	{"peppolCII", "bis3/sch/PEPPOL-EN16931-CII.sch"},
}

// maxLines keeps each generated file under the project's file size limit.
const maxLines = 420

func main() {
	testdata := flag.String("testdata", "../shared/testdata/einvoice/peppol", "folder holding en16931/ and bis3/")
	out := flag.String("out", "einvoice", "package folder to write rules_*.go into")
	flag.Parse()
	for _, s := range sources {
		if err := generate(s, *testdata, *out); err != nil {
			fmt.Fprintln(os.Stderr, "einvoicerules:", err)
			os.Exit(1)
		}
	}
}

// xnode is a generic XML element of the Schematron file.
type xnode struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []xnode    `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n xnode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

func generate(s source, testdata, out string) error {
	raw, err := os.ReadFile(filepath.Join(testdata, s.file))
	if err != nil {
		return err
	}
	var root xnode
	if err := xml.Unmarshal(raw, &root); err != nil {
		return fmt.Errorf("%s: %w", s.file, err)
	}
	old, _ := filepath.Glob(filepath.Join(out, "rules_"+snake(s.ident)+"_*.go"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return err
		}
	}
	w := &writer{ident: s.ident, out: out}
	fmt.Fprintf(&w.buf, "// %s is %s.\n", s.ident, s.file)
	fmt.Fprintf(&w.buf, "func %s() *schema {\n\treturn &schema{\n\t\tname: %q,\n\t\tns: map[string]string{\n", s.ident, filepath.Base(s.file))
	for _, n := range root.Nodes {
		if n.XMLName.Local == "ns" {
			fmt.Fprintf(&w.buf, "\t\t\t%q: %q,\n", n.attr("prefix"), n.attr("uri"))
		}
	}
	w.buf.WriteString("\t\t},\n\t\tlets: []let{\n")
	for _, n := range root.Nodes {
		if n.XMLName.Local == "let" {
			fmt.Fprintf(&w.buf, "\t\t\t{%q, %q},\n", n.attr("name"), n.attr("value"))
		}
	}
	w.buf.WriteString("\t\t},\n\t\tfuncs: []funcDef{\n")
	for _, n := range root.Nodes {
		if n.XMLName.Local == "function" {
			writeFunc(&w.buf, n)
		}
	}
	w.buf.WriteString("\t\t},\n\t\tpatterns: " + s.ident + "Patterns(),\n\t}\n}\n\n")
	var pats []xnode
	for _, n := range root.Nodes {
		if n.XMLName.Local == "pattern" {
			pats = append(pats, n)
		}
	}
	w.patterns(pats)
	return w.finish()
}

func writeFunc(b *bytes.Buffer, n xnode) {
	fmt.Fprintf(b, "\t\t\t{name: %q, as: %q, params: []funcParam{", n.attr("name"), n.attr("as"))
	var body []xnode
	for _, c := range n.Nodes {
		if c.XMLName.Local == "param" {
			fmt.Fprintf(b, "{%q, %q}, ", c.attr("name"), c.attr("as"))
		} else {
			body = append(body, c)
		}
	}
	b.WriteString("}, body: ")
	writeStmts(b, body)
	b.WriteString("},\n")
}

func writeStmts(b *bytes.Buffer, stmts []xnode) {
	b.WriteString("[]funcStmt{")
	for _, c := range stmts {
		switch c.XMLName.Local {
		case "choose":
			b.WriteString("{kind: \"choose\", whens: []funcWhen{")
			var otherwise []xnode
			for _, w := range c.Nodes {
				if w.XMLName.Local == "when" {
					fmt.Fprintf(b, "{test: %q, body: ", w.attr("test"))
					writeStmts(b, w.Nodes)
					b.WriteString("}, ")
				} else {
					otherwise = w.Nodes
				}
			}
			b.WriteString("}, otherwise: ")
			writeStmts(b, otherwise)
			b.WriteString("}, ")
		default:
			sel := c.attr("select")
			if sel == "" && len(c.Nodes) == 1 && c.Nodes[0].XMLName.Local == "value-of" {
				sel = c.Nodes[0].attr("select") // <variable><value-of select/></variable>
			}
			text := ""
			if sel == "" {
				text = c.Text
			}
			fmt.Fprintf(b, "{kind: %q, name: %q, as: %q, sel: %q, text: %q}, ", c.XMLName.Local, c.attr("name"), c.attr("as"), sel, text)
		}
	}
	b.WriteString("}")
}

// writer collects the generated functions and packs them into files of
// at most maxLines lines each.
type writer struct {
	ident  string
	out    string
	buf    bytes.Buffer // the function being written
	funcs  []string
	chunks int
}

// endFunc files the function in buf.
func (w *writer) endFunc() {
	w.funcs = append(w.funcs, w.buf.String())
	w.buf.Reset()
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 && !(s[i-1] >= 'A' && s[i-1] <= 'Z') {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// patterns writes one function per chunk of rules, each returning its
// rules, and a function assembling the patterns from them.
func (w *writer) patterns(pats []xnode) {
	w.endFunc() // the schema function
	var assemble bytes.Buffer
	fmt.Fprintf(&assemble, "func %sPatterns() []pattern {\n\treturn []pattern{\n", w.ident)
	for pi, p := range pats {
		fmt.Fprintf(&assemble, "\t\t{id: %q, lets: []let{", p.attr("id"))
		for _, l := range p.Nodes {
			if l.XMLName.Local == "let" {
				fmt.Fprintf(&assemble, "{%q, %q}, ", l.attr("name"), l.attr("value"))
			}
		}
		assemble.WriteString("}, rules: concatRules(")
		var rules []xnode
		for _, r := range p.Nodes {
			if r.XMLName.Local == "rule" {
				rules = append(rules, r)
			}
		}
		for len(rules) > 0 {
			w.chunks++
			fn := fmt.Sprintf("%sRules%d", w.ident, w.chunks)
			fmt.Fprintf(&assemble, "%s(), ", fn)
			var body bytes.Buffer
			for lines := 0; len(rules) > 0 && lines < maxLines-20; rules = rules[1:] {
				text := w.rule(rules[0])
				lines += strings.Count(text, "\n")
				body.WriteString(text)
			}
			fmt.Fprintf(&w.buf, "// %s holds rules of pattern %d of %s.\nfunc %s() []rule {\n\treturn []rule{\n%s\t}\n}\n\n", fn, pi+1, w.ident, fn, body.String())
			w.endFunc()
		}
		assemble.WriteString(")},\n")
	}
	assemble.WriteString("\t}\n}\n")
	w.buf.Write(assemble.Bytes())
	w.endFunc()
}

// rule returns the Go literal of one rule. A rule with more asserts than
// fit a file gets them from functions of their own.
func (w *writer) rule(r xnode) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "\t\t{context: %q, lets: []let{", r.attr("context"))
	for _, l := range r.Nodes {
		if l.XMLName.Local == "let" {
			fmt.Fprintf(&b, "{%q, %q}, ", l.attr("name"), l.attr("value"))
		}
	}
	var asserts []string
	for _, a := range r.Nodes {
		if a.XMLName.Local == "assert" {
			msg := strings.Join(strings.Fields(a.Text), " ")
			asserts = append(asserts, fmt.Sprintf("\t\t\t{%q, %q, %q, %q},\n", a.attr("id"), a.attr("flag"), a.attr("test"), msg))
		}
	}
	const perFunc = 100
	if len(asserts) <= perFunc {
		b.WriteString("}, asserts: []assert{\n" + strings.Join(asserts, "") + "\t\t}},\n")
		return b.String()
	}
	b.WriteString("}, asserts: concatAsserts(")
	for len(asserts) > 0 {
		n := min(perFunc, len(asserts))
		w.chunks++
		fn := fmt.Sprintf("%sAsserts%d", w.ident, w.chunks)
		fmt.Fprintf(&b, "%s(), ", fn)
		var f bytes.Buffer
		fmt.Fprintf(&f, "// %s holds asserts of one rule of %s.\nfunc %s() []assert {\n\treturn []assert{\n%s\t}\n}\n\n", fn, w.ident, fn, strings.Join(asserts[:n], ""))
		w.funcs = append(w.funcs, f.String())
		asserts = asserts[n:]
	}
	b.WriteString(")},\n")
	return b.String()
}

const header = "// Code generated by internal/gen/einvoicerules from the official Schematron; DO NOT EDIT.\n\npackage einvoice\n\n"

// finish packs the functions into files rules_<ident>_<n>.go.
func (w *writer) finish() error {
	var file bytes.Buffer
	n := 0
	flush := func() error {
		if file.Len() == 0 {
			return nil
		}
		n++
		src, err := format.Source(append([]byte(header), file.Bytes()...))
		if err != nil {
			return fmt.Errorf("%s: %w", w.ident, err)
		}
		file.Reset()
		return os.WriteFile(filepath.Join(w.out, fmt.Sprintf("rules_%s_%d.go", snake(w.ident), n)), src, 0o644)
	}
	for _, f := range w.funcs {
		if file.Len() > 0 && strings.Count(file.String(), "\n")+strings.Count(f, "\n") > maxLines {
			if err := flush(); err != nil {
				return err
			}
		}
		file.WriteString(f)
	}
	return flush()
}
