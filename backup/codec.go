package backup

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"backoffice/sqldb"
)

// Markers of the typed values that JSON has no type for.
const (
	markBytes   = "$b"
	markTime    = "$t"
	markDate    = "$d"
	markNumeric = "$n"
)

// encodeValue turns a value read from the database into its archive form,
// guided by the column's kind, so that the same data reads the same from
// either dialect (a SQLite boolean arrives as 0/1, a PostgreSQL one as bool).
func encodeValue(kind sqldb.ColumnKind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch kind {
	case sqldb.KindBool:
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			return b != 0, nil
		}
	case sqldb.KindTime:
		t, err := asTime(v)
		if err != nil {
			return nil, err
		}
		return map[string]string{markTime: t.UTC().Format(time.RFC3339Nano)}, nil
	case sqldb.KindDate:
		t, err := asTime(v)
		if err != nil {
			return nil, err
		}
		return map[string]string{markDate: t.Format("2006-01-02")}, nil
	case sqldb.KindBytes:
		switch b := v.(type) {
		case []byte:
			return map[string]string{markBytes: base64.StdEncoding.EncodeToString(b)}, nil
		case string:
			return map[string]string{markBytes: base64.StdEncoding.EncodeToString([]byte(b))}, nil
		}
	case sqldb.KindNumeric:
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
		return map[string]string{markNumeric: fmt.Sprint(v)}, nil
	}
	return plainValue(v)
}

// plainValue encodes a value by its Go type, for text, integer and real
// columns and for values a kind did not expect.
func plainValue(v any) (any, error) {
	switch x := v.(type) {
	case int64, float64, bool, string:
		return x, nil
	case []byte:
		return string(x), nil // text read as bytes (PostgreSQL json, SQLite typeless)
	case time.Time:
		return map[string]string{markTime: x.UTC().Format(time.RFC3339Nano)}, nil
	}
	return nil, fmt.Errorf("cannot store a %T value", v)
}

func asTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		// The forms a timestamp stored as text may take on SQLite.
		layouts := []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}
		for _, layout := range layouts {
			if p, err := time.Parse(layout, t); err == nil {
				return p, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a time", t)
	case []byte:
		return asTime(string(t))
	}
	return time.Time{}, fmt.Errorf("a %T is not a time", v)
}

// decodeValue turns an archive value (decoded with UseNumber) into the value
// to insert into a column of the given kind on the target database.
func decodeValue(kind sqldb.ColumnKind, v any) (any, error) {
	switch x := v.(type) {
	case nil, string:
		if s, ok := x.(string); ok && kind == sqldb.KindBytes {
			return []byte(s), nil
		}
		return x, nil
	case bool:
		if kind == sqldb.KindInteger && x {
			return int64(1), nil
		}
		if kind == sqldb.KindInteger {
			return int64(0), nil
		}
		return x, nil
	case json.Number:
		return decodeNumber(kind, x)
	case map[string]any:
		return decodeMarked(x)
	}
	return nil, fmt.Errorf("unexpected %T in a row", v)
}

func decodeNumber(kind sqldb.ColumnKind, n json.Number) (any, error) {
	switch kind {
	case sqldb.KindBool:
		return n.String() != "0", nil
	case sqldb.KindReal:
		return n.Float64()
	case sqldb.KindNumeric:
		return n.String(), nil
	}
	if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
		return i, nil
	}
	return n.Float64()
}

func decodeMarked(m map[string]any) (any, error) {
	if len(m) != 1 {
		return nil, fmt.Errorf("unexpected object %v in a row", m)
	}
	for mark, raw := range m {
		s, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("%s value is not a string", mark)
		}
		switch mark {
		case markBytes:
			return base64.StdEncoding.DecodeString(s)
		case markTime:
			t, err := time.Parse(time.RFC3339Nano, s)
			return t.UTC(), err
		case markDate:
			if _, err := time.Parse("2006-01-02", s); err != nil {
				return nil, err
			}
			return s, nil
		case markNumeric:
			return s, nil
		}
		return nil, fmt.Errorf("unknown value marker %q", mark)
	}
	return nil, nil
}
