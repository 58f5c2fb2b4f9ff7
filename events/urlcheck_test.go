package events

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestDefaultClient_RefusesToConnectToPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	_, err := newClient(false).Get(srv.URL)
	if !errors.Is(err, errPrivateTarget) {
		t.Fatalf("GET %s through the guarded client: %v, want the private-address refusal", srv.URL, err)
	}
	resp, err := newClient(true).Get(srv.URL)
	if err != nil {
		t.Fatalf("with private URLs allowed: %v", err)
	}
	resp.Body.Close()
}

func TestExcerpt_KeepsAtMostOneKiBOfValidText(t *testing.T) {
	long := make([]byte, 0, 2000)
	for len(long) < 1500 {
		long = append(long, "é"...)
	}
	if got := excerpt(long); len(got) > maxResponseExcerpt || len(got) < maxResponseExcerpt-1 {
		t.Errorf("excerpt of 1500 bytes is %d bytes", len(got))
	}
	if got := excerpt([]byte("ok\xff\x00")); got != "ok\uFFFD" {
		t.Errorf("excerpt(invalid) = %q", got)
	}
}
