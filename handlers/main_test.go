package handlers_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestMain(m *testing.M) { os.Exit(modelstest.Main(m)) }

// adminToken is the admin token of the servers under test.
const adminToken = "test-admin-token-0123456789"

// redisAddr is the Redis server the tests ping.
const redisAddr = "127.0.0.1:6379"

// cst builds a time in China Standard Time.
func cst(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.FixedZone("CST", 8*3600))
}

// clock is the tests' settable clock.
type clock = modelstest.Clock

// logBuffer collects log output safely from several goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// env is one server under test with its own database.
type env struct {
	store *models.Store
	clock *clock
	logs  *logBuffer
	h     http.Handler
}

// setup returns a server over a fresh database holding the seeded school,
// with the admin API on and readiness checks of the real database and
// Redis. Options change the dependencies before the server is built.
func setup(t *testing.T, opts ...func(*handlers.Deps)) *env {
	t.Helper()
	c := modelstest.NewClock(cst(2025, 3, 3, 10, 0))
	store := modelstest.NewStore(t, models.WithClock(c.Now))
	modelstest.Seed(t, store)

	sqlDB, err := store.DB().DB()
	require.NoError(t, err)
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { _ = rdb.Close() })

	e := &env{store: store, clock: c, logs: &logBuffer{}}
	d := handlers.Deps{
		Store:      store,
		AdminToken: adminToken,
		Logger:     newLogger(e.logs),
		Checks: []handlers.Check{
			{Name: "database", Pinger: handlers.PingFunc(sqlDB.PingContext)},
			{Name: "redis", Pinger: redisPinger(rdb)},
		},
	}
	for _, o := range opts {
		o(&d)
	}
	e.h = handlers.New(d)
	return e
}

// newLogger writes JSON logs at debug level to w.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func redisPinger(rdb redis.UniversalClient) handlers.PingFunc {
	return func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
}

// get serves a GET request and returns the recorded response.
func (e *env) get(t *testing.T, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec
}

// admin serves a GET request with the admin token.
func (e *env) admin(t *testing.T, target string) *httptest.ResponseRecorder {
	t.Helper()
	return e.get(t, target, "Authorization", "Bearer "+adminToken)
}

// closedAddr returns a loopback address where nothing listens.
func closedAddr(t *testing.T) string {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// logLines returns the log lines that contain every one of the words.
func logLines(logs string, words ...string) []string {
	var out []string
	for line := range strings.Lines(logs) {
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(line, w)
		}
		if ok {
			out = append(out, line)
		}
	}
	return out
}
