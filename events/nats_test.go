package events_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"backoffice/audit"
	"backoffice/events"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// natsURL is the test server; tests skip when it is down, except under CI=true.
const natsURL = "nats://127.0.0.1:4222"

func requireNATS(t *testing.T) {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("NATS not reachable at %s; CI must test the publisher: %v", natsURL, err)
		}
		t.Skipf("NATS not reachable at %s: %v", natsURL, err)
	}
	c.Close()
}

// testPublisher returns a Publisher on its own stream and subject prefix, so
// runs and dialects do not share JetStream's duplicate window; the stream is
// deleted afterwards.
func testPublisher(t *testing.T, db *sqldb.DB) *events.Publisher {
	t.Helper()
	p, err := events.NewPublisher(db, natsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	suffix := hex.EncodeToString(b)
	p.Stream, p.SubjectPrefix = "BOTEST_"+strings.ToUpper(suffix), "botest_"+suffix
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if nc, err := nats.Connect(natsURL); err == nil {
			if js, err := jetstream.New(nc); err == nil {
				_ = js.DeleteStream(ctx, p.Stream)
			}
			nc.Close()
		}
		p.Close()
	})
	return p
}

func TestPublisher_PublishesEachChangeOnceWithItsSeqAsMessageID(t *testing.T) {
	requireNATS(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		log := &audit.Log{}
		company := createCompany(t, db, "ACME")
		recs := appendChanges(t, db, log, company, "user", "create", 2)
		recs = append(recs, appendChanges(t, db, log, 0, "role", "update", 1)...)
		p := testPublisher(t, db)

		n, err := p.Publish(ctx)
		if err != nil || n != 3 {
			t.Fatalf("Publish = %d, %v; want 3", n, err)
		}
		if n, err := p.Publish(ctx); err != nil || n != 0 {
			t.Fatalf("second Publish = %d, %v; want nothing new", n, err)
		}
		// A node that crashed before moving its cursor publishes again:
		// JetStream must keep one copy of each.
		if _, err := db.ExecContext(ctx, `UPDATE event_cursors SET seq = 0 WHERE consumer = ?`, events.CursorNATS); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Publish(ctx); err != nil {
			t.Fatal(err)
		}

		msgs := fetchAll(t, p.Stream)
		if len(msgs) != 3 {
			t.Fatalf("stream holds %d messages, want 3", len(msgs))
		}
		wantSubjects := []string{p.SubjectPrefix + ".ACME.user.create", p.SubjectPrefix + ".ACME.user.create", p.SubjectPrefix + ".global.role.update"}
		for i, m := range msgs {
			if m.Subject() != wantSubjects[i] {
				t.Errorf("message %d on %s, want %s", i, m.Subject(), wantSubjects[i])
			}
			if id := m.Headers().Get(jetstream.MsgIDHeader); id != strconv.FormatInt(recs[i].Seq, 10) {
				t.Errorf("message %d has Nats-Msg-Id %q, want %d", i, id, recs[i].Seq)
			}
			var ev events.Event
			if err := json.Unmarshal(m.Data(), &ev); err != nil || ev.Seq != recs[i].Seq || ev.Hash != recs[i].Hash {
				t.Errorf("message %d body %s (%v)", i, m.Data(), err)
			}
		}
	})
}

// fetchAll reads every message of the stream, in order.
func fetchAll(t *testing.T, stream string) []jetstream.Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	js, err := jetstream.New(natsConn(t))
	if err != nil {
		t.Fatal(err)
	}
	cons, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for uint64(len(out)) < info.NumPending {
		batch, err := cons.Fetch(int(info.NumPending)-len(out), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for m := range batch.Messages() {
			out = append(out, m)
			got++
		}
		if got == 0 {
			t.Fatalf("fetch returned nothing after %d of %d messages (%v)", len(out), info.NumPending, batch.Error())
		}
	}
	return out
}

func natsConn(t *testing.T) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}
