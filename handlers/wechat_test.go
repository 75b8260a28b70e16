package handlers_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/bot"
	"github.com/imut/xuewu/handlers"
)

// waitLimit bounds every wait on a background event in these tests.
const waitLimit = 5 * time.Second

func TestWeChatCallbackPassesMessages(t *testing.T) {
	t.Parallel()
	from := func(m bot.Message) bot.Message {
		m.OpenID = wxOpenID
		return m
	}
	tests := []struct {
		file string
		want bot.Message
	}{
		{"text.xml", from(bot.Message{MsgID: 24876543210987654, CreateTime: 1740967200,
			Type: bot.MsgText, Content: "我要办理缓考"})},
		{"image.xml", from(bot.Message{MsgID: 24876543210987655, CreateTime: 1740967260,
			Type: bot.MsgImage, MediaID: "MEDIA_hospital_certificate_01",
			PicURL: "http://mmbiz.qpic.cn/mmbiz_jpg/evidence/0"})},
		{"voice.xml", from(bot.Message{MsgID: 24876543210987656, CreateTime: 1740967300,
			Type: bot.MsgVoice, MediaID: "MEDIA_voice_01", Content: "我的申请"})},
		{"shortvideo.xml", from(bot.Message{MsgID: 24876543210987657, CreateTime: 1740967320,
			Type: bot.MsgVideo, MediaID: "MEDIA_video_01"})},
		{"location.xml", from(bot.Message{MsgID: 24876543210987658, CreateTime: 1740967340,
			Type: bot.MsgLocation})},
		{"link.xml", from(bot.Message{MsgID: 24876543210987659, CreateTime: 1740967360,
			Type: "link"})},
		{"event_subscribe.xml", from(bot.Message{CreateTime: 1740967380, Type: bot.MsgEvent,
			Event: "subscribe"})},
		{"event_click.xml", from(bot.Message{CreateTime: 1740967400, Type: bot.MsgEvent,
			Event: "CLICK", EventKey: "MY_REQUESTS"})},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			e := setupCallback(t)

			rec := e.postPlain(t, payload(t, tc.file))

			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Equal(t, []bot.Message{tc.want}, e.conv.messages())
			require.Contains(t, rec.Header().Get("Content-Type"), "xml")
			got := parseTextReply(t, rec.Body.Bytes())
			require.Equal(t, textReply{ToUserName: wxOpenID, FromUserName: wxAccount,
				CreateTime: e.clock.Now().Unix(), MsgType: "text", Content: "好的"}, got)
		})
	}
}

func TestWeChatCallbackSafeMode(t *testing.T) {
	t.Parallel()
	e := setupCallback(t, withAESKey)

	rec := e.postSafe(t, payload(t, "text.xml"))

	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	msgs := e.conv.messages()
	require.Len(t, msgs, 1)
	require.Equal(t, "我要办理缓考", msgs[0].Content)
	require.NotContains(t, rec.Body.String(), "好的", "the reply is encrypted")
	got := openSafeReply(t, rec.Body.Bytes())
	require.Equal(t, textReply{ToUserName: wxOpenID, FromUserName: wxAccount,
		CreateTime: e.clock.Now().Unix(), MsgType: "text", Content: "好的"}, got)
}

func TestWeChatCallbackEmptyReplyIsSuccess(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"plain", "safe"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			e := setupCallback(t, modeOpts(mode)...)
			e.conv.reply = ""

			var rec *httptest.ResponseRecorder
			if mode == "safe" {
				rec = e.postSafe(t, payload(t, "event_subscribe.xml"))
			} else {
				rec = e.postPlain(t, payload(t, "event_subscribe.xml"))
			}

			require.Equal(t, http.StatusOK, rec.Code)
			require.Equal(t, "success", rec.Body.String())
			require.Len(t, e.conv.messages(), 1)
		})
	}
}

// callbackRequest is a request to the callback: method, query and body.
type callbackRequest struct {
	method string
	query  url.Values
	body   []byte
}

func post(q url.Values, body []byte) callbackRequest {
	return callbackRequest{http.MethodPost, q, body}
}

func TestWeChatCallbackRefuses(t *testing.T) {
	t.Parallel()
	text := payload(t, "text.xml")
	now := cst(2025, 3, 3, 10, 0)
	safeMode := []func(*callbackOpts){withAESKey}
	without := func(q url.Values, name string) url.Values {
		q.Del(name)
		return q
	}
	with := func(q url.Values, name, value string) url.Values {
		q.Set(name, value)
		return q
	}
	tests := []struct {
		name    string
		opts    []func(*callbackOpts)
		request func(e *callbackEnv) callbackRequest
		status  int
	}{
		{"bad signature", nil, func(e *callbackEnv) callbackRequest {
			return post(with(e.signed(now), "signature", strings.Repeat("0", 40)), text)
		}, http.StatusForbidden},
		{"signature of another token", nil, func(e *callbackEnv) callbackRequest {
			e.token = "another-token"
			return post(e.signed(now), text)
		}, http.StatusForbidden},
		{"no signature", nil, func(e *callbackEnv) callbackRequest {
			return post(without(e.signed(now), "signature"), text)
		}, http.StatusForbidden},
		{"no token configured", []func(*callbackOpts){withToken("")},
			func(e *callbackEnv) callbackRequest {
				return post(e.signed(now), text) // signed with the empty token
			}, http.StatusInternalServerError},
		{"timestamp 6 minutes old", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now.Add(-6*time.Minute)), text)
		}, http.StatusForbidden},
		{"timestamp 6 minutes ahead", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now.Add(6*time.Minute)), text)
		}, http.StatusForbidden},
		{"no timestamp", nil, func(e *callbackEnv) callbackRequest {
			return post(without(e.signed(now), "timestamp"), text)
		}, http.StatusForbidden},
		{"body of 65 KB", nil, func(e *callbackEnv) callbackRequest {
			body := bytes.Replace(text, []byte("我要办理缓考"),
				bytes.Repeat([]byte("x"), 65*1024), 1)
			return post(e.signed(now), body)
		}, http.StatusRequestEntityTooLarge},
		{"malformed XML", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now), []byte("<xml><FromUserName>oStu"))
		}, http.StatusBadRequest},
		{"not XML", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now), []byte(`{"FromUserName":"oStu","MsgType":"text"}`))
		}, http.StatusBadRequest},
		{"another root element", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now), bytes.ReplaceAll(text, []byte("xml>"), []byte("msg>")))
		}, http.StatusBadRequest},
		{"no sender", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now), []byte("<xml><MsgType>text</MsgType></xml>"))
		}, http.StatusBadRequest},
		{"no type", nil, func(e *callbackEnv) callbackRequest {
			return post(e.signed(now), []byte("<xml><FromUserName>oStu</FromUserName></xml>"))
		}, http.StatusBadRequest},
		{"bad msg_signature", safeMode, func(e *callbackEnv) callbackRequest {
			q, body := e.sealed(text)
			return post(with(q, "msg_signature", strings.Repeat("a", 40)), body)
		}, http.StatusForbidden},
		{"bad signature in safe mode", safeMode,
			func(e *callbackEnv) callbackRequest {
				q, body := e.sealed(text)
				return post(with(q, "signature", strings.Repeat("0", 40)), body)
			}, http.StatusForbidden},
		{"no msg_signature", safeMode, func(e *callbackEnv) callbackRequest {
			q, body := e.sealed(text)
			return post(without(q, "msg_signature"), body)
		}, http.StatusForbidden},
		{"tampered ciphertext", safeMode, func(e *callbackEnv) callbackRequest {
			q, body := e.sealed(text)
			i := bytes.Index(body, []byte("<Encrypt><![CDATA[")) + len("<Encrypt><![CDATA[")
			body[i] ^= 1 // another base64 letter
			return post(q, body)
		}, http.StatusForbidden},
		{"encrypted body without Encrypt", safeMode, func(e *callbackEnv) callbackRequest {
			q, _ := e.sealed(text)
			return post(q, text)
		}, http.StatusBadRequest},
		{"safe mode without an AES key", nil, func(e *callbackEnv) callbackRequest {
			return post(e.sealed(text))
		}, http.StatusBadRequest},
		{"plain message in safe mode", safeMode,
			func(e *callbackEnv) callbackRequest {
				return post(e.signed(now), text)
			}, http.StatusForbidden},
		{"unknown encrypt_type", nil, func(e *callbackEnv) callbackRequest {
			return post(with(e.signed(now), "encrypt_type", "rot13"), text)
		}, http.StatusBadRequest},
		{"PUT", nil, func(e *callbackEnv) callbackRequest {
			return callbackRequest{http.MethodPut, e.signed(now), text}
		}, http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setupCallback(t, tc.opts...)
			req := tc.request(e)

			rec := e.serve(t, req.method, req.query, req.body)

			require.Equal(t, tc.status, rec.Code, rec.Body.String())
			require.Empty(t, e.conv.messages(), "the conversation is not called")
			require.NotContains(t, rec.Body.String(), "success")
			require.Contains(t, e.logs.String(), "wechat callback refused")
			requireQuietLogs(t, e)
		})
	}
}

// requireQuietLogs checks that no token, body or full openid was logged.
func requireQuietLogs(t *testing.T, e *callbackEnv) {
	t.Helper()
	logs := e.logs.String()
	for _, s := range []string{wxToken, wxAESKey, wxOpenID, "我要办理缓考", "好的"} {
		require.NotContains(t, logs, s)
	}
}

func TestWeChatCallbackEcho(t *testing.T) {
	t.Parallel()
	now := cst(2025, 3, 3, 10, 0)
	tests := []struct {
		name   string
		opts   []func(*callbackOpts)
		query  func(e *callbackEnv) map[string][]string
		status int
		body   string
	}{
		{"verified", nil, func(e *callbackEnv) map[string][]string {
			q := e.signed(now)
			q.Set("echostr", "7305186432914")
			return q
		}, http.StatusOK, "7305186432914"},
		{"bad signature", nil, func(e *callbackEnv) map[string][]string {
			q := e.signed(now)
			q.Set("echostr", "7305186432914")
			q.Set("signature", "x")
			return q
		}, http.StatusForbidden, ""},
		{"stale", nil, func(e *callbackEnv) map[string][]string {
			q := e.signed(now.Add(-6 * time.Minute))
			q.Set("echostr", "7305186432914")
			return q
		}, http.StatusForbidden, ""},
		{"no token configured", []func(*callbackOpts){withToken("")},
			func(e *callbackEnv) map[string][]string {
				q := e.signed(now)
				q.Set("echostr", "7305186432914")
				return q
			}, http.StatusInternalServerError, ""},
		{"no echostr", nil, func(e *callbackEnv) map[string][]string {
			return e.signed(now)
		}, http.StatusBadRequest, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setupCallback(t, tc.opts...)

			rec := e.serve(t, http.MethodGet, tc.query(e), nil)

			require.Equal(t, tc.status, rec.Code)
			if tc.body != "" {
				require.Equal(t, tc.body, rec.Body.String())
			}
			require.Empty(t, e.conv.messages())
		})
	}
}

func TestWeChatCallbackLateAnswer(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"plain", "safe"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			e := setupCallback(t, append(modeOpts(mode),
				withConfig(func(c *handlers.CallbackConfig) {
					c.ReplyWindow = 50 * time.Millisecond
				}))...)
			e.conv.release = make(chan struct{})
			e.conv.reply = "已提交，申请号 7"

			var rec *httptest.ResponseRecorder
			if mode == "safe" {
				rec = e.postSafe(t, payload(t, "text.xml"))
			} else {
				rec = e.postPlain(t, payload(t, "text.xml"))
			}

			require.Equal(t, http.StatusOK, rec.Code)
			require.Equal(t, "success", rec.Body.String(), "the window passed")
			select {
			case s := <-e.msgr.sent:
				t.Fatalf("sent %v before the conversation answered", s)
			default:
			}

			close(e.conv.release)
			requireSent(t, e, sentText{openID: wxOpenID, text: "已提交，申请号 7"})
			require.NoError(t, e.cb.Drain(t.Context()))
			require.Contains(t, e.logs.String(), "wechat late answer delivered")
			require.Contains(t, e.logs.String(), `"openid":"oStu…"`)
			require.NotContains(t, e.logs.String(), wxOpenID)
		})
	}
}

// modeOpts are the options of a callback in plain or safe mode.
func modeOpts(mode string) []func(*callbackOpts) {
	if mode == "safe" {
		return []func(*callbackOpts){withAESKey}
	}
	return nil
}

// requireSent waits for the messenger to be given want.
func requireSent(t *testing.T, e *callbackEnv, want sentText) {
	t.Helper()
	select {
	case got := <-e.msgr.sent:
		require.Equal(t, want, got)
	case <-time.After(waitLimit):
		t.Fatal("nothing sent")
	}
}

func TestWeChatCallbackLateDeliveryFails(t *testing.T) {
	t.Parallel()
	e := setupCallback(t, withConfig(func(c *handlers.CallbackConfig) {
		c.ReplyWindow = 20 * time.Millisecond
	}))
	e.conv.release = make(chan struct{})
	e.msgr.err = errors.New("wechat errcode 45015: response out of time limit")

	rec := e.postPlain(t, payload(t, "text.xml"))
	require.Equal(t, "success", rec.Body.String())
	close(e.conv.release)

	requireSent(t, e, sentText{openID: wxOpenID, text: "好的"})
	require.NoError(t, e.cb.Drain(t.Context()))
	require.Contains(t, e.logs.String(), "wechat late answer not delivered")
	requireQuietLogs(t, e)
}

func TestWeChatCallbackConversationFails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*fakeConversation)
	}{
		{"error", func(c *fakeConversation) { c.err = errors.New("database down") }},
		{"panic", func(c *fakeConversation) { c.panics = true }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setupCallback(t)
			tc.edit(e.conv)

			rec := e.postPlain(t, payload(t, "text.xml"))

			require.Equal(t, http.StatusOK, rec.Code)
			got := parseTextReply(t, rec.Body.Bytes())
			require.Contains(t, got.Content, "抱歉")
			require.Contains(t, e.logs.String(), "wechat conversation failed")
			requireQuietLogs(t, e)
		})
	}
}

func TestWeChatCallbackRegister(t *testing.T) {
	t.Parallel()
	e := setupCallback(t)
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	e.cb.Register(r)

	q := e.signed(e.clock.Now())
	req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/wechat?"+q.Encode(),
		bytes.NewReader(payload(t, "text.xml")))
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "好的", parseTextReply(t, rec.Body.Bytes()).Content)

	q.Set("echostr", "42")
	req = httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/wechat?"+q.Encode(), nil)
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, req)
	require.Equal(t, "42", rec.Body.String())
}

func TestNewWeChatCallbackChecksConfig(t *testing.T) {
	t.Parallel()
	good := func() handlers.CallbackConfig {
		return handlers.CallbackConfig{Account: newAccount(wxToken, wxAESKey),
			Conversation: &fakeConversation{}, Messenger: &fakeMessenger{}}
	}
	tests := []struct {
		name string
		edit func(*handlers.CallbackConfig)
		want string
	}{
		{"no account", func(c *handlers.CallbackConfig) { c.Account = nil }, "Account"},
		{"no conversation", func(c *handlers.CallbackConfig) { c.Conversation = nil },
			"Conversation"},
		{"no messenger", func(c *handlers.CallbackConfig) { c.Messenger = nil }, "Messenger"},
		{"bad AES key", func(c *handlers.CallbackConfig) {
			c.Account = newAccount(wxToken, "short")
		}, "AES key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := good()
			tc.edit(&cfg)
			_, err := handlers.NewWeChatCallback(cfg)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
