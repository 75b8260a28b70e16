package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/util"
	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/models/modelstest"
)

// fakeWeChat answers the WeChat API and OAuth page the server calls, and
// records every message sent, by openid.
type fakeWeChat struct {
	srv *httptest.Server
	mu  sync.Mutex
	got map[string][]sentMsg
}

// sentMsg is one template or customer-service message.
type sentMsg struct {
	Title string // the template's "first", or the text
	URL   string
}

func newFakeWeChat(t *testing.T) *fakeWeChat {
	t.Helper()
	f := &fakeWeChat{got: map[string][]sentMsg{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeWeChat) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/connect/oauth2/authorize":
		// The browsing person is named by a test header, as WeChat knows
		// who holds the phone.
		back, _ := url.Parse(r.URL.Query().Get("redirect_uri"))
		q := back.Query()
		q.Set("code", "code-"+r.Header.Get("X-Test-OpenID"))
		q.Set("state", r.URL.Query().Get("state"))
		back.RawQuery = q.Encode()
		http.Redirect(w, r, back.String(), http.StatusFound)
	case "/sns/oauth2/access_token":
		openID := strings.TrimPrefix(r.URL.Query().Get("code"), "code-")
		fmt.Fprintf(w, `{"access_token":"ua","expires_in":7200,"openid":%q,"scope":"snsapi_base"}`,
			openID)
	case "/cgi-bin/token", "/cgi-bin/stable_token":
		_, _ = io.WriteString(w, `{"access_token":"tok-e2e","expires_in":7200}`)
	case "/cgi-bin/message/template/send", "/cgi-bin/message/custom/send":
		f.record(r)
		_, _ = io.WriteString(w, `{"errcode":0,"errmsg":"ok","msgid":1}`)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeWeChat) record(r *http.Request) {
	var m struct {
		ToUser string `json:"touser"`
		URL    string `json:"url"`
		Data   map[string]struct {
			Value string `json:"value"`
		} `json:"data"`
		Text struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	_ = json.NewDecoder(r.Body).Decode(&m)
	msg := sentMsg{Title: m.Data["first"].Value, URL: m.URL}
	if msg.Title == "" {
		msg.Title = m.Text.Content
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got[m.ToUser] = append(f.got[m.ToUser], msg)
}

func (f *fakeWeChat) to(openID string) []sentMsg {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentMsg(nil), f.got[openID]...)
}

// e2e is a running `xuewu serve` on PostgreSQL and Redis with a fake WeChat.
type e2e struct {
	t     *testing.T
	base  string
	wx    *fakeWeChat
	msgID int64
	// tag makes this server's openids its own: tests share one Redis.
	tag string
}

// o returns the openid of a person of this test.
func (e *e2e) o(name string) string { return name + "-" + e.tag }

const e2eToken = "e2e-callback-token"

// startServer runs `xuewu serve` on PostgreSQL and Redis against a fake
// WeChat, with the fixture school imported.
func startServer(t *testing.T) *e2e {
	t.Helper()
	wx := newFakeWeChat(t)
	return startServerWith(t, wx, wx.srv.URL, nil)
}

// startServerWith runs `xuewu serve` with the WeChat API at apiURL (wx
// records what is sent there) and the extra settings given.
func startServerWith(t *testing.T, wx *fakeWeChat, apiURL string, extra map[string]string) *e2e {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	// MsgIds are unique across WeChat; tests share one Redis, so each
	// server's messages, openids and app start from a number of their own.
	stamp := time.Now().UnixNano()
	env := map[string]string{
		"DATABASE_URL": modelstest.NewDatabase(t), "REDIS_URL": "redis://127.0.0.1:6379/0",
		"HTTP_ADDR": addr, "PUBLIC_URL": "http://" + addr,
		"WECHAT_APP_ID": fmt.Sprintf("wxe2e%d", stamp), "WECHAT_APP_SECRET": "s",
		"WECHAT_TOKEN": e2eToken, "WECHAT_API_BASE": apiURL, "WECHAT_OPEN_BASE": apiURL,
		"WECHAT_TEMPLATE_APPROVAL": "tpl-a", "WECHAT_TEMPLATE_PROGRESS": "tpl-p",
		"WECHAT_TEMPLATE_REMINDER": "tpl-r",
	}
	for k, v := range extra {
		env[k] = v
	}
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr output
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, envOf(env), &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	})
	waitFor(t, "the server to listen", 30*time.Second, func() bool {
		return listenAddr(stderr.String()) != ""
	})
	importFixture(t, env)
	return &e2e{t: t, base: "http://" + addr, wx: wx, msgID: stamp, tag: fmt.Sprint(stamp)}
}

// importFixture loads the fixture school with `xuewu import`.
func importFixture(t *testing.T, env map[string]string) {
	t.Helper()
	res := runWith(t, env, "import", "../../models/importer/testdata/school")
	require.Equal(t, exitOK, res.code, res.stderr)
}

// say posts a signed text message as WeChat does and returns the reply.
func (e *e2e) say(openID, text string) string {
	e.t.Helper()
	e.msgID++
	ts := fmt.Sprint(time.Now().Unix())
	q := url.Values{"timestamp": {ts}, "nonce": {"42"},
		"signature": {util.Signature(e2eToken, ts, "42")}}
	body := fmt.Sprintf("<xml><ToUserName>gh_e2e</ToUserName><FromUserName>%s</FromUserName>"+
		"<CreateTime>%s</CreateTime><MsgType>text</MsgType><Content><![CDATA[%s]]></Content>"+
		"<MsgId>%d</MsgId></xml>", openID, ts, text, e.msgID)
	resp, err := http.Post(e.base+"/wechat?"+q.Encode(), "text/xml", strings.NewReader(body))
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, string(b))
	return string(b)
}

// bind binds openID to a student (学号 + ID digits) or staff (工号 + code).
func (e *e2e) bind(openID, no, secret string) {
	e.t.Helper()
	e.say(openID, "绑定")
	e.say(openID, no)
	require.Contains(e.t, e.say(openID, secret), "绑定成功")
}

// browser is one person's phone browser: cookies, and WeChat knowing who.
func (e *e2e) browser(openID string) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: headerTransport{openID}}
}

type headerTransport struct{ openID string }

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Test-OpenID", h.openID)
	return http.DefaultTransport.RoundTrip(r)
}

var (
	csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	stepRe = regexp.MustCompile(`name="step" value="(\d+)"`)
)

// approveFromCard follows the card's link as the approver (through the
// OAuth redirect) and presses 同意.
func (e *e2e) approveFromCard(openID, link string, extra url.Values) string {
	e.t.Helper()
	c := e.browser(openID)
	resp, err := c.Get(link)
	require.NoError(e.t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(e.t, http.StatusOK, resp.StatusCode, string(page))
	require.Contains(e.t, string(page), `value="approve"`, "the approver sees the buttons")

	form := url.Values{"decision": {"approve"}, "comment": {"同意"},
		"csrf": {csrfRe.FindStringSubmatch(string(page))[1]},
		"step": {stepRe.FindStringSubmatch(string(page))[1]}}
	for k, v := range extra {
		form[k] = v
	}
	req, _ := http.NewRequestWithContext(e.t.Context(), http.MethodPost, link,
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.base)
	resp, err = c.Do(req)
	require.NoError(e.t, err)
	after, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(e.t, http.StatusOK, resp.StatusCode, string(after))
	require.NotContains(e.t, string(after), `value="approve"`, "decided: no more buttons")
	return string(after)
}

// card waits for the n-th message to openID and returns it.
func (e *e2e) card(openID string, n int) sentMsg {
	e.t.Helper()
	waitFor(e.t, fmt.Sprintf("message %d to %s", n, openID), 20*time.Second, func() bool {
		return len(e.wx.to(openID)) >= n
	})
	return e.wx.to(openID)[n-1]
}

func TestDeferralFromCardsToTheTeacher(t *testing.T) {
	t.Parallel()
	e := startServer(t)
	e.bind(e.o("o-stu"), "2023150101", "313776")
	e.bind(e.o("o-dean"), "T1579", "UAK4ZWJD")
	e.bind(e.o("o-office"), "T1586", "G83DNEP6")
	e.bind(e.o("o-teacher"), "T1592", "YZ8HH978")

	e.say(e.o("o-stu"), "我生病了，想缓考材料力学，电话13904712233")
	reply := e.say(e.o("o-stu"), "确认")
	require.Contains(t, reply, "已提交")
	id := regexp.MustCompile(`第 (\d+) 号`).FindStringSubmatch(reply)[1]
	link := e.base + "/h5/approve/" + id

	dean := e.card(e.o("o-dean"), 1)
	require.Equal(t, link, dean.URL)
	require.Contains(t, dean.Title, "武杰")
	e.approveFromCard(e.o("o-dean"), dean.URL, nil)

	office := e.card(e.o("o-office"), 1)
	require.Equal(t, link, office.URL)
	e.approveFromCard(e.o("o-office"), office.URL, nil)

	require.Contains(t, e.card(e.o("o-stu"), 1).Title, "范玉玉", "told of the dean's approval")
	outcome := e.card(e.o("o-stu"), 2)
	require.Contains(t, outcome.Title, "审批通过")
	require.Equal(t, e.base+"/h5/print/"+id, outcome.URL)
	require.Contains(t, e.card(e.o("o-teacher"), 1).Title, "材料力学")
	require.Empty(t, e.wx.to(e.o("o-someone-else")))
}

func TestSuspensionThroughEveryStep(t *testing.T) {
	t.Parallel()
	e := startServer(t)
	e.bind(e.o("o-stu"), "2023150101", "313776")
	e.bind(e.o("o-adv"), "T1593", "VFSZLYQX")
	e.bind(e.o("o-dean"), "T1579", "UAK4ZWJD")
	e.bind(e.o("o-reg"), "T1558", "VMGNZGED")
	e.bind(e.o("o-other-dean"), "T1621", "3X4NYWFZ")

	for _, a := range []string{"休学", "入伍", "13904712233 13804712233 0471-6576286",
		"应征入伍"} {
		e.say(e.o("o-stu"), a)
	}
	reply := e.say(e.o("o-stu"), "确认")
	id := regexp.MustCompile(`第 (\d+) 号`).FindStringSubmatch(reply)[1]
	link := e.base + "/h5/approve/" + id

	// A dean of another college follows the link: read-only or refused.
	resp, err := e.browser(e.o("o-other-dean")).Get(link)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NotContains(t, string(body), `value="approve"`)

	for i, who := range []string{e.o("o-adv"), e.o("o-dean"), e.o("o-reg")} {
		c := e.card(who, 1)
		require.Equal(t, link, c.URL, "step %d", i+1)
		e.approveFromCard(who, c.URL, nil)
	}
	outcome := e.card(e.o("o-stu"), 3)
	require.Contains(t, outcome.Title, "审批通过")
	require.Empty(t, e.wx.to(e.o("o-other-dean")))
}
