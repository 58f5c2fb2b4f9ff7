package backoffice

import (
	"strconv"
)

// ID identifies a stored row. IDs are assigned by the database (an identity
// column on PostgreSQL, the rowid on SQLite) and are unique per table, not per
// company; 0 means "not stored yet".
type ID int64

// ParseID reads a decimal ID as it appears in URLs and JSON.
func ParseID(s string) (ID, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, Errorf(EInvalid, "%q is not a valid id", s)
	}
	return ID(n), nil
}

// String is the decimal form.
func (id ID) String() string { return strconv.FormatInt(int64(id), 10) }
