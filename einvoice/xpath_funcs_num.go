package einvoice

import (
	"math"
	"math/big"
)

func numberFunc(name string, arity int) (builtinFn, bool) {
	switch name {
	case "number":
		return fnNumber, arity <= 1
	case "sum":
		return fnSum, arity == 1 || arity == 2
	case "round":
		return fnRound, arity == 1 || arity == 2
	case "abs", "floor", "ceiling":
		return unaryNumeric(name), arity == 1
	case "xs:decimal", "xs:integer", "xs:string", "xs:double", "xs:boolean", "xs:date", "xs:float", "xs:int":
		return castFunc(name), arity == 1
	case "min", "max":
		return minMax(name == "max"), arity == 1
	case "avg":
		return fnAvg, arity == 1
	}
	return nil, false
}

func fnNumber(c *evalCtx, args []seq) (seq, error) {
	a := atomize(contextOrArg(c, args))
	if len(a) == 0 {
		return seq{math.NaN()}, nil
	}
	f, _ := toDouble(a[0])
	return seq{f}, nil
}

// fnSum adds the values: untyped values count as xs:double, so the sum of
// element values is a double, as in Saxon.
func fnSum(_ *evalCtx, args []seq) (seq, error) {
	a := atomize(args[0])
	if len(a) == 0 {
		if len(args) == 2 {
			return args[1], nil
		}
		return seq{new(big.Rat)}, nil
	}
	acc := seq{numericOperand(a[0])}
	if acc[0] == nil {
		return nil, xerr("sum of a non-number %q", stringOf(a[0]))
	}
	for _, it := range a[1:] {
		var err error
		if acc, err = arith("+", acc, seq{it}); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

// fnRound rounds half towards positive infinity; round(x, p) is the XPath
// 3.0 form with a precision.
func fnRound(_ *evalCtx, args []seq) (seq, error) {
	a := atomize(args[0])
	if len(a) == 0 {
		return nil, nil
	}
	prec := int64(0)
	if len(args) == 2 {
		p, err := toInteger(atomize(args[1])[0])
		if err != nil {
			return nil, err
		}
		prec = p.Num().Int64()
	}
	switch v := numericOperand(a[0]).(type) {
	case *big.Rat:
		scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(prec)), nil))
		x := new(big.Rat).Set(v)
		if prec >= 0 {
			x.Mul(x, scale)
		} else {
			x.Quo(x, scale)
		}
		x.Add(x, big.NewRat(1, 2))
		fl := new(big.Int).Div(x.Num(), x.Denom()) // Euclidean: floor for a positive denominator
		r := new(big.Rat).SetInt(fl)
		if prec >= 0 {
			r.Quo(r, scale)
		} else {
			r.Mul(r, scale)
		}
		return seq{r}, nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return seq{v}, nil
		}
		scale := math.Pow(10, float64(prec))
		return seq{math.Floor(v*scale+0.5) / scale}, nil
	}
	return nil, xerr("round of a non-number %q", stringOf(a[0]))
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func unaryNumeric(name string) builtinFn {
	return func(_ *evalCtx, args []seq) (seq, error) {
		a := atomize(args[0])
		if len(a) == 0 {
			return nil, nil
		}
		switch v := numericOperand(a[0]).(type) {
		case *big.Rat:
			switch name {
			case "abs":
				return seq{new(big.Rat).Abs(v)}, nil
			case "floor":
				return seq{new(big.Rat).SetInt(new(big.Int).Div(v.Num(), v.Denom()))}, nil
			}
			neg := new(big.Rat).Neg(v)
			return seq{new(big.Rat).SetInt(new(big.Int).Neg(new(big.Int).Div(neg.Num(), neg.Denom())))}, nil
		case float64:
			switch name {
			case "abs":
				return seq{math.Abs(v)}, nil
			case "floor":
				return seq{math.Floor(v)}, nil
			}
			return seq{math.Ceil(v)}, nil
		}
		return nil, xerr("%s of a non-number %q", name, stringOf(a[0]))
	}
}

func castFunc(typ string) builtinFn {
	return func(_ *evalCtx, args []seq) (seq, error) {
		if typ == "xs:decimal" && len(args[0]) == 1 {
			if n, ok := args[0][0].(*node); ok {
				return n.decimal()
			}
		}
		a := atomize(args[0])
		if len(a) == 0 {
			return nil, nil
		}
		if len(a) > 1 {
			return nil, xerr("%s() of a sequence of %d items", typ, len(a))
		}
		r, err := castTo(a[0], typ)
		if err != nil {
			return nil, err
		}
		return seq{r}, nil
	}
}

func minMax(isMax bool) builtinFn {
	return func(_ *evalCtx, args []seq) (seq, error) {
		var best item
		for _, it := range atomize(args[0]) {
			v := numericOperand(it)
			if v == nil {
				return nil, xerr("min/max of a non-number %q", stringOf(it))
			}
			if best == nil {
				best = v
				continue
			}
			gt, err := compareAtomic(">", v, best)
			if err != nil {
				return nil, err
			}
			if gt == isMax {
				best = v
			}
		}
		if best == nil {
			return nil, nil
		}
		return seq{best}, nil
	}
}

func fnAvg(c *evalCtx, args []seq) (seq, error) {
	if len(args[0]) == 0 {
		return nil, nil
	}
	s, err := fnSum(c, args)
	if err != nil {
		return nil, err
	}
	return arith("div", s, seq{big.NewRat(int64(len(args[0])), 1)})
}

func sequenceFunc(name string, arity int) (builtinFn, bool) {
	switch name {
	case "true", "false":
		v := name == "true"
		return func(*evalCtx, []seq) (seq, error) { return boolSeq(v), nil }, arity == 0
	case "not", "boolean":
		want := name == "boolean"
		return func(_ *evalCtx, args []seq) (seq, error) {
			b, err := ebv(args[0])
			return boolSeq(b == want), err
		}, arity == 1
	case "exists", "empty":
		want := name == "exists"
		return func(_ *evalCtx, args []seq) (seq, error) { return boolSeq((len(args[0]) > 0) == want), nil }, arity == 1
	case "count":
		return func(_ *evalCtx, args []seq) (seq, error) { return seq{big.NewRat(int64(len(args[0])), 1)}, nil }, arity == 1
	case "position":
		return func(c *evalCtx, _ []seq) (seq, error) { return seq{big.NewRat(int64(c.pos), 1)}, nil }, arity == 0
	case "last":
		return func(c *evalCtx, _ []seq) (seq, error) { return seq{big.NewRat(int64(c.size), 1)}, nil }, arity == 0
	case "reverse":
		return func(_ *evalCtx, args []seq) (seq, error) {
			out := make(seq, len(args[0]))
			for i, it := range args[0] {
				out[len(out)-1-i] = it
			}
			return out, nil
		}, arity == 1
	case "distinct-values":
		return fnDistinct, arity == 1
	case "data":
		return func(_ *evalCtx, args []seq) (seq, error) { return atomize(args[0]), nil }, arity == 1
	case "current-date":
		return nil, false // results would depend on the day the check runs
	}
	return nil, false
}

func fnDistinct(_ *evalCtx, args []seq) (seq, error) {
	var out seq
	for _, it := range atomize(args[0]) {
		dup := false
		for _, o := range out {
			if eq, err := compareAtomic("=", untypedAsString(it), untypedAsString(o)); err == nil && eq {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, it)
		}
	}
	return out, nil
}
