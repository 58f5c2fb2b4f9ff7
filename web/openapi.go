package web

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"

	"backoffice"
)

// openAPIDocument builds the OpenAPI 3.1 document from the route table, so
// the document can never disagree with the routes that exist.
func (s *Server) openAPIDocument() map[string]any {
	schemas := map[string]any{}
	paths := map[string]any{}
	for _, rt := range s.routes {
		if !rt.API {
			continue
		}
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[strings.ToLower(rt.Method)] = operation(rt, schemas)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":   "Backoffice API",
			"version": s.Version,
			"description": "JSON over HTTPS. Authenticate with `Authorization: Bearer <token>` (create tokens on the Tokens page) " +
				"or the browser session. Choose the company with the `Backoffice-Company: <code>` header or `?company=<code>`. " +
				"Errors are application/problem+json with a stable `code` and per-field `errors`. Lists take `?limit=&after=` and " +
				"return `next`. Every POST accepts `Idempotency-Key`; updates accept `If-Match` with the ETag of the record.",
		},
		"paths": paths,
		"components": map[string]any{
			"schemas": schemas,
			"securitySchemes": map[string]any{
				"bearer":  map[string]any{"type": "http", "scheme": "bearer"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
	}
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

func operation(rt Route, schemas map[string]any) map[string]any {
	op := map[string]any{
		"summary":     rt.Summary,
		"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1", "", "/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(rt.Path),
		"responses":   map[string]any{},
	}
	if rt.Perm == PermPublic {
		op["security"] = []any{}
	} else {
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
		op["x-permission"] = rt.Perm
	}
	var params []any
	for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "string"}})
	}
	if rt.Method == http.MethodPost {
		params = append(params, map[string]any{"name": "Idempotency-Key", "in": "header", "schema": map[string]any{"type": "string", "maxLength": 255},
			"description": "Retrying with the same key and body returns the first answer; the same key with another body is 409."})
	}
	if rt.Method == http.MethodPatch || rt.Method == http.MethodDelete {
		params = append(params, map[string]any{"name": "If-Match", "in": "header", "schema": map[string]any{"type": "string"},
			"description": "ETag of the version you read; 412 when the record changed since."})
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.In != nil {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": schemaRef(reflect.TypeOf(rt.In), schemas)}}}
	}
	responses := op["responses"].(map[string]any)
	ok := "200"
	if rt.Method == http.MethodPost && strings.Contains(rt.Summary, "Create") {
		ok = "201"
	}
	switch {
	case rt.Out != nil:
		responses[ok] = map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": schemaRef(reflect.TypeOf(rt.Out), schemas)}}}
	case rt.Method == http.MethodDelete || (rt.Method == http.MethodPut && rt.Out == nil):
		responses["204"] = map[string]any{"description": "Done"}
	default:
		responses["200"] = map[string]any{"description": "OK"}
	}
	responses["default"] = map[string]any{"description": "Error", "content": map[string]any{"application/problem+json": map[string]any{"schema": schemaRef(reflect.TypeOf(problem{}), schemas)}}}
	return op
}

var (
	timeType  = reflect.TypeOf(time.Time{})
	dateType  = reflect.TypeOf(backoffice.Date{})
	moneyType = reflect.TypeOf(backoffice.Money{})
)

// schemaRef returns a JSON Schema for t, registering named structs under
// components/schemas and referring to them.
func schemaRef(t reflect.Type, schemas map[string]any) map[string]any {
	switch {
	case t.Kind() == reflect.Pointer:
		return schemaRef(t.Elem(), schemas)
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date"}
	case t == moneyType:
		return map[string]any{"type": "object", "properties": map[string]any{
			"amount": map[string]any{"type": "string", "pattern": `^-?\d+(\.\d+)?$`}, "currency": map[string]any{"type": "string"}}}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer", "format": "int64"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{} // json.RawMessage: any JSON
		}
		return map[string]any{"type": "array", "items": schemaRef(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaRef(t.Elem(), schemas)}
	case reflect.Struct:
		name := schemaName(t)
		if _, done := schemas[name]; !done {
			schemas[name] = map[string]any{} // reserve against recursion
			schemas[name] = structSchema(t, schemas)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func structSchema(t reflect.Type, schemas map[string]any) map[string]any {
	props := map[string]any{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		sch := schemaRef(f.Type, schemas)
		if strings.Contains(opts, "omitempty") || f.Type.Kind() == reflect.Pointer {
			sch = map[string]any{"anyOf": []any{sch}, "description": "optional"}
		}
		props[name] = sch
	}
	return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
}

// schemaName turns web.listOf[web.userOut] into "listOf_userOut" and userOut into "userOut".
func schemaName(t reflect.Type) string {
	n := t.Name()
	n = strings.NewReplacer("backoffice/web.", "", "[", "_", "]", "", "/", "_", ".", "_").Replace(n)
	return n
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.openAPIDocument())
	return nil
}
