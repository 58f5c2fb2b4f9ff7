package einvoice

import (
	"fmt"
	"strings"
)

// testKind is the kind of an XPath node test.
type testKind uint8

const (
	testName      testKind = iota // a (possibly wildcard) name
	testNode                      // node()
	testText                      // text()
	testElement                   // element()
	testAttribute                 // attribute()
	testComment                   // comment(), never matches: the tree drops comments
)

// nodeTest matches nodes on an axis by kind and name.
type nodeTest struct {
	kind     testKind
	space    string
	local    string
	anySpace bool
	anyLocal bool
}

// stepExpr is an axis step with its predicates.
type stepExpr struct {
	axis  string
	test  nodeTest
	preds []expr
}

// filterExpr is a primary expression with predicates, such as $list[2].
type filterExpr struct {
	primary expr
	preds   []expr
}

var axes = []string{"child", "descendant", "parent", "ancestor", "following-sibling", "preceding-sibling",
	"following", "preceding", "attribute", "self", "descendant-or-self", "ancestor-or-self"}

func (p *xpathParser) parseStep() (expr, error) {
	t := p.peek()
	switch {
	case t.kind == tOp && t.text == "..":
		p.next()
		return &stepExpr{axis: "parent", test: nodeTest{kind: testNode}}, nil
	case t.kind == tOp && t.text == "@":
		p.next()
		return p.parseAxisStep("attribute")
	case t.kind == tName && p.peekAt(1).kind == tOp && p.peekAt(1).text == "::":
		if !contains(axes, t.text) {
			return nil, fmt.Errorf("unknown axis %q", t.text)
		}
		p.next()
		p.next()
		return p.parseAxisStep(t.text)
	case t.kind == tName && !(p.peekAt(1).kind == tOp && p.peekAt(1).text == "(") || (t.kind == tName && isKindTest(t.text)):
		return p.parseAxisStep("child")
	}
	prim, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	preds, err := p.parsePredicates()
	if err != nil {
		return nil, err
	}
	if len(preds) == 0 {
		return prim, nil
	}
	return &filterExpr{primary: prim, preds: preds}, nil
}

func isKindTest(name string) bool {
	switch name {
	case "node", "text", "element", "attribute", "comment":
		return true
	}
	return false
}

func (p *xpathParser) parseAxisStep(axis string) (expr, error) {
	t := p.next()
	if t.kind != tName {
		return nil, fmt.Errorf("expected a node test, found %q", t.text)
	}
	var test nodeTest
	if isKindTest(t.text) && p.isOp("(") {
		p.next()
		for !p.isOp(")") && p.peek().kind != tEOF {
			p.next() // element(name) and friends: the name is not used by the Schematron
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		test.kind = map[string]testKind{"node": testNode, "text": testText, "element": testElement,
			"attribute": testAttribute, "comment": testComment}[t.text]
	} else {
		var err error
		if test, err = p.nameTest(t.text); err != nil {
			return nil, err
		}
	}
	preds, err := p.parsePredicates()
	if err != nil {
		return nil, err
	}
	return &stepExpr{axis: axis, test: test, preds: preds}, nil
}

// nameTest resolves a QName or wildcard against the namespace prefixes.
// Unprefixed element names are in no namespace, as in XSLT without a
// default element namespace.
func (p *xpathParser) nameTest(name string) (nodeTest, error) {
	if name == "*" {
		return nodeTest{anySpace: true, anyLocal: true}, nil
	}
	prefix, local, found := strings.Cut(name, ":")
	if !found {
		return nodeTest{local: name}, nil
	}
	if prefix == "*" {
		return nodeTest{anySpace: true, local: local}, nil
	}
	uri, ok := p.ns[prefix]
	if !ok {
		return nodeTest{}, fmt.Errorf("unknown prefix %q", prefix)
	}
	uri = canonicalNamespace(uri)
	if local == "*" {
		return nodeTest{space: uri, anyLocal: true}, nil
	}
	return nodeTest{space: uri, local: local}, nil
}

func (p *xpathParser) parsePrimary() (expr, error) {
	t := p.next()
	switch t.kind {
	case tStr:
		return &literalExpr{v: seq{t.text}}, nil
	case tNum:
		v, err := parseLiteral(t.text)
		if err != nil {
			return nil, err
		}
		return &literalExpr{v: seq{v}}, nil
	case tVar:
		return &varExpr{name: t.text}, nil
	case tOp:
		switch t.text {
		case ".":
			return &contextExpr{}, nil
		case "(":
			if p.isOp(")") {
				p.next()
				return &literalExpr{}, nil
			}
			e, err := p.parseExpr()
			if err != nil {
				return nil, err
			}
			return e, p.expect(")")
		}
	case tName:
		return p.parseCall(t.text)
	}
	return nil, fmt.Errorf("unexpected %q", t.text)
}

func (p *xpathParser) parseCall(name string) (expr, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	var args []expr
	for !p.isOp(")") {
		a, err := p.parseSingle()
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		if !p.isOp(",") {
			break
		}
		p.next()
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	name = strings.TrimPrefix(name, "fn:")
	if uf, ok := p.fns[name]; ok {
		if len(args) != len(uf.params) {
			return nil, fmt.Errorf("%s takes %d arguments", name, len(uf.params))
		}
		return &userCall{fn: uf, args: args}, nil
	}
	f, ok := builtin(name, len(args))
	if !ok {
		return nil, fmt.Errorf("unknown function %s#%d", name, len(args))
	}
	return &callExpr{name: name, fn: f, args: args}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
