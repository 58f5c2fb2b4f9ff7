// Package backoffice is the kernel shared by every domain of the suite: exact
// money and currencies, calendar dates, identifiers, the acting user carried in
// a context, the one error type with its machine codes, and pagination.
//
// It imports none of the project's own packages, so every other package may
// depend on it.
package backoffice

//go:generate go run ./internal/gen/currencies -in ../shared/testdata/reference/iso4217/iso4217_list-one_current_table_a1.xml -out currency_table.go
