// Package bench measures the product against its targets. Each Case prints
// its figure beside its target; `go test -bench . ./bench` runs them on
// SQLite and, with BACKOFFICE_TEST_POSTGRES set, on PostgreSQL, and
// `backoffice bench` runs the same cases from the binary.
package bench

import (
	"testing"

	"backoffice/sqldb"
)

// Case is one benchmark: what it measures, the target it must meet, and its
// body, which runs on a fresh migrated database and returns its figure.
type Case struct {
	Name   string
	Unit   string // unit of the figure, e.g. "appends/s"
	Target string // the target, in words, printed beside the figure
	Run    func(b *testing.B, db *sqldb.DB) float64
}

// Cases lists every benchmark of the product.
func Cases() []Case {
	return append([]Case{
		{Name: "audit-append/1-per-tx", Unit: "appends/s", Target: auditTarget, Run: auditAppend(1)},
		{Name: "audit-append/100-per-tx", Unit: "appends/s", Target: auditTarget, Run: auditAppend(100)},
		{Name: "audit-append/parallel-1-per-tx", Unit: "appends/s", Target: auditTarget, Run: auditAppendParallel},
		{Name: "audit-verify", Unit: "records/s", Target: "a 10-million-record log verified in under 10 minutes (>= 17,000 records/s)", Run: auditVerify},
		{Name: "middleware/bare-handler", Unit: "µs/request", Target: "reference: the handler alone", Run: middleware("bare")},
		{Name: "middleware/public-route", Unit: "µs/request", Target: middlewareTarget, Run: middleware("public")},
		{Name: "middleware/token-authenticated", Unit: "µs/request", Target: middlewareTarget + " plus the API token's database lookups", Run: middleware("token")},
	}, append(append(LedgerCases(), ReconcileCases()...), ReconcileDBCases()...)...)
}
