package einvoice

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// variantOracleFile caches the official XSLT's findings on variants of the
// published examples: each example with one element removed, and with one
// decimal value changed. They exercise the CII rules, which have no unit
// tests of their own, and the calculation rules on real invoices.
var variantOracleFile = filepath.Join("testdata", "svrl", "variants.txt.gz")

// variant is one changed copy of an example.
type variant struct {
	key    string // example name, "-" or "~", and the XPath of the changed element
	format string
	data   []byte
}

// maxVariantSource leaves out the one example with a 3 MB attachment.
const maxVariantSource = 200 << 10

func exampleVariants(t *testing.T) []variant {
	var out []variant
	for _, e := range examples(t) {
		data, err := os.ReadFile(e.path)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > maxVariantSource {
			continue
		}
		root, err := parseTree(data)
		if err != nil {
			t.Fatal(err)
		}
		var walk func(n *node)
		walk = func(n *node) {
			for _, c := range n.children {
				if c.kind != elemNode {
					continue
				}
				out = append(out, variant{key: e.name + " - " + c.path(), format: e.format, data: serializeVariant(root, c, nil)})
				if v := text(c); len(c.children) == 1 && decimalLexical.MatchString(v) {
					out = append(out, variant{key: e.name + " ~ " + c.path(), format: e.format, data: serializeVariant(root, nil, c, v+"7")})
				}
				walk(c)
			}
		}
		walk(root.rootElement())
	}
	return out
}

// TestValidate_AgreesWithSchematronOnExampleVariants compares Validate's
// EN 16931 findings with the official XSLT's on every variant.
func TestValidate_AgreesWithSchematronOnExampleVariants(t *testing.T) {
	want, err := readOracle(variantOracleFile)
	if err != nil {
		t.Fatalf("no cached variant SVRL: run go test -run TestSchematronOracle -update with Saxon-HE (%v)", err)
	}
	agree, total := 0, 0
	for i, v := range exampleVariants(t) {
		if testing.Short() && i%10 != 0 {
			continue
		}
		w, ok := want[v.key]
		if !ok {
			continue // Saxon could not evaluate the rules on it
		}
		total++
		got := strings.Join(cenFailuresOf(t, v.data), ",")
		if got == w {
			agree++
			continue
		}
		if reason, known := knownVariantGaps[v.key]; known {
			t.Logf("known gap %s: %s", v.key, reason)
			continue
		}
		t.Errorf("%s: Schematron fails [%s]\nValidate fails   [%s]", v.key, w, got)
	}
	t.Logf("%d/%d example variants: same findings as the official XSLT", agree, total)
}

func cenFailuresOf(t *testing.T, data []byte) []string {
	rep, err := Validate(data)
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

// regenerateVariantOracle runs the UBL and CII XSLT over all variants, one
// Saxon process per syntax.
func regenerateVariantOracle(t *testing.T) string {
	vs := exampleVariants(t)
	var lines []string
	for _, syntax := range []struct {
		cii  bool
		xslt string
	}{{false, cenUBLXSLT}, {true, cenCIIXSLT}} {
		in, out := t.TempDir(), t.TempDir()
		names := map[string]string{}
		for i, v := range vs {
			if (v.format == FormatCII) != syntax.cii {
				continue
			}
			name := fmt.Sprintf("v%05d.xml", i)
			names[name] = v.key
			if err := os.WriteFile(filepath.Join(in, name), v.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// Saxon stops on a variant whose values break a rule's XPath (a
		// dynamic error, such as "07" as a boolean) and writes no report for
		// it; such variants are left out. The others are still reported.
		cmd := exec.Command("java", "-cp", saxonJar, "net.sf.saxon.Transform", "-s:"+in, "-o:"+out, "-xsl:"+syntax.xslt)
		msg, err := cmd.CombinedOutput()
		for name, key := range names {
			data, rerr := os.ReadFile(filepath.Join(out, name))
			if rerr != nil || len(data) == 0 {
				if err == nil {
					t.Fatalf("saxon wrote no report for %s: %s", key, msg)
				}
				continue
			}
			fails, err := svrlFailures(data)
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, key+"\t"+strings.Join(fails, ","))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}
