package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"backoffice"
	"backoffice/access"
)

// Access levels that are not permissions. Every route names a permission or
// one of these; the route test fails on anything else.
const (
	PermPublic   = "public"    // anyone, signed in or not
	PermSignedIn = "signed-in" // any signed-in user or token, whatever their role
)

const sessionCookie = "bo_session"

// statusWriter remembers the status code for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe is the outermost middleware: request id, panic recovery, security
// headers, one JSON log line and metrics per request.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		r = r.WithContext(ctx)
		sw := &statusWriter{ResponseWriter: w}
		h := sw.Header()
		h.Set("X-Request-Id", id)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.logger().ErrorContext(ctx, "panic", "panic", fmt.Sprint(p), "request_id", id, "path", r.URL.Path)
				if sw.status == 0 {
					s.writeProblem(sw, r, fmt.Errorf("panic: %v", p))
				}
			}
			d := time.Since(start)
			s.metrics.observe(r.Pattern, sw.status, d)
			s.logger().LogAttrs(ctx, levelFor(sw.status), "request",
				slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", sw.status), slog.Int64("bytes", sw.bytes), slog.Duration("duration", d),
				slog.String("remote", clientIP(r)))
		}()
		next.ServeHTTP(sw, r)
	})
}

// wrap turns a route into a handler: authentication, company, permission,
// body limit, idempotency, then the route's own handler and error rendering.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.MaxBodyBytes
		if limit == 0 {
			limit = 1 << 20
		}
		if rt.Upload {
			limit = s.MaxUploadBytes
			if limit == 0 {
				limit = 32 << 20
			}
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if rt.Perm != PermPublic {
			var err error
			r, err = s.authenticate(w, r, rt)
			if err != nil {
				s.fail(w, r, rt, err)
				return
			}
			p := principal(r)
			if rt.SessionOnly && p.TokenID != 0 {
				s.fail(w, r, rt, backoffice.Errorf(backoffice.EForbidden, "an API token cannot do this: sign in to the web interface"))
				return
			}
			if rt.Perm != PermSignedIn && !p.Can(rt.Perm) {
				s.fail(w, r, rt, backoffice.Errorf(backoffice.EForbidden, "your role (%s) does not allow this: it needs the permission %q", p.Role.Name, rt.Perm))
				return
			}
		}
		if r.Method == http.MethodPost && !rt.API && !rt.Upload {
			if err := r.ParseForm(); err != nil {
				s.fail(w, r, rt, backoffice.Errorf(backoffice.EInvalid, "the form could not be read: %v", err))
				return
			}
			if err := checkForm(r); err != nil {
				s.fail(w, r, rt, err)
				return
			}
		}
		handle := rt.Handle
		if rt.API && r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
			handle = s.idempotent(handle)
		}
		if err := handle(w, r); err != nil {
			s.fail(w, r, rt, err)
		}
	})
}

// fail renders err for the route's audience: problem+json for the API, a
// sign-in redirect or an error page for the browser.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, rt Route, err error) {
	if to, ok := asRedirect(err); ok {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	if rt.API || wantsJSON(r) {
		s.writeProblem(w, r, err)
		return
	}
	if backoffice.ErrorCode(err) == backoffice.EUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.errorPage(w, r, err)
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

func wantsJSON(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/")
}

// authenticate finds the caller from a bearer token or the session cookie,
// resolves the company the request is for, and stores the principal in the
// request context.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, rt Route) (*http.Request, error) {
	ctx := r.Context()
	companyID, err := s.requestedCompany(r)
	if err != nil {
		return r, err
	}
	var p *access.Principal
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		p, err = s.Access.PrincipalForToken(ctx, strings.TrimSpace(bearer), companyID)
		if err != nil {
			return r, err
		}
	} else {
		c, cerr := r.Cookie(sessionCookie)
		if cerr != nil || c.Value == "" {
			return r, backoffice.Errorf(backoffice.EUnauthorized, "sign in, or send an API token as Authorization: Bearer <token>")
		}
		sess, err := s.Access.Session(ctx, c.Value)
		if err != nil {
			return r, err
		}
		switch sess.State {
		case "totp":
			return r, backoffice.Errorf(backoffice.EUnauthorized, "enter the code from your authenticator app to finish signing in")
		case "enrol":
			if !rt.DuringEnrolment {
				if !rt.API {
					return r, &redirectError{to: "/account?enrol=1"}
				}
				return r, backoffice.Errorf(backoffice.EForbidden, "your role requires two-factor authentication: enrol it on the Account page first")
			}
		}
		p, err = s.Access.PrincipalForSession(ctx, sess, companyID)
		if err != nil {
			return r, err
		}
		ctx = context.WithValue(ctx, keySession, &sess)
	}
	ctx = backoffice.WithActor(ctx, p.Actor(clientIP(r)))
	ctx = context.WithValue(ctx, keyPrincipal, p)
	return r.WithContext(ctx), nil
}

// requestedCompany reads the company a request asks for: the
// Backoffice-Company header or the ?company= parameter (a company code), or 0
// for the caller's default company.
func (s *Server) requestedCompany(r *http.Request) (backoffice.ID, error) {
	code := r.Header.Get("Backoffice-Company")
	if code == "" {
		code = r.URL.Query().Get("company")
	}
	if code == "" {
		return 0, nil
	}
	c, err := s.Access.CompanyByCode(r.Context(), code)
	if err != nil {
		if backoffice.ErrorCode(err) == backoffice.ENotFound {
			return 0, backoffice.Errorf(backoffice.ENotFound, "company %q not found", code)
		}
		return 0, err
	}
	return c.ID, nil
}

// redirectError sends the browser elsewhere instead of showing an error.
type redirectError struct{ to string }

func (e *redirectError) Error() string { return "redirect to " + e.to }

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func asRedirect(err error) (string, bool) {
	var re *redirectError
	if errors.As(err, &re) {
		return re.to, true
	}
	return "", false
}
