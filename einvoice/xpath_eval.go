package einvoice

import (
	"math/big"
	"sort"
)

// evalCtx is the XPath dynamic context: the context item, its position and
// the size of the sequence it came from, and the variables in scope.
type evalCtx struct {
	item  item
	pos   int
	size  int
	vars  *scope
	root  *node
	state *evalState
}

// evalState is the scratch space of one evaluation run; it makes an
// evalCtx tree usable by one goroutine at a time.
type evalState struct {
	args []seq // argument stack of function calls in progress
}

// newEvalCtx is the context for evaluating on a document from its root.
func newEvalCtx(root *node) *evalCtx {
	return &evalCtx{item: root, pos: 1, size: 1, root: root, state: &evalState{args: make([]seq, 0, 32)}}
}

// scope is a linked list of variable bindings.
type scope struct {
	name   string
	val    seq
	parent *scope
}

func (s *scope) lookup(name string) (seq, bool) {
	for cur := s; cur != nil; cur = cur.parent {
		if cur.name == name {
			return cur.val, true
		}
	}
	return nil, false
}

func (c *evalCtx) with(it item, pos, size int) *evalCtx {
	return &evalCtx{item: it, pos: pos, size: size, vars: c.vars, root: c.root, state: c.state}
}

func (c *evalCtx) bind(name string, val seq) *evalCtx {
	return &evalCtx{item: c.item, pos: c.pos, size: c.size, vars: &scope{name: name, val: val, parent: c.vars}, root: c.root, state: c.state}
}

type literalExpr struct{ v seq }

func (e *literalExpr) eval(*evalCtx) (seq, error) { return e.v, nil }

type varExpr struct{ name string }

func (e *varExpr) eval(c *evalCtx) (seq, error) {
	v, ok := c.vars.lookup(e.name)
	if !ok {
		return nil, xerr("variable $%s is not defined", e.name)
	}
	return v, nil
}

type contextExpr struct{}

func (contextExpr) eval(c *evalCtx) (seq, error) {
	if c.item == nil {
		return nil, xerr("no context item")
	}
	return itemSeq(c.item), nil
}

type rootExpr struct{}

func (rootExpr) eval(c *evalCtx) (seq, error) { return itemSeq(c.root), nil }

// itemSeq is the one-item sequence of it, shared for nodes and booleans.
func itemSeq(it item) seq {
	switch v := it.(type) {
	case *node:
		if v.self != nil {
			return v.self
		}
	case bool:
		return boolSeq(v)
	}
	return seq{it}
}

type seqExpr struct{ items []expr }

func (e *seqExpr) eval(c *evalCtx) (seq, error) {
	var out seq
	for _, it := range e.items {
		v, err := it.eval(c)
		if err != nil {
			return nil, err
		}
		out = append(out, v...)
	}
	return out, nil
}

type ifExpr struct{ cond, then, els expr }

func (e *ifExpr) eval(c *evalCtx) (seq, error) {
	v, err := e.cond.eval(c)
	if err != nil {
		return nil, err
	}
	b, err := ebv(v)
	if err != nil {
		return nil, err
	}
	if b {
		return e.then.eval(c)
	}
	return e.els.eval(c)
}

// bindExpr is a for, some or every expression.
type bindExpr struct {
	kind string
	vars []string
	ins  []expr
	body expr
}

func (e *bindExpr) eval(c *evalCtx) (seq, error) {
	var out seq
	found := false
	var walk func(i int, c *evalCtx) error
	walk = func(i int, c *evalCtx) error {
		if i == len(e.vars) {
			v, err := e.body.eval(c)
			if err != nil {
				return err
			}
			if e.kind == "for" {
				out = append(out, v...)
				return nil
			}
			b, err := ebv(v)
			if err != nil {
				return err
			}
			if b == (e.kind == "some") {
				found = true
			}
			return nil
		}
		in, err := e.ins[i].eval(c)
		if err != nil {
			return err
		}
		for _, it := range in {
			if found {
				return nil
			}
			if err := walk(i+1, c.bind(e.vars[i], itemSeq(it))); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(0, c); err != nil {
		return nil, err
	}
	switch e.kind {
	case "some":
		return boolSeq(found), nil
	case "every":
		return boolSeq(!found), nil
	}
	return out, nil
}

type logicExpr struct {
	or   bool
	l, r expr
}

func (e *logicExpr) eval(c *evalCtx) (seq, error) {
	lv, err := e.l.eval(c)
	if err != nil {
		return nil, err
	}
	lb, err := ebv(lv)
	if err != nil {
		return nil, err
	}
	if lb == e.or {
		return boolSeq(lb), nil
	}
	rv, err := e.r.eval(c)
	if err != nil {
		return nil, err
	}
	rb, err := ebv(rv)
	if err != nil {
		return nil, err
	}
	return boolSeq(rb), nil
}

type rangeExpr struct{ l, r expr }

func (e *rangeExpr) eval(c *evalCtx) (seq, error) {
	lo, err := integerOperand(e.l, c)
	if err != nil || lo == nil {
		return nil, err
	}
	hi, err := integerOperand(e.r, c)
	if err != nil || hi == nil {
		return nil, err
	}
	var out seq
	for i := lo.Int64(); i <= hi.Int64() && len(out) < 100000; i++ {
		out = append(out, big.NewRat(i, 1))
	}
	return out, nil
}

func integerOperand(e expr, c *evalCtx) (*big.Int, error) {
	v, err := e.eval(c)
	if err != nil || len(v) == 0 {
		return nil, err
	}
	r, err := toInteger(atomize(v)[0])
	if err != nil {
		return nil, err
	}
	return r.Num(), nil
}

type negExpr struct{ e expr }

func (e *negExpr) eval(c *evalCtx) (seq, error) {
	v, err := e.e.eval(c)
	if err != nil {
		return nil, err
	}
	return arith("-", seq{new(big.Rat)}, v)
}

type arithExpr struct {
	op   string
	l, r expr
}

func (e *arithExpr) eval(c *evalCtx) (seq, error) {
	lv, err := e.l.eval(c)
	if err != nil {
		return nil, err
	}
	rv, err := e.r.eval(c)
	if err != nil {
		return nil, err
	}
	return arith(e.op, lv, rv)
}

// setExpr is union, intersect or except over node sequences.
type setExpr struct {
	op   string
	l, r expr
}

func (e *setExpr) eval(c *evalCtx) (seq, error) {
	lv, err := e.l.eval(c)
	if err != nil {
		return nil, err
	}
	rv, err := e.r.eval(c)
	if err != nil {
		return nil, err
	}
	for _, side := range []seq{lv, rv} {
		for _, it := range side {
			if _, ok := it.(*node); !ok {
				return nil, xerr("%s needs nodes", e.op)
			}
		}
	}
	if e.op == "union" {
		out := make(seq, 0, len(lv)+len(rv))
		return docOrder(append(append(out, lv...), rv...)), nil
	}
	inR := map[*node]bool{}
	for _, it := range rv {
		inR[it.(*node)] = true
	}
	var out seq
	for _, it := range lv {
		if (e.op == "intersect") == inR[it.(*node)] {
			out = append(out, it)
		}
	}
	return docOrder(out), nil
}

// docOrder sorts nodes into document order without duplicates.
func docOrder(s seq) seq {
	if len(s) < 2 {
		return s
	}
	sorted := true
	for i := 1; i < len(s); i++ {
		if s[i].(*node).order <= s[i-1].(*node).order {
			sorted = false
			break
		}
	}
	if sorted {
		return s
	}
	sort.SliceStable(s, func(i, j int) bool { return s[i].(*node).order < s[j].(*node).order })
	out := s[:1]
	for _, it := range s[1:] {
		if it.(*node) != out[len(out)-1].(*node) {
			out = append(out, it)
		}
	}
	return out
}
