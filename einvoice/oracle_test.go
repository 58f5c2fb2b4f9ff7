package einvoice

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and the cached SVRL reports")

const (
	sharedEinvoice = "../../shared/testdata/einvoice"
	saxonJar       = "/usr/share/java/Saxon-HE.jar"
	cenUBLXSLT     = sharedEinvoice + "/peppol/en16931/ubl/xslt/EN16931-UBL-validation.xslt"
	cenCIIXSLT     = sharedEinvoice + "/peppol/en16931/cii/xslt/EN16931-CII-validation.xslt"
)

// example is a published e-invoice: its path and a unique name for the
// golden and SVRL files derived from it.
type example struct {
	path, name, format string
}

// exampleDirs are the folders of published examples, with the prefix that
// keeps file names unique.
var exampleDirs = []struct{ dir, prefix, glob string }{
	{sharedEinvoice + "/peppol/en16931/ubl/examples", "cen-", "*"},
	{sharedEinvoice + "/cii/factur-x/xml", "facturx-", "*.xml"},
	{sharedEinvoice + "/ubl/UBL-2.1/xml", "oasis-", "UBL-*Invoice-2.1-*.xml"},
	{sharedEinvoice + "/ubl/UBL-2.1/xml", "oasis-", "UBL-CreditNote-2.1-*.xml"},
}

// examples lists every published example that is a UBL Invoice, UBL
// CreditNote or CII invoice; other documents (orders, ZUGFeRD 1.0) are
// left out, as Read rejects them.
func examples(t testing.TB) []example {
	t.Helper()
	var out []example
	for _, d := range exampleDirs {
		files, _ := filepath.Glob(filepath.Join(d.dir, d.glob))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			_, format, err := readTree(data)
			if err != nil {
				continue
			}
			out = append(out, example{path: f, name: d.prefix + filepath.Base(f), format: format})
		}
	}
	if len(out) == 0 {
		t.Skip("no e-invoice examples under", sharedEinvoice)
	}
	return out
}

func svrlPath(e example) string { return filepath.Join("testdata", "svrl", e.name+".svrl") }

// svrlFailures lists the failed asserts of an SVRL report as "id flag",
// sorted.
func svrlFailures(data []byte) ([]string, error) {
	root, err := parseTree(data)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(*node)
	walk = func(n *node) {
		for _, c := range n.children {
			if c.kind != elemNode {
				continue
			}
			if c.local == "failed-assert" {
				out = append(out, c.attr("id")+" "+flagOf(c.attr("flag")))
			}
			walk(c)
		}
	}
	walk(root)
	sort.Strings(out)
	return out, nil
}

// ourCENFailures lists Validate's findings from the CEN rules in the same form.
func ourCENFailures(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Validate(data)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
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

// TestValidate_AgreesWithSchematronOnEveryExample compares Validate with the
// official EN 16931 XSLT (run by Saxon-HE, cached under testdata/svrl): the
// same rules must fail, as often, with the same flag.
func TestValidate_AgreesWithSchematronOnEveryExample(t *testing.T) {
	for _, e := range examples(t) {
		t.Run(e.name, func(t *testing.T) {
			data, err := os.ReadFile(svrlPath(e))
			if err != nil {
				t.Fatalf("no cached SVRL: run go test -run TestSchematronOracle -update with Saxon-HE installed (%v)", err)
			}
			want, err := svrlFailures(data)
			if err != nil {
				t.Fatal(err)
			}
			got := ourCENFailures(t, e.path)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Schematron fails %v\nValidate fails   %v", want, got)
			}
		})
	}
}

// TestSchematronOracle_CacheIsCurrent runs Saxon-HE on every example, unit
// test document and example variant and checks the cached reports still
// say the same (with -update it rewrites them). It needs Java and Debian's
// libsaxonhe-java and takes about seven minutes on two cores, so it runs
// only when BACKOFFICE_SAXON_ORACLE is set (CI checks our own exports with
// Saxon instead, in package invoice).
func TestSchematronOracle_CacheIsCurrent(t *testing.T) {
	if os.Getenv("BACKOFFICE_SAXON_ORACLE") == "" && !*update {
		t.Skip("set BACKOFFICE_SAXON_ORACLE=1 to run Saxon on every example (minutes)")
	}
	if _, err := exec.LookPath("java"); err != nil || !fileExists(saxonJar) {
		t.Skip("Saxon-HE not installed (apt-get install default-jre-headless libsaxonhe-java)")
	}
	for file, regen := range map[string]func(*testing.T) string{unitOracleFile: regenerateUnitOracle, variantOracleFile: regenerateVariantOracle} {
		fresh, err := parseOracle(regen(t))
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := writeOracle(file, fresh); err != nil {
				t.Fatal(err)
			}
		} else if cached, err := readOracle(file); err != nil || fmt.Sprint(cached) != fmt.Sprint(fresh) {
			t.Errorf("%s differs from what Saxon reports now; run with -update", file)
		}
	}
	exs := examples(t)
	if err := os.MkdirAll(filepath.Join("testdata", "svrl"), 0o755); err != nil {
		t.Fatal(err)
	}
	reports := saxonReports(t, exs)
	for _, e := range exs {
		out := reports[e.name]
		if *update {
			if err := os.WriteFile(svrlPath(e), out, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		cached, err := os.ReadFile(svrlPath(e))
		if err != nil {
			t.Errorf("%s: no cached SVRL; run with -update", e.name)
			continue
		}
		want, _ := svrlFailures(cached)
		got, _ := svrlFailures(out)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: Saxon now reports %v, cache has %v; run with -update", e.name, got, want)
		}
	}
}

// saxonReports runs the official XSLT on the examples, one Saxon process
// per syntax, and returns each example's SVRL by name.
func saxonReports(t *testing.T, exs []example) map[string][]byte {
	reports := map[string][]byte{}
	for _, cii := range []bool{false, true} {
		in, out := t.TempDir(), t.TempDir()
		xslt := cenUBLXSLT
		if cii {
			xslt = cenCIIXSLT
		}
		for _, e := range exs {
			if (e.format == FormatCII) != cii {
				continue
			}
			data, err := os.ReadFile(e.path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(in, e.name+".xml"), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command("java", "-cp", saxonJar, "net.sf.saxon.Transform", "-s:"+in, "-o:"+out, "-xsl:"+xslt)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("saxon: %v\n%s", err, msg)
		}
		for _, e := range exs {
			if (e.format == FormatCII) == cii {
				data, err := os.ReadFile(filepath.Join(out, e.name+".xml"))
				if err != nil {
					t.Fatal(err)
				}
				reports[e.name] = data
			}
		}
	}
	return reports
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// isCENRule reports whether a rule id belongs to the EN 16931 Schematron
// (as opposed to Peppol's, which adds PEPPOL-* and national rules such as DK-R-*).
func isCENRule(id string) bool { return cenRuleIDs()[id] }

var cenRuleIDs = sync.OnceValue(func() map[string]bool {
	ids := map[string]bool{}
	for _, s := range []*schema{cenUBL(), cenCII()} {
		for _, p := range s.patterns {
			for _, r := range p.rules {
				for _, a := range r.asserts {
					ids[a.id] = true
				}
			}
		}
	}
	return ids
})
