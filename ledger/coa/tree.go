package coa

import (
	"fmt"
	"sort"
	"strconv"
)

// node is one account as a source parser saw it: Code is the source's own
// code ("" when none) and parent an index into the builder's nodes.
type node struct {
	acc    Account
	parent int // -1 at the top
	line   int
	pos    int // 1-based place among its siblings, in source order; set by link
}

// builder turns the accounts a parser found, linked by index, into a Chart
// that passes Validate: it breaks cycles, aligns children's types with their
// parents', settles codes and orders accounts parents first.
type builder struct {
	nodes    []node
	warnings []Warning
	children [][]int
	roots    []int
}

func (b *builder) warn(line int, format string, args ...any) {
	b.warnings = append(b.warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

// add appends an account and returns its index.
func (b *builder) add(acc Account, parent, line int) int {
	b.nodes = append(b.nodes, node{acc: acc, parent: parent, line: line})
	return len(b.nodes) - 1
}

// chart builds the Chart; meta carries Name, Country and Currency.
func (b *builder) chart(meta Chart) *Chart {
	order := b.link()
	b.alignTypes(order)
	b.assignCodes(order)
	c := meta
	c.Accounts = make([]Account, 0, len(order))
	for _, i := range order {
		n := &b.nodes[i]
		if n.acc.Name == "" {
			n.acc.Name = "Account " + n.acc.Code
			b.warn(n.line, "an account has no name: it is called %q", n.acc.Name)
		}
		if n.parent >= 0 {
			n.acc.Parent = b.nodes[n.parent].acc.Code
		}
		c.Accounts = append(c.Accounts, n.acc)
	}
	sort.SliceStable(b.warnings, func(i, j int) bool { return b.warnings[i].Line < b.warnings[j].Line })
	c.Warnings = b.warnings
	return &c
}

// link builds the child lists and returns every index in depth-first order,
// children in source order. An account whose ancestors loop back to it (only
// a broken file can say so) is moved to the top, with a warning.
func (b *builder) link() []int {
	b.children = make([][]int, len(b.nodes))
	b.roots = nil
	for i, n := range b.nodes {
		if n.parent < 0 || n.parent >= len(b.nodes) || n.parent == i {
			b.nodes[i].parent = -1
			b.roots = append(b.roots, i)
			b.nodes[i].pos = len(b.roots)
			continue
		}
		b.children[n.parent] = append(b.children[n.parent], i)
		b.nodes[i].pos = len(b.children[n.parent])
	}
	order := make([]int, 0, len(b.nodes))
	seen := make([]bool, len(b.nodes))
	for _, r := range b.roots {
		order = b.walk(r, order, seen)
	}
	for i := range b.nodes {
		if seen[i] {
			continue
		}
		b.warn(b.nodes[i].line, "account %q is its own ancestor: it is moved to the top of the chart", b.nodes[i].acc.Name)
		old := b.nodes[i].parent
		b.children[old] = remove(b.children[old], i)
		b.nodes[i].parent = -1
		b.roots = append(b.roots, i)
		b.nodes[i].pos = len(b.roots)
		order = b.walk(i, order, seen)
	}
	return order
}

// walk appends i and its descendants to order, depth first, without recursion
// so a deep file cannot exhaust the stack.
func (b *builder) walk(i int, order []int, seen []bool) []int {
	stack := []int{i}
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[top] {
			continue
		}
		seen[top] = true
		order = append(order, top)
		kids := b.children[top]
		for k := len(kids) - 1; k >= 0; k-- {
			stack = append(stack, kids[k])
		}
	}
	return order
}

func remove(list []int, v int) []int {
	out := list[:0]
	for _, x := range list {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// alignTypes gives every child its parent's type, since reports roll a child
// up into its parent: GnuCash lets an income account sit under an expense
// (a tax refund under the tax it reduces); as an expense it still nets the
// parent's total. A subtype the new type cannot have becomes "other".
func (b *builder) alignTypes(order []int) {
	for _, i := range order {
		n := &b.nodes[i]
		if n.parent >= 0 {
			p := b.nodes[n.parent].acc
			if n.acc.Type != p.Type {
				b.warn(n.line, "%q has the type %s but its parent %q has the type %s: it is imported as %s so that it rolls up into its parent", n.acc.Name, n.acc.Type, p.Name, p.Type, p.Type)
				n.acc.Type = p.Type
			}
		}
		if !subtypeAllowed(n.acc.Subtype, n.acc.Type) {
			b.warn(n.line, "%q: the subtype %s does not fit the type %s: it is imported as %s", n.acc.Name, n.acc.Subtype, n.acc.Type, SubtypeOther)
			n.acc.Subtype = SubtypeOther
		}
	}
}

// assignCodes keeps the first account with a given source code, and generates
// a code from the tree position for every other account (see the package
// documentation).
func (b *builder) assignCodes(order []int) {
	taken := make(map[string]int, len(b.nodes))
	for _, i := range order {
		n := &b.nodes[i]
		if n.acc.Code == "" {
			continue
		}
		if first, dup := taken[n.acc.Code]; dup {
			f := b.nodes[first]
			b.warn(n.line, "code %s of %q is already the code of %q (line %d): %q gets a generated code", n.acc.Code, n.acc.Name, f.acc.Name, f.line, n.acc.Name)
			n.acc.Code = ""
			continue
		}
		taken[n.acc.Code] = i
	}
	for _, i := range order {
		n := &b.nodes[i]
		if n.acc.Code != "" {
			continue
		}
		base := strconv.Itoa(n.pos)
		if n.parent >= 0 {
			base = b.nodes[n.parent].acc.Code + "." + base
		}
		code := base
		for k := 2; ; k++ {
			if _, used := taken[code]; !used {
				break
			}
			code = base + "-" + strconv.Itoa(k)
		}
		n.acc.Code = code
		taken[code] = i
	}
}
