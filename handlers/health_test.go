package handlers_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/models/modelstest"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := setup(t, func(d *handlers.Deps) {
		d.Checks = []handlers.Check{{Name: "redis", Pinger: redisPinger(downRedis(t))}}
	})
	rec := e.get(t, "/healthz")
	require.Equal(t, http.StatusOK, rec.Code, "alive even when a dependency is down")
	require.Equal(t, "ok", rec.Body.String())
}

// readyAnswer is the decoded body of /readyz.
type readyAnswer struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
	Down   []string          `json:"down"`
}

func TestReadyzUp(t *testing.T) {
	t.Parallel()
	e := setup(t)
	rec := e.get(t, "/readyz")
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	require.JSONEq(t, `{"status":"ok","checks":{"database":"ok","redis":"ok"}}`,
		rec.Body.String())
}

// downRedis returns a client of a Redis server that is not there.
func downRedis(t *testing.T) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: closedAddr(t), MaxRetries: -1})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// silentRedis returns a client of a server that accepts connections and
// never answers, as a hung Redis would.
func silentRedis(t *testing.T) *redis.Client {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = conn.Close() })
		}
	}()
	rdb := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), MaxRetries: -1,
		ReadTimeout: time.Minute})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// closedDatabase returns a pinger of a database connection that is closed.
func closedDatabase(t *testing.T) handlers.Pinger {
	t.Helper()
	sqlDB, err := modelstest.NewDB(t).DB()
	require.NoError(t, err)
	require.NoError(t, sqlDB.Close())
	return handlers.PingFunc(sqlDB.PingContext)
}

func TestReadyzDown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		deps   func(t *testing.T, d *handlers.Deps)
		checks map[string]string
		down   []string
	}{
		{"redis refuses connections", func(t *testing.T, d *handlers.Deps) {
			t.Helper()
			d.Checks[1].Pinger = redisPinger(downRedis(t))
		}, map[string]string{"database": "ok", "redis": "down"}, []string{"redis"}},
		{"redis does not answer in time", func(t *testing.T, d *handlers.Deps) {
			t.Helper()
			d.Checks[1].Pinger = redisPinger(silentRedis(t))
		}, map[string]string{"database": "ok", "redis": "down"}, []string{"redis"}},
		{"database closed", func(t *testing.T, d *handlers.Deps) {
			t.Helper()
			d.Checks[0].Pinger = closedDatabase(t)
		}, map[string]string{"database": "down", "redis": "ok"}, []string{"database"}},
		{"both down", func(t *testing.T, d *handlers.Deps) {
			t.Helper()
			d.Checks[0].Pinger = closedDatabase(t)
			d.Checks[1].Pinger = redisPinger(downRedis(t))
		}, map[string]string{"database": "down", "redis": "down"},
			[]string{"database", "redis"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, func(d *handlers.Deps) {
				d.ReadyTimeout = 300 * time.Millisecond
				tc.deps(t, d)
			})

			start := time.Now()
			rec := e.get(t, "/readyz")
			require.Less(t, time.Since(start), 2*time.Second)
			require.Equal(t, http.StatusServiceUnavailable, rec.Code)
			var got readyAnswer
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))
			require.Equal(t, readyAnswer{Status: "unavailable", Checks: tc.checks,
				Down: tc.down}, got)
		})
	}
}

func TestReadyzGivesUpOnAPingThatIgnoresItsContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	stuck := handlers.PingFunc(func(context.Context) error { <-release; return nil })
	e := setup(t, func(d *handlers.Deps) {
		d.ReadyTimeout = 100 * time.Millisecond
		d.Checks = []handlers.Check{{Name: "stuck", Pinger: stuck}}
	})

	rec := e.get(t, "/readyz")
	require.Equal(t, http.StatusServiceUnavailable, rec.Code)
	require.JSONEq(t, `{"status":"unavailable","checks":{"stuck":"down"},"down":["stuck"]}`,
		rec.Body.String())
}
