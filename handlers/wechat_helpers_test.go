package handlers_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/officialaccount"
	oaconfig "github.com/silenceper/wechat/v2/officialaccount/config"
	"github.com/silenceper/wechat/v2/util"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/handlers"
	"github.com/imut/xuewu/models/modelstest"
)

// The official account of the callback tests.
const (
	wxAppID   = "wx4a5b6c7d8e9f0a1b"
	wxToken   = "xuewu-callback-token"
	wxAESKey  = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	wxAccount = "gh_4a5b6c7d8e9f"
	// wxOpenID is the sender of the messages in testdata/wechat.
	wxOpenID = "oStu_2023150101_abcdefghij"
)

// fakeConversation records the messages it is given and answers reply,
// or err, or panics; with release set it waits for it to close first.
type fakeConversation struct {
	reply   string
	err     error
	panics  bool
	release chan struct{}

	mu   sync.Mutex
	msgs []bot.Message
}

func (f *fakeConversation) Handle(_ context.Context, m bot.Message) (string, error) {
	f.mu.Lock()
	f.msgs = append(f.msgs, m)
	f.mu.Unlock()
	if f.release != nil {
		<-f.release
	}
	if f.panics {
		panic("conversation broke")
	}
	return f.reply, f.err
}

func (f *fakeConversation) messages() []bot.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bot.Message(nil), f.msgs...)
}

// sentText is one customer-service message the fake messenger was given.
type sentText struct {
	openID, text string
}

// fakeMessenger passes what it sends on a channel and fails with err.
type fakeMessenger struct {
	sent chan sentText
	err  error
}

func (f *fakeMessenger) SendText(_ context.Context, openID, text string) error {
	f.sent <- sentText{openID: openID, text: text}
	return f.err
}

// callbackEnv is a WeChat callback under test with its fakes.
type callbackEnv struct {
	conv  *fakeConversation
	msgr  *fakeMessenger
	clock *clock
	logs  *logBuffer
	cb    *handlers.WeChatCallback
	token string
	tb    testing.TB
}

// callbackOpts change the account and the configuration of the callback.
type callbackOpts struct {
	token, aesKey string
	edit          func(*handlers.CallbackConfig)
}

// setupCallback builds a callback in plain mode, or in safe mode with
// withAESKey.
func setupCallback(t testing.TB, opts ...func(*callbackOpts)) *callbackEnv {
	t.Helper()
	o := callbackOpts{token: wxToken}
	for _, f := range opts {
		f(&o)
	}
	e := &callbackEnv{
		conv:  &fakeConversation{reply: "好的"},
		msgr:  &fakeMessenger{sent: make(chan sentText, 4)},
		clock: modelstest.NewClock(cst(2025, 3, 3, 10, 0)),
		logs:  &logBuffer{},
		token: o.token,
		tb:    t,
	}
	cfg := handlers.CallbackConfig{
		Account:      newAccount(o.token, o.aesKey),
		Conversation: e.conv,
		Messenger:    e.msgr,
		Logger:       newLogger(e.logs),
		Now:          e.clock.Now,
	}
	if o.edit != nil {
		o.edit(&cfg)
	}
	cb, err := handlers.NewWeChatCallback(cfg)
	require.NoError(t, err)
	e.cb = cb
	return e
}

func newAccount(token, aesKey string) *officialaccount.OfficialAccount {
	return officialaccount.NewOfficialAccount(&oaconfig.Config{AppID: wxAppID,
		AppSecret: "unused", Token: token, EncodingAESKey: aesKey, Cache: cache.NewMemory()})
}

func withToken(token string) func(*callbackOpts) {
	return func(o *callbackOpts) { o.token = token }
}

func withAESKey(o *callbackOpts) { o.aesKey = wxAESKey }

func withConfig(edit func(*handlers.CallbackConfig)) func(*callbackOpts) {
	return func(o *callbackOpts) { o.edit = edit }
}

// signed returns the query WeChat sends at t: timestamp, nonce and their
// signature with the env's token.
func (e *callbackEnv) signed(t time.Time) url.Values {
	ts := strconv.FormatInt(t.Unix(), 10)
	nonce := "1415926535"
	return url.Values{"timestamp": {ts}, "nonce": {nonce},
		"signature": {util.Signature(e.token, ts, nonce)}, "openid": {wxOpenID}}
}

// sealed encrypts a message for safe mode: the envelope WeChat posts and
// the query with its msg_signature.
func (e *callbackEnv) sealed(plain []byte) (url.Values, []byte) {
	e.tb.Helper()
	enc, err := util.EncryptMsg([]byte("0123456789abcdef"), plain, wxAppID, wxAESKey)
	require.NoError(e.tb, err)
	q := e.signed(e.clock.Now())
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", util.Signature(e.token, q.Get("timestamp"), q.Get("nonce"),
		string(enc)))
	body := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName>"+
		"<Encrypt><![CDATA[%s]]></Encrypt></xml>", wxAccount, enc)
	return q, []byte(body)
}

// serve sends a request with the query and body to the callback.
func (e *callbackEnv) serve(t *testing.T, method string, q url.Values,
	body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, "/wechat?"+q.Encode(),
		bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/xml")
	rec := httptest.NewRecorder()
	e.cb.ServeHTTP(rec, req)
	return rec
}

// postPlain posts a plain-mode message signed now.
func (e *callbackEnv) postPlain(t *testing.T, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	return e.serve(t, http.MethodPost, e.signed(e.clock.Now()), body)
}

// postSafe posts a message encrypted for safe mode.
func (e *callbackEnv) postSafe(t *testing.T, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	c := *e // sealed reports to this test, not the one that built e
	c.tb = t
	q, env := c.sealed(body)
	return e.serve(t, http.MethodPost, q, env)
}

// textReply is a passive text reply.
type textReply struct {
	ToUserName   string `xml:"ToUserName"`
	FromUserName string `xml:"FromUserName"`
	CreateTime   int64  `xml:"CreateTime"`
	MsgType      string `xml:"MsgType"`
	Content      string `xml:"Content"`
}

func parseTextReply(t *testing.T, body []byte) textReply {
	t.Helper()
	var r textReply
	require.NoError(t, xml.Unmarshal(body, &r), string(body))
	return r
}

// openSafeReply checks the msg_signature of an encrypted reply and
// decrypts it.
func openSafeReply(t *testing.T, body []byte) textReply {
	t.Helper()
	var env struct {
		Encrypt      string `xml:"Encrypt"`
		MsgSignature string `xml:"MsgSignature"`
		TimeStamp    string `xml:"TimeStamp"`
		Nonce        string `xml:"Nonce"`
	}
	require.NoError(t, xml.Unmarshal(body, &env), string(body))
	require.NotEmpty(t, env.Encrypt)
	require.Equal(t, util.Signature(wxToken, env.TimeStamp, env.Nonce, env.Encrypt),
		env.MsgSignature)
	_, plain, err := util.DecryptMsg(wxAppID, env.Encrypt, wxAESKey)
	require.NoError(t, err)
	return parseTextReply(t, plain)
}

// payload reads a recorded callback payload from testdata/wechat.
func payload(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "wechat", name))
	require.NoError(t, err)
	return b
}
