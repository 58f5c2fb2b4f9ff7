package backoffice

import "strconv"

// Page asks for one page of a list: at most Limit items after the opaque cursor After.
type Page struct {
	Limit int
	After string
}

// Page limits.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// ParsePage reads ?limit=&after= values, applying the default and the maximum.
func ParsePage(limit, after string) (Page, error) {
	p := Page{Limit: DefaultPageLimit, After: after}
	if limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 {
			return Page{}, &Error{Code: EInvalid, Message: "limit must be a positive number", Fields: map[string]string{"limit": "must be between 1 and " + strconv.Itoa(MaxPageLimit)}}
		}
		p.Limit = min(n, MaxPageLimit)
	}
	return p, nil
}

// List is one page of results and the cursor of the next page ("" on the last).
type List[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}
