package einvoice

import (
	"math/big"
	"slices"
	"sort"
)

// pathExpr is E1/E2: E2 evaluated for every node E1 selects.
type pathExpr struct{ l, r expr }

func (e *pathExpr) eval(c *evalCtx) (seq, error) {
	lv, err := e.l.eval(c)
	if err != nil {
		return nil, err
	}
	var out seq
	nodes := true
	step, isStep := e.r.(*stepExpr)
	var inner *evalCtx
	if !isStep {
		inner = c.with(nil, 0, len(lv))
	}
	for i, it := range lv {
		n, ok := it.(*node)
		if !ok {
			return nil, xerr("the left side of / must be nodes, found %s", stringOf(it))
		}
		var rv seq
		var err error
		if isStep {
			rv, err = step.evalOn(c, n)
		} else {
			inner.item, inner.pos = it, i+1
			rv, err = e.r.eval(inner)
		}
		if err != nil {
			return nil, err
		}
		for _, x := range rv {
			if _, ok := x.(*node); !ok {
				nodes = false
			}
		}
		if len(lv) == 1 {
			out = rv
		} else {
			out = append(out, rv...)
		}
	}
	if nodes {
		return docOrder(out), nil
	}
	return out, nil
}

func (e *stepExpr) eval(c *evalCtx) (seq, error) {
	n, ok := c.item.(*node)
	if !ok {
		return nil, xerr("an axis step needs a node as context item")
	}
	return e.evalOn(c, n)
}

// evalOn evaluates the step from node n.
func (e *stepExpr) evalOn(c *evalCtx, n *node) (seq, error) {
	if e.test.kind == testName && !e.test.anyLocal && !e.test.anySpace {
		if found, ok := e.indexed(n); ok {
			out, err := applyPredicates(c, found, e.preds)
			if e.axis == "preceding" {
				slices.Reverse(out)
			}
			return out, err
		}
	}
	if e.axis == "child" {
		return e.children(c, n)
	}
	var out seq
	e.axisNodes(n, func(m *node) {
		if e.test.matches(m, e.axis == "attribute") {
			out = append(out, m)
		}
	})
	out, err := applyPredicates(c, out, e.preds)
	if err != nil {
		return nil, err
	}
	if isReverseAxis(e.axis) {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// indexed answers named descendant, following and preceding steps from
// the document's index, in axis order; ok is false when there is no index
// or the axis is another.
func (e *stepExpr) indexed(n *node) (seq, bool) {
	doc := n
	for doc.parent != nil {
		doc = doc.parent
	}
	if doc.index == nil {
		return nil, false
	}
	k := e.test.local
	if e.axis == "descendant-attribute" {
		k = "@" + k
	}
	list := doc.index[k]
	after := func(o int) int { return sort.Search(len(list), func(i int) bool { return list[i].(*node).order > o }) }
	var out seq
	switch e.axis {
	case "descendant", "descendant-attribute":
		lo, hi := after(n.order), after(n.end)
		return inSpace(list[lo:hi:hi], e.test.space), true
	case "following":
		return inSpace(list[after(n.end):len(list):len(list)], e.test.space), true
	case "preceding":
		prev := list[:after(n.order)]
		for i := len(prev) - 1; i >= 0; i-- {
			if m := prev[i].(*node); m.end < n.order && m.space == e.test.space { // not an ancestor
				out = append(out, m)
			}
		}
	default:
		return nil, false
	}
	return out, true
}

// children evaluates a child step without a callback per node: most child
// steps select zero or one element, so the result is sized exactly.
func (e *stepExpr) children(c *evalCtx, n *node) (seq, error) {
	if e.test.kind == testName && !e.test.anyLocal && !e.test.anySpace {
		if byName, ok := n.childrenByLocal(e.test.local); ok {
			return applyPredicates(c, inSpace(byName, e.test.space), e.preds)
		}
	}
	count := 0
	var last *node
	for _, ch := range n.children {
		if e.test.matches(ch, false) {
			count++
			last = ch
		}
	}
	switch {
	case count == 0:
		return nil, nil
	case count == 1 && len(e.preds) == 0 && last.self != nil:
		return last.self, nil
	}
	out := make(seq, 0, count)
	for _, ch := range n.children {
		if e.test.matches(ch, false) {
			out = append(out, ch)
		}
	}
	return applyPredicates(c, out, e.preds)
}

// inSpace keeps the nodes of s in namespace space; s itself is returned,
// without copying, when all are (the usual case).
func inSpace(s seq, space string) seq {
	for i, it := range s {
		if it.(*node).space != space {
			out := append(seq{}, s[:i]...)
			for _, x := range s[i+1:] {
				if x.(*node).space == space {
					out = append(out, x)
				}
			}
			return out
		}
	}
	if len(s) == 0 {
		return nil
	}
	return s[:len(s):len(s)] // shared: an append by a caller must copy
}

func isReverseAxis(axis string) bool {
	switch axis {
	case "parent", "ancestor", "ancestor-or-self", "preceding-sibling", "preceding":
		return true
	}
	return false
}

// axisNodes calls f on the nodes of the axis in axis order (reverse
// document order for reverse axes, as positional predicates count them).
func (e *stepExpr) axisNodes(n *node, f func(*node)) {
	switch e.axis {
	case "child":
		for _, ch := range n.children {
			f(ch)
		}
	case "attribute":
		for _, a := range n.attrs {
			f(a)
		}
	case "self":
		f(n)
	case "parent":
		if n.parent != nil {
			f(n.parent)
		}
	case "descendant", "descendant-or-self":
		if e.axis == "descendant-or-self" {
			f(n)
		}
		var walk func(*node)
		walk = func(m *node) {
			for _, ch := range m.children {
				f(ch)
				walk(ch)
			}
		}
		walk(n)
	case "ancestor", "ancestor-or-self":
		if e.axis == "ancestor-or-self" {
			f(n)
		}
		for p := n.parent; p != nil; p = p.parent {
			f(p)
		}
	case "following-sibling", "preceding-sibling":
		if n.parent == nil || n.kind == attrNode {
			return
		}
		sib := n.parent.children
		idx := 0
		for i, s := range sib {
			if s == n {
				idx = i
			}
		}
		if e.axis == "following-sibling" {
			for _, s := range sib[idx+1:] {
				f(s)
			}
		} else {
			for i := idx - 1; i >= 0; i-- {
				f(sib[i])
			}
		}
	case "following", "preceding":
		e.documentAxis(n, f)
	}
}

// documentAxis walks the following or preceding axis: every node after (or
// before) n in document order that is neither its descendant nor ancestor.
func (e *stepExpr) documentAxis(n *node, f func(*node)) {
	root := n
	for root.parent != nil {
		root = root.parent
	}
	var all []*node
	var walk func(*node)
	walk = func(m *node) {
		all = append(all, m)
		for _, ch := range m.children {
			walk(ch)
		}
	}
	walk(root)
	isAncestor := func(a *node) bool {
		for p := n.parent; p != nil; p = p.parent {
			if p == a {
				return true
			}
		}
		return false
	}
	if e.axis == "following" {
		for _, m := range all {
			if m.order > n.order && !isAncestor(m) && !m.isDescendantOf(n) {
				f(m)
			}
		}
		return
	}
	for i := len(all) - 1; i >= 0; i-- {
		if m := all[i]; m.order < n.order && m.kind != docNode && !isAncestor(m) {
			f(m)
		}
	}
}

func (n *node) isDescendantOf(a *node) bool {
	for p := n.parent; p != nil; p = p.parent {
		if p == a {
			return true
		}
	}
	return false
}

func (t nodeTest) matches(n *node, attrAxis bool) bool {
	switch t.kind {
	case testNode:
		return true
	case testText:
		return n.kind == textNode
	case testElement:
		return n.kind == elemNode
	case testAttribute:
		return n.kind == attrNode
	case testComment:
		return false
	}
	want := elemNode
	if attrAxis {
		want = attrNode
	}
	if n.kind != want {
		return false
	}
	return (t.anyLocal || t.local == n.local) && (t.anySpace || t.space == n.space)
}

// applyPredicates filters a sequence by each predicate in turn: a numeric
// predicate selects by position, any other by its effective boolean value.
func applyPredicates(c *evalCtx, s seq, preds []expr) (seq, error) {
	for _, p := range preds {
		var out seq
		inner := c.with(nil, 0, len(s))
		for i, it := range s {
			inner.item, inner.pos = it, i+1
			v, err := p.eval(inner)
			if err != nil {
				return nil, err
			}
			if len(v) == 1 && isNumeric(v[0]) {
				if f, _ := toDouble(v[0]); f == float64(i+1) {
					out = append(out, it)
				}
				continue
			}
			b, err := ebv(v)
			if err != nil {
				return nil, err
			}
			if b {
				out = append(out, it)
			}
		}
		s = out
	}
	return s, nil
}

func (e *filterExpr) eval(c *evalCtx) (seq, error) {
	v, err := e.primary.eval(c)
	if err != nil {
		return nil, err
	}
	return applyPredicates(c, v, e.preds)
}

// castExpr is "cast as", "castable as" or "instance of" with an atomic type.
type castExpr struct {
	kind     string
	typ      string
	e        expr
	optional bool
}

func (e *castExpr) eval(c *evalCtx) (seq, error) {
	v, err := e.e.eval(c)
	if err != nil {
		return nil, err
	}
	v = atomize(v)
	if e.kind == "instance" {
		return boolSeq(len(v) == 1 && instanceOf(v[0], e.typ)), nil
	}
	if len(v) == 0 {
		if e.kind == "castable" {
			return boolSeq(e.optional), nil
		}
		return nil, nil
	}
	if len(v) > 1 {
		if e.kind == "castable" {
			return seqFalse, nil
		}
		return nil, xerr("cast of a sequence of %d items", len(v))
	}
	r, err := castTo(v[0], e.typ)
	if e.kind == "castable" {
		return boolSeq(err == nil), nil
	}
	if err != nil {
		return nil, err
	}
	return seq{r}, nil
}

func instanceOf(it item, typ string) bool {
	switch typ {
	case "xs:string":
		_, ok := it.(string)
		return ok
	case "xs:decimal":
		_, ok := it.(*big.Rat)
		return ok
	case "xs:integer":
		r, ok := it.(*big.Rat)
		return ok && r.IsInt()
	case "xs:double":
		_, ok := it.(float64)
		return ok
	case "xs:boolean":
		_, ok := it.(bool)
		return ok
	}
	return false
}
