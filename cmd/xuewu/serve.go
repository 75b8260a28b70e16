package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/imut/xuewu/handlers"
)

// Time limits of the HTTP server.
const (
	shutdownTimeout   = 15 * time.Second // for requests in flight at SIGTERM
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
)

// serve runs the HTTP server until ctx ends, then shuts it down gracefully
// and closes the database and Redis.
func serve(ctx context.Context, a *app) error {
	a.log.Info("starting xuewu", "config", a.cfg)

	store, sqlDB, err := openStore(ctx, a.cfg, a.log)
	if err != nil {
		return err
	}
	defer sqlDB.Close()

	rdb, closeRedis, err := openRedis(ctx, a.cfg, a.log)
	if err != nil {
		return err
	}
	defer closeRedis()

	h := handlers.New(handlers.Deps{
		Store:      store,
		Logger:     a.log,
		AdminToken: a.cfg.AdminToken.Reveal(),
		Now:        a.now,
		Checks: []handlers.Check{
			{Name: "database", Pinger: handlers.PingFunc(sqlDB.PingContext)},
			{Name: "redis", Pinger: redisPinger(rdb)},
		},
	})
	return listenAndServe(ctx, a.cfg.HTTPAddr, h, a.log)
}

// redisPinger checks that Redis answers.
func redisPinger(rdb redis.UniversalClient) handlers.PingFunc {
	return func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
}

// listenAndServe serves h on addr until ctx ends, then waits up to
// shutdownTimeout for the requests in flight.
func listenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		return fmt.Errorf("serve HTTP: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down", "timeout", shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down HTTP server: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve HTTP: %w", err)
	}
	log.Info("stopped")
	return nil
}
