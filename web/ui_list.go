package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"backoffice/csvio"
)

// listView is the data of the shared "list" template: every list page has a
// search box, filter chips, sortable columns, cursor pagination and a CSV
// export of what the filters select.
type listView struct {
	Title, Help        string
	NewURL, NewLabel   string
	ImportURL          string
	ExportURL          string
	Search, SearchHint string
	Hidden             []hiddenField
	Filters            []chip
	Columns            []column
	Rows               []listRow
	NextURL, FirstURL  string
	Showing            string
	Empty              string
}

type hiddenField struct{ Name, Value string }

type chip struct {
	Label, URL string
	Active     bool
}

type column struct {
	Key, Label string
	Sortable   bool
	Numeric    bool
	SortURL    string
	Dir        string // "asc", "desc" or "" when not the sort column
}

type listRow struct {
	URL   string
	Cells []cell
}

type cell struct {
	Text    string
	Badge   string // status tone: "ok", "warn", "bad", "muted"; empty for plain text
	Numeric bool
}

// withQuery returns the request's path with key set to value in its query
// (value "" removes it), dropping the page cursor: changing a filter or the
// sort order starts again on the first page.
func withQuery(r *http.Request, key, value string) string {
	q := cloneQuery(r.URL.Query())
	q.Del("after")
	q.Del("flash")
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// sortColumns fills SortURL and Dir of the sortable columns from ?sort=.
func sortColumns(r *http.Request, cols []column, defaultSort string) []column {
	cur := r.URL.Query().Get("sort")
	if cur == "" {
		cur = defaultSort
	}
	for i := range cols {
		c := &cols[i]
		if !c.Sortable {
			continue
		}
		next := c.Key
		switch cur {
		case c.Key:
			c.Dir, next = "asc", "-"+c.Key
		case "-" + c.Key:
			c.Dir = "desc"
		}
		c.SortURL = withQuery(r, "sort", next)
	}
	return cols
}

// pageLinks sets the first-page and next-page links from a list's cursor.
func (v *listView) pageLinks(r *http.Request, next string, shown int) {
	if r.URL.Query().Get("after") != "" {
		v.FirstURL = withQuery(r, "after", "")
	}
	if next != "" {
		q := cloneQuery(r.URL.Query())
		q.Set("after", next)
		q.Del("flash")
		v.NextURL = r.URL.Path + "?" + q.Encode()
	}
	switch shown {
	case 0:
		v.Showing = ""
	case 1:
		v.Showing = "1 row"
	default:
		v.Showing = strconv.Itoa(shown) + " rows on this page"
	}
	v.Search = r.URL.Query().Get("q")
	for _, k := range []string{"sort", "status"} {
		if val := r.URL.Query().Get(k); val != "" {
			v.Hidden = append(v.Hidden, hiddenField{k, val})
		}
	}
}

// writeCSV answers the list's columns and rows as a CSV download, with cells
// that spreadsheets would run as formulas neutralised.
func writeCSV(w http.ResponseWriter, filename string, header []string, rows [][]string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	return csvio.Export(w, header, slices.Values(rows))
}
