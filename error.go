package backoffice

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Error codes: stable strings that programs match on. The HTTP layer maps
// each to one status in HTTPStatus; add a code there when adding one here.
const (
	EInvalid           = "invalid"             // input breaks a rule; Fields names each bad field
	ENotFound          = "not_found"           // no such record, or not visible to the caller
	EConflict          = "conflict"            // the record changed or already exists
	EUnauthorized      = "unauthorized"        // not signed in, or bad credentials
	EForbidden         = "forbidden"           // signed in but lacking the permission
	EPrecondition      = "precondition_failed" // If-Match did not match the current version
	ETooLarge          = "too_large"           // request body over the limit
	ETooManyRequests   = "too_many_requests"   // throttled, e.g. repeated failed logins
	EPeriodClosed      = "period_closed"       // posting date falls in a locked period
	ELimitExceeded     = "limit_exceeded"      // a balance limit would be broken
	EInsufficientStock = "insufficient_stock"  // stock would go below zero
	EUnsupported       = "unsupported"         // media type or format not understood
	EInternal          = "internal"            // a bug or an outage; details are logged, not shown
)

// HTTPStatus is the one table that maps error codes to HTTP status codes.
func HTTPStatus(code string) int {
	switch code {
	case EInvalid, EPeriodClosed, ELimitExceeded, EInsufficientStock:
		return http.StatusUnprocessableEntity
	case ENotFound:
		return http.StatusNotFound
	case EConflict:
		return http.StatusConflict
	case EUnauthorized:
		return http.StatusUnauthorized
	case EForbidden:
		return http.StatusForbidden
	case EPrecondition:
		return http.StatusPreconditionFailed
	case ETooLarge:
		return http.StatusRequestEntityTooLarge
	case ETooManyRequests:
		return http.StatusTooManyRequests
	case EUnsupported:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// Error is the application error: a machine-readable code, a message a user
// can act on, and per-field messages for validation failures.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string // field name (JSON name or "lines[2].amount") -> message
	Err     error             // underlying cause, for logs; never shown to users
}

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(" (")
		for i, k := range keys {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(k + ": " + e.Fields[k])
		}
		b.WriteString(")")
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ErrorCode returns the code of the first *Error in err's chain, EInternal for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err: the *Error's message, or
// a generic one for internal errors, whose details must not leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EInternal {
		return e.Message
	}
	return "Something went wrong on our side. The error has been logged; please try again."
}

// Validation collects field errors so a use case can report every bad field at once.
type Validation map[string]string

// Add records msg for field unless that field already has a message.
func (v Validation) Add(field, msg string) {
	if _, ok := v[field]; !ok {
		v[field] = msg
	}
}

// Check records msg for field when ok is false.
func (v Validation) Check(ok bool, field, msg string) {
	if !ok {
		v.Add(field, msg)
	}
}

// Err returns nil when nothing was recorded, or an invalid *Error naming every field.
func (v Validation) Err(what string) error {
	if len(v) == 0 {
		return nil
	}
	return &Error{Code: EInvalid, Message: what + " has invalid fields", Fields: map[string]string(v)}
}
