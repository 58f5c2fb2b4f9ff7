package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/spf13/cobra"

	"backoffice/events"
	"backoffice/invoice"
	"backoffice/jobs"
	"backoffice/ledger"
	"backoffice/sqldb"
	"backoffice/web"
)

// serveOptions configure one server process.
type serveOptions struct {
	dsn          string
	addr         string
	metricsAddr  string
	natsURL      string
	secure       bool
	logLevel     string
	migrate      bool
	allowPrivate bool
	ready        func(url string) // called once the listener is open
}

func newServeCmd() *cobra.Command {
	opts := serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the web server, the API and the background jobs",
		Long: `serve runs the product: the browser UI and the REST API on --addr, and the background jobs
(webhook deliveries, schedules). Any number of serve processes may share one PostgreSQL
database behind a load balancer; they keep no state of their own. Logs are JSON lines on
standard error. Stop with Ctrl+C or SIGTERM: requests in flight are finished first.`,
		Example: `  backoffice serve --db ./backoffice-data/backoffice.db
  backoffice serve --db postgres://app@127.0.0.1:5432/backoffice --addr :8080 --metrics-addr 127.0.0.1:9100 --nats nats://127.0.0.1:4222`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.ready = func(url string) { fmt.Fprintf(cmd.ErrOrStderr(), "Backoffice is running at %s\n", url) }
			return serve(cmd.Context(), opts, cmd.ErrOrStderr())
		},
	}
	dbFlag(cmd, &opts.dsn)
	f := cmd.Flags()
	f.StringVar(&opts.addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&opts.metricsAddr, "metrics-addr", "", "also serve Prometheus /metrics without sign-in on this address (keep it private)")
	f.StringVar(&opts.natsURL, "nats", "", "publish every change to NATS JetStream at this URL, e.g. nats://127.0.0.1:4222")
	f.BoolVar(&opts.secure, "secure-cookies", false, "mark session cookies Secure (set when users reach the server over HTTPS)")
	f.StringVar(&opts.logLevel, "log-level", "info", "debug, info, warn or error")
	f.BoolVar(&opts.migrate, "migrate", true, "apply pending migrations at start")
	f.BoolVar(&opts.allowPrivate, "allow-private-webhooks", false, "let webhooks target loopback and private networks (development)")
	return cmd
}

// serve runs the server until ctx ends.
func serve(ctx context.Context, opts serveOptions, logOut io.Writer) error {
	logger, err := newLogger(logOut, opts.logLevel)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, opts.dsn, opts.migrate, logger)
	if err != nil {
		return err
	}
	defer a.Close()
	evs := &events.Service{DB: a.db, Audit: a.audit, Logger: logger, AllowPrivateURLs: opts.allowPrivate}
	workers := river.NewWorkers()
	periodic := append(events.Register(workers, evs), registerMaintenance(workers, a)...)
	periodic = append(periodic, ledger.RegisterJobs(workers, a.ledger, logger)...)
	periodic = append(periodic, invoice.RegisterJobs(workers, a.inv, logger)...)
	runner, err := jobs.New(a.db, jobs.Config{Workers: workers, PeriodicJobs: periodic, Logger: logger})
	if err != nil {
		return err
	}
	if opts.migrate {
		if err := runner.Migrate(ctx); err != nil {
			return err
		}
	}
	if err := runner.Start(ctx); err != nil {
		return fmt.Errorf("start background jobs: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = runner.Stop(stopCtx)
	}()
	if opts.natsURL != "" {
		pub, err := events.NewPublisher(a.db, opts.natsURL, logger)
		if err != nil {
			return fmt.Errorf("connect to NATS: %w", err)
		}
		defer pub.Close()
		go pub.Run(ctx)
	}
	srv := &web.Server{DB: a.db, Audit: a.audit, Access: a.access, Events: evs, Ledger: a.ledger, Logger: logger,
		Bank:     a.bank,
		Party:    a.party,
		Invoice:  a.inv,
		Registry: prometheus.NewRegistry(), Version: version, Secure: opts.secure}
	h, err := srv.Handler()
	if err != nil {
		return err
	}
	var servers []*http.Server
	main, err := listen(ctx, opts.addr, h, &servers)
	if err != nil {
		return err
	}
	if opts.metricsAddr != "" {
		if _, err := listen(ctx, opts.metricsAddr, srv.MetricsHandler(), &servers); err != nil {
			return err
		}
	}
	if opts.ready != nil {
		opts.ready("http://" + displayAddr(main))
	}
	logger.Info("serving", "addr", main.String(), "db", a.db.String(), "version", version)
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, s := range servers {
		_ = s.Shutdown(shutdownCtx)
	}
	return nil
}

// listen opens addr and serves h on it in the background.
func listen(ctx context.Context, addr string, h http.Handler, servers *[]*http.Server) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) }}
	*servers = append(*servers, s)
	go func() {
		if err := s.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("server stopped", "addr", addr, "err", err)
		}
	}()
	return ln.Addr(), nil
}

// displayAddr turns a listener address into something a browser can open.
func displayAddr(a net.Addr) string {
	s := a.String()
	if strings.HasPrefix(s, "[::]:") || strings.HasPrefix(s, "0.0.0.0:") {
		_, port, _ := net.SplitHostPort(s)
		return "127.0.0.1:" + port
	}
	return s
}

func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: use debug, info, warn or error", level)
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l})), nil
}

// migrateJobs applies River's own migrations, which live beside ours.
func migrateJobs(ctx context.Context, db *sqldb.DB) error {
	r, err := jobs.New(db, jobs.Config{})
	if err != nil {
		return err
	}
	return r.Migrate(ctx)
}
