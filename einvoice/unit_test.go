package einvoice

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// unitTestDir holds the CEN rule unit tests: one file per rule, each a
// testSet of <test> elements saying which rule must fire or must not.
const unitTestDir = "../../shared/testdata/einvoice/peppol/en16931/test"

const nsVefa = "http://difi.no/xsd/vefa/validator/1.0"

// unitCase is one <test> of the CEN unit tests.
type unitCase struct {
	file  string
	index int
	rule  string
	fire  bool // error or warning: the rule must fire; success: it must not
	root  *node
}

func loadUnitCases(t *testing.T) []unitCase {
	t.Helper()
	var files []string
	for _, dir := range []string{"Invoice-unit-UBL", "CreditNote-unit-UBL"} {
		m, _ := filepath.Glob(filepath.Join(unitTestDir, dir, "*.xml"))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no CEN unit tests under", unitTestDir)
	}
	var cases []unitCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tree, err := parseTree(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Join(filepath.Base(filepath.Dir(f)), filepath.Base(f))
		for i, test := range tree.rootElement().childrenNamed(nsVefa, "test") {
			c := unitCase{file: name, index: i + 1}
			for _, ch := range test.children {
				if ch.kind != elemNode {
					continue
				}
				if ch.space == nsVefa && ch.local == "assert" {
					for _, k := range []string{"success", "error", "warning"} {
						if a := ch.child(nsVefa, k); a != nil {
							c.rule, c.fire = strings.TrimSpace(a.stringValue()), k != "success"
						}
					}
					continue
				}
				doc := &node{kind: docNode}
				detached := *ch
				detached.parent = doc
				doc.children = []*node{&detached}
				for _, gc := range detached.children {
					gc.parent = &detached
				}
				for _, a := range detached.attrs {
					a.parent = &detached
				}
				renumber(doc)
				c.root = doc
			}
			if c.rule != "" && c.root != nil {
				cases = append(cases, c)
			}
		}
	}
	return cases
}

// family groups rule ids for the pass-rate report: BR-CO-10 -> BR-CO, BR-12 -> BR.
func family(rule string) string {
	parts := strings.Split(rule, "-")
	if len(parts) >= 3 {
		return parts[0] + "-" + parts[1]
	}
	return parts[0]
}

func unitFormat(root *node) string {
	if root.rootElement().local == "CreditNote" {
		return FormatUBLCreditNote
	}
	return FormatUBLInvoice
}

// TestValidate_CENUnitTests runs every <test> of the CEN unit tests: a rule
// marked error or warning must fire, a rule marked success must not. Cases
// listed in knownUnitGaps must fail (so fixing one shows up here too).
func TestValidate_CENUnitTests(t *testing.T) {
	cases := loadUnitCases(t)
	pass, total := map[string]int{}, map[string]int{}
	var failed []string
	for _, c := range cases {
		rep, err := validateTree(c.root, unitFormat(c.root))
		if err != nil {
			t.Fatalf("%s #%d: %v", c.file, c.index, err)
		}
		fired := false
		for _, f := range rep.Errors {
			if f.Rule == c.rule {
				fired = true
			}
		}
		fam := family(c.rule)
		total[fam]++
		key := c.file + "#" + strconv.Itoa(c.index)
		if fired == c.fire {
			pass[fam]++
			if reason, ok := knownUnitGaps[key]; ok {
				t.Errorf("%s (%s) passes now; remove it from knownUnitGaps (%s)", key, c.rule, reason)
			}
			continue
		}
		failed = append(failed, key)
		if _, ok := knownUnitGaps[key]; !ok {
			t.Errorf("%s: rule %s fire=%v, got %v; findings %v", key, c.rule, c.fire, fired, rep.Errors)
		}
	}
	fams := make([]string, 0, len(total))
	for f := range total {
		fams = append(fams, f)
	}
	sort.Strings(fams)
	all := 0
	for _, f := range fams {
		all += pass[f]
		t.Logf("%-8s %4d/%4d", f, pass[f], total[f])
	}
	t.Logf("all      %4d/%4d", all, len(cases))
	sort.Strings(failed)
	for _, f := range failed {
		t.Logf("failing: %s", f)
	}
}

// renumber gives a detached document fresh document-order numbers and its index.
func renumber(doc *node) {
	order := 0
	var walk func(n *node)
	walk = func(n *node) {
		n.order = order
		order++
		for _, a := range n.attrs {
			a.order = order
			order++
		}
		for _, c := range n.children {
			walk(c)
		}
	}
	walk(doc)
	indexTree(doc)
}
