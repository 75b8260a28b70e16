package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
)

func TestDemoSchoolIsTheImporterFixture(t *testing.T) {
	t.Parallel()
	entries, err := demoSchool.ReadDir(demoSchoolDir)
	require.NoError(t, err)
	require.Len(t, entries, 6, "the six tables")
	for _, e := range entries {
		ours, err := demoSchool.ReadFile(demoSchoolDir + "/" + e.Name())
		require.NoError(t, err)
		fixture, err := os.ReadFile(filepath.Join("..", "..", "models", "importer", "testdata",
			"school", e.Name()))
		require.NoError(t, err)
		require.True(t, bytes.Equal(fixture, ours),
			"%s differs from models/importer/testdata/school; copy it again", e.Name())
	}
}

func TestDemoSecrets(t *testing.T) {
	t.Parallel()
	secrets, err := demoSecrets()
	require.NoError(t, err)
	require.Len(t, secrets, 72+30, "every student and staff member")
	require.Equal(t, "313776", secrets["2023150101"])
	require.Equal(t, "60052X", secrets["2023150201"])
	require.Equal(t, "UAK4ZWJD", secrets["T1579"])
}

// demoApp is an app of the given configuration that logs into logs.
func demoApp(cfg *Config, logs *output) *app {
	cfg.LogFormat = "json"
	return &app{cfg: cfg, log: newLogger(cfg, logs), now: time.Now, stdout: logs, stderr: logs}
}

func countStudents(t *testing.T, s *models.Store) int64 {
	t.Helper()
	var n int64
	require.NoError(t, s.DB().Model(&models.Student{}).Count(&n).Error)
	return n
}

func TestDemoSchoolLoadsOnceIntoAnEmptyEmbeddedStore(t *testing.T) {
	t.Parallel()
	store := modelstest.NewEmbeddedStore(t)
	var logs output
	a := demoApp(&Config{}, &logs)

	require.NoError(t, loadDemoSchool(t.Context(), a, store))
	require.EqualValues(t, 72, countStudents(t, store))
	require.Contains(t, logs.String(), "loaded the demo school")
	require.Contains(t, logs.String(), `"students":72`)
	_, err := store.BindStudent(t.Context(), "o-1", "2023150101", "313776")
	require.NoError(t, err, "the demo secrets bind")

	var again output
	require.NoError(t, loadDemoSchool(t.Context(), demoApp(&Config{}, &again), store))
	require.NotContains(t, again.String(), "loaded the demo school", "a school is there")
}

func TestDemoSchoolNeverGoesIntoPostgreSQL(t *testing.T) {
	t.Parallel()
	dbURL := modelstest.NewDatabase(t)
	store := openTestStore(t, dbURL)
	var logs output
	a := demoApp(&Config{DatabaseURL: Secret(dbURL)}, &logs)
	require.NoError(t, loadDemoSchool(t.Context(), a, store))
	require.Zero(t, countStudents(t, store))
}

func TestInProcessRedisExpiresKeys(t *testing.T) {
	t.Parallel()
	var logs output
	rdb, closeRedis, err := openRedis(t.Context(), &Config{}, newLogger(&Config{}, &logs))
	require.NoError(t, err)
	defer closeRedis()
	require.NoError(t, rdb.Set(t.Context(), "k", "v", 50*time.Millisecond).Err())
	waitFor(t, "the key to expire", 5*time.Second, func() bool {
		return errors.Is(rdb.Get(t.Context(), "k").Err(), redis.Nil)
	})
}

// freeAddr returns a loopback address with a port that was free a moment
// ago, for a server whose PUBLIC_URL must name its port.
func freeAddr(t *testing.T) string {
	t.Helper()
	var lc net.ListenConfig
	ln, err := lc.Listen(t.Context(), "tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// server is `xuewu serve` running in the test.
type server struct {
	base   string
	stderr *output
	// startup is how long serve took to listen.
	startup time.Duration
}

// startServe runs `xuewu serve` with env until the test ends, once it
// listens.
func startServe(t *testing.T, env map[string]string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.WithoutCancel(t.Context()))
	s := &server{stderr: &output{}}
	done := make(chan int, 1)
	start := time.Now()
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), &output{}, s.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("serve ended with %d:\n%s", code, s.stderr)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	})
	waitFor(t, "the server to listen", 30*time.Second, func() bool {
		return listenAddr(s.stderr.String()) != ""
	})
	s.startup = time.Since(start)
	s.base = "http://" + listenAddr(s.stderr.String())
	return s
}

func TestSimulatorOnlyInDemoMode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want int
	}{
		{"demo mode", map[string]string{}, http.StatusOK},
		{"an official account", map[string]string{"WECHAT_APP_ID": "wx0123456789",
			"WECHAT_APP_SECRET": "real-secret", "WECHAT_TOKEN": "real-token"}, http.StatusNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.env["XUEWU_DATA"], tc.env["HTTP_ADDR"] = t.TempDir(), "127.0.0.1:0"
			s := startServe(t, tc.env)
			paths := []string{"/dev/", "/dev/wx/cgi-bin/token?grant_type=client_credential"}
			for _, path := range paths {
				code, _ := httpGet(t, s.base+path)
				require.Equal(t, tc.want, code, path)
			}
			require.Contains(t, s.stderr.String(), "loaded the demo school",
				"the embedded store gets the demo school either way")
			if tc.want == http.StatusOK {
				require.Contains(t, s.stderr.String(), `"simulator":"http://127.0.0.1:0/dev/"`)
			}
		})
	}
}
