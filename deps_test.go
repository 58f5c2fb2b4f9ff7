package backoffice_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// module is the module path; our packages are it and everything under it.
const module = "backoffice"

// layers is the dependency order of DESIGN.md, lowest first. A package may
// import packages of lower layers; within a layer only the pairs in sameLayer
// are allowed. A name ending in "/..." covers that folder and everything under
// it. Test packages (_test) are exempt.
var layers = []struct {
	layer int
	pkgs  []string
}{
	{0, []string{"backoffice"}},
	{1, []string{"sqldb", "sqldb/sqldbtest", "csvio", "einvoice",
		"bank/statement", "bank/camt", "bank/mt940", "bank/ofx", "bank/csvimport", "bank/statementfile",
		"ledger/plaintext", "ledger/coa", "pdf", "pdf/pdftest", "bank/reconcile", "bank/reconcile/reconciletest", "bank/pain"}},
	{2, []string{"audit", "access", "jobs", "events", "backup"}},
	{3, []string{"ledger"}},
	{4, []string{"party"}},
	{5, []string{"invoice", "bank", "procurement", "inventory", "hr", "payroll", "itsm", "document", "workflow", "kpi"}},
	{6, []string{"web"}},
	{7, []string{"bench"}}, // may import anything but cmd
	{8, []string{"cmd/...", "internal/gen/..."}},
}

// sameLayer lists the imports allowed between packages of one layer.
var sameLayer = map[string][]string{
	"sqldb/sqldbtest": {"sqldb"},
	"bank/camt":       {"bank/statement"},
	"bank/mt940":      {"bank/statement"},
	"bank/ofx":        {"bank/statement"},
	"bank/csvimport":  {"bank/statement"},
	// statementfile picks the parser by content: it sits beside the parsers.
	"bank/statementfile": {"bank/statement", "bank/camt", "bank/mt940", "bank/ofx", "bank/csvimport"},
	// events runs its dispatcher as a River job through jobs.
	"events":     {"audit", "jobs"},
	"access":     {"audit"},
	"ledger/coa": {"csvio"},
	// reconciletest generates data for the matching engine it tests.
	"bank/reconcile/reconciletest": {"bank/reconcile"},
	"bank":                         {"bank/..."},
	"cmd/...":                      {"cmd/..."},
}

// layerOf returns the layer of one of our packages (path relative to the
// module, "" for the root), and the table entry that matched.
func layerOf(pkg string) (int, string, bool) {
	if pkg == "" {
		pkg = module
	}
	for _, l := range layers {
		for _, p := range l.pkgs {
			if matches(p, pkg) {
				return l.layer, p, true
			}
		}
	}
	return 0, "", false
}

func matches(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

// ours returns the path of an import relative to the module, and whether it is one of ours.
func ours(importPath string) (string, bool) {
	if importPath == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(importPath, module+"/")
	return rel, ok
}

// violations checks an import graph (package -> its imports, full import
// paths) against the layer table and returns one sentence per broken rule.
func violations(graph map[string][]string) []string {
	var out []string
	for pkg, imports := range graph {
		from, ok := ours(pkg)
		if !ok {
			continue
		}
		fromLayer, fromEntry, known := layerOf(from)
		if !known {
			out = append(out, fmt.Sprintf("%s is not in the layer table of deps_test.go: add it to the layer table", pkg))
			continue
		}
		for _, imp := range imports {
			to, ok := ours(imp)
			if !ok {
				continue
			}
			if msg := checkImport(pkg, fromLayer, fromEntry, imp, to); msg != "" {
				out = append(out, msg)
			}
		}
	}
	sort.Strings(out)
	return out
}

func checkImport(pkg string, fromLayer int, fromEntry, imp, to string) string {
	toLayer, _, known := layerOf(to)
	switch {
	case !known:
		return fmt.Sprintf("%s imports %s, which is not in the layer table of deps_test.go: add it to the layer table", pkg, imp)
	case strings.HasPrefix(to, "cmd/") && !strings.HasPrefix(fromEntry, "cmd/"):
		return fmt.Sprintf("%s imports %s: only cmd/... may import a command", pkg, imp)
	case toLayer > fromLayer:
		return fmt.Sprintf("%s (layer %d) imports %s (layer %d): a lower layer must not import a higher one; send an event instead", pkg, fromLayer, imp, toLayer)
	case toLayer == fromLayer && !sameLayerAllowed(fromEntry, to):
		return fmt.Sprintf("%s imports %s of the same layer %d: not allowed unless listed in sameLayer of deps_test.go", pkg, imp, fromLayer)
	}
	return ""
}

func sameLayerAllowed(fromEntry, to string) bool {
	for _, p := range sameLayer[fromEntry] {
		if matches(p, to) {
			return true
		}
	}
	return false
}

// TestDependencies_PointDownTheLayers runs go list once over the module and
// fails on every import that points up (or sideways without permission).
func TestDependencies_PointDownTheLayers(t *testing.T) {
	cmd := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 {
			graph[f[0]] = f[1:]
		}
	}
	if _, ok := graph[module]; !ok {
		t.Fatalf("go list found no packages:\n%s", out)
	}
	for _, v := range violations(graph) {
		t.Error(v)
	}
}

func TestDependencies_ReportEachKindOfWrongImport(t *testing.T) {
	cases := []struct {
		name  string
		graph map[string][]string
		want  string
	}{
		{"kernel imports ours", map[string][]string{"backoffice": {"backoffice/sqldb"}}, "backoffice (layer 0) imports backoffice/sqldb (layer 1)"},
		{"sqldb imports audit", map[string][]string{"backoffice/sqldb": {"backoffice/audit"}}, "backoffice/sqldb (layer 1) imports backoffice/audit (layer 2)"},
		{"audit imports access", map[string][]string{"backoffice/audit": {"backoffice/access"}}, "backoffice/audit imports backoffice/access of the same layer 2"},
		{"access imports web", map[string][]string{"backoffice/access": {"backoffice/web"}}, "backoffice/access (layer 2) imports backoffice/web (layer 6)"},
		{"bench imports cmd", map[string][]string{"backoffice/bench": {"backoffice/cmd/backoffice"}}, "only cmd/... may import a command"},
		{"web imports cmd", map[string][]string{"backoffice/web": {"backoffice/cmd/backoffice"}}, "only cmd/... may import a command"},
		{"unknown package", map[string][]string{"backoffice/crm": {"backoffice"}}, "backoffice/crm is not in the layer table"},
		{"unknown import", map[string][]string{"backoffice/web": {"backoffice/crm"}}, "imports backoffice/crm, which is not in the layer table"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := violations(c.graph)
			if len(got) != 1 || !strings.Contains(got[0], c.want) {
				t.Fatalf("violations = %q, want one containing %q", got, c.want)
			}
		})
	}
}

func TestDependencies_AllowListedImports(t *testing.T) {
	graph := map[string][]string{
		"backoffice/sqldb/sqldbtest": {"backoffice/sqldb"},
		"backoffice/events":          {"backoffice/audit", "backoffice/sqldb", "backoffice"},
		"backoffice/access":          {"backoffice/audit"},
		"backoffice/bank":            {"backoffice/bank/camt", "backoffice/bank/statement", "backoffice/party", "backoffice/ledger"},
		"backoffice/bank/mt940":      {"backoffice/bank/statement"},
		"backoffice/bench":           {"backoffice/web", "backoffice/invoice"},
		"backoffice/cmd/backoffice":  {"backoffice/web", "backoffice/cmd/backoffice/internal"},
		"backoffice/web":             {"fmt", "github.com/x/y"},
	}
	if got := violations(graph); len(got) != 0 {
		t.Fatalf("allowed imports reported: %q", got)
	}
}
