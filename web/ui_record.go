package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"backoffice"
	"backoffice/audit"
)

// historyItem is one change as the history panel shows it.
type historyItem struct {
	Seq     int64
	At      time.Time
	Actor   string
	Action  string
	Reason  string
	Changes []fieldChange
}

type fieldChange struct {
	Field, Old, New string
}

// historyOf turns change-log records into history panel items, newest first.
// Records of another entity than the first (a user's memberships on the
// user's page) say which entity they are about.
func historyOf(recs []audit.Record) []historyItem {
	out := make([]historyItem, 0, len(recs))
	main := ""
	if len(recs) > 0 {
		main = recs[0].Entity
	}
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		var oldV, newV map[string]any
		_ = json.Unmarshal(r.Old, &oldV)
		_ = json.Unmarshal(r.New, &newV)
		keys := map[string]bool{}
		for k := range oldV {
			keys[k] = true
		}
		for k := range newV {
			keys[k] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		label := humanAction(r.Action)
		if r.Entity != main {
			label = humanAction(r.Entity) + ": " + strings.ToLower(label)
		}
		item := historyItem{Seq: r.Seq, At: r.At, Actor: r.ActorName, Action: label, Reason: r.Reason}
		for _, k := range names {
			item.Changes = append(item.Changes, fieldChange{Field: strings.ReplaceAll(k, "_", " "), Old: showValue(oldV[k]), New: showValue(newV[k])})
		}
		out = append(out, item)
	}
	return out
}

func humanAction(a string) string {
	s := strings.ReplaceAll(a, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// showValue renders a JSON value from the log for people.
func showValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%f", x), "0"), ".")
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = showValue(e)
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// action is a button on a record page; it posts to URL.
type action struct {
	Label, URL string
	Confirm    string // question asked before posting; "" for none
	Danger     bool
	Reason     bool // ask for a reason in a text field
}

// formErrors holds a failed form's messages by field and what the user typed,
// so a failed save loses nothing.
type formErrors struct {
	Message string
	Fields  map[string]string
}

// formFailure turns a use case's error into messages for the form, or
// returns the error itself when it is not the user's to fix.
func formFailure(err error) (*formErrors, error) {
	code := backoffice.ErrorCode(err)
	switch code {
	case backoffice.EInvalid, backoffice.EConflict, backoffice.EPrecondition, backoffice.EForbidden:
	default:
		return nil, err
	}
	fe := &formErrors{Message: backoffice.ErrorMessage(err), Fields: map[string]string{}}
	var e *backoffice.Error
	if errors.As(err, &e) {
		for k, v := range e.Fields {
			fe.Fields[k] = v
		}
	}
	return fe, nil
}

// redirectFlash answers a successful form post: back to a page with a message.
func redirectFlash(w http.ResponseWriter, r *http.Request, to, msg string) error {
	sep := "?"
	if strings.Contains(to, "?") {
		sep = "&"
	}
	http.Redirect(w, r, to+sep+"flash="+url.QueryEscape(msg), http.StatusSeeOther)
	return nil
}
