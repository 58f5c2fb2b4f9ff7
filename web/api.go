package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"backoffice"
)

// listOf is the JSON shape of every list answer: items and the next cursor.
type listOf[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

type reasonIn struct {
	Reason string `json:"reason"`
}

// pathID reads a numeric {name} path value.
func pathID(r *http.Request, name string) (backoffice.ID, error) {
	id, err := backoffice.ParseID(r.PathValue(name))
	if err != nil {
		return 0, backoffice.Errorf(backoffice.ENotFound, "%s %q not found", name, r.PathValue(name))
	}
	return id, nil
}

// etag is the entity tag of a versioned record.
func etag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// ifMatch returns the version a client sent in If-Match, or current when it
// sent none (last write wins for clients that do not use ETags). A malformed
// or stale tag is a precondition failure.
func ifMatch(r *http.Request, current int64) (int64, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return current, nil
	}
	h = strings.TrimPrefix(h, "W/")
	v, err := strconv.ParseInt(strings.TrimPrefix(strings.Trim(h, `"`), "v"), 10, 64)
	if err != nil {
		return 0, backoffice.Errorf(backoffice.EPrecondition, "If-Match %s is not an ETag this server issued", h)
	}
	if v != current {
		return 0, backoffice.Errorf(backoffice.EPrecondition, "the record changed since you read it (your version %d, current %d): read it again and reapply your change", v, current)
	}
	return v, nil
}

// writeVersioned answers a versioned record with its ETag.
func writeVersioned(w http.ResponseWriter, status int, version int64, v any) {
	w.Header().Set("ETag", etag(version))
	writeJSON(w, status, v)
}

// pageOf reads ?limit=&after= into a Page.
func pageOf(r *http.Request) (backoffice.Page, error) {
	q := r.URL.Query()
	return backoffice.ParsePage(q.Get("limit"), q.Get("after"))
}

// requireCompany fails when the caller has no current company.
func requireCompany(r *http.Request) (backoffice.ID, error) {
	p := principal(r)
	if p == nil || p.Company.ID == 0 {
		return 0, backoffice.Errorf(backoffice.EForbidden, "you are not a member of any company yet: ask an administrator to add you")
	}
	return p.Company.ID, nil
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.Version})
	return nil
}

// readyz answers 200 only when the database answers and is migrated.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	v, err := s.DB.MigrationVersion(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database unreachable"})
		return nil
	}
	if v == 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database not migrated: run backoffice migrate"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready", "schema_version": fmt.Sprint(v)})
	return nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return backoffice.Errorf(backoffice.ENotFound, "there is nothing at %s", r.URL.Path)
}
