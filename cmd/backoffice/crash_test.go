package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"backoffice"
	"backoffice/access"
	"backoffice/audit"
	"backoffice/sqldb"
	"backoffice/sqldb/sqldbtest"
)

// TestCrash_AnsweredWritesSurviveSIGKILL runs the real binary, writes through
// the API from several clients, kills the process with SIGKILL mid-stream,
// and checks that every write answered 2xx is stored and the change log
// still verifies. It runs on both databases.
func TestCrash_AnsweredWritesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "backoffice")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	t.Run("sqlite", func(t *testing.T) { crashOnce(t, bin, sqldbtest.SQLitePath(t)) })
	t.Run("postgres", func(t *testing.T) { crashOnce(t, bin, sqldbtest.PostgresDSN(t)) })
}

func crashOnce(t *testing.T, bin, dsn string) {
	ctx := context.Background()
	token := prepare(t, dsn)
	addr := freeAddr(t)
	srv := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--log-level", "error")
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	waitReady(t, addr, &stderr)

	var (
		mu       sync.Mutex
		answered []string
		wg       sync.WaitGroup
		stop     = make(chan struct{})
	)
	client := &http.Client{Timeout: 5 * time.Second}
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code := fmt.Sprintf("C%d-%d", w, i)
				body := fmt.Sprintf(`{"code":%q,"name":"Crash test %s","currency":"EUR"}`, code, code)
				req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/companies", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					mu.Lock()
					answered = append(answered, code)
					mu.Unlock()
				}
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	close(stop)
	wg.Wait()
	if len(answered) < 10 {
		t.Fatalf("only %d writes answered before the kill; the test proves nothing\n%s", len(answered), stderr.String())
	}

	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acc := &access.Service{DB: db}
	for _, code := range answered {
		if _, err := acc.CompanyByCode(ctx, code); err != nil {
			t.Errorf("company %s was answered 201 but is not stored: %v", code, err)
		}
	}
	res, err := audit.Verify(ctx, db, nil)
	if err != nil || !res.OK {
		t.Fatalf("audit verify after the crash: %+v %v", res, err)
	}
	t.Logf("%d writes answered before SIGKILL, all stored; change log of %d records verifies", len(answered), res.Records)

	// The killed node's database opens again for a new process.
	again := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--log-level", "error")
	stderr.Reset()
	again.Stderr = &stderr
	if err := again.Start(); err != nil {
		t.Fatal(err)
	}
	waitReady(t, addr, &stderr)
	_ = again.Process.Signal(syscall.SIGTERM)
	_ = again.Wait()
}

// prepare migrates dsn and creates an admin with an unscoped admin token.
func prepare(t *testing.T, dsn string) string {
	t.Helper()
	ctx := backoffice.WithActor(context.Background(), backoffice.System("test"))
	a, err := openApp(ctx, dsn, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	must(t, migrateJobs(ctx, a.db))
	c, err := a.access.CreateCompany(ctx, access.NewCompany{Code: "HOME", Name: "Home", Currency: "EUR"})
	must(t, err)
	admin, err := a.access.RoleByName(ctx, "admin")
	must(t, err)
	u, _, err := a.access.CreateUser(ctx, access.NewUser{Email: "crash@example.com", Name: "Crash", Memberships: []access.NewMembership{{CompanyID: c.ID, RoleID: admin.ID}}})
	must(t, err)
	secret, _, err := a.access.CreateToken(ctx, access.NewToken{Name: "crash", UserID: u.ID, RoleID: admin.ID, CompanyID: c.ID})
	must(t, err)
	return secret
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitReady(t *testing.T, addr string, stderr *bytes.Buffer) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server on %s never became ready\n%s", addr, stderr.String())
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
