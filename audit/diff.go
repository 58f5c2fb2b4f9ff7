package audit

import (
	"encoding/json"
	"reflect"
)

// Diff returns the fields that differ between two versions of a record, as the
// maps Change.Old and Change.New expect. Both values are compared through
// their JSON form, so field names are the API's names and unexported or
// `json:"-"` fields (password hashes, secrets) never reach the log.
func Diff(before, after any) (old, new map[string]any, err error) {
	b, err := fields(before)
	if err != nil {
		return nil, nil, err
	}
	a, err := fields(after)
	if err != nil {
		return nil, nil, err
	}
	old, new = map[string]any{}, map[string]any{}
	for k, av := range a {
		if bv, ok := b[k]; !ok || !reflect.DeepEqual(av, bv) {
			new[k] = av
			if ok {
				old[k] = bv
			}
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok {
			old[k] = bv
		}
	}
	return old, new, nil
}

// Fields returns v's JSON fields as a map, for the New values of a create.
func Fields(v any) (map[string]any, error) { return fields(v) }

func fields(v any) (map[string]any, error) {
	out := map[string]any{}
	if v == nil {
		return out, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}
