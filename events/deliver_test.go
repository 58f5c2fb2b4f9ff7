package events_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"backoffice"
	"backoffice/events"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// receiver is a webhook endpoint that answers with the listed status codes
// in turn (the last one forever) and keeps what it received.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	got      []received
	srv      *httptest.Server
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	r := &receiver{statuses: statuses}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{header: req.Header.Clone(), body: body})
		status := r.statuses[min(len(r.got), len(r.statuses))-1]
		r.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write([]byte("answer " + http.StatusText(status)))
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// onlyDelivery dispatches and returns the single delivery created.
func onlyDelivery(t *testing.T, svc *events.Service, company backoffice.ID) events.Delivery {
	t.Helper()
	if n, err := svc.Dispatch(context.Background()); err != nil || n != 1 {
		t.Fatalf("Dispatch created %d deliveries (%v), want 1", n, err)
	}
	list, err := svc.ListDeliveries(context.Background(), events.DeliveryFilter{CompanyID: company})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("deliveries: %+v, %v", list, err)
	}
	return list.Items[0]
}

func TestDeliver_RetriesAfterAFailureAndLogsBothAttempts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, clk := newService(db)
		company := createCompany(t, db, "ACME")
		rcv := newReceiver(t, http.StatusInternalServerError, http.StatusOK)
		w, secret := createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: rcv.srv.URL + "/hook",
			Events: []string{"user.create"}, Active: true})
		recs := appendChanges(t, db, svc.Audit, company, "user", "create", 1)
		d := onlyDelivery(t, svc, company)
		if d.State != events.StatePending || d.WebhookID != w.ID || d.Seq != recs[0].Seq || d.EventType != "user.create" {
			t.Fatalf("new delivery %+v", d)
		}

		d, err := svc.Deliver(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != events.StateFailed || d.Attempts != 1 || d.LastStatusCode != 500 || d.NextAttemptAt == nil {
			t.Fatalf("after a 500: %+v", d)
		}
		if wait := d.NextAttemptAt.Sub(clk.Now()); wait < 27*time.Second || wait > 30*time.Second {
			t.Errorf("first retry after %v, want 30 s less up to 10 %% jitter", wait)
		}
		clk.Set(*d.NextAttemptAt)
		if d, err = svc.Deliver(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if d.State != events.StateSucceeded || d.Attempts != 2 || d.NextAttemptAt != nil || d.LastResponse != "answer OK" {
			t.Fatalf("after a 200: %+v", d)
		}
		attempts, err := svc.ListAttempts(ctx, company, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(attempts) != 2 || attempts[0].StatusCode != 500 || attempts[1].StatusCode != 200 || attempts[0].Number != 1 || attempts[1].Number != 2 {
			t.Fatalf("attempts %+v", attempts)
		}

		reqs := rcv.requests()
		if len(reqs) != 2 {
			t.Fatalf("receiver got %d requests, want 2", len(reqs))
		}
		h := reqs[1].header
		if h.Get("Content-Type") != "application/json" || h.Get("Backoffice-Event") != "user.create" || h.Get("Backoffice-Delivery") != d.ID.String() {
			t.Errorf("headers %v", h)
		}
		if err := events.VerifySignature(secret, h.Get("Backoffice-Signature"), reqs[1].body, clk.Now(), 5*time.Minute); err != nil {
			t.Errorf("receiver cannot verify the signature: %v", err)
		}
		var ev events.Event
		if err := json.Unmarshal(reqs[1].body, &ev); err != nil || ev.Seq != recs[0].Seq || ev.Type != "user.create" || ev.Hash != recs[0].Hash {
			t.Errorf("body %s (%v)", reqs[1].body, err)
		}
	})
}

func TestDeliver_GivesUpAfterFailingFor24Hours(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, clk := newService(db)
		company := createCompany(t, db, "ACME")
		rcv := newReceiver(t, http.StatusServiceUnavailable)
		createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: rcv.srv.URL, Events: []string{"user.*"}, Active: true})
		appendChanges(t, db, svc.Audit, company, "user", "create", 1)
		d := onlyDelivery(t, svc, company)
		start := clk.Now()
		var err error
		for i := 0; d.State != events.StateDead; i++ {
			if i > 100 {
				t.Fatalf("still %s after %d attempts", d.State, d.Attempts)
			}
			if d.NextAttemptAt != nil {
				if gap := d.NextAttemptAt.Sub(clk.Now()); gap > events.MaxRetryDelay {
					t.Fatalf("attempt %d scheduled %v later, more than the cap", d.Attempts+1, gap)
				}
				clk.Set(*d.NextAttemptAt)
			}
			if d, err = svc.Deliver(ctx, d.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got := clk.Now().Sub(start); got != events.RetryWindow {
			t.Errorf("died %v after the first attempt, want %v", got, events.RetryWindow)
		}
		attempts, err := svc.ListAttempts(ctx, company, d.ID)
		if err != nil || len(attempts) != d.Attempts || len(rcv.requests()) != d.Attempts {
			t.Fatalf("%d attempts logged, %d received, delivery says %d (%v)", len(attempts), len(rcv.requests()), d.Attempts, err)
		}
		t.Logf("dead after %d attempts", d.Attempts)
		if again, err := svc.Deliver(ctx, d.ID); err != nil || again.Attempts != d.Attempts {
			t.Errorf("a dead delivery was attempted again: %+v, %v", again, err)
		}
		dead, err := svc.ListDeliveries(ctx, events.DeliveryFilter{CompanyID: company, State: events.StateDead})
		if err != nil || len(dead.Items) != 1 {
			t.Errorf("dead deliveries %+v, %v", dead, err)
		}
	})
}

func TestReplay_CreatesANewDeliveryOfTheSameEvent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, _ := newService(db)
		company := createCompany(t, db, "ACME")
		rcv := newReceiver(t, http.StatusOK)
		createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: rcv.srv.URL, Events: []string{"user.*"}, Active: true})
		appendChanges(t, db, svc.Audit, company, "user", "update", 1)
		orig := onlyDelivery(t, svc, company)
		if _, err := svc.Deliver(ctx, orig.ID); err != nil {
			t.Fatal(err)
		}
		replay, err := svc.Replay(ctx, company, orig.ID)
		if err != nil {
			t.Fatal(err)
		}
		if replay.ID == orig.ID || replay.ReplayOf != orig.ID || replay.State != events.StatePending || string(replay.Payload) != string(orig.Payload) {
			t.Fatalf("replay %+v of %+v", replay, orig)
		}
		if replay, err = svc.Deliver(ctx, replay.ID); err != nil || replay.State != events.StateSucceeded {
			t.Fatalf("replay delivered: %+v, %v", replay, err)
		}
		reqs := rcv.requests()
		if len(reqs) != 2 || string(reqs[0].body) != string(reqs[1].body) || reqs[1].header.Get("Backoffice-Delivery") != replay.ID.String() {
			t.Fatalf("receiver got %d requests", len(reqs))
		}
		page, err := svc.ListDeliveries(ctx, events.DeliveryFilter{CompanyID: company, Page: backoffice.Page{Limit: 1}})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != replay.ID || page.Next == "" {
			t.Fatalf("first page %+v, %v", page, err)
		}
		page, err = svc.ListDeliveries(ctx, events.DeliveryFilter{CompanyID: company, Page: backoffice.Page{Limit: 1, After: page.Next}})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != orig.ID || page.Next != "" {
			t.Fatalf("second page %+v, %v", page, err)
		}
		other := createCompany(t, db, "OTHER")
		_, err = svc.Replay(ctx, other, orig.ID)
		wantCode(t, err, backoffice.ENotFound)
	})
}

func TestSignature_VerifiesWithTheSecretOnly(t *testing.T) {
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	body := []byte(`{"seq":1}`)
	header := events.Sign("whsec_right", at, body)
	if err := events.VerifySignature("whsec_right", header, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatalf("right secret refused: %v", err)
	}
	cases := map[string]error{
		"other secret":  events.VerifySignature("whsec_wrong", header, body, at, 5*time.Minute),
		"changed body":  events.VerifySignature("whsec_right", header, []byte(`{"seq":2}`), at, 5*time.Minute),
		"too old":       events.VerifySignature("whsec_right", header, body, at.Add(10*time.Minute), 5*time.Minute),
		"no signature":  events.VerifySignature("whsec_right", "t=123", body, at, 0),
		"garbage":       events.VerifySignature("whsec_right", "nonsense", body, at, 0),
		"changed stamp": events.VerifySignature("whsec_right", "t=2"+header[3:], body, at, 0),
	}
	for name, err := range cases {
		if backoffice.ErrorCode(err) != backoffice.EUnauthorized {
			t.Errorf("%s: got %v, want unauthorized", name, err)
		}
	}
}

func TestFailingByWebhook_CountsFailingDeliveriesPerWebhook(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		svc, _ := newService(db)
		company := createCompany(t, db, "ACME")
		rcv := newReceiver(t, http.StatusInternalServerError)
		w, _ := createWebhook(t, svc, events.NewWebhook{CompanyID: company, URL: rcv.srv.URL + "/hook", Events: []string{"user.*"}, Active: true})
		appendChanges(t, db, svc.Audit, company, "user", "create", 1)
		d := onlyDelivery(t, svc, company)
		if _, err := svc.Deliver(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		byHook, err := svc.FailingByWebhook(ctx, company)
		if err != nil || byHook[w.ID] != 1 || len(byHook) != 1 {
			t.Fatalf("failing by webhook: %v %v", byHook, err)
		}
		if n, err := svc.CountFailing(ctx, company); err != nil || n != 1 {
			t.Fatalf("CountFailing = %d %v", n, err)
		}
		got, err := svc.GetDelivery(ctx, company, d.ID)
		if err != nil || got.State != events.StateFailed || got.Attempts != 1 {
			t.Fatalf("GetDelivery = %+v %v", got, err)
		}
		other := createCompany(t, db, "OTHER")
		if _, err := svc.GetDelivery(ctx, other, d.ID); backoffice.ErrorCode(err) != backoffice.ENotFound {
			t.Fatalf("another company reads the delivery: %v", err)
		}
	})
}
