package wechat_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/notify/wechat"
)

const (
	miniAppID     = "wxmini0123456789"
	miniAppSecret = "mini-s3cr3t-never-logged"
	miniOpenID    = "oMini1234567890abcdefghij"
	goodCode      = "081-good_code-x"
)

// fakeMini is the mini-program's side of a fake WeChat: the stable token,
// code2session and the subscribe-message send.
type fakeMini struct {
	srv *httptest.Server

	mu     sync.Mutex
	tokens int
	// logins records the query of each code2session call.
	logins []url.Values
	// sendCodes are the errcodes of the coming sends; 0 once used up.
	sendCodes []int
	sends     []sent
}

func newFakeMini(t *testing.T) *fakeMini {
	t.Helper()
	f := &fakeMini{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /cgi-bin/stable_token", f.stableToken)
	mux.HandleFunc("GET /sns/jscode2session", f.code2session)
	mux.HandleFunc("POST /cgi-bin/message/subscribe/send", f.send)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeMini) stableToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AppID  string `json:"appid"`
		Secret string `json:"secret"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	if req.AppID != miniAppID || req.Secret != miniAppSecret {
		writeJSON(w, map[string]any{"errcode": 40125, "errmsg": "invalid appsecret"})
		return
	}
	f.mu.Lock()
	f.tokens++
	tok := fmt.Sprintf("mtok-%d", f.tokens)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": 7200})
}

func (f *fakeMini) code2session(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	f.logins = append(f.logins, q)
	f.mu.Unlock()
	switch {
	case q.Get("appid") != miniAppID || q.Get("secret") != miniAppSecret:
		writeJSON(w, map[string]any{"errcode": 40013, "errmsg": "invalid appid"})
	case q.Get("js_code") == "boom-code":
		w.WriteHeader(http.StatusInternalServerError)
	case q.Get("js_code") != goodCode:
		writeJSON(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
	default:
		writeJSON(w, map[string]any{"openid": miniOpenID, "session_key": "sk-secret",
			"unionid": "u-1"})
	}
}

func (f *fakeMini) send(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var body map[string]any
	_ = json.NewDecoder(r.Body).Decode(&body)
	f.sends = append(f.sends, sent{Token: r.URL.Query().Get("access_token"), Body: body})
	code := 0
	if len(f.sendCodes) > 0 {
		code, f.sendCodes = f.sendCodes[0], f.sendCodes[1:]
	}
	writeJSON(w, map[string]any{"errcode": code, "errmsg": fmt.Sprintf("code %d", code)})
}

func (f *fakeMini) sent() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sent(nil), f.sends...)
}

// miniClient builds a mini-program client of the fake, logging into the
// env's logs.
func (e *env) miniClient(t *testing.T, f *fakeMini) *wechat.MiniClient {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := wechat.NewMini(wechat.MiniConfig{AppID: miniAppID, AppSecret: miniAppSecret,
		APIBase: f.srv.URL, KeyPrefix: e.prefix}, e.rdb, log)
	require.NoError(t, err)
	return c
}

func TestCode2Session(t *testing.T) {
	t.Parallel()
	e, f := setup(t), newFakeMini(t)
	c := e.miniClient(t, f)

	got, err := c.Code2Session(t.Context(), goodCode)

	require.NoError(t, err)
	require.Equal(t, miniOpenID, got)
	require.Len(t, f.logins, 1)
	q := f.logins[0]
	require.Equal(t, miniAppID, q.Get("appid"))
	require.Equal(t, goodCode, q.Get("js_code"))
	require.Equal(t, "authorization_code", q.Get("grant_type"))
}

func TestCode2SessionFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		code    string
		refused bool
		calls   int
	}{
		{"invalid code", "081-stale", true, 1},
		{"server error", "boom-code", false, 1},
		{"malformed code", "a&secret=x", false, 0},
		{"empty code", "", false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, f := setup(t), newFakeMini(t)
			c := e.miniClient(t, f)

			_, err := c.Code2Session(t.Context(), tc.code)

			require.Error(t, err)
			var ae *wechat.APIError
			require.Equal(t, tc.refused, errors.As(err, &ae) && ae.CodeRefused(), err)
			require.Len(t, f.logins, tc.calls)
			require.NotContains(t, err.Error(), miniAppSecret)
			if tc.code != "" {
				require.NotContains(t, err.Error(), tc.code)
			}
		})
	}
}

func TestSendSubscribe(t *testing.T) {
	t.Parallel()
	e, f := setup(t), newFakeMini(t)
	c := e.miniClient(t, f)

	err := c.SendSubscribe(t.Context(), miniOpenID, wechat.Subscribe{TemplateID: "tpl-1",
		Page: "pages/request/detail?id=7", Data: map[string]string{"thing1": "已通过"}})

	require.NoError(t, err)
	sends := f.sent()
	require.Len(t, sends, 1)
	require.Equal(t, "mtok-1", sends[0].Token)
	require.Equal(t, map[string]any{"touser": miniOpenID, "template_id": "tpl-1",
		"page": "pages/request/detail?id=7", "lang": "zh_CN",
		"data": map[string]any{"thing1": map[string]any{"value": "已通过"}}}, sends[0].Body)
	require.NotContains(t, e.logs.String(), miniAppSecret)
	require.NotContains(t, e.logs.String(), "mtok-")
}

func TestSendSubscribeRefusedIsPermanent(t *testing.T) {
	t.Parallel()
	e, f := setup(t), newFakeMini(t)
	f.sendCodes = []int{43101, 0}
	c := e.miniClient(t, f)

	err := c.SendSubscribe(t.Context(), miniOpenID, wechat.Subscribe{TemplateID: "tpl-1",
		Data: map[string]string{"thing1": "x"}})

	var ae *wechat.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, 43101, ae.Code)
	require.True(t, ae.Permanent())
	require.Len(t, f.sent(), 1, "no retry")
	require.NotContains(t, err.Error(), miniOpenID)
}

func TestSendSubscribeRefreshesRejectedToken(t *testing.T) {
	t.Parallel()
	e, f := setup(t), newFakeMini(t)
	f.sendCodes = []int{wechat.CodeTokenExpired, 0}
	c := e.miniClient(t, f)

	err := c.SendSubscribe(t.Context(), miniOpenID, wechat.Subscribe{TemplateID: "tpl-1",
		Data: map[string]string{"thing1": "x"}})

	require.NoError(t, err)
	sends := f.sent()
	require.Len(t, sends, 2)
	require.Equal(t, "mtok-1", sends[0].Token)
	require.Equal(t, "mtok-2", sends[1].Token)
}

func TestMiniAndOfficialTokensKeptApart(t *testing.T) {
	t.Parallel()
	e, f := setup(t), newFakeMini(t)
	oa, mini := e.client(t), e.miniClient(t, f)

	require.NoError(t, oa.SendText(t.Context(), openID, "你好"))
	require.NoError(t, mini.SendSubscribe(t.Context(), miniOpenID, wechat.Subscribe{
		TemplateID: "tpl-1", Data: map[string]string{"thing1": "x"}}))

	require.Equal(t, "tok-1", e.wx.sent()[0].Token)
	require.Equal(t, "mtok-1", f.sent()[0].Token)
	keys, err := e.rdb.Keys(t.Context(), e.prefix+"*").Result()
	require.NoError(t, err)
	require.Len(t, keys, 2, "one token per app under the shared prefix")
}

func TestNewMiniChecksConfig(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, err := wechat.NewMini(wechat.MiniConfig{AppID: miniAppID}, e.rdb, nil)
	require.ErrorContains(t, err, "AppSecret")
	_, err = wechat.NewMini(wechat.MiniConfig{AppID: miniAppID, AppSecret: "s"}, nil, nil)
	require.ErrorContains(t, err, "Redis")
	_, err = wechat.NewMini(wechat.MiniConfig{AppID: miniAppID, AppSecret: "s",
		APIBase: "nohost"}, e.rdb, nil)
	require.ErrorContains(t, err, "APIBase")
}
