package einvoice

// Variables whose value does not depend on the document, such as Peppol's
// code lists ($ISO4217 := tokenize('AED AFN …', '\s')), are evaluated once
// when the rules compile instead of on every validation.

// isConstant reports whether e has the same value for every document and
// context: it reads no node, no context item and only constant variables.
func isConstant(e expr, consts map[string]bool) bool {
	switch v := e.(type) {
	case *literalExpr:
		return true
	case *varExpr:
		return consts[v.name]
	case *callExpr:
		if len(v.args) == 0 {
			return v.name == "true" || v.name == "false"
		}
		return allConstant(consts, v.args...)
	case *seqExpr:
		return allConstant(consts, v.items...)
	case *ifExpr:
		return allConstant(consts, v.cond, v.then, v.els)
	case *logicExpr:
		return allConstant(consts, v.l, v.r)
	case *compExpr:
		return allConstant(consts, v.l, v.r)
	case *arithExpr:
		return allConstant(consts, v.l, v.r)
	case *rangeExpr:
		return allConstant(consts, v.l, v.r)
	case *negExpr:
		return isConstant(v.e, consts)
	case *castExpr:
		return isConstant(v.e, consts)
	}
	return false
}

func allConstant(consts map[string]bool, es ...expr) bool {
	for _, e := range es {
		if !isConstant(e, consts) {
			return false
		}
	}
	return true
}

// foldLets evaluates the constant variables of a list once. consts gains
// their names, so later variables built on them fold too.
func foldLets(lets []compiledLet, consts map[string]bool, vars *scope) ([]compiledLet, *scope) {
	for i := range lets {
		l := &lets[i]
		if !isConstant(l.e, consts) {
			continue
		}
		c := &evalCtx{vars: vars, state: &evalState{}}
		v, err := l.e.eval(c)
		if err != nil {
			continue // left to fail at run time, as the Schematron would
		}
		l.folded, l.val = true, v
		consts[l.name] = true
		vars = &scope{name: l.name, val: v, parent: vars}
	}
	return lets, vars
}
