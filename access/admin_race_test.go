package access_test

import (
	"sync"
	"testing"

	"backoffice"
	"backoffice/access"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

func TestDisableUser_TwoAdminsDisablingEachOtherLeaveOne(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newEnv(t, db)
		carol := e.user("carol@example.com", access.RoleAdmin, e.company)
		asCarol := backoffice.WithActor(e.ctx, backoffice.Actor{UserID: carol.ID, Name: carol.Email})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		wg.Go(func() { errs[0] = e.s.DisableUser(e.ctx, carol.ID, "") })
		wg.Go(func() { errs[1] = e.s.DisableUser(asCarol, e.admin.ID, "") })
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("both or neither disable succeeded: %v / %v", errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil {
				wantCode(t, err, backoffice.EConflict)
			}
		}
	})
}
