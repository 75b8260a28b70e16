package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestMain(m *testing.M) { os.Exit(modelstest.Main(m)) }

// output collects what a command prints, safely from several goroutines.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// result is what one run of the program did.
type result struct {
	code           int
	stdout, stderr string
}

// runWith runs the program with the arguments and environment given.
func runWith(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var stdout, stderr output
	code := run(t.Context(), args, envOf(env), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

func TestRunCommandLineErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "usage: xuewu COMMAND"},
		{"unknown command", []string{"serv"}, `serv: unknown command`},
		{"serve with an argument", []string{"serve", "now"}, `unexpected argument "now"`},
		{"import without a path", []string{"import"}, "want one PATH"},
		{"import with two paths", []string{"import", "a", "b"}, "want one PATH"},
		{"sweep at a bad time", []string{"sweep", "--at", "2025-03-01"}, "-at"},
		{"sweep at a time without zone", []string{"sweep", "--at=2025-03-01T08:00:00"}, "-at"},
		{"sweep without the time", []string{"sweep", "--at"}, "-at"},
		{"sweep with an unknown flag", []string{"sweep", "--when", "x"}, "-when"},
		{"sweep with an argument", []string{"sweep", "now"}, `unexpected argument "now"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runWith(t, nil, tc.args...)
			require.Equal(t, exitUsage, res.code)
			require.Contains(t, res.stderr, tc.want)
			require.Contains(t, res.stderr, "usage: xuewu COMMAND")
			require.Empty(t, res.stdout)
		})
	}
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	res := runWith(t, nil, "help")
	require.Equal(t, exitOK, res.code)
	require.Contains(t, res.stdout, "sweep [--at RFC3339]")
}

func TestRunRefusesWrongSettings(t *testing.T) {
	t.Parallel()
	res := runWith(t, map[string]string{"LOG_LEVEL": "loud", "ADMIN_TOKEN": "short"}, "sweep")
	require.Equal(t, exitFailure, res.code)
	require.Contains(t, res.stderr, "LOG_LEVEL: ")
	require.Contains(t, res.stderr, "ADMIN_TOKEN: ")
	require.NotContains(t, res.stderr, "short")
}

func TestRunSweepOnFreshDatabase(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": modelstest.NewDatabase(t)}

	res := runWith(t, env, "sweep", "--at", "2025-03-01T08:00:00+08:00")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, "sweep at 2025-03-01T08:00:00+08:00: expired 0, reminders recorded 0\n",
		res.stdout)
	require.Contains(t, res.stderr, `"msg":"sweep done"`)
	require.Contains(t, res.stderr, `"expired":0`)
}

func TestRunSweepExpiresOnce(t *testing.T) {
	t.Parallel()
	dbURL := modelstest.NewDatabase(t)
	id := fileRequest(t, dbURL, time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC))
	env := map[string]string{"DATABASE_URL": dbURL}

	res := runWith(t, env, "sweep", "--at", "2025-03-13T23:59:58+08:00")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stdout, "expired 0, reminders recorded 1")

	res = runWith(t, env, "sweep", "--at", "2025-03-14T00:00:00+08:00")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stdout, "expired 1, reminders recorded 0")

	res = runWith(t, env, "sweep", "--at", "2025-03-14T00:00:00+08:00")
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stdout, "expired 0, reminders recorded 0", "a second run does nothing")

	req := loadRequest(t, dbURL, id)
	require.Equal(t, models.RequestExpired, req.Status)
}

// fileRequest seeds the school in the database and files one deferral
// at the time given; it returns the request's ID.
func fileRequest(t *testing.T, dbURL string, at time.Time) uint64 {
	t.Helper()
	store := openTestStore(t, dbURL, models.WithClock(func() time.Time { return at }))
	modelstest.Seed(t, store)
	req, err := store.Submit(t.Context(), "2023150101", models.Draft{Kind: models.KindDeferral,
		Reason: "生病", CourseCode: "150165", Phones: []string{"13904712233"}})
	require.NoError(t, err)
	return req.ID
}

func loadRequest(t *testing.T, dbURL string, id uint64) *models.Request {
	t.Helper()
	req, err := openTestStore(t, dbURL).RequestByID(t.Context(), id)
	require.NoError(t, err)
	return req
}

func openTestStore(t *testing.T, dbURL string, opts ...models.Option) *models.Store {
	t.Helper()
	db, err := models.Open(dbURL, "", newLogger(&Config{LogFormat: "text"}, &output{}))
	require.NoError(t, err)
	sqlDB, err := db.DB()
	require.NoError(t, err)
	t.Cleanup(func() { _ = sqlDB.Close() })
	store, err := models.NewStore(t.Context(), db, opts...)
	require.NoError(t, err)
	return store
}

// writeTables writes CSV files named by table into a new folder.
func writeTables(t *testing.T, tables map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range tables {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name+".csv"), []byte(body), 0o600))
	}
	return dir
}

func TestRunImport(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": modelstest.NewDatabase(t)}
	dir := writeTables(t, map[string]string{
		"colleges": "学院代码,学院名称\n15,机械工程学院\n17,电力学院\n",
	})

	res := runWith(t, env, "import", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Equal(t, "colleges: 2 rows (2 new, 0 changed, 0 unchanged) from colleges.csv\n",
		res.stdout)

	res = runWith(t, env, "import", dir)
	require.Equal(t, exitOK, res.code, res.stderr)
	require.Contains(t, res.stdout, "colleges: 2 rows (0 new, 0 changed, 2 unchanged)")
}

func TestRunImportListsBadRows(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DATABASE_URL": modelstest.NewDatabase(t)}
	dir := writeTables(t, map[string]string{
		"colleges": "学院代码,学院名称\n15,机械工程学院\n,无代码学院\n16,\n",
	})

	res := runWith(t, env, "import", dir)
	require.Equal(t, exitFailure, res.code)
	require.Empty(t, res.stdout)
	require.Contains(t, res.stderr, "colleges.csv:3: ")
	require.Contains(t, res.stderr, "colleges.csv:4: ")
	require.Contains(t, res.stderr, "nothing was written")

	res = runWith(t, env, "import", filepath.Join(dir, "missing"))
	require.Equal(t, exitFailure, res.code)
}

// waitFor polls cond until it holds or the time is up.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// listenAddr returns the address the server logged that it listens on.
func listenAddr(stderr string) string {
	for line := range strings.Lines(stderr) {
		var entry struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg == "listening" {
			return entry.Addr
		}
	}
	return ""
}

func httpGet(t *testing.T, url string, header ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body bytes.Buffer
	_, err = body.ReadFrom(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body.String()
}

func TestRunServe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		env      func(t *testing.T) map[string]string
		warnings []string
	}{
		{"on PostgreSQL and Redis", func(t *testing.T) map[string]string {
			t.Helper()
			return map[string]string{"DATABASE_URL": modelstest.NewDatabase(t),
				"REDIS_URL": "redis://127.0.0.1:6379/0"}
		}, nil},
		{"on the embedded stores", func(t *testing.T) map[string]string {
			t.Helper()
			return map[string]string{"XUEWU_DATA": t.TempDir()}
		}, []string{"embedded SQLite", "in-process Redis"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := tc.env(t)
			env["HTTP_ADDR"] = "127.0.0.1:0"
			env["ADMIN_TOKEN"] = goodToken
			serveUntilCancelled(t, env, tc.warnings)
		})
	}
}

// serveUntilCancelled starts `xuewu serve`, checks that it answers, then
// cancels its context and checks that it stops cleanly.
func serveUntilCancelled(t *testing.T, env map[string]string, warnings []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr output
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), &stdout, &stderr) }()

	waitFor(t, "the server to listen", 30*time.Second, func() bool {
		return listenAddr(stderr.String()) != ""
	})
	base := "http://" + listenAddr(stderr.String())

	code, body := httpGet(t, base+"/readyz")
	require.Equal(t, http.StatusOK, code, body)
	code, body = httpGet(t, base+"/admin/api/requests", "Authorization", "Bearer "+goodToken)
	require.Equal(t, http.StatusOK, code, body)
	require.JSONEq(t, `[]`, body)
	code, body = httpGet(t, base+"/metrics")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `xuewu_requests{kind="deferral",status="pending"} 0`)

	cancel()
	select {
	case code := <-done:
		require.Equal(t, exitOK, code, stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
	logs := stderr.String()
	require.Contains(t, logs, `"msg":"stopped"`)
	require.NotContains(t, logs, goodToken)
	for _, w := range warnings {
		require.Contains(t, logs, w)
	}
	if warnings == nil {
		require.NotContains(t, logs, `"level":"WARN"`)
	}
	require.Empty(t, stdout.String(), "serve prints only logs")
}
