package coa

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"backoffice"
)

// problem is one broken rule, on one account (index into Accounts) and field.
type problem struct {
	index   int
	field   string // JSON name of the Account field
	message string
}

// Validate checks the rules a chart must meet before the ledger loads it:
// every account has a code, a name, one of the five types and a subtype that
// fits its type; codes are unique; a parent exists somewhere in the chart
// (before or after its children: load accounts in Sorted order), has the same
// type and is not the account itself or one of its descendants; a fixed
// currency is an ISO 4217 code. It returns nil or an invalid
// *backoffice.Error whose Fields name every problem, keyed
// "accounts[i].field" (i counts from 0).
func (c *Chart) Validate() error {
	probs := c.problems()
	if len(probs) == 0 {
		return nil
	}
	fields := make(map[string]string, len(probs))
	for _, p := range probs {
		key := fmt.Sprintf("accounts[%d].%s", p.index, p.field)
		if _, ok := fields[key]; !ok {
			fields[key] = p.message
		}
	}
	what := "1 problem"
	if len(fields) > 1 {
		what = strconv.Itoa(len(fields)) + " problems"
	}
	return &backoffice.Error{Code: backoffice.EInvalid, Message: "the chart of accounts has " + what, Fields: fields}
}

// problems lists every broken rule, in account order.
func (c *Chart) problems() []problem {
	var out []problem
	byCode := make(map[string]int, len(c.Accounts))
	for i, a := range c.Accounts {
		if a.Code == "" {
			continue
		}
		if first, dup := byCode[a.Code]; dup {
			out = append(out, problem{i, "code", fmt.Sprintf("code %s is already used by %q", a.Code, c.Accounts[first].Name)})
			continue
		}
		byCode[a.Code] = i
	}
	inCycle := c.cycles(byCode)
	for i, a := range c.Accounts {
		out = append(out, accountProblems(i, a)...)
		if a.Parent == "" {
			continue
		}
		p, ok := byCode[a.Parent]
		switch {
		case !ok:
			out = append(out, problem{i, "parent", fmt.Sprintf("%s: the parent %s is not in the chart", a.Code, a.Parent)})
		case c.Accounts[p].Type != a.Type:
			out = append(out, problem{i, "type", fmt.Sprintf("%s has the type %s but its parent %s has the type %s: a child must have its parent's type", a.Code, a.Type, a.Parent, c.Accounts[p].Type)})
		case inCycle[i]:
			out = append(out, problem{i, "parent", fmt.Sprintf("%s: the parent %s is the account itself or one of its sub-accounts", a.Code, a.Parent)})
		}
	}
	return out
}

// accountProblems checks the fields of one account on their own.
func accountProblems(i int, a Account) []problem {
	var out []problem
	if a.Code == "" {
		out = append(out, problem{i, "code", "every account needs a code"})
	}
	if a.Name == "" {
		out = append(out, problem{i, "name", fmt.Sprintf("%s: every account needs a name", a.Code)})
	}
	if !validType(a.Type) {
		out = append(out, problem{i, "type", fmt.Sprintf("%s: the type %q is not one of asset, liability, equity, income, expense", a.Code, a.Type)})
	}
	allowed, known := allowedTypes(a.Subtype)
	switch {
	case !known:
		out = append(out, problem{i, "subtype", fmt.Sprintf("%s: the subtype %q is unknown", a.Code, a.Subtype)})
	case validType(a.Type) && !slices.Contains(allowed, a.Type):
		out = append(out, problem{i, "subtype", fmt.Sprintf("%s: the subtype %s is not allowed on a %s account", a.Code, a.Subtype, a.Type)})
	}
	if a.Currency != "" && !backoffice.Currency(a.Currency).Valid() {
		out = append(out, problem{i, "currency", fmt.Sprintf("%s: %q is not an ISO 4217 currency code", a.Code, a.Currency)})
	}
	return out
}

// cycles marks the accounts whose chain of parents comes back to them,
// in one pass over the chart.
func (c *Chart) cycles(byCode map[string]int) []bool {
	const unvisited, walking, done = 0, 1, 2
	state := make([]int, len(c.Accounts))
	in := make([]bool, len(c.Accounts))
	for i := range c.Accounts {
		var path []int
		at, looped := i, false
		for {
			if state[at] != unvisited {
				looped = state[at] == walking // came back into this path
				break
			}
			state[at] = walking
			path = append(path, at)
			p, ok := byCode[c.Accounts[at].Parent]
			if !ok || c.Accounts[at].Parent == "" {
				break
			}
			at = p
		}
		if looped { // at and every account after it on the path loop
			for k := len(path) - 1; k >= 0; k-- {
				in[path[k]] = true
				if path[k] == at {
					break
				}
			}
		}
		for _, q := range path {
			state[q] = done
		}
	}
	return in
}

// Sorted returns the accounts in the order to create them and to show them:
// depth first from the top, every parent before its children, siblings by
// code (digits compared as numbers, so 1.2 comes before 1.10). An account
// whose parent is missing is treated as a top account; accounts in a cycle
// come last, by code.
func (c *Chart) Sorted() []Account {
	byCode := make(map[string]bool, len(c.Accounts))
	for _, a := range c.Accounts {
		byCode[a.Code] = true
	}
	kids := make(map[string][]int, len(c.Accounts))
	var roots []int
	for i, a := range c.Accounts {
		if a.Parent == "" || a.Parent == a.Code || !byCode[a.Parent] {
			roots = append(roots, i)
			continue
		}
		kids[a.Parent] = append(kids[a.Parent], i)
	}
	byCodeOrder := func(x, y int) int { return CompareCodes(c.Accounts[x].Code, c.Accounts[y].Code) }
	slices.SortStableFunc(roots, byCodeOrder)
	out := make([]Account, 0, len(c.Accounts))
	seen := make([]bool, len(c.Accounts))
	stack := slices.Clone(roots)
	slices.Reverse(stack)
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		out = append(out, c.Accounts[i])
		children := slices.Clone(kids[c.Accounts[i].Code])
		slices.SortStableFunc(children, byCodeOrder)
		slices.Reverse(children)
		stack = append(stack, children...)
	}
	var rest []int
	for i := range c.Accounts {
		if !seen[i] {
			rest = append(rest, i)
		}
	}
	slices.SortStableFunc(rest, byCodeOrder)
	for _, i := range rest {
		out = append(out, c.Accounts[i])
	}
	return out
}

// CompareCodes orders account codes as people read them: runs of digits
// compare as numbers ("1.2" < "1.10", "999" < "1000"), with fewer leading
// zeros first on a tie; everything else compares byte by byte. It returns
// -1, 0 or +1.
func CompareCodes(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			if c := compareNumbers(a[:da], b[:db]); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			if a[0] < b[0] {
				return -1
			}
			return 1
		}
		a, b = a[1:], b[1:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// digitRun is the length of the run of ASCII digits at the start of s.
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// compareNumbers compares two digit strings by value, then by length (so
// "7" before "07"), without converting: codes can be longer than an int64.
func compareNumbers(a, b string) int {
	ta, tb := trimZeros(a), trimZeros(b)
	switch {
	case len(ta) != len(tb):
		return cmp.Compare(len(ta), len(tb))
	case ta != tb:
		if ta < tb {
			return -1
		}
		return 1
	}
	return cmp.Compare(len(a), len(b))
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
