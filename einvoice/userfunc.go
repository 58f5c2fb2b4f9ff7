package einvoice

import (
	"strings"
)

// userFunc is a compiled xsl:function of a Schematron.
type userFunc struct {
	name   string
	as     string
	params []funcParam
	body   []compiledStmt
}

type compiledStmt struct {
	stmt      funcStmt
	sel       expr
	whens     []compiledWhen
	otherwise []compiledStmt
}

type compiledWhen struct {
	test expr
	body []compiledStmt
}

// compileFuncs compiles a schema's functions. Names are registered before
// bodies are compiled so functions can call each other and themselves.
func compileFuncs(defs []funcDef, ns map[string]string) (map[string]*userFunc, error) {
	fns := map[string]*userFunc{}
	for _, d := range defs {
		fns[d.name] = &userFunc{name: d.name, as: d.as, params: d.params}
	}
	for _, d := range defs {
		body, err := compileStmts(d.body, ns, fns)
		if err != nil {
			return nil, err
		}
		fns[d.name].body = body
	}
	return fns, nil
}

func compileStmts(stmts []funcStmt, ns map[string]string, fns map[string]*userFunc) ([]compiledStmt, error) {
	var out []compiledStmt
	for _, s := range stmts {
		cs := compiledStmt{stmt: s}
		if s.sel != "" {
			e, err := compileXPath(s.sel, ns, fns)
			if err != nil {
				return nil, err
			}
			cs.sel = e
		}
		for _, w := range s.whens {
			t, err := compileXPath(w.test, ns, fns)
			if err != nil {
				return nil, err
			}
			body, err := compileStmts(w.body, ns, fns)
			if err != nil {
				return nil, err
			}
			cs.whens = append(cs.whens, compiledWhen{test: t, body: body})
		}
		if s.kind == "choose" {
			other, err := compileStmts(s.otherwise, ns, fns)
			if err != nil {
				return nil, err
			}
			cs.otherwise = other
		}
		out = append(out, cs)
	}
	return out, nil
}

// userCall calls a Schematron function: arguments are bound to the
// parameters (cast to their declared atomic types), the body runs with no
// context item, and the result is cast to the declared return type.
type userCall struct {
	fn   *userFunc
	args []expr
}

// maxCallDepth stops runaway recursion (u:addPIVA recurses once per digit).
const maxCallDepth = 64

func (e *userCall) eval(c *evalCtx) (seq, error) {
	depth := 0
	if d, ok := c.vars.lookup(" depth"); ok {
		depth = len(d)
	}
	if depth > maxCallDepth {
		return nil, xerr("%s recurses too deeply", e.fn.name)
	}
	inner := &evalCtx{root: c.root, state: c.state, vars: &scope{name: " depth", val: make(seq, depth+1)}}
	for i, p := range e.fn.params {
		v, err := e.args[i].eval(c)
		if err != nil {
			return nil, err
		}
		if v, err = convertTo(v, p.as); err != nil {
			return nil, err
		}
		inner = inner.bind(p.name, v)
	}
	v, err := runStmts(inner, e.fn.body)
	if err != nil {
		return nil, err
	}
	return convertTo(v, e.fn.as)
}

func runStmts(c *evalCtx, body []compiledStmt) (seq, error) {
	var result seq
	for _, s := range body {
		switch s.stmt.kind {
		case "variable":
			var v seq
			if s.sel != nil {
				var err error
				if v, err = s.sel.eval(c); err != nil {
					return nil, err
				}
			} else {
				v = seq{s.stmt.text}
			}
			v, err := convertTo(v, s.stmt.as)
			if err != nil {
				return nil, err
			}
			c = c.bind(s.stmt.name, v)
		case "value-of":
			v, err := s.sel.eval(c)
			if err != nil {
				return nil, err
			}
			parts := make([]string, 0, len(v))
			for _, it := range atomize(v) {
				parts = append(parts, stringOf(it))
			}
			result = append(result, untyped(strings.Join(parts, " ")))
		case "sequence":
			v, err := s.sel.eval(c)
			if err != nil {
				return nil, err
			}
			result = append(result, v...)
		case "choose":
			v, err := runChoose(c, s)
			if err != nil {
				return nil, err
			}
			result = append(result, v...)
		}
	}
	return result, nil
}

func runChoose(c *evalCtx, s compiledStmt) (seq, error) {
	for _, w := range s.whens {
		t, err := w.test.eval(c)
		if err != nil {
			return nil, err
		}
		b, err := ebv(t)
		if err != nil {
			return nil, err
		}
		if b {
			return runStmts(c, w.body)
		}
	}
	return runStmts(c, s.otherwise)
}

// convertTo applies a declared sequence type such as "xs:decimal" or
// "xs:string?" with XSLT's function conversion rules: atomise, then cast
// untyped values.
func convertTo(v seq, as string) (seq, error) {
	typ := strings.TrimRight(as, "?*+")
	if typ == "" || typ == "item()" || typ == "node()" {
		return v, nil
	}
	a := atomize(v)
	out := make(seq, 0, len(a))
	for _, it := range a {
		if _, ok := it.(untyped); ok || typ == "xs:boolean" || typ == "xs:string" {
			r, err := castTo(it, typ)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			continue
		}
		if typ == "xs:decimal" || typ == "xs:integer" {
			r, err := castTo(it, typ)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			continue
		}
		out = append(out, it)
	}
	return out, nil
}
