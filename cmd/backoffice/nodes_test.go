package main

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"backoffice/sqldb/sqldbtest"
)

// TestTwoNodes_ShareSessionsAndData runs two serve processes on one
// PostgreSQL database, signs in on one and carries on on the other: nothing a
// request needs lives in one process's memory.
func TestTwoNodes_ShareSessionsAndData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dsn := sqldbtest.PostgresDSN(t)
	bin := filepath.Join(t.TempDir(), "backoffice")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	token := prepare(t, dsn)
	var nodes []string
	for i := 0; i < 2; i++ {
		addr := freeAddr(t)
		srv := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--log-level", "error")
		var stderr bytes.Buffer
		srv.Stderr = &stderr
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Process.Signal(syscall.SIGTERM); _ = srv.Wait() })
		waitReady(t, addr, &stderr)
		nodes = append(nodes, "http://"+addr)
	}

	// A user created through node 0's API can sign in on node 1.
	req, _ := http.NewRequest("POST", nodes[0]+"/api/v1/users", strings.NewReader(`{"email":"two@example.com","name":"Two","password":"two nodes one db","role":"auditor"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create user on node 0: %d", resp.StatusCode)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {"two@example.com"}, "password": {"two nodes one db"}}
	login, _ := http.NewRequest("POST", nodes[1]+"/login", strings.NewReader(form.Encode()))
	login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	login.Header.Set("Origin", nodes[1])
	resp, err = noRedirect.Do(login)
	must(t, err)
	resp.Body.Close()
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "bo_session" {
			cookie = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || cookie == nil {
		t.Fatalf("sign in on node 1: %d, cookie %v", resp.StatusCode, cookie)
	}

	// The session opened on node 1 works on node 0.
	me, _ := http.NewRequest("GET", nodes[0]+"/api/v1/me", nil)
	me.AddCookie(cookie)
	resp, err = http.DefaultClient.Do(me)
	must(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"email":"two@example.com"`) {
		t.Fatalf("node 0 with node 1's session: %d %s", resp.StatusCode, body)
	}
}
