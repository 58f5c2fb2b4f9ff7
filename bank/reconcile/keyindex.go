package reconcile

// keyIndex maps keys to the items (or parties) filed under them. Most keys
// name one item, so those live in a map of single values and only shared
// keys get a slice: building the index for 50,000 items then allocates a
// few hundred slices instead of 300,000.
type keyIndex[K comparable] struct {
	one  map[K]int32
	more map[K][]int32
	self []int32 // self[i] == i, so that get can return one value as a slice
}

func newKeyIndex[K comparable](size int, self []int32) keyIndex[K] {
	return keyIndex[K]{one: make(map[K]int32, size), more: map[K][]int32{}, self: self}
}

// add files v under k once.
func (x *keyIndex[K]) add(k K, v int32) {
	if vs, ok := x.more[k]; ok {
		for _, w := range vs {
			if w == v {
				return
			}
		}
		x.more[k] = append(vs, v)
		return
	}
	if w, ok := x.one[k]; ok {
		if w != v {
			delete(x.one, k)
			x.more[k] = []int32{w, v}
		}
		return
	}
	x.one[k] = v
}

// get returns what is filed under k; the caller must not change it.
func (x *keyIndex[K]) get(k K) []int32 {
	if v, ok := x.one[k]; ok {
		return x.self[v : v+1 : v+1]
	}
	return x.more[k]
}
