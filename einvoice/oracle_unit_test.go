package einvoice

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// unitOracleFile caches what the official XSLT (Saxon-HE) reports for each
// document embedded in the CEN unit tests: one line per test, "file#index",
// a tab, and the failed asserts as "id flag" joined by commas.
var unitOracleFile = filepath.Join("testdata", "svrl", "unit-tests.txt")

// TestValidate_AgreesWithSchematronOnEveryUnitTestDocument compares every
// finding of Validate on the 1,131 unit test documents with the official
// XSLT's, not only the one rule each test is about.
func TestValidate_AgreesWithSchematronOnEveryUnitTestDocument(t *testing.T) {
	cases := loadUnitCases(t)
	want, err := readUnitOracle()
	if err != nil {
		t.Fatalf("no cached unit test SVRL: run go test -run TestSchematronOracle -update with Saxon-HE (%v)", err)
	}
	agree := 0
	for _, c := range cases {
		key := c.file + "#" + strconv.Itoa(c.index)
		w, ok := want[key]
		if !ok {
			t.Errorf("%s: not in %s; run with -update", key, unitOracleFile)
			continue
		}
		got := strings.Join(cenFindings(t, c), ",")
		if got == w {
			agree++
			continue
		}
		t.Errorf("%s: Schematron fails [%s]\nValidate fails   [%s]", key, w, got)
	}
	t.Logf("%d/%d unit test documents: same findings as the official XSLT", agree, len(cases))
}

func cenFindings(t *testing.T, c unitCase) []string {
	rep, err := validateTree(c.root, unitFormat(c.root))
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, f := range rep.Errors {
		if isCENRule(f.Rule) {
			out = append(out, f.Rule+" "+f.Flag)
		}
	}
	sort.Strings(out)
	return out
}

func readUnitOracle() (map[string]string, error) { return readOracle(unitOracleFile) }

// readOracle reads a condensed oracle file: key, tab, findings.
func readOracle(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), "\t")
		out[key] = val
	}
	return out, sc.Err()
}

// regenerateUnitOracle writes every unit test document to a folder, runs
// the UBL XSLT over the folder in one Saxon process and condenses the reports.
func regenerateUnitOracle(t *testing.T) string {
	cases := loadUnitCases(t)
	in, out := t.TempDir(), t.TempDir()
	names := map[string]string{}
	for i, c := range cases {
		name := fmt.Sprintf("u%04d.xml", i)
		names[name] = c.file + "#" + strconv.Itoa(c.index)
		if err := os.WriteFile(filepath.Join(in, name), serialize(c.root), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("java", "-cp", saxonJar, "net.sf.saxon.Transform", "-s:"+in, "-o:"+out, "-xsl:"+cenUBLXSLT)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("saxon: %v\n%s", err, msg)
	}
	var lines []string
	for name, key := range names {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		fails, err := svrlFailures(data)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, key+"\t"+strings.Join(fails, ","))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// serialize writes a tree back as XML, declaring every namespace on the
// root element with the prefixes the document used.
func serialize(doc *node) []byte { return serializeVariant(doc, nil, nil) }

// serializeVariant writes the tree without the element skip and with the
// text of element edit (if any) given by edited.
func serializeVariant(doc, skip, edit *node, edited ...string) []byte {
	prefixes := map[string]string{} // uri -> prefix
	used := map[string]bool{}
	var noNamespace func(n *node) bool
	noNamespace = func(n *node) bool {
		for _, c := range n.children {
			if c.kind == elemNode && (c.space == "" || noNamespace(c)) {
				return true
			}
		}
		return false
	}
	used[""] = noNamespace(doc) // the default namespace must stay empty
	var collect func(n *node)
	collect = func(n *node) {
		for _, x := range append([]*node{n}, n.attrs...) {
			if _, ok := prefixes[x.space]; ok || x.space == "" {
				continue
			}
			p := x.prefix
			if (p == "" && x.kind == attrNode) || used[p] {
				p = "ns" + strconv.Itoa(len(prefixes))
			}
			prefixes[x.space], used[p] = p, true
		}
		for _, c := range n.children {
			if c.kind == elemNode {
				collect(c)
			}
		}
	}
	el := doc.rootElement()
	collect(el)
	var b bytes.Buffer
	var write func(n *node, top bool)
	write = func(n *node, top bool) {
		if n == skip {
			return
		}
		if n == edit && len(edited) == 1 {
			name := qualified(prefixes, n)
			b.WriteString("<" + name)
			for _, a := range n.attrs {
				b.WriteString(" " + qualified(prefixes, a) + `="` + escapeXML(a.text, true) + `"`)
			}
			b.WriteString(">" + escapeXML(edited[0], false) + "</" + name + ">")
			return
		}
		if n.kind == textNode {
			b.WriteString(escapeXML(n.text, false))
			return
		}
		name := qualified(prefixes, n)
		b.WriteString("<" + name)
		if top {
			for uri, p := range prefixes {
				if p == "" {
					b.WriteString(` xmlns="` + escapeXML(uri, true) + `"`)
				} else {
					b.WriteString(" xmlns:" + p + `="` + escapeXML(uri, true) + `"`)
				}
			}
		}
		for _, a := range n.attrs {
			b.WriteString(" " + qualified(prefixes, a) + `="` + escapeXML(a.text, true) + `"`)
		}
		b.WriteString(">")
		for _, c := range n.children {
			write(c, false)
		}
		b.WriteString("</" + name + ">")
	}
	write(el, true)
	return b.Bytes()
}

func qualified(prefixes map[string]string, n *node) string {
	if p := prefixes[n.space]; p != "" && n.space != "" {
		return p + ":" + n.local
	}
	return n.local
}

func escapeXML(s string, attr bool) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	if attr {
		r = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "\t", "&#9;", "\n", "&#10;", "\r", "&#13;")
	}
	return r.Replace(s)
}

// parseOracle reads the condensed lines a regenerate function returns.
func parseOracle(lines string) (map[string]string, error) {
	out := map[string]string{}
	for _, l := range strings.Split(strings.TrimSuffix(lines, "\n"), "\n") {
		key, val, ok := strings.Cut(l, "\t")
		if !ok {
			return nil, fmt.Errorf("bad oracle line %q", l)
		}
		out[key] = val
	}
	return out, nil
}

// writeOracle writes a condensed oracle sorted by key, gzipped when the
// file name ends in .gz.
func writeOracle(path string, m map[string]string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	for _, k := range keys {
		b.WriteString(k + "\t" + m[k] + "\n")
	}
	data := b.Bytes()
	if strings.HasSuffix(path, ".gz") {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		data = z.Bytes()
	}
	return os.WriteFile(path, data, 0o644)
}
