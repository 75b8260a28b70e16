package mp_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/handlers/mp"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify/wechat"
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	os.Exit(modelstest.Main(m))
}

var ctx = context.Background()

const (
	miniAppID     = "wxmini-test"
	miniAppSecret = "mini-secret-never-logged"
	publicURL     = "https://xuewu.example"
)

// clock is the tests' settable clock.
type clock = modelstest.Clock

// fakeWeChat answers code2session: a code "c-<openid>" logs that openid
// in, "c-busy" fails with a system error and any other code is invalid.
type fakeWeChat struct {
	srv *httptest.Server
	mu  sync.Mutex
	// logins counts the code2session calls.
	logins int
}

func newFakeWeChat(t *testing.T) *fakeWeChat {
	t.Helper()
	f := &fakeWeChat{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sns/jscode2session", f.code2session)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWeChat) code2session(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.logins++
	f.mu.Unlock()
	q := r.URL.Query()
	var body map[string]any
	switch code := q.Get("js_code"); {
	case q.Get("appid") != miniAppID || q.Get("secret") != miniAppSecret:
		body = map[string]any{"errcode": 40013, "errmsg": "invalid appid"}
	case code == "c-busy":
		body = map[string]any{"errcode": -1, "errmsg": "system error"}
	case strings.HasPrefix(code, "c-o"):
		body = map[string]any{"openid": strings.TrimPrefix(code, "c-"),
			"session_key": "session-key-never-logged"}
	default:
		body = map[string]any{"errcode": 40029, "errmsg": "invalid code"}
	}
	_ = json.NewEncoder(w).Encode(body)
}

// env is one test's server: the seeded school, a fake WeChat, the real
// mini-program client and the API mounted as serve mounts it.
type env struct {
	t     *testing.T
	store *models.Store
	clock *clock
	wx    *fakeWeChat
	rdb   redis.UniversalClient
	srv   *httptest.Server
	logs  *syncBuffer
}

// setup starts the API over a fresh database with the seeded school, at
// 2026-12-03 10:00 China time.
func setup(t *testing.T) *env {
	t.Helper()
	cst := time.FixedZone("CST", 8*3600)
	e := &env{t: t, clock: modelstest.NewClock(time.Date(2026, 12, 3, 10, 0, 0, 0, cst)),
		wx: newFakeWeChat(t), logs: &syncBuffer{}}
	e.store = modelstest.NewStore(t, models.WithClock(e.clock.Now))
	modelstest.Seed(t, e.store)

	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	t.Cleanup(func() { _ = rdb.Close() })
	require.NoError(t, rdb.Ping(ctx).Err(), "Redis at 127.0.0.1:6379")
	e.rdb = rdb
	prefix := "xuewu:test:" + randomHex() + ":"
	t.Cleanup(func() { deleteKeys(rdb, prefix) })

	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	mini, err := wechat.NewMini(wechat.MiniConfig{AppID: miniAppID, AppSecret: miniAppSecret,
		APIBase: e.wx.srv.URL, KeyPrefix: prefix}, rdb, log)
	require.NoError(t, err)
	api, err := mp.New(mp.Config{Store: e.store, Sessions: mini, Redis: rdb,
		PublicURL: publicURL, KeyPrefix: prefix, Log: log, Now: e.clock.Now})
	require.NoError(t, err)

	h := handlers.New(handlers.Deps{Store: e.store, Logger: log, Now: e.clock.Now,
		Mounts: map[string]http.Handler{"/api/mp": api}})
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	t.Cleanup(func() { e.requireNoSecrets(t) })
	return e
}

// serve puts h behind the env's server in place of the API.
func (e *env) serve(h http.Handler) {
	e.t.Helper()
	e.srv = httptest.NewServer(h)
	e.t.Cleanup(e.srv.Close)
}

// answer is one HTTP answer: its status, headers and JSON body.
type answer struct {
	Status int
	Header http.Header
	Raw    []byte
}

// JSON decodes the body into a map.
func (a answer) JSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(a.Raw, &m), string(a.Raw))
	return m
}

// Error returns the body's error sentence.
func (a answer) Error(t *testing.T) string {
	t.Helper()
	msg, _ := a.JSON(t)["error"].(string)
	return msg
}

// call sends a request with the token (none when empty) and a body: a
// string is sent as it is, anything else as JSON.
func (e *env) call(method, path, token string, body any) answer {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+path, rd)
	require.NoError(e.t, err)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	require.Contains(e.t, resp.Header.Get("Content-Type"), "application/json", string(raw))
	return answer{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
}

// login logs the mini-program account in and returns its token.
func (e *env) login(openID string) string {
	e.t.Helper()
	a := e.call(http.MethodPost, "/api/mp/login", "", map[string]string{"code": "c-" + openID})
	require.Equal(e.t, http.StatusOK, a.Status, string(a.Raw))
	token, _ := a.JSON(e.t)["token"].(string)
	require.NotEmpty(e.t, token)
	return token
}

// student logs an account in and binds it to the seeded student.
func (e *env) student(openID, no string) string {
	e.t.Helper()
	token := e.login(openID)
	a := e.call(http.MethodPost, "/api/mp/bind", token,
		map[string]string{"no": no, "secret": modelstest.StudentIDs[no]})
	require.Equal(e.t, http.StatusOK, a.Status, string(a.Raw))
	return token
}

// requireNoSecrets checks that no code, token, secret or ID digits
// reached the logs.
func (e *env) requireNoSecrets(t *testing.T) {
	t.Helper()
	logs := e.logs.String()
	for _, s := range []string{miniAppSecret, "session-key-never-logged", "c-o", "c-bad",
		"313776", "466040", "13904712233"} {
		require.NotContains(t, logs, s)
	}
	require.NotRegexp(t, `"[A-Za-z0-9_-]+\.\d{10}\.[A-Za-z0-9_-]{43}"`, logs, "a token")
}

// syncBuffer collects logs from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func deleteKeys(rdb redis.UniversalClient, prefix string) {
	keys, _ := rdb.Keys(context.Background(), prefix+"*").Result()
	if len(keys) > 0 {
		_ = rdb.Del(context.Background(), keys...).Err()
	}
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
