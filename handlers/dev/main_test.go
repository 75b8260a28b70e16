package dev_test

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/handlers/dev"
	"github.com/imut/xuewu/models"
	"github.com/imut/xuewu/models/modelstest"
	"github.com/imut/xuewu/notify/wechat"
)

// The demo official account of the tests.
const (
	appID     = "wxdemo-test"
	appSecret = "demo-test-secret"
	token     = "demo-test-token"
)

// env is one test's simulator: the seeded school on an embedded store,
// the real bot behind the real callback, the WeChat client of
// notify/wechat pointed at the simulator's fake, all on one server.
type env struct {
	t     *testing.T
	store *models.Store
	sim   *dev.Simulator
	wx    *wechat.Client
	srv   *httptest.Server
	// browser is a client with a cookie jar, which does not follow
	// redirects.
	browser *http.Client
	csrf    string
}

// setup starts the simulator over a fresh embedded store with the seeded
// school, whose secrets the simulator knows.
func setup(t *testing.T) *env {
	t.Helper()
	return setupWith(t, nil)
}

// setupWith is setup with the simulator's configuration changed by edit.
func setupWith(t *testing.T, edit func(*dev.Config)) *env {
	t.Helper()
	e := &env{t: t, store: modelstest.NewEmbeddedStore(t)}
	modelstest.Seed(t, e.store)

	handler := http.NotFoundHandler()
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)

	rdb := redis.NewClient(&redis.Options{Addr: miniredis.RunT(t).Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	wx, err := wechat.New(wechat.Config{AppID: appID, AppSecret: appSecret, Token: token,
		APIBase: e.srv.URL + dev.FakePath, OpenBase: e.srv.URL + dev.FakePath}, rdb, nil)
	require.NoError(t, err)
	e.wx = wx
	chat := bot.New(bot.Config{Store: e.store, Redis: rdb, PublicURL: e.srv.URL})
	callback, err := handlers.NewWeChatCallback(handlers.CallbackConfig{
		Account: wx.OfficialAccount(), Conversation: chat, Messenger: wx})
	require.NoError(t, err)

	secrets := maps.Clone(modelstest.StudentIDs)
	maps.Copy(secrets, modelstest.ActivationCodes)
	cfg := dev.Config{Store: e.store, Callback: callback, AppID: appID,
		AppSecret: appSecret, Token: token, PublicURL: e.srv.URL, Secrets: secrets,
		Menu: []dev.MenuButton{{Name: "我的申请", Key: bot.MenuMine}}}
	if edit != nil {
		edit(&cfg)
	}
	e.sim, err = dev.New(cfg)
	require.NoError(t, err)
	handler = e.sim

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	e.browser = &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return e
}

// response is what one request got.
type response struct {
	code   int
	header http.Header
	body   string
}

// do sends a request from the browser.
func (e *env) do(req *http.Request) response {
	e.t.Helper()
	resp, err := e.browser.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return response{code: resp.StatusCode, header: resp.Header, body: string(body)}
}

// get fetches a path of the server.
func (e *env) get(path string) response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodGet, e.srv.URL+path, nil)
	require.NoError(e.t, err)
	return e.do(req)
}

// csrfRe finds the page's CSRF token.
var csrfRe = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

// open loads the simulator's page and keeps its CSRF token.
func (e *env) open() string {
	e.t.Helper()
	res := e.get(dev.Prefix + "/")
	require.Equal(e.t, http.StatusOK, res.code, res.body)
	m := csrfRe.FindStringSubmatch(res.body)
	require.NotNil(e.t, m, "the page has a CSRF token")
	e.csrf = m[1]
	return res.body
}

// post sends a form as the page's script does: the token in a header,
// the Origin of the server.
func (e *env) post(path string, form url.Values) response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.srv.URL+path,
		strings.NewReader(form.Encode()))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", e.csrf)
	req.Header.Set("Origin", e.srv.URL)
	return e.do(req)
}

// choose puts a person on the simulated phone.
func (e *env) choose(no string) {
	e.t.Helper()
	if e.csrf == "" {
		e.open()
	}
	res := e.post(dev.Prefix+"/person", url.Values{"no": {no}})
	require.Equal(e.t, http.StatusSeeOther, res.code, res.body)
}

// say sends a text message from the person on the phone.
func (e *env) say(text string) {
	e.t.Helper()
	res := e.post(dev.Prefix+"/api/say", url.Values{"text": {text}})
	require.Equal(e.t, http.StatusOK, res.code, res.body)
}

// chatMessage is a message of the poll's answer.
type chatMessage struct {
	Seq   int64  `json:"seq"`
	Mine  bool   `json:"mine"`
	Kind  string `json:"kind"`
	Photo string `json:"photo"`
	Parts []struct {
		Text string `json:"text"`
		Href string `json:"href"`
	} `json:"parts"`
	Card *struct {
		Title  string   `json:"title"`
		Lines  []string `json:"lines"`
		Remark string   `json:"remark"`
		Href   string   `json:"href"`
	} `json:"card"`
}

// text is the message's text, links included.
func (m chatMessage) text() string {
	var sb strings.Builder
	for _, p := range m.Parts {
		sb.WriteString(p.Text)
	}
	return sb.String()
}

// chat returns the chat of the person on the phone, as the page polls it.
func (e *env) chat() ([]chatMessage, bool) {
	e.t.Helper()
	res := e.get(dev.Prefix + "/api/messages?after=0")
	require.Equal(e.t, http.StatusOK, res.code, res.body)
	var ans struct {
		Messages []chatMessage `json:"messages"`
		Bound    bool          `json:"bound"`
	}
	require.NoError(e.t, json.Unmarshal([]byte(res.body), &ans))
	return ans.Messages, ans.Bound
}

// last returns the last message of the chat.
func (e *env) last() chatMessage {
	e.t.Helper()
	msgs, _ := e.chat()
	require.NotEmpty(e.t, msgs)
	return msgs[len(msgs)-1]
}
