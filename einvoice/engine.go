package einvoice

import (
	"fmt"
	"sort"
)

// ruleSet is a compiled Schematron schema, ready to run on documents.
type ruleSet struct {
	name     string
	lets     []compiledLet
	patterns []compiledPattern
}

type compiledLet struct {
	name   string
	e      expr
	folded bool // constant: val was computed when the rules compiled
	val    seq
}

type compiledPattern struct {
	lets  []compiledLet
	rules []compiledRule
}

type compiledRule struct {
	context expr
	lets    []compiledLet
	asserts []compiledAssert
}

type compiledAssert struct {
	assert
	test expr
}

// concatRules joins the chunks the generator splits a pattern's rules into.
func concatRules(chunks ...[]rule) []rule {
	var out []rule
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}

// compileSchema parses every XPath of a schema once.
func compileSchema(s *schema) (*ruleSet, error) {
	fns, err := compileFuncs(s.funcs, s.ns)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	rs := &ruleSet{name: s.name}
	if rs.lets, err = compileLets(s.lets, s.ns, fns); err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	consts := map[string]bool{}
	var vars *scope
	rs.lets, vars = foldLets(rs.lets, consts, vars)
	for _, p := range s.patterns {
		cp := compiledPattern{}
		if cp.lets, err = compileLets(p.lets, s.ns, fns); err != nil {
			return nil, fmt.Errorf("%s pattern %s: %w", s.name, p.id, err)
		}
		patternConsts := map[string]bool{}
		for k := range consts {
			patternConsts[k] = true
		}
		cp.lets, _ = foldLets(cp.lets, patternConsts, vars)
		for _, r := range p.rules {
			cr, err := compileRule(r, s.ns, fns)
			if err != nil {
				return nil, fmt.Errorf("%s pattern %s: %w", s.name, p.id, err)
			}
			cp.rules = append(cp.rules, cr)
		}
		rs.patterns = append(rs.patterns, cp)
	}
	return rs, nil
}

func compileLets(lets []let, ns map[string]string, fns map[string]*userFunc) ([]compiledLet, error) {
	out := make([]compiledLet, 0, len(lets))
	for _, l := range lets {
		e, err := compileXPath(l.value, ns, fns)
		if err != nil {
			return nil, fmt.Errorf("let %s: %w", l.name, err)
		}
		out = append(out, compiledLet{name: l.name, e: e})
	}
	return out, nil
}

func compileRule(r rule, ns map[string]string, fns map[string]*userFunc) (compiledRule, error) {
	ctx, err := compileXPath(r.context, ns, fns)
	if err != nil {
		return compiledRule{}, fmt.Errorf("rule context: %w", err)
	}
	cr := compiledRule{context: matchPattern(ctx)}
	if cr.lets, err = compileLets(r.lets, ns, fns); err != nil {
		return compiledRule{}, err
	}
	for _, a := range r.asserts {
		t, err := compileXPath(a.test, ns, fns)
		if err != nil {
			return compiledRule{}, fmt.Errorf("%s: %w", a.id, err)
		}
		cr.asserts = append(cr.asserts, compiledAssert{assert: a, test: t})
	}
	return cr, nil
}

// matchPattern turns an XSLT match pattern into an expression selecting
// every node it matches: relative patterns match at any depth, which is
// what prefixing them with // selects.
func matchPattern(e expr) expr {
	if u, ok := e.(*setExpr); ok && u.op == "union" {
		return &setExpr{op: "union", l: matchPattern(u.l), r: matchPattern(u.r)}
	}
	if isAbsolute(e) {
		return e
	}
	return joinDesc(&rootExpr{}, e)
}

func isAbsolute(e expr) bool {
	switch v := e.(type) {
	case *rootExpr:
		return true
	case *pathExpr:
		return isAbsolute(v.l)
	case *filterExpr:
		return isAbsolute(v.primary)
	case *setExpr:
		return isAbsolute(v.l) && isAbsolute(v.r)
	}
	return false
}

// finding is a fired assert on a node, before it becomes a Finding.
type finding struct {
	a     *compiledAssert
	n     *node
	order int
}

// run evaluates the rule set on a parsed document. Failed asserts are
// returned in pattern order, then document order of their context nodes.
// A test that raises an XPath error counts as failed, as the document
// cannot satisfy it.
func (rs *ruleSet) run(root *node) []Finding {
	c := newEvalCtx(root)
	c = bindLets(c, rs.lets)
	var out []Finding
	for _, p := range rs.patterns {
		pc := bindLets(c, p.lets)
		seen := map[*node]bool{}
		var found []finding
		for _, r := range p.rules {
			nodes, err := r.context.eval(pc)
			if err != nil {
				continue
			}
			for _, it := range nodes {
				n, ok := it.(*node)
				if !ok || seen[n] {
					continue
				}
				seen[n] = true
				found = append(found, checkRule(pc, r, n)...)
			}
		}
		sort.SliceStable(found, func(i, j int) bool { return found[i].n.order < found[j].n.order })
		for _, f := range found {
			out = append(out, Finding{Rule: f.a.id, Flag: flagOf(f.a.flag), Location: f.n.path(), Message: f.a.message})
		}
	}
	return out
}

func checkRule(pc *evalCtx, r compiledRule, n *node) []finding {
	rc := bindLets(pc.with(n, 1, 1), r.lets)
	var out []finding
	for i := range r.asserts {
		a := &r.asserts[i]
		v, err := a.test.eval(rc)
		ok := false
		if err == nil {
			ok, err = ebv(v)
		}
		if err != nil || !ok {
			out = append(out, finding{a: a, n: n})
		}
	}
	return out
}

// bindLets evaluates variables in order, each seeing the ones before it. A
// variable whose expression fails is bound to the empty sequence.
func bindLets(c *evalCtx, lets []compiledLet) *evalCtx {
	for _, l := range lets {
		if l.folded {
			c = c.bind(l.name, l.val)
			continue
		}
		v, err := l.e.eval(c)
		if err != nil {
			v = nil
		}
		c = c.bind(l.name, v)
	}
	return c
}

func flagOf(f string) string {
	if f == "warning" || f == "information" {
		return "warning"
	}
	return "fatal"
}

// concatAsserts joins the chunks the generator splits a long rule into.
func concatAsserts(chunks ...[]assert) []assert {
	var out []assert
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}
