package einvoice

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// expr is a compiled XPath 2.0 expression.
type expr interface {
	eval(c *evalCtx) (seq, error)
}

// xpathParser is a recursive-descent parser for the part of XPath 2.0 that
// the EN 16931 and Peppol Schematron use.
type xpathParser struct {
	toks []token
	pos  int
	ns   map[string]string // prefix -> namespace URI
	fns  map[string]*userFunc
}

// compileXPath parses src with the namespace prefixes ns and the user
// functions fns (the Schematron's xsl:function definitions).
func compileXPath(src string, ns map[string]string, fns map[string]*userFunc) (expr, error) {
	toks, err := lexXPath(src)
	if err != nil {
		return nil, fmt.Errorf("xpath %q: %w", src, err)
	}
	p := &xpathParser{toks: toks, ns: ns, fns: fns}
	e, err := p.parseExpr()
	if err == nil && p.peek().kind != tEOF {
		err = fmt.Errorf("unexpected %q", p.peek().text)
	}
	if err != nil {
		return nil, fmt.Errorf("xpath %q: %w", src, err)
	}
	return e, nil
}

func (p *xpathParser) peek() token { return p.toks[p.pos] }

func (p *xpathParser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return token{kind: tEOF}
}

func (p *xpathParser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}

func (p *xpathParser) isOp(s string) bool {
	t := p.peek()
	return t.kind == tOp && t.text == s
}

func (p *xpathParser) isKeyword(s string) bool {
	t := p.peek()
	return t.kind == tName && t.text == s
}

func (p *xpathParser) expect(s string) error {
	t := p.next()
	if (t.kind == tOp || t.kind == tName) && t.text == s {
		return nil
	}
	return fmt.Errorf("expected %q, found %q", s, t.text)
}

func (p *xpathParser) parseExpr() (expr, error) {
	first, err := p.parseSingle()
	if err != nil {
		return nil, err
	}
	if !p.isOp(",") {
		return first, nil
	}
	items := []expr{first}
	for p.isOp(",") {
		p.next()
		e, err := p.parseSingle()
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	return &seqExpr{items: items}, nil
}

func (p *xpathParser) parseSingle() (expr, error) {
	t := p.peek()
	if t.kind == tName && p.peekAt(1).kind == tVar {
		switch t.text {
		case "for", "some", "every":
			return p.parseBinding()
		}
	}
	if t.kind == tName && t.text == "if" && p.peekAt(1).kind == tOp && p.peekAt(1).text == "(" {
		p.next()
		p.next()
		cond, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		if err := p.expect("then"); err != nil {
			return nil, err
		}
		then, err := p.parseSingle()
		if err != nil {
			return nil, err
		}
		if err := p.expect("else"); err != nil {
			return nil, err
		}
		els, err := p.parseSingle()
		if err != nil {
			return nil, err
		}
		return &ifExpr{cond: cond, then: then, els: els}, nil
	}
	return p.parseOr()
}

// parseBinding reads for/some/every expressions.
func (p *xpathParser) parseBinding() (expr, error) {
	kw := p.next().text
	b := &bindExpr{kind: kw}
	for {
		v := p.next()
		if v.kind != tVar {
			return nil, fmt.Errorf("expected a variable after %s", kw)
		}
		if err := p.expect("in"); err != nil {
			return nil, err
		}
		in, err := p.parseSingle()
		if err != nil {
			return nil, err
		}
		b.vars = append(b.vars, v.text)
		b.ins = append(b.ins, in)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	end := "satisfies"
	if kw == "for" {
		end = "return"
	}
	if err := p.expect(end); err != nil {
		return nil, err
	}
	body, err := p.parseSingle()
	if err != nil {
		return nil, err
	}
	b.body = body
	return b, nil
}

// binaryLevel parses one left-associative level of binary operators.
func (p *xpathParser) binaryLevel(ops []string, sub func() (expr, error), mk func(op string, l, r expr) expr) (expr, error) {
	l, err := sub()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tOp && t.kind != tName {
			return l, nil
		}
		found := ""
		for _, op := range ops {
			if t.text == op {
				found = op
			}
		}
		if found == "" {
			return l, nil
		}
		p.next()
		r, err := sub()
		if err != nil {
			return nil, err
		}
		l = mk(found, l, r)
	}
}

func (p *xpathParser) parseOr() (expr, error) {
	return p.binaryLevel([]string{"or"}, p.parseAnd, func(_ string, l, r expr) expr { return &logicExpr{or: true, l: l, r: r} })
}

func (p *xpathParser) parseAnd() (expr, error) {
	return p.binaryLevel([]string{"and"}, p.parseComparison, func(_ string, l, r expr) expr { return &logicExpr{l: l, r: r} })
}

func (p *xpathParser) parseComparison() (expr, error) {
	ops := []string{"=", "!=", "<", "<=", ">", ">=", "eq", "ne", "lt", "le", "gt", "ge", "is", "<<", ">>"}
	return p.binaryLevel(ops, p.parseRange, func(op string, l, r expr) expr { return &compExpr{op: op, l: l, r: r} })
}

func (p *xpathParser) parseRange() (expr, error) {
	return p.binaryLevel([]string{"to"}, p.parseAdditive, func(_ string, l, r expr) expr { return &rangeExpr{l: l, r: r} })
}

func (p *xpathParser) parseAdditive() (expr, error) {
	return p.binaryLevel([]string{"+", "-"}, p.parseMultiplicative, func(op string, l, r expr) expr { return &arithExpr{op: op, l: l, r: r} })
}

func (p *xpathParser) parseMultiplicative() (expr, error) {
	return p.binaryLevel([]string{"*", "div", "idiv", "mod"}, p.parseUnion, func(op string, l, r expr) expr { return &arithExpr{op: op, l: l, r: r} })
}

func (p *xpathParser) parseUnion() (expr, error) {
	return p.binaryLevel([]string{"|", "union"}, p.parseIntersect, func(_ string, l, r expr) expr { return &setExpr{op: "union", l: l, r: r} })
}

func (p *xpathParser) parseIntersect() (expr, error) {
	return p.binaryLevel([]string{"intersect", "except"}, p.parseCast, func(op string, l, r expr) expr { return &setExpr{op: op, l: l, r: r} })
}

// parseCast reads "instance of", "castable as" and "cast as" with an atomic type.
func (p *xpathParser) parseCast() (expr, error) {
	e, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for p.peek().kind == tName && (p.peek().text == "castable" || p.peek().text == "cast" || p.peek().text == "instance") {
		if p.peekAt(1).kind != tName || (p.peekAt(1).text != "as" && p.peekAt(1).text != "of") {
			return e, nil
		}
		kw := p.next().text
		p.next()
		typ := p.next()
		if typ.kind != tName {
			return nil, fmt.Errorf("expected a type after %s", kw)
		}
		optional := false
		if p.isOp("?") {
			p.next()
			optional = true
		}
		e = &castExpr{kind: kw, typ: typ.text, e: e, optional: optional}
	}
	return e, nil
}

func (p *xpathParser) parseUnary() (expr, error) {
	if p.isOp("-") || p.isOp("+") {
		neg := p.next().text == "-"
		e, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if neg {
			return &negExpr{e: e}, nil
		}
		return e, nil
	}
	return p.parsePath()
}

func (p *xpathParser) parsePath() (expr, error) {
	switch {
	case p.isOp("/"):
		p.next()
		if p.startsStep() {
			rel, err := p.parseRelative()
			if err != nil {
				return nil, err
			}
			return joinChild(&rootExpr{}, rel), nil
		}
		return &rootExpr{}, nil
	case p.isOp("//"):
		p.next()
		rel, err := p.parseRelative()
		if err != nil {
			return nil, err
		}
		return joinDesc(&rootExpr{}, rel), nil
	}
	return p.parseRelative()
}

// joinChild builds l/r, keeping paths left-associative.
func joinChild(l, r expr) expr {
	if rp, ok := r.(*pathExpr); ok {
		return &pathExpr{l: joinChild(l, rp.l), r: rp.r}
	}
	return &pathExpr{l: l, r: r}
}

// joinDesc builds l//r. l//x with a child step x whose predicates are not
// positional is the same as l/descendant::x, which the evaluator answers
// from the document's element index instead of visiting every node.
func joinDesc(l, r expr) expr {
	if rp, ok := r.(*pathExpr); ok {
		return &pathExpr{l: joinDesc(l, rp.l), r: rp.r}
	}
	if u, ok := r.(*setExpr); ok && u.op == "union" {
		return &setExpr{op: "union", l: joinDesc(l, u.l), r: joinDesc(l, u.r)}
	}
	if st, ok := r.(*stepExpr); ok && st.test.kind == testName && !st.test.anyLocal && !st.test.anySpace && booleanPreds(st.preds) {
		switch st.axis {
		case "child":
			return &pathExpr{l: l, r: &stepExpr{axis: "descendant", test: st.test, preds: st.preds}}
		case "attribute":
			// l//@x: the attributes x of l and of its descendants.
			return &pathExpr{l: l, r: &stepExpr{axis: "descendant-attribute", test: st.test, preds: st.preds}}
		}
	}
	return &pathExpr{l: &pathExpr{l: l, r: descOrSelf()}, r: r}
}

// booleanPreds reports whether every predicate is certainly used for its
// boolean value rather than as a position.
func booleanPreds(preds []expr) bool {
	for _, p := range preds {
		switch v := p.(type) {
		case *compExpr, *logicExpr, *stepExpr:
		case *pathExpr:
			if _, ok := v.r.(*stepExpr); !ok {
				return false
			}
		case *callExpr:
			switch v.name {
			case "not", "exists", "empty", "boolean", "true", "false", "contains", "starts-with", "ends-with", "matches":
			default:
				return false
			}
		default:
			return false
		}
	}
	return true
}

// startsStep reports whether the next token can begin a relative path.
func (p *xpathParser) startsStep() bool {
	t := p.peek()
	switch t.kind {
	case tName, tNum, tStr, tVar:
		return true
	case tOp:
		return t.text == "@" || t.text == "." || t.text == ".." || t.text == "("
	}
	return false
}

func descOrSelf() expr { return &stepExpr{axis: "descendant-or-self", test: nodeTest{kind: testNode}} }

func (p *xpathParser) parseRelative() (expr, error) {
	e, err := p.parseStep()
	if err != nil {
		return nil, err
	}
	for p.isOp("/") || p.isOp("//") {
		desc := p.next().text == "//"
		r, err := p.parseStep()
		if err != nil {
			return nil, err
		}
		if desc {
			e = joinDesc(e, r)
		} else {
			e = &pathExpr{l: e, r: r}
		}
	}
	return e, nil
}

func (p *xpathParser) parsePredicates() ([]expr, error) {
	var preds []expr
	for p.isOp("[") {
		p.next()
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if err := p.expect("]"); err != nil {
			return nil, err
		}
		preds = append(preds, e)
	}
	return preds, nil
}

// parseLiteral reads a numeric literal: integers and decimals are exact,
// literals with an exponent are doubles, as XPath 2.0 types them.
func parseLiteral(s string) (item, error) {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil, fmt.Errorf("bad number %q", s)
	}
	return r, nil
}
