package einvoice

import (
	"math"
	"math/big"
	"strings"
)

// compExpr is a general (=, !=, <, …) or value (eq, ne, lt, …) comparison.
type compExpr struct {
	op   string
	l, r expr
}

// valueOp maps a value comparison operator to its general form.
func valueOp(op string) (string, bool) {
	switch op {
	case "eq":
		return "=", true
	case "ne":
		return "!=", true
	case "lt":
		return "<", true
	case "le":
		return "<=", true
	case "gt":
		return ">", true
	case "ge":
		return ">=", true
	}
	return op, false
}

func (e *compExpr) eval(c *evalCtx) (seq, error) {
	lv, err := e.l.eval(c)
	if err != nil {
		return nil, err
	}
	rv, err := e.r.eval(c)
	if err != nil {
		return nil, err
	}
	op, isValue := valueOp(e.op)
	la, ra := atomize(lv), atomize(rv)
	if isValue {
		if len(la) == 0 || len(ra) == 0 {
			return nil, nil
		}
		la, ra = seq{untypedAsString(la[0])}, seq{untypedAsString(ra[0])}
	}
	for _, a := range la {
		for _, b := range ra {
			ok, err := compareAtomic(op, a, b)
			if err != nil {
				return nil, err
			}
			if ok {
				return seqTrue, nil
			}
		}
	}
	return seqFalse, nil
}

func untypedAsString(it item) item {
	if u, ok := it.(untyped); ok {
		return string(u)
	}
	return it
}

// compareAtomic compares two atomic values as a general comparison does:
// an untyped value takes the type of the other side (xs:double against a
// number), two untyped values compare as strings.
func compareAtomic(op string, a, b item) (bool, error) {
	ua, aUntyped := a.(untyped)
	ub, bUntyped := b.(untyped)
	switch {
	case aUntyped && bUntyped:
		return cmpResult(op, strings.Compare(string(ua), string(ub))), nil
	case aUntyped:
		x, err := castLike(ua, b)
		if err != nil {
			return false, err
		}
		a = x
	case bUntyped:
		x, err := castLike(ub, a)
		if err != nil {
			return false, err
		}
		b = x
	}
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return cmpResult(op, strings.Compare(x, y)), nil
		}
	case xdate:
		if y, ok := b.(xdate); ok {
			return cmpResult(op, strings.Compare(string(x), string(y))), nil
		}
	case bool:
		if y, ok := b.(bool); ok {
			return cmpResult(op, boolInt(x)-boolInt(y)), nil
		}
	case *big.Rat:
		if y, ok := b.(*big.Rat); ok {
			return cmpResult(op, x.Cmp(y)), nil
		}
		if y, ok := b.(float64); ok {
			f, _ := x.Float64()
			return cmpDouble(op, f, y), nil
		}
	case float64:
		if y, ok := toDoubleIfNumeric(b); ok {
			return cmpDouble(op, x, y), nil
		}
	}
	return false, xerr("cannot compare %s with %s", stringOf(a), stringOf(b))
}

func toDoubleIfNumeric(it item) (float64, bool) {
	if !isNumeric(it) {
		return 0, false
	}
	return toDouble(it)
}

// castLike casts an untyped value to the type of other, as a general
// comparison does: numbers compare as xs:double.
func castLike(u untyped, other item) (item, error) {
	switch other.(type) {
	case *big.Rat, float64:
		f, ok := toDouble(u)
		if !ok {
			return nil, xerr("cannot cast %q to xs:double", string(u))
		}
		return f, nil
	case bool:
		return castTo(u, "xs:boolean")
	case xdate:
		return castTo(u, "xs:date")
	}
	return string(u), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func cmpResult(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func cmpDouble(op string, x, y float64) bool {
	if math.IsNaN(x) || math.IsNaN(y) {
		return op == "!="
	}
	switch {
	case x < y:
		return cmpResult(op, -1)
	case x > y:
		return cmpResult(op, 1)
	}
	return cmpResult(op, 0)
}

// arith applies an arithmetic operator. Untyped operands become xs:double;
// two decimals stay exact; the empty sequence gives the empty sequence.
func arith(op string, lv, rv seq) (seq, error) {
	la, ra := atomize(lv), atomize(rv)
	if len(la) == 0 || len(ra) == 0 {
		return nil, nil
	}
	if len(la) > 1 || len(ra) > 1 {
		return nil, xerr("arithmetic on a sequence of more than one item")
	}
	a, b := numericOperand(la[0]), numericOperand(ra[0])
	if a == nil || b == nil {
		return nil, xerr("arithmetic on a non-number: %s %s %s", stringOf(la[0]), op, stringOf(ra[0]))
	}
	x, xDec := a.(*big.Rat)
	y, yDec := b.(*big.Rat)
	if xDec && yDec {
		return decimalArith(op, x, y)
	}
	f, _ := toDouble(a)
	g, _ := toDouble(b)
	var r float64
	switch op {
	case "+":
		r = f + g
	case "-":
		r = f - g
	case "*":
		r = f * g
	case "div":
		r = f / g
	case "mod":
		r = math.Mod(f, g)
	case "idiv":
		if g == 0 || math.IsNaN(f) || math.IsNaN(g) || math.IsInf(f, 0) {
			return nil, xerr("integer division by zero or of a non-finite number")
		}
		return seq{new(big.Rat).SetFloat64(math.Trunc(f / g))}, nil
	}
	return seq{r}, nil
}

func numericOperand(it item) item {
	switch v := it.(type) {
	case *big.Rat, float64:
		return v
	case untyped:
		f, _ := toDouble(v)
		return f
	}
	return nil
}

func decimalArith(op string, x, y *big.Rat) (seq, error) {
	r := new(big.Rat)
	switch op {
	case "+":
		r.Add(x, y)
	case "-":
		r.Sub(x, y)
	case "*":
		r.Mul(x, y)
	case "div", "idiv", "mod":
		if y.Sign() == 0 {
			return nil, xerr("division by zero")
		}
		q := new(big.Rat).Quo(x, y)
		switch op {
		case "div":
			r = q
		case "idiv":
			r.SetInt(new(big.Int).Quo(q.Num(), q.Denom()))
		case "mod":
			t := new(big.Rat).SetInt(new(big.Int).Quo(q.Num(), q.Denom()))
			r.Sub(x, t.Mul(t, y))
		}
	}
	return seq{r}, nil
}

// castTo casts an atomic value to a named atomic type.
func castTo(it item, typ string) (item, error) {
	switch typ {
	case "xs:string":
		return stringOf(it), nil
	case "xs:decimal":
		return toDecimal(it)
	case "xs:integer", "xs:int", "xs:long", "xs:positiveInteger", "xs:nonNegativeInteger":
		return toInteger(it)
	case "xs:double", "xs:float":
		f, ok := toDouble(it)
		if !ok {
			return nil, xerr("cannot cast %q to xs:double", stringOf(it))
		}
		return f, nil
	case "xs:boolean":
		switch v := it.(type) {
		case bool:
			return v, nil
		case string, untyped:
			switch strings.TrimSpace(stringOf(v)) {
			case "true", "1":
				return true, nil
			case "false", "0":
				return false, nil
			}
			return nil, xerr("cannot cast %q to xs:boolean", stringOf(v))
		}
		b, err := ebv(seq{it})
		return b, err
	case "xs:date":
		s := strings.TrimSpace(stringOf(it))
		if _, ok := it.(xdate); ok {
			return it, nil
		}
		if !dateLexical.MatchString(s) || !validDate(s[:10]) {
			return nil, xerr("cannot cast %q to xs:date", s)
		}
		return xdate(s[:10]), nil
	}
	return nil, xerr("unsupported type %s", typ)
}
