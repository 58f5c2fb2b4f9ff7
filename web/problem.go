package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"reflect"
	"strings"

	"backoffice"
)

// problem is an RFC 9457 problem document with our stable code and per-field errors.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Code      string            `json:"code"`
	Detail    string            `json:"detail"`
	Errors    map[string]string `json:"errors,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// writeProblem answers err as application/problem+json. Internal errors are
// logged with the request id and shown only as a generic message.
func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	code := backoffice.ErrorCode(err)
	status := backoffice.HTTPStatus(code)
	p := problem{
		Type:      "https://backoffice.dev/problems/" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Code:      code,
		Detail:    backoffice.ErrorMessage(err),
		RequestID: requestID(r.Context()),
	}
	var e *backoffice.Error
	if errors.As(err, &e) {
		p.Errors = e.Fields
	}
	if code == backoffice.EInternal {
		s.logger().ErrorContext(r.Context(), "request failed", "err", err, "request_id", p.RequestID, "path", r.URL.Path)
	}
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "900")
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// decodeJSON reads a JSON request body into dst strictly: the body must be
// JSON, one object, no unknown fields, every value of the right type, and no
// larger than the server's limit. Each failure names the offending field.
func decodeJSON(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return backoffice.Errorf(backoffice.EUnsupported, "send the request body as application/json (got %q)", ct)
		}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return jsonError(err)
		}
		return backoffice.Errorf(backoffice.EInvalid, "the request body must hold one JSON object and nothing after it")
	}
	return rejectControlChars(reflect.ValueOf(dst), "")
}

// rejectControlChars refuses NUL characters in any string of a decoded body:
// no text field has a use for them and PostgreSQL cannot store them.
func rejectControlChars(v reflect.Value, field string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return rejectControlChars(v.Elem(), field)
		}
	case reflect.String:
		if strings.ContainsRune(v.String(), 0) {
			return &backoffice.Error{Code: backoffice.EInvalid, Message: "a field contains a NUL character",
				Fields: map[string]string{field: "must not contain NUL (\\u0000) characters"}}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := rejectControlChars(v.Index(i), fmt.Sprintf("%s[%d]", field, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if !t.Field(i).IsExported() {
				continue
			}
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" {
				name = t.Field(i).Name
			}
			if err := rejectControlChars(v.Field(i), name); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkForm refuses NUL characters in a submitted form, naming the field.
func checkForm(r *http.Request) error {
	for name, values := range r.Form {
		for _, v := range values {
			if strings.ContainsRune(v, 0) {
				return &backoffice.Error{Code: backoffice.EInvalid, Message: "a field contains a NUL character",
					Fields: map[string]string{name: "must not contain NUL characters"}}
			}
		}
	}
	return nil
}

func jsonError(err error) error {
	var (
		syntax    *json.SyntaxError
		typeErr   *json.UnmarshalTypeError
		tooBig    *http.MaxBytesError
		appErr    *backoffice.Error
		fieldName string
	)
	switch {
	case errors.As(err, &tooBig):
		return backoffice.Errorf(backoffice.ETooLarge, "the request body is larger than %d bytes", tooBig.Limit)
	case errors.Is(err, io.EOF):
		return backoffice.Errorf(backoffice.EInvalid, "the request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return backoffice.Errorf(backoffice.EInvalid, "the request body is cut short: malformed JSON")
	case errors.As(err, &syntax):
		return backoffice.Errorf(backoffice.EInvalid, "malformed JSON at byte %d: %v", syntax.Offset, syntax)
	case errors.As(err, &typeErr):
		fieldName = typeErr.Field
		if fieldName == "" {
			return backoffice.Errorf(backoffice.EInvalid, "the request body must be a JSON object")
		}
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "a field has the wrong type",
			Fields: map[string]string{fieldName: fmt.Sprintf("must be %s, not %s", jsonKind(typeErr.Type.Kind().String()), typeErr.Value)}}
	case errors.As(err, &appErr):
		return appErr
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &backoffice.Error{Code: backoffice.EInvalid, Message: "the request has a field this endpoint does not know",
			Fields: map[string]string{name: "unknown field"}}
	}
	return backoffice.Errorf(backoffice.EInvalid, "the request body is not valid JSON: %v", err)
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "a number"
	}
	return k
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}
