package wechat_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/notify/wechat"
)

// redisAddr is the Redis server the tests use.
const redisAddr = "127.0.0.1:6379"

const (
	appID     = "wx0123456789abcdef"
	appSecret = "s3cr3t-app-secret-never-logged"
	openID    = "oUser1234567890abcdefghijk"
)

// fakeWeChat is a WeChat API on httptest: the stable token endpoint, the
// customer-service send and the media download.
type fakeWeChat struct {
	srv *httptest.Server

	mu sync.Mutex
	// tokens counts the tokens handed out: tok-1, tok-2, ...
	tokens int
	// sendCodes are the errcodes of the coming sends; 0 once used up.
	sendCodes []int
	// sends records the token and body of each send.
	sends []sent
	// media maps media IDs to their bytes, served as image/jpeg.
	media map[string][]byte
	// status, when set, answers every API call with this HTTP status.
	status int
}

type sent struct {
	Token string
	Body  map[string]any
}

func newFakeWeChat(t *testing.T) *fakeWeChat {
	t.Helper()
	f := &fakeWeChat{media: map[string][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cgi-bin/stable_token", f.stableToken)
	mux.HandleFunc("POST /cgi-bin/message/custom/send", f.send)
	mux.HandleFunc("GET /cgi-bin/media/get", f.getMedia)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWeChat) stableToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AppID  string `json:"appid"`
		Secret string `json:"secret"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	if req.AppID != appID || req.Secret != appSecret {
		writeJSON(w, map[string]any{"errcode": 40125, "errmsg": "invalid appsecret"})
		return
	}
	f.mu.Lock()
	f.tokens++
	tok := fmt.Sprintf("tok-%d", f.tokens)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": 7200})
}

func (f *fakeWeChat) send(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status != 0 {
		w.WriteHeader(f.status)
		return
	}
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.sends = append(f.sends, sent{Token: r.URL.Query().Get("access_token"), Body: body})
	code := 0
	if len(f.sendCodes) > 0 {
		code, f.sendCodes = f.sendCodes[0], f.sendCodes[1:]
	}
	writeJSON(w, map[string]any{"errcode": code, "errmsg": fmt.Sprintf("code %d", code)})
}

func (f *fakeWeChat) getMedia(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	data, ok := f.media[r.URL.Query().Get("media_id")]
	f.mu.Unlock()
	if !ok || r.URL.Query().Get("access_token") == "" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, `{"errcode":40007,"errmsg":"invalid media_id"}`)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	_, _ = w.Write(data)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeWeChat) tokenCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens
}

func (f *fakeWeChat) sent() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sends...)
}

// env is a fake WeChat, a Redis key prefix of the test's own and the logs.
type env struct {
	wx     *fakeWeChat
	rdb    redis.UniversalClient
	prefix string
	logs   *syncBuffer
}

func setup(t *testing.T) *env {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { _ = rdb.Close() })
	require.NoError(t, rdb.Ping(t.Context()).Err(), "Redis at %s", redisAddr)

	e := &env{wx: newFakeWeChat(t), rdb: rdb, prefix: "xuewu:test:" + randomHex() + ":",
		logs: &syncBuffer{}}
	t.Cleanup(func() { deleteKeys(rdb, e.prefix) })
	return e
}

// client builds a client of the fake, as another instance of xuewu would.
func (e *env) client(t *testing.T) *wechat.Client {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: appSecret, Token: "tk",
		APIBase: e.wx.srv.URL, KeyPrefix: e.prefix}, e.rdb, log)
	require.NoError(t, err)
	return c
}

func deleteKeys(rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	keys, _ := rdb.Keys(ctx, prefix+"*").Result()
	if len(keys) > 0 {
		_ = rdb.Del(ctx, keys...).Err()
	}
}

func randomHex() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
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

// requireNoSecrets checks that nothing secret or personal reached the logs.
func (e *env) requireNoSecrets(t *testing.T) {
	t.Helper()
	logs := e.logs.String()
	for _, s := range []string{"tok-", appSecret, openID} {
		require.NotContains(t, logs, s)
	}
}

func TestTokenSharedByInstances(t *testing.T) {
	t.Parallel()
	e := setup(t)
	a, b := e.client(t), e.client(t)

	require.NoError(t, a.SendText(t.Context(), openID, "你好"))
	require.NoError(t, b.SendText(t.Context(), openID, "再见"))

	require.Equal(t, 1, e.wx.tokenCount(), "the token is fetched once")
	sends := e.wx.sent()
	require.Len(t, sends, 2)
	for _, s := range sends {
		require.Equal(t, "tok-1", s.Token)
	}
	require.Equal(t, map[string]any{"touser": openID, "msgtype": "text",
		"text": map[string]any{"content": "你好"}}, sends[0].Body)
	e.requireNoSecrets(t)
}

func TestSendRetriesOnceWithNewToken(t *testing.T) {
	t.Parallel()
	for _, code := range []int{wechat.CodeInvalidToken, wechat.CodeTokenExpired} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.wx.sendCodes = []int{code, 0}
			c := e.client(t)

			require.NoError(t, c.SendText(t.Context(), openID, "你好"))

			sends := e.wx.sent()
			require.Len(t, sends, 2)
			require.Equal(t, "tok-1", sends[0].Token)
			require.Equal(t, "tok-2", sends[1].Token, "the retry uses a new token")
			require.NoError(t, c.SendText(t.Context(), openID, "再次"))
			require.Equal(t, "tok-2", e.wx.sent()[2].Token, "the new token is cached")
			require.Equal(t, 2, e.wx.tokenCount())
			e.requireNoSecrets(t)
		})
	}
}

func TestSendRetriesOnlyOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.wx.sendCodes = []int{wechat.CodeInvalidToken, wechat.CodeInvalidToken, 0}
	c := e.client(t)

	err := c.SendText(t.Context(), openID, "你好")

	var ae *wechat.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, wechat.CodeInvalidToken, ae.Code)
	require.Len(t, e.wx.sent(), 2)
}

func TestSendRefusalsAreTypedAndNotRetried(t *testing.T) {
	t.Parallel()
	codes := []int{wechat.CodeUnsubscribed, wechat.CodeAPILimit, wechat.CodeReplyWindow}
	for _, code := range codes {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			e.wx.sendCodes = []int{code, 0}
			c := e.client(t)

			err := c.SendText(t.Context(), openID, "你好")

			var ae *wechat.APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, code, ae.Code)
			require.Len(t, e.wx.sent(), 1, "no retry")
			require.Equal(t, 1, e.wx.tokenCount())
			require.NotContains(t, err.Error(), openID, "the openid is masked")
			require.Contains(t, err.Error(), wechat.MaskOpenID(openID))
		})
	}
}

func TestSendHTTPErrorNamesNoToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.wx.status = http.StatusBadGateway
	c := e.client(t)

	err := c.SendText(t.Context(), openID, "你好")

	require.Error(t, err)
	require.Contains(t, err.Error(), "HTTP 502")
	require.NotContains(t, err.Error(), "tok-")
}

func TestTokenRefusedByWeChat(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: "wrong-secret",
		APIBase: e.wx.srv.URL, KeyPrefix: e.prefix}, e.rdb, nil)
	require.NoError(t, err)

	err = c.SendText(t.Context(), openID, "你好")

	var ae *wechat.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 40125, ae.Code)
	require.NotContains(t, err.Error(), "wrong-secret")
	require.Empty(t, e.wx.sent())
}

func TestMedia(t *testing.T) {
	t.Parallel()
	e := setup(t)
	photo := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{7}, 1000)...)
	e.wx.media["m-photo"] = photo
	e.wx.media["m-huge"] = make([]byte, wechat.MaxMediaBytes+1)
	c := e.client(t)

	data, ctype, err := c.Media(t.Context(), "m-photo")
	require.NoError(t, err)
	require.Equal(t, photo, data)
	require.Equal(t, "image/jpeg", ctype)

	_, _, err = c.Media(t.Context(), "m-unknown")
	var ae *wechat.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 40007, ae.Code)

	_, _, err = c.Media(t.Context(), "m-huge")
	require.ErrorIs(t, err, wechat.ErrMediaTooLarge)
	require.Equal(t, 1, e.wx.tokenCount())
}

func TestTokenKeptUnderPrefix(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := e.client(t)

	require.NoError(t, c.SendText(t.Context(), openID, "你好"))

	keys, err := e.rdb.Keys(t.Context(), e.prefix+"*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 1)
	ttl, err := e.rdb.TTL(t.Context(), keys[0]).Result()
	require.NoError(t, err)
	require.Positive(t, ttl)
}

func TestNewChecksConfig(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() { _ = rdb.Close() })
	good := wechat.Config{AppID: appID, AppSecret: appSecret}
	tests := []struct {
		name string
		edit func(*wechat.Config)
		want string
	}{
		{"no app ID", func(c *wechat.Config) { c.AppID = "" }, "AppID"},
		{"no secret", func(c *wechat.Config) { c.AppSecret = "" }, "AppSecret"},
		{"short AES key", func(c *wechat.Config) { c.AESKey = "abc" }, "AESKey"},
		{"API base not a URL", func(c *wechat.Config) { c.APIBase = "api.local" }, "APIBase"},
		{"open base with query", func(c *wechat.Config) { c.OpenBase = "http://h/?a=1" },
			"OpenBase"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			tc.edit(&cfg)
			_, err := wechat.New(cfg, rdb, nil)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestAuthorizeURL(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: appSecret,
		APIBase: e.wx.srv.URL, OpenBase: "http://open.local/", KeyPrefix: e.prefix}, e.rdb, nil)
	require.NoError(t, err)

	got := c.AuthorizeURL("https://xuewu.example/h5/approve?id=7", "s1")

	require.True(t, strings.HasPrefix(got, "http://open.local/connect/oauth2/authorize?"), got)
	require.Contains(t, got, "appid="+appID)
	require.Contains(t, got, "redirect_uri=https%3A%2F%2Fxuewu.example%2Fh5%2Fapprove%3Fid%3D7")
	require.Contains(t, got, "scope=snsapi_base")
	require.True(t, strings.HasSuffix(got, "#wechat_redirect"))
}

func TestMaskOpenID(t *testing.T) {
	t.Parallel()
	require.Equal(t, "oUse…", wechat.MaskOpenID(openID))
	require.Equal(t, "…", wechat.MaskOpenID("abc"))
	require.Equal(t, "…", wechat.MaskOpenID(""))
}

func TestSendCanceled(t *testing.T) {
	t.Parallel()
	e := setup(t)
	c := e.client(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	err := c.SendText(ctx, openID, "你好")

	require.ErrorIs(t, err, context.Canceled)
	require.False(t, errors.Is(err, context.DeadlineExceeded))
}
